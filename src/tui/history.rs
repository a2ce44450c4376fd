//! Undo and redo: two stacks of changes. Applying a change gives its inverse, so
//! undoing is applying the inverse and keeping what that returns for redo.

use std::collections::VecDeque;

use super::pane::Pane;
use crate::domain::Change;

/// How many steps undo can go back. SPEC asks for at least 100.
pub const DEPTH: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The change that undoes (or, on the redo stack, redoes) the step.
    pub change: Change,
    /// What the step did, for the message after undo/redo ("severity of FM-003").
    pub label: String,
    /// The pane it was made in: undo and redo show it there.
    pub pane: Pane,
}

#[derive(Debug, Default)]
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Records a step just made; whatever was undone before can no longer be redone.
    pub fn record(&mut self, inverse: Change, label: String, pane: Pane) {
        if inverse.is_none() {
            return;
        }
        self.redo.clear();
        if self.undo.len() == DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(Step {
            change: inverse,
            label,
            pane,
        });
    }

    pub fn take_undo(&mut self) -> Option<Step> {
        self.undo.pop_back()
    }

    pub fn take_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    /// After undoing: the inverse of the undo is what redo applies.
    pub fn push_redo(&mut self, step: Step) {
        self.redo.push(step);
    }

    /// After redoing: back onto the undo stack, keeping the rest of the redo stack.
    pub fn push_undo(&mut self, step: Step) {
        if self.undo.len() == DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(step);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AssetId, Change};

    fn step(n: u32) -> Change {
        Change::RemoveAsset(AssetId(n))
    }

    #[test]
    fn keeps_at_most_depth_steps_and_drops_the_oldest() {
        let mut h = History::default();
        for n in 0..(DEPTH as u32 + 5) {
            h.record(step(n), format!("{n}"), Pane::Assets);
        }
        let mut count = 0;
        let mut last = None;
        while let Some(s) = h.take_undo() {
            count += 1;
            last = Some(s.label);
        }
        assert_eq!(count, DEPTH);
        assert_eq!(last.as_deref(), Some("5"));
    }

    #[test]
    fn a_new_step_clears_redo_and_empty_changes_are_not_recorded() {
        let mut h = History::default();
        h.record(step(1), "1".into(), Pane::Assets);
        let s = h.take_undo().unwrap();
        h.push_redo(s);
        assert!(h.can_redo());
        h.record(Change::none(), "nothing".into(), Pane::Assets);
        assert!(h.can_redo(), "an empty change is no step");
        h.record(step(2), "2".into(), Pane::Assets);
        assert!(!h.can_redo());
    }
}
