//! countersign: review AI-generated infrastructure changes hunk by hunk.
//!
//! The library holds every capability; the `countersign` binary only parses arguments and
//! calls into it. Data flows one way: a [`source`] loads a change into the pure [`model`],
//! and [`render`] turns the model into text for the terminal or JSON for scripts.

pub mod attest;
pub mod authorship;
pub mod cli;
pub mod commands;
pub mod config;
/// The sample change `countersign demo` opens: a small platform repository and an AI agent's
/// pull request on it.
pub mod demo;
pub mod discard;
pub mod error;
pub mod model;
pub mod policy;
pub mod render;
pub mod review;
pub mod session;
pub mod source;
pub mod stats;
pub mod synth;
pub mod tui;

pub use error::{Error, Result};
