//! Sessions (SPEC §6): every action of a review recorded in a hash-chained JSON Lines log, so a
//! review can be resumed after a crash and replayed, step by step, through the same reducer.
//!
//! The record types, the chain and replay are pure; [`recorder`] and [`store`] do the file
//! work.

pub mod chain;
pub mod record;
pub mod recorder;
pub mod replay;
pub mod report;
pub mod store;
pub mod transcript;
