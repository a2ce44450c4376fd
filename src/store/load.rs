//! Reading a session file, with messages that say where and what.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::format1::{Migration, SessionV1};
use crate::domain::session::FORMAT;
use crate::domain::{Problem, Session, validate};

#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read at all (missing, no permission, a directory…).
    Read { path: PathBuf, source: io::Error },
    /// Bytes that are not UTF-8 text.
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// Not RON, or not the shape of a session.
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// Written by a newer riskroom.
    NewerFormat { path: PathBuf, found: u32 },
    /// Far larger than any session (a wrong file, or one meant to exhaust memory).
    TooLarge { path: PathBuf, bytes: u64 },
    /// Well-formed, but the contents break the method's rules.
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

impl LoadError {
    pub fn path(&self) -> &Path {
        match self {
            LoadError::Read { path, .. }
            | LoadError::NotText { path, .. }
            | LoadError::Syntax { path, .. }
            | LoadError::NewerFormat { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::Invalid { path, .. } => path,
        }
    }
}

impl LoadError {
    /// The same error, naming the file `shown` (a side of a merge that git
    /// keeps in a temporary file, say).
    pub fn shown_as(mut self, shown: PathBuf) -> LoadError {
        match &mut self {
            LoadError::Read { path, .. }
            | LoadError::NotText { path, .. }
            | LoadError::Syntax { path, .. }
            | LoadError::NewerFormat { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::Invalid { path, .. } => *path = shown,
        }
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read { path, source } if path.is_dir() => {
                let _ = source;
                write!(f, "{} is a directory, not a session file", path.display())
            }
            LoadError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            LoadError::NotText { path, line, column } => write!(
                f,
                "{}:{line}:{column}: not a session file: the bytes here are not UTF-8 text",
                path.display()
            ),
            LoadError::Syntax {
                path,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            LoadError::NewerFormat { path, found } => write!(
                f,
                "{} is session format {found}, written by a newer riskroom; this one reads format {FORMAT}. \
                 Update riskroom to open it (the file was not changed).",
                path.display()
            ),
            LoadError::TooLarge { path, bytes } => write!(
                f,
                "{} is {} MB, too large to be a session file (the limit is {} MB)",
                path.display(),
                bytes / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            LoadError::Invalid { path, problems } => {
                let n = problems.len();
                write!(
                    f,
                    "{} has {n} problem{}:",
                    path.display(),
                    if n == 1 { "" } else { "s" }
                )?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A session of 100,000 failure modes is about 60 MB; nothing larger is a session.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Reads, parses and validates a session file.
pub fn load(path: &Path) -> Result<Session, LoadError> {
    load_noting(path).map(|(session, _)| session)
}

/// Like [`load`], and what reading a file of an older format changed (to say
/// once, see [`Migration`]).
pub fn load_noting(path: &Path) -> Result<(Session, Option<Migration>), LoadError> {
    load_with(path, |_, _| ()).map(|((session, migration), ())| (session, migration))
}

/// [`load_noting`], also handing the file's metadata (taken before the read,
/// from the file opened) and bytes to `state`, whose answer comes back with
/// the session.
///
/// Only a regular file is read (a FIFO or a link to `/dev/zero` is refused at
/// once), never through a link someone else planted, and never more than
/// [`MAX_FILE_BYTES`].
pub(super) fn load_with<T>(
    path: &Path,
    state: impl FnOnce(&std::fs::Metadata, &[u8]) -> T,
) -> Result<((Session, Option<Migration>), T), LoadError> {
    let read_error = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(read_error(io::Error::other("is a directory")));
    }
    let (file, meta) = super::own_files::open_regular(path).map_err(read_error)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    let bytes = read_file(&file, meta.len()).map_err(read_error)?;
    let extra = state(&meta, &bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let (line, column) = line_column_at(valid);
            return Err(LoadError::NotText {
                path: path.to_path_buf(),
                line,
                column,
            });
        }
    };
    parse_noting(&text, path).map(|loaded| (loaded, extra))
}

/// The file's bytes, at most [`MAX_FILE_BYTES`]. A large one is read in two
/// halves on two threads: most of a read is copying into fresh memory (and its
/// page faults), which the two cores share. Whatever goes wrong there, a plain
/// read tries again and says what is wrong.
fn read_file(file: &std::fs::File, len: u64) -> io::Result<Vec<u8>> {
    #[cfg(unix)]
    if let Some(bytes) = read_in_halves(file, len) {
        return Ok(bytes);
    }
    let _ = len;
    super::own_files::read_to_limit(file, MAX_FILE_BYTES)
}

#[cfg(unix)]
fn read_in_halves(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const HALVES_FROM: u64 = 8 << 20;
    if !(HALVES_FROM..=MAX_FILE_BYTES).contains(&len) {
        return None;
    }
    let mut bytes = vec![0u8; usize::try_from(len).ok()?];
    let middle = bytes.len() / 2;
    let (first, second) = bytes.split_at_mut(middle);
    let read = std::thread::scope(|scope| {
        let other = scope.spawn(|| file.read_exact_at(second, middle as u64));
        let mine = file.read_exact_at(first, 0);
        mine.is_ok() && other.join().is_ok_and(|r| r.is_ok())
    });
    // A file that grew meanwhile is read again whole.
    let mut probe = [0u8; 1];
    let at_end = file.read_at(&mut probe, len).ok()? == 0;
    (read && at_end).then_some(bytes)
}

/// 1-based line and column just after `before` (columns count characters).
fn line_column_at(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Just the format number, read before anything else so that a newer file is
/// refused for what it is rather than for a field this program does not know.
#[derive(Deserialize)]
struct Header {
    format: u32,
}

/// Parses and validates session text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Session, LoadError> {
    parse_noting(text, path).map(|(session, _)| session)
}

/// Like [`parse`], and what reading an older format changed.
pub fn parse_noting(text: &str, path: &Path) -> Result<(Session, Option<Migration>), LoadError> {
    // Windows editors save UTF-8 with a byte-order mark; the file is read as
    // it is and written without one at its next save.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let syntax = |error: ron::error::SpannedError| LoadError::Syntax {
        path: path.to_path_buf(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: describe(
            &error.code,
            field_at(text, error.span.start.line, error.span.start.col),
        ),
    };
    let options = ron::Options::default();
    let newer = |format: u32| LoadError::NewerFormat {
        path: path.to_path_buf(),
        found: format,
    };
    let format_1 = || {
        let old: SessionV1 = options.from_str(text).map_err(syntax)?;
        let (session, migration) = old.migrate().map_err(|limit| LoadError::Invalid {
            path: path.to_path_buf(),
            problems: vec![Problem {
                record: "processes".to_string(),
                message: limit.to_string(),
            }],
        })?;
        Ok::<_, LoadError>((session, Some(migration)))
    };
    // A file as riskroom writes it is read by the fast reader (which proves it
    // read every byte right); anything else, broken files included, by `ron`.
    let fast = super::fast_parse::parse(text);
    let (mut session, migration) = match fast.map_or_else(|| options.from_str::<Session>(text), Ok)
    {
        // A format-1 file can read as the current shape (no process named, no
        // participant) or not; either way it is read in its own shape.
        Ok(session) if session.format == 1 => format_1()?,
        Ok(session) => (session, None),
        // A newer file is refused for what it is, not for a field this program
        // does not know: read just its format number (only when the full read
        // failed, so a good file is parsed once).
        Err(error) => match options.from_str::<Header>(text) {
            Ok(header) if header.format > FORMAT => return Err(newer(header.format)),
            Ok(header) if header.format == 1 => format_1()?,
            _ => return Err(syntax(error)),
        },
    };
    if session.format > FORMAT {
        return Err(newer(session.format));
    }
    session.sort_by_id();
    let problems = validate(&session);
    if problems.is_empty() {
        Ok((session, migration))
    } else {
        Err(LoadError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// The field whose value starts at 1-based `line`:`column`: the name before
/// the last `:` ahead of it on that line (`cycle: 99999999999` gives `cycle`).
fn field_at(text: &str, line: usize, column: usize) -> Option<&str> {
    let line = text.lines().nth(line.checked_sub(1)?)?;
    let before: &str = match line.char_indices().nth(column.saturating_sub(1)) {
        Some((at, _)) => &line[..at],
        None => line,
    };
    let (name, _) = before.rsplit_once(':')?;
    let name = name.trim_end();
    let start = name
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    Some(&name[start..]).filter(|n| !n.is_empty())
}

/// The fields that hold a rating, and their scale.
const RATINGS: [(&str, &str); 9] = [
    ("confidentiality", "1-4"),
    ("integrity", "1-3"),
    ("availability", "1-3"),
    ("severity", "1-10"),
    ("occurrence", "1-10"),
    ("detection", "1-10"),
    ("revised_severity", "1-10"),
    ("revised_occurrence", "1-10"),
    ("revised_detection", "1-10"),
];

/// ron's message, with the names people see in the file. What ron quotes from
/// the file (a misspelt field name, a string) is escaped and kept short.
fn describe(code: &ron::Error, field: Option<&str>) -> String {
    let text = crate::terminal_text::excerpt(&code.to_string(), 200);
    match code {
        ron::Error::ExpectedInteger | ron::Error::IntegerOutOfBounds => {
            let hint = match field {
                Some(name) => match RATINGS.iter().find(|(rating, _)| *rating == name) {
                    Some((_, scale)) => format!("{name} is a rating: a whole number {scale}"),
                    None => match name {
                        "cycle" => format!(
                            "cycle is the PDCA cycle: a whole number from 1 to {}",
                            crate::domain::pdca::MAX_CYCLE
                        ),
                        "asset" | "failure_mode" | "process" => format!(
                            "next_ids counts the IDs given out: a whole number from 1 to {}",
                            crate::domain::ids::MAX_ID_NUMBER
                        ),
                        "rpn" => "the threshold's rpn is a whole number from 0 to 1000".into(),
                        "format" => format!("format is the file format's number: {FORMAT}"),
                        other => format!("{other} is a whole number"),
                    },
                },
                None => "ratings are whole numbers on their scale, e.g. 1-10".into(),
            };
            format!("{text} ({hint})")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column_at(b""), (1, 1));
        assert_eq!(line_column_at(b"ab\ncd"), (2, 3));
        assert_eq!(line_column_at("x\n中文".as_bytes()), (2, 3));
    }

    #[test]
    fn the_field_of_a_bad_number_is_found_on_its_line() {
        let text = "(\n    pdca: (\n        cycle: 99999999999,\n";
        assert_eq!(field_at(text, 3, 16), Some("cycle"));
        assert_eq!(field_at("(severity: 300)", 1, 12), Some("severity"));
        assert_eq!(field_at("(\n", 1, 1), None);
        let message = describe(&ron::Error::IntegerOutOfBounds, Some("cycle"));
        assert!(
            message.contains("PDCA cycle") && !message.contains("rating"),
            "{message}"
        );
        let message = describe(&ron::Error::IntegerOutOfBounds, Some("severity"));
        assert!(message.contains("rating: a whole number 1-10"), "{message}");
    }
}
