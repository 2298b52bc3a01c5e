//! Turning the model into something to look at, shared by `show` and (later) the review screen:
//! sanitizing, syntax highlighting, word-level emphasis, colours, text and JSON layouts.

pub mod findings;
pub mod highlight;
pub mod inline;
pub mod json;
pub mod long_line;
pub mod paint;
pub mod report_finding;
pub mod sanitize;
pub mod sarif;
pub mod text;
