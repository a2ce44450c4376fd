//! What the Annex A picker lists: while nothing is typed, the controls linked to
//! the failure mode, by control group; otherwise the search results over both
//! editions.

use super::app::ControlsDialog;
use crate::domain::{Control, Session, catalogue};

/// The rows of the picker, in the order shown.
pub fn rows(session: &Session, dialog: &ControlsDialog) -> Vec<&'static Control> {
    let query = dialog.query.value();
    if !query.trim().is_empty() {
        return catalogue().search(query);
    }
    let Some(fm) = session.failure_mode(dialog.id) else {
        return Vec::new();
    };
    let mut linked: Vec<&'static Control> = fm
        .annex_a
        .iter()
        .filter_map(|l| catalogue().get(&l.id))
        .collect();
    linked.sort_by_key(|c| (c.group, catalogue().position(&c.id)));
    linked
}
