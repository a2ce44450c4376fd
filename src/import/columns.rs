//! Which column holds which field: header names matched without regard to case,
//! spaces or punctuation, against the names of our own export and the names
//! other risk registers and FMEA sheets commonly use.

use std::collections::HashMap;
use std::fmt;

/// The two kinds of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Assets,
    FailureModes,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Assets => "assets",
            FileKind::FailureModes => "failure modes",
        }
    }
}

/// A field of a record that a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    // Assets
    Name,
    Category,
    Owner,
    Location,
    Description,
    Confidentiality,
    Integrity,
    Availability,
    // Failure modes
    Process,
    Asset,
    Mode,
    Effect,
    Cause,
    Controls,
    Severity,
    Occurrence,
    Detection,
}

impl Field {
    /// How messages name the field.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "ID",
            Field::Name => "name",
            Field::Category => "category",
            Field::Owner => "owner",
            Field::Location => "location",
            Field::Description => "description",
            Field::Confidentiality => "confidentiality",
            Field::Integrity => "integrity",
            Field::Availability => "availability",
            Field::Process => "process",
            Field::Asset => "asset",
            Field::Mode => "failure mode",
            Field::Effect => "effect",
            Field::Cause => "cause",
            Field::Controls => "current controls",
            Field::Severity => "severity",
            Field::Occurrence => "occurrence",
            Field::Detection => "detection",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Header names of the assets file; the first of each is our export's own.
pub const ASSET_COLUMNS: &[(Field, &[&str])] = &[
    (Field::Id, &["ID", "Asset ID", "Asset no", "Asset number"]),
    (Field::Name, &["Name", "Asset", "Asset name"]),
    (
        Field::Category,
        &["Category", "Asset category", "Type", "Asset type"],
    ),
    (Field::Owner, &["Owner", "Asset owner", "Responsible"]),
    (Field::Location, &["Location", "Place"]),
    (Field::Description, &["Description", "Desc", "Details"]),
    (
        Field::Confidentiality,
        &["Confidentiality", "C", "Conf", "Confidential"],
    ),
    (Field::Integrity, &["Integrity", "I", "Int", "Integ"]),
    (
        Field::Availability,
        &["Availability", "A", "Avail", "Available"],
    ),
];

/// Columns of the assets file that are worked out from others and so are not
/// read: our export writes them for the spreadsheet's sake.
pub const ASSET_COMPUTED: &[&str] = &[
    "Class value",
    "Class",
    "Class rank",
    "Asset class",
    "Asset value",
    "CIA",
    "CIA value",
];

/// Header names of the failure-modes file; the first of each is our export's own.
pub const FAILURE_MODE_COLUMNS: &[(Field, &[&str])] = &[
    (Field::Id, &["ID", "FM ID", "Failure mode ID"]),
    (
        Field::Process,
        &["Process", "Process step", "Process function", "Function"],
    ),
    (Field::Asset, &["Asset", "Asset ID", "Related asset"]),
    (
        Field::Mode,
        &["Failure mode", "Potential failure mode", "Mode", "Failure"],
    ),
    (
        Field::Effect,
        &[
            "Effect",
            "Effects",
            "Potential effect",
            "Potential effects",
            "Potential effects of failure",
            "Impact",
        ],
    ),
    (
        Field::Cause,
        &[
            "Cause",
            "Causes",
            "Potential cause",
            "Potential causes",
            "Potential causes of failure",
        ],
    ),
    (
        Field::Controls,
        &[
            "Current controls",
            "Controls",
            "Current control",
            "Control",
            "Current process controls",
            "Process controls",
            "Existing controls",
        ],
    ),
    (Field::Severity, &["Severity", "S", "SEV"]),
    (Field::Occurrence, &["Occurrence", "O", "OCC", "Occurence"]),
    (
        Field::Detection,
        &["Detection", "D", "DET", "Detectability"],
    ),
];

/// Columns of the failure-modes file that are worked out from others (or, for
/// the treatment status, kept in the session and not in this file's fields).
pub const FAILURE_MODE_COMPUTED: &[&str] = &[
    "RPN",
    "Risk priority number",
    "AP",
    "Action priority",
    "Asset class",
    "Asset name",
    "Treatment status",
    "Status",
];

/// The header our export gives a field.
pub fn header_of(kind: FileKind, field: Field) -> &'static str {
    columns_of(kind)
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, names)| names.first().copied())
        .unwrap_or_else(|| field.name())
}

pub fn columns_of(kind: FileKind) -> &'static [(Field, &'static [&'static str])] {
    match kind {
        FileKind::Assets => ASSET_COLUMNS,
        FileKind::FailureModes => FAILURE_MODE_COLUMNS,
    }
}

pub fn computed_of(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Assets => ASSET_COMPUTED,
        FileKind::FailureModes => FAILURE_MODE_COMPUTED,
    }
}

/// A header reduced to what matters: letters and digits, lower case. So
/// "Failure mode", "FAILURE_MODE" and "failure-mode " are the same name.
pub fn key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a header means in a file of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Field(Field),
    Computed,
    Unknown,
}

pub fn meaning(kind: FileKind, header: &str) -> Meaning {
    let wanted = key(header);
    if let Some((field, _)) = columns_of(kind)
        .iter()
        .find(|(_, names)| names.iter().any(|n| key(n) == wanted))
    {
        return Meaning::Field(*field);
    }
    if computed_of(kind).iter().any(|n| key(n) == wanted) {
        return Meaning::Computed;
    }
    Meaning::Unknown
}

/// Why a column was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Worked out by riskroom (RPN, AP, class…): recomputed, never read.
    Computed,
    /// A name we do not know: reported, so a misspelt header does not go unseen.
    Unknown,
}

/// A column that was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredColumn {
    pub file: String,
    /// 1-based, as a spreadsheet user counts them.
    pub column: usize,
    pub header: String,
    pub why: Ignored,
}

impl fmt::Display for IgnoredColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = if self.header.trim().is_empty() {
            "(no header)".to_string()
        } else {
            super::cells::quote(&self.header)
        };
        match self.why {
            Ignored::Computed => write!(
                f,
                "{}: column {} {header} is computed by riskroom; not read",
                self.file, self.column
            ),
            Ignored::Unknown => write!(
                f,
                "{}: column {} {header} is not a column riskroom knows; ignored",
                self.file, self.column
            ),
        }
    }
}

/// The first few headers of a file for a message, each short; a count of the rest.
fn headers_excerpt(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = headers
        .iter()
        .take(SHOWN)
        .map(|h| crate::terminal_text::excerpt(h, 30))
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > SHOWN {
        text.push_str(&format!(" and {} more", headers.len() - SHOWN));
    }
    text
}

/// The columns of one file: where each field is, and what was left unread.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    at: HashMap<Field, usize>,
    pub ignored: Vec<IgnoredColumn>,
}

impl Columns {
    /// Maps the header row. `has_data(column)` says whether any row has a value in
    /// that column, so that the empty columns spreadsheets leave at the right
    /// are not reported. Two columns with one meaning are an error: which one
    /// should win is not ours to guess.
    pub fn map(
        kind: FileKind,
        file: &str,
        headers: &[String],
        has_data: impl Fn(usize) -> bool,
    ) -> Result<Columns, String> {
        let mut columns = Columns::default();
        for (i, header) in headers.iter().enumerate() {
            let ignored = |why| IgnoredColumn {
                file: file.to_string(),
                column: i + 1,
                header: header.clone(),
                why,
            };
            match meaning(kind, header) {
                Meaning::Field(field) => {
                    if let Some(first) = columns.at.insert(field, i) {
                        return Err(format!(
                            "has two columns for the {field}, {} ({}) and {} ({}); keep one",
                            first + 1,
                            super::cells::quote(&headers[first]),
                            i + 1,
                            super::cells::quote(header)
                        ));
                    }
                }
                Meaning::Computed => columns.ignored.push(ignored(Ignored::Computed)),
                Meaning::Unknown if header.trim().is_empty() && !has_data(i) => {}
                Meaning::Unknown => columns.ignored.push(ignored(Ignored::Unknown)),
            }
        }
        let required = match kind {
            FileKind::Assets => [Field::Id, Field::Name],
            FileKind::FailureModes => [Field::Id, Field::Mode],
        };
        if required.iter().all(|f| !columns.at.contains_key(f)) {
            let other = match kind {
                FileKind::Assets => FileKind::FailureModes,
                FileKind::FailureModes => FileKind::Assets,
            };
            let looks_other = headers
                .iter()
                .any(|h| matches!(meaning(other, h), Meaning::Field(Field::Mode | Field::Name)));
            let hint = if looks_other {
                format!("; it looks like a {} file", other.name())
            } else {
                String::new()
            };
            return Err(format!(
                "has neither an {} column nor a {} column, so no row can be matched or added \
                 (headers: {}){hint}",
                required[0],
                required[1],
                headers_excerpt(headers)
            ));
        }
        Ok(columns)
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.at.get(&field).copied()
    }

    pub fn has(&self, field: Field) -> bool {
        self.at.contains_key(&field)
    }

    /// Says which of the columns a new record needs the file lacks, if any.
    pub fn missing_for_new(&self, kind: FileKind, required: &[Field]) -> Option<String> {
        let missing: Vec<&str> = required
            .iter()
            .filter(|f| !self.has(**f))
            .map(|f| header_of(kind, *f))
            .collect();
        let what = match kind {
            FileKind::Assets => "asset",
            FileKind::FailureModes => "failure mode",
        };
        match missing.as_slice() {
            [] => None,
            [one] => Some(format!(
                "a new {what} needs a {one} column, which the file does not have"
            )),
            [first @ .., last] => Some(format!(
                "a new {what} needs {} and {last} columns, which the file does not have",
                first.join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keys_ignore_case_spaces_and_punctuation() {
        assert_eq!(key(" Failure_Mode "), "failuremode");
        assert_eq!(key("SEV."), "sev");
        assert_eq!(key("Current controls"), key("CURRENT-CONTROLS"));
        assert_eq!(key("Ä ß"), "äß");
    }

    #[test]
    fn no_synonym_means_two_things_or_is_also_computed() {
        for kind in [FileKind::Assets, FileKind::FailureModes] {
            let mut seen: HashMap<String, Field> = HashMap::new();
            for (field, names) in columns_of(kind) {
                for name in *names {
                    if let Some(other) = seen.insert(key(name), *field) {
                        panic!("{name:?} means both {other} and {field}");
                    }
                }
            }
            for name in computed_of(kind) {
                assert!(!seen.contains_key(&key(name)), "{name:?}");
            }
        }
    }

    #[test]
    fn the_same_word_means_what_the_file_is_about() {
        assert_eq!(
            meaning(FileKind::Assets, "Asset"),
            Meaning::Field(Field::Name)
        );
        assert_eq!(
            meaning(FileKind::FailureModes, "Asset"),
            Meaning::Field(Field::Asset)
        );
        assert_eq!(
            meaning(FileKind::Assets, "A"),
            Meaning::Field(Field::Availability)
        );
        assert_eq!(meaning(FileKind::FailureModes, "A"), Meaning::Unknown);
        assert_eq!(
            meaning(FileKind::FailureModes, "Asset name"),
            Meaning::Computed
        );
    }

    #[test]
    fn mapping_reports_ignored_columns_and_skips_empty_unnamed_ones() {
        let h = headers(&["ID", "Name", "Class", "Notes", "", ""]);
        let c = Columns::map(FileKind::Assets, "a.csv", &h, |i| i == 5).unwrap();
        assert_eq!((c.get(Field::Id), c.get(Field::Name)), (Some(0), Some(1)));
        let ignored: Vec<(usize, Ignored)> = c.ignored.iter().map(|i| (i.column, i.why)).collect();
        assert_eq!(
            ignored,
            [
                (3, Ignored::Computed),
                (4, Ignored::Unknown),
                (6, Ignored::Unknown)
            ]
        );
        assert_eq!(
            c.ignored[1].to_string(),
            "a.csv: column 4 \"Notes\" is not a column riskroom knows; ignored"
        );
        assert_eq!(
            c.ignored[2].to_string(),
            "a.csv: column 6 (no header) is not a column riskroom knows; ignored"
        );
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let h = headers(&["ID", "Severity", "SEV"]);
        let err = Columns::map(FileKind::FailureModes, "f.csv", &h, |_| true).unwrap_err();
        assert_eq!(
            err,
            "has two columns for the severity, 2 (\"Severity\") and 3 (\"SEV\"); keep one"
        );
    }

    #[test]
    fn a_file_of_the_other_kind_is_named() {
        let h = headers(&["Process", "Failure mode", "S"]);
        let err = Columns::map(FileKind::Assets, "x.csv", &h, |_| true).unwrap_err();
        assert!(
            err.contains("neither an ID column nor a name column"),
            "{err}"
        );
        assert!(err.ends_with("it looks like a failure modes file"), "{err}");
    }
}
