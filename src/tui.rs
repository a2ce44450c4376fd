//! The workshop screen: a thin layer over the domain, the store and the export.
//!
//! key -> [`keymap`] -> [`action::Action`] -> [`update`] -> [`app::App`] -> [`view`]
//! (a pure drawing of the state). The [`runtime`] owns the terminal, the threads
//! that read keys, save files and catch signals, and nothing else.

pub mod action;
pub mod annex;
pub mod app;
pub mod filter;
pub mod form;
pub mod history;
pub mod keymap;
pub mod paint;
pub mod pane;
pub mod picker;
pub mod runtime;
pub mod testing;
pub mod theme;
pub mod view;

pub use app::update;
