//! The review itself, free of any terminal: the [`State`] of a review, the [`Action`]s that
//! change it, and the pure reducer [`update()`]. The live screen and replay both drive
//! it; `view` only reads it.

pub mod action;
pub mod arrival;
pub mod carry;
pub mod layout;
pub mod progress;
pub mod screen;
pub mod state;
pub mod update;

pub use action::Action;
pub use state::{Options, State};
pub use update::{Effect, update};
