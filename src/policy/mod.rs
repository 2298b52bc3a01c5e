//! Policy-as-code: inputs, engine, findings.

pub mod bundle;
pub mod engine;
pub mod unit_tests;
