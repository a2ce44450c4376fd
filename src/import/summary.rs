//! What an import will do, worded for the user: for the command line's report
//! and the screen's dialog alike.

use std::fmt;

use crate::domain::{AssetId, FailureModeId, ProcessId};

use super::columns::{FileKind, Ignored, IgnoredColumn};
use super::ids::RecordId;
use super::table::Origin;

/// A row that was not imported, and every reason why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    /// The physical line the row starts on (a sheet's row number); the header
    /// is usually line 1.
    pub line: u64,
    /// `line` in a file, `row` in a sheet.
    pub unit: &'static str,
    /// The ID cell as written, when there was one.
    pub id: Option<String>,
    pub reasons: Vec<String>,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.file, self.unit, self.line)?;
        if let Some(id) = &self.id {
            write!(f, " ({})", crate::terminal_text::excerpt(id, 20))?;
        }
        write!(f, ": {}", self.reasons.join("; "))
    }
}

/// A row whose unknown ID was replaced by a fresh one (`--new-ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renumbered<Id> {
    pub line: u64,
    pub unit: &'static str,
    pub from: Id,
    pub to: Id,
}

/// What happens to the records of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<Id> {
    pub added: Vec<Id>,
    pub updated: Vec<Id>,
    /// Rows that match their record already.
    pub unchanged: Vec<Id>,
    pub renumbered: Vec<Renumbered<Id>>,
}

impl<Id> Default for Outcome<Id> {
    fn default() -> Self {
        Self {
            added: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            renumbered: Vec::new(),
        }
    }
}

/// How many records of one kind the rows add, update and leave as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged",
            self.added, self.updated, self.unchanged
        )
    }
}

impl<Id> Outcome<Id> {
    pub fn counts(&self) -> Counts {
        Counts {
            added: self.added.len(),
            updated: self.updated.len(),
            unchanged: self.unchanged.len(),
        }
    }
}

impl<Id: RecordId> Outcome<Id> {
    pub fn changes_anything(&self) -> bool {
        !self.added.is_empty() || !self.updated.is_empty()
    }

    fn line(&self, what: &str) -> String {
        let mut line = format!(
            "{what}: {} added{}, {} updated{}, {} unchanged",
            self.added.len(),
            listed(&self.added),
            self.updated.len(),
            listed(&self.updated),
            self.unchanged.len()
        );
        for r in &self.renumbered {
            line.push_str(&format!(
                "\n  {} ({} {}) is added as {}",
                r.from, r.unit, r.line, r.to
            ));
        }
        line
    }
}

/// ` (A-001..A-003, A-007)`: runs of three or more consecutive IDs shortened.
fn listed<Id: RecordId>(ids: &[Id]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let mut sorted = ids.to_vec();
    sorted.sort();
    let mut parts = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start;
        while end + 1 < sorted.len() && sorted[end + 1].number() == sorted[end].number() + 1 {
            end += 1;
        }
        match end - start {
            0 => parts.push(sorted[start].to_string()),
            1 => parts.push(format!("{}, {}", sorted[start], sorted[end])),
            _ => parts.push(format!("{}..{}", sorted[start], sorted[end])),
        }
        start = end + 1;
    }
    format!(" ({})", parts.join(", "))
}

/// How one file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    pub kind: FileKind,
    pub file: String,
    pub rows: usize,
    pub origin: Origin,
}

impl FileRead {
    /// The delimiter of a CSV file; `None` for a sheet.
    pub fn delimiter(&self) -> Option<u8> {
        match self.origin {
            Origin::Csv { delimiter, .. } => Some(delimiter),
            Origin::Sheet => None,
        }
    }
}

impl fmt::Display for FileRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.rows == 1 { "" } else { "s" };
        write!(f, "{}: {} row{s}", self.file, self.rows)?;
        match self.origin {
            Origin::Csv {
                delimiter,
                encoding,
            } => {
                let delimiter = match delimiter {
                    b'\t' => "tab".to_string(),
                    d => format!("'{}'", char::from(d)),
                };
                write!(f, " ({encoding}, delimiter {delimiter})")
            }
            Origin::Sheet => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub files: Vec<FileRead>,
    pub assets: Outcome<AssetId>,
    pub failure_modes: Outcome<FailureModeId>,
    /// Process records made for process names no process had, with the name.
    pub processes_added: Vec<(ProcessId, String)>,
    /// In file order: the assets file first.
    pub rejected: Vec<Rejection>,
    pub ignored_columns: Vec<IgnoredColumn>,
    /// Cells with control characters, and the like: said, not refused.
    pub warnings: Vec<String>,
    /// Import the good rows even when others were rejected.
    pub partial: bool,
}

impl Summary {
    /// Rows were rejected and `partial` was not asked for: nothing is imported.
    pub fn is_blocked(&self) -> bool {
        !self.rejected.is_empty() && !self.partial
    }

    /// Whether the import changes the session at all.
    pub fn changes_anything(&self) -> bool {
        !self.is_blocked()
            && (self.assets.changes_anything() || self.failure_modes.changes_anything())
    }

    /// The counts of each kind of record whose file was read: `("assets", …)`,
    /// `("failure modes", …)`.
    pub fn counts(&self) -> Vec<(&'static str, Counts)> {
        let read = |kind| self.files.iter().any(|f| f.kind == kind);
        let mut counts = Vec::new();
        if read(FileKind::Assets) {
            counts.push(("assets", self.assets.counts()));
        }
        if read(FileKind::FailureModes) {
            counts.push(("failure modes", self.failure_modes.counts()));
        }
        counts
    }

    /// The report, one item a line (an item may continue on indented lines):
    /// what was read, and what the rows do. The counts say what the rows would
    /// do; [`Summary::is_blocked`] says whether it happens.
    pub fn report_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.files.iter().map(ToString::to_string).collect();
        let read = |kind| self.files.iter().any(|f| f.kind == kind);
        if read(FileKind::Assets) {
            lines.push(self.assets.line("assets"));
        }
        if read(FileKind::FailureModes) {
            lines.push(self.failure_modes.line("failure modes"));
        }
        if !self.processes_added.is_empty() {
            let named: Vec<String> = self
                .processes_added
                .iter()
                .map(|(id, name)| format!("{id} {name:?}"))
                .collect();
            lines.push(format!(
                "processes: {} added ({})",
                named.len(),
                named.join(", ")
            ));
        }
        let computed: Vec<&str> = self
            .ignored_columns
            .iter()
            .filter(|c| c.why == Ignored::Computed)
            .map(|c| c.header.as_str())
            .collect();
        if !computed.is_empty() {
            lines.push(format!(
                "not read, riskroom works them out: {}",
                computed.join(", ")
            ));
        }
        lines
    }

    /// Unknown columns and other warnings, and rejected rows, one a line. A
    /// file with thousands of unknown columns gives a count, not a line each.
    pub fn problem_lines(&self) -> Vec<String> {
        let unknown: Vec<&IgnoredColumn> = self
            .ignored_columns
            .iter()
            .filter(|c| c.why == Ignored::Unknown)
            .collect();
        let shown = crate::import::WARNINGS_SHOWN;
        let mut lines: Vec<String> = unknown
            .iter()
            .take(shown)
            .map(|c| format!("warning: {c}"))
            .collect();
        if unknown.len() > shown {
            lines.push(format!(
                "warning: {} columns in all that riskroom does not know; ignored (the first \
                 {shown} are above)",
                unknown.len()
            ));
        }
        lines.extend(self.warnings.iter().cloned());
        lines.extend(self.rejected.iter().map(|r| format!("rejected: {r}")));
        lines
    }

    /// Both of the above.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.report_lines();
        lines.extend(self.problem_lines());
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_shorten_runs() {
        let ids = [7, 1, 2, 3, 5, 6, 10].map(AssetId);
        assert_eq!(listed(&ids), " (A-001..A-003, A-005..A-007, A-010)");
        assert_eq!(listed(&[AssetId(4), AssetId(5)]), " (A-004, A-005)");
        assert_eq!(listed::<AssetId>(&[]), "");
    }

    #[test]
    fn rejection_names_file_line_id_and_reasons() {
        let r = Rejection {
            file: "f.csv".into(),
            line: 7,
            unit: "line",
            id: Some("FM-004".into()),
            reasons: vec!["severity 11 is outside its scale 1-10".into(), "x".into()],
        };
        assert_eq!(
            r.to_string(),
            "f.csv line 7 (FM-004): severity 11 is outside its scale 1-10; x"
        );
    }
}
