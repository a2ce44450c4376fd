//! riskroom: facilitated information-security risk workshops in the terminal.
//!
//! [`domain`] is the method (no terminal, no files); [`store`] reads and writes
//! session files; [`export`] writes CSV and [`import`] reads it back; [`cli`] is
//! the command line; `tui` is the workshop screen on top of them.
//! [`terminal_text`] makes what a file or another user wrote safe to show on a
//! terminal, for the command line and the screen alike.

pub mod cli;
pub mod config;
pub mod diff;
pub mod domain;
pub mod export;
#[doc(hidden)]
pub mod generate;
pub mod import;
pub mod merge;
pub mod minutes;
pub mod portfolio;
pub mod report;
#[cfg(target_os = "linux")]
pub mod room;
pub mod store;
pub mod terminal_text;
pub mod tui;
