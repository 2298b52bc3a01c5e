//! Policy-as-code: inputs, engine, findings.

pub mod base;
pub mod blast;
pub mod bundle;
pub mod engine;
pub mod evaluate;
pub mod families;
pub mod finding;
pub mod hidden;
pub mod input;
pub mod place;
pub mod plan_link;
pub mod source_map;
pub mod unit_tests;

#[cfg(test)]
mod call_cache_tests;
