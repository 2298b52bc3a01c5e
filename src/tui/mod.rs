//! The live review screen and the replay player: the terminal, the event loop, key bindings and the views. The
//! review logic itself is in [`crate::review`]; this module only turns terminal events into
//! actions and draws the state.

pub mod app;
pub mod highlight_cache;
pub mod keymap;
pub mod player;
pub mod terminal;
pub mod theme;
pub mod timings;
pub mod view;
