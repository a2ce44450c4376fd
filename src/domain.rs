//! The method, as plain Rust: ratings and their scales, the asset class, RPN and
//! Action Priority, the live risk ordering, PDCA, the session and its validation,
//! the reversible changes that every edit is made of, and the pictures of the
//! risks that the screen, the report and the workbook share (the risk matrix, the
//! RPN Pareto, the trend over cycles).
//!
//! Nothing in here knows about terminals, files or CSV; the store, the export and the
//! screen are built on top of it.

pub mod action_priority;
pub mod annex_a;
pub mod asset;
pub mod change;
pub mod conflict;
pub mod cycles;
pub mod details;
pub mod failure_mode;
pub mod flags;
pub mod ids;
pub mod log;
pub mod matrix;
pub mod ordering;
pub mod pareto;
pub mod pdca;
pub mod process;
pub mod programme;
pub mod rating;
pub mod session;
pub mod sign_off;
pub mod tally;
pub mod threshold;
pub mod treatment;
pub mod trend;
pub mod validation;
pub mod vote;

pub use action_priority::{ActionPriority, action_priority};
pub use annex_a::{Control, ControlGroup, ControlLink, ControlState, Edition, catalogue};
pub use asset::{Asset, Category, ClassRank};
pub use change::Change;
pub use conflict::{Conflict, Side};
pub use details::Participant;
pub use failure_mode::{FailureMode, ResidualSource};
pub use ids::{AssetId, FailureModeId, ProcessId};
pub use pdca::{CycleRecord, Pdca, Stage, StageChange};
pub use process::Process;
pub use rating::RatingKind;
pub use session::{Limit, Session};
pub use sign_off::{RiskState, SignOff, SignOffKind};
pub use threshold::Threshold;
pub use treatment::{Decision, Status, Treatment};
pub use validation::{Problem, validate};
