//! What the ID cell of each row asks for: update a record, add one, or nothing
//! (with the reason).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use crate::domain::ids::MAX_ID_NUMBER;
use crate::domain::{AssetId, FailureModeId};

use super::Options;
use super::cells;

/// What the import needs to know of a record ID type.
pub trait RecordId: Copy + Eq + Hash + Ord + FromStr + fmt::Display {
    /// "an asset", for messages.
    const WHAT: &'static str;
    const PATTERN: &'static str;
    fn number(self) -> u32;
    /// The ID of this kind with another number.
    fn with_number(self, number: u32) -> Self;
}

impl RecordId for AssetId {
    const WHAT: &'static str = "an asset";
    const PATTERN: &'static str = "A-NNN";
    fn number(self) -> u32 {
        self.0
    }
    fn with_number(self, number: u32) -> Self {
        AssetId(number)
    }
}

impl RecordId for FailureModeId {
    const WHAT: &'static str = "a failure-mode";
    const PATTERN: &'static str = "FM-NNN";
    fn number(self) -> u32 {
        self.0
    }
    fn with_number(self, number: u32) -> Self {
        FailureModeId(number)
    }
}

/// What one row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<Id> {
    /// Update the record with this ID.
    Existing(Id),
    /// Add a record under the file's ID (`--keep-ids`).
    Keep(Id),
    /// Add a record under an ID the session hands out; `from` is the unknown ID
    /// the file gave it (`--new-ids`), if any.
    Fresh { from: Option<Id> },
}

/// The session's side of the question.
pub struct Known<F> {
    pub exists: F,
    /// The lowest number the session has never handed out.
    pub next: u32,
}

/// The target of each row, from its ID cell (`None` when the file has no ID
/// column). An ID on more than one row rejects all of them: which row is right
/// is not ours to guess.
pub fn targets<Id: RecordId, F: Fn(Id) -> bool>(
    id_cells: &[(u64, Option<&str>)],
    known: &Known<F>,
    options: &Options,
) -> Vec<Result<Target<Id>, String>> {
    let parsed: Vec<Result<Option<Id>, String>> = id_cells
        .iter()
        .map(|(_, cell)| cells::id(cell.unwrap_or(""), Id::WHAT, Id::PATTERN))
        .collect();
    let mut lines_of: HashMap<Id, Vec<u64>> = HashMap::new();
    for ((line, _), id) in id_cells.iter().zip(&parsed) {
        if let Ok(Some(id)) = id {
            lines_of.entry(*id).or_default().push(*line);
        }
    }
    id_cells
        .iter()
        .zip(parsed)
        .map(|((line, _), id)| {
            let id = match id? {
                None => return Ok(Target::Fresh { from: None }),
                Some(id) => id,
            };
            let others: Vec<String> = lines_of
                .get(&id)
                .into_iter()
                .flatten()
                .filter(|l| *l != line)
                .map(u64::to_string)
                .collect();
            if !others.is_empty() {
                let s = if others.len() == 1 { "" } else { "s" };
                return Err(format!(
                    "{id} is also on line{s} {} (an ID may appear once per file)",
                    others.join(", ")
                ));
            }
            target(id, known, options)
        })
        .collect()
}

fn target<Id: RecordId, F: Fn(Id) -> bool>(
    id: Id,
    known: &Known<F>,
    options: &Options,
) -> Result<Target<Id>, String> {
    if (known.exists)(id) {
        return Ok(Target::Existing(id));
    }
    if id.number() > MAX_ID_NUMBER {
        return Err(format!(
            "{id} is beyond the highest ID riskroom gives out ({}); a session's IDs \
             stay below it so that no counter can ever wrap (--new-ids adds the row under \
             a fresh ID)",
            id.with_number(MAX_ID_NUMBER)
        ));
    }
    let never_handed_out = id.number() >= known.next;
    if options.keep_ids && never_handed_out {
        return Ok(Target::Keep(id));
    }
    if options.new_ids {
        return Ok(Target::Fresh { from: Some(id) });
    }
    if options.keep_ids {
        return Err(format!(
            "{id} was given out before in this session and IDs are never reused \
             (--new-ids adds the row under a fresh ID)"
        ));
    }
    Err(format!(
        "unknown ID {id}: the session has no such record (--new-ids adds the row \
         under a fresh ID, --keep-ids under {id})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cells: &[Option<&str>], options: Options) -> Vec<Result<Target<AssetId>, String>> {
        let id_cells: Vec<(u64, Option<&str>)> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 2, *c))
            .collect();
        let known = Known {
            exists: |id: AssetId| id.0 <= 3,
            next: 6,
        };
        targets(&id_cells, &known, &options)
    }

    #[test]
    fn existing_empty_and_unknown_ids() {
        let t = run(
            &[Some("A-002"), Some(" "), None, Some("A-009")],
            Options::default(),
        );
        assert_eq!(t[0], Ok(Target::Existing(AssetId(2))));
        assert_eq!(t[1], Ok(Target::Fresh { from: None }));
        assert_eq!(t[2], Ok(Target::Fresh { from: None }));
        assert_eq!(
            t[3],
            Err(
                "unknown ID A-009: the session has no such record (--new-ids adds the row \
                 under a fresh ID, --keep-ids under A-009)"
                    .into()
            )
        );
    }

    #[test]
    fn new_ids_and_keep_ids() {
        let new = Options {
            new_ids: true,
            ..Options::default()
        };
        let keep = Options {
            keep_ids: true,
            ..Options::default()
        };
        let both = Options {
            keep_ids: true,
            new_ids: true,
            ..Options::default()
        };
        let cells = [Some("A-009"), Some("A-004")];
        assert_eq!(
            run(&cells, new),
            [
                Ok(Target::Fresh {
                    from: Some(AssetId(9))
                }),
                Ok(Target::Fresh {
                    from: Some(AssetId(4))
                })
            ]
        );
        let kept = run(&cells, keep);
        assert_eq!(kept[0], Ok(Target::Keep(AssetId(9))));
        assert!(
            kept[1]
                .clone()
                .unwrap_err()
                .starts_with("A-004 was given out before")
        );
        assert_eq!(
            run(&cells, both),
            [
                Ok(Target::Keep(AssetId(9))),
                Ok(Target::Fresh {
                    from: Some(AssetId(4))
                })
            ]
        );
    }

    #[test]
    fn duplicates_reject_every_row_with_the_id() {
        let t = run(
            &[Some("A-001"), Some("a-1"), Some("A-002"), Some("A-001")],
            Options::default(),
        );
        assert_eq!(
            t[0],
            Err("A-001 is also on lines 3, 5 (an ID may appear once per file)".into())
        );
        assert_eq!(
            t[1],
            Err("A-001 is also on lines 2, 5 (an ID may appear once per file)".into())
        );
        assert_eq!(t[2], Ok(Target::Existing(AssetId(2))));
        assert!(t[3].is_err());
    }

    #[test]
    fn malformed_ids_are_rejected() {
        let t = run(&[Some("X-1")], Options::default());
        assert_eq!(
            t[0],
            Err("\"X-1\" is not an asset ID (expected A-NNN)".into())
        );
    }
}
