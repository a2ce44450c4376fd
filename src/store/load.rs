//! Reading a session file, with messages that say where and what.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    let read_error = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(read_error(io::Error::other("is a directory")));
    }
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_FILE_BYTES
    {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    let bytes = read_file(path).map_err(read_error)?;
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
    parse(&text, path)
}

/// The file's bytes. A large one is read in two halves on two threads: most of
/// a read is copying into fresh memory (and its page faults), which the two
/// cores share. Whatever goes wrong there, `std::fs::read` tries again and says
/// what is wrong.
fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    #[cfg(unix)]
    if let Some(bytes) = read_in_halves(path) {
        return Ok(bytes);
    }
    std::fs::read(path)
}

#[cfg(unix)]
fn read_in_halves(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const HALVES_FROM: u64 = 8 << 20;
    let file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len < HALVES_FROM {
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
    let syntax = |error: ron::error::SpannedError| LoadError::Syntax {
        path: path.to_path_buf(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: describe(&error.code),
    };
    let options = ron::Options::default();
    let newer = |format: u32| LoadError::NewerFormat {
        path: path.to_path_buf(),
        found: format,
    };
    // A file as riskroom writes it is read by the fast reader (which proves it
    // read every byte right); anything else, broken files included, by `ron`.
    let fast = super::fast_parse::parse(text);
    let mut session: Session = match fast.map_or_else(|| options.from_str(text), Ok) {
        Ok(session) => session,
        // A newer file is refused for what it is, not for a field this program
        // does not know: read just its format number (only when the full read
        // failed, so a good file is parsed once).
        Err(error) => match options.from_str::<Header>(text) {
            Ok(header) if header.format > FORMAT => return Err(newer(header.format)),
            _ => return Err(syntax(error)),
        },
    };
    if session.format > FORMAT {
        return Err(newer(session.format));
    }
    session.sort_by_id();
    let problems = validate(&session);
    if problems.is_empty() {
        Ok(session)
    } else {
        Err(LoadError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// ron's message, with the names people see in the file.
fn describe(code: &ron::Error) -> String {
    let text = code.to_string();
    match code {
        ron::Error::ExpectedInteger | ron::Error::IntegerOutOfBounds => {
            format!("{text} (ratings are whole numbers on their scale, e.g. 1-10)")
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
}
