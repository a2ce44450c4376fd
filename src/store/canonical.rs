//! The canonical session text, written directly rather than through serde and
//! the `ron` serializer, which at 100,000 failure modes takes most of a second.
//!
//! It writes exactly the bytes that `ron::ser::to_string_pretty` writes with the
//! configuration of [`super::ron_text::ron_reference`] (plus the final newline):
//! a property test over arbitrary sessions holds it to that. The text can go to a
//! `Vec`, to a file as it is produced (a save needs no second copy of the file
//! in memory), or be compared against bytes already there without allocating
//! (how the fast loader proves it read a file right, see [`super::fast_parse`]).

mod record;

pub(crate) use record::{sign_off_kind_name, treatment_field_name, via_name};

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::domain::annex_a::{ControlLink, ControlState};
use crate::domain::asset::Category;
use crate::domain::conflict::{Conflict, Side};
use crate::domain::pdca::{CycleRecord, FailureModeSnapshot, Stage, StageChange};
use crate::domain::programme::{DocumentRecord, DocumentStatus, Programme, StepRecord, StepStatus};
use crate::domain::treatment::{Decision, Status, Treatment};
use crate::domain::{Asset, FailureMode, Session};

/// Where the text goes, a chunk at a time. `false` stops the writing: the sink
/// has seen enough (a difference found, a write failed).
pub(crate) trait Sink {
    fn take(&mut self, bytes: &[u8]) -> bool;
}

impl Sink for Vec<u8> {
    fn take(&mut self, bytes: &[u8]) -> bool {
        self.extend_from_slice(bytes);
        true
    }
}

/// Compares the text with bytes already there: one piece of text, or pieces
/// that follow each other in the text written (a file read in two halves).
pub(crate) struct Compare<'a> {
    parts: Vec<&'a [u8]>,
    part: usize,
    at: usize,
}

impl<'a> Compare<'a> {
    pub(crate) fn new(expected: &'a [u8]) -> Self {
        Self::of_parts(vec![expected])
    }

    pub(crate) fn of_parts(parts: Vec<&'a [u8]>) -> Self {
        Self {
            parts,
            part: 0,
            at: 0,
        }
    }

    /// Whether everything written so far equals all of the expected bytes.
    pub(crate) fn is_complete(&self) -> bool {
        self.parts[self.part.min(self.parts.len())..]
            .iter()
            .enumerate()
            .all(|(i, p)| {
                if i == 0 {
                    self.at == p.len()
                } else {
                    p.is_empty()
                }
            })
    }
}

impl Sink for Compare<'_> {
    fn take(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            let Some(part) = self.parts.get(self.part) else {
                return false;
            };
            let left = &part[self.at..];
            if left.is_empty() {
                self.part += 1;
                self.at = 0;
                continue;
            }
            let n = left.len().min(bytes.len());
            if left[..n] != bytes[..n] {
                return false;
            }
            self.at += n;
            bytes = &bytes[n..];
        }
        true
    }
}

/// Writes to an `io::Write`, keeping the first error.
pub(crate) struct IoSink<W: std::io::Write> {
    pub(crate) writer: W,
    pub(crate) error: Option<std::io::Error>,
}

impl<W: std::io::Write> Sink for IoSink<W> {
    fn take(&mut self, bytes: &[u8]) -> bool {
        match self.writer.write_all(bytes) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }
}

/// ASCII bytes that `char::escape_debug` leaves as they are: the printable ones
/// other than `"`, `'` and `\`.
const PLAIN_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        table[b] = b != b'"' as usize && b != b'\'' as usize && b != b'\\' as usize;
        b += 1;
    }
    table
};

/// Whether `char::escape_debug` changes a non-ASCII character. Asking it is slow
/// for CJK text (a table walk per character), so the answers for the Basic
/// Multilingual Plane are kept, 256 characters to a block, each block worked
/// out by `escape_debug` itself the first time a character of it is written.
fn escaped(c: char) -> bool {
    fn asked(c: char) -> bool {
        let mut e = c.escape_debug();
        !(e.next() == Some(c) && e.next().is_none())
    }
    static BLOCKS: [OnceLock<[u64; 4]>; 256] = [const { OnceLock::new() }; 256];
    let code = c as u32;
    let Some(block) = BLOCKS.get((code >> 8) as usize) else {
        return asked(c);
    };
    let bits = block.get_or_init(|| {
        let mut bits = [0u64; 4];
        for low in 0..256u32 {
            if char::from_u32((code & !0xff) | low).is_some_and(asked) {
                bits[(low / 64) as usize] |= 1 << (low % 64);
            }
        }
        bits
    });
    let low = code & 0xff;
    bits[(low / 64) as usize] & (1 << (low % 64)) != 0
}

/// Chunks handed to the sink: large enough that a call per chunk costs nothing,
/// small enough to stay in the cache.
const CHUNK: usize = 64 * 1024;

/// Four spaces per level; sessions nest six levels deep, the log a little more.
const SPACES: &[u8] = b"                                                ";

struct Out<'a, S: Sink> {
    buf: Vec<u8>,
    sink: &'a mut S,
    ok: bool,
}

impl<S: Sink> Out<'_, S> {
    fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.ok && !self.buf.is_empty() {
            self.ok = self.sink.take(&self.buf);
        }
        self.buf.clear();
    }

    fn indent(&mut self, level: usize) {
        // Deeper than SPACES only in a hand-made log (a withdrawal of a
        // withdrawal of …): written all the same, as ron writes it.
        let mut n = level * 4;
        while n > 0 {
            let part = n.min(SPACES.len());
            self.raw(&SPACES[..part]);
            n -= part;
        }
    }

    /// `<indent>name: `
    fn key(&mut self, level: usize, name: &str) {
        self.indent(level);
        self.raw(name.as_bytes());
        self.raw(b": ");
    }

    fn number(&mut self, value: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut v = value;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.raw(&digits[i..]);
    }

    /// A string as ron writes it with `escape_strings`: every character through
    /// `char::escape_debug`. Runs of characters it leaves alone are copied whole.
    fn string(&mut self, text: &str) {
        self.raw(b"\"");
        let bytes = text.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if PLAIN_ASCII[usize::from(b)] {
                i += 1;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            if !c.is_ascii() && !escaped(c) {
                i += c.len_utf8();
                continue;
            }
            self.raw(&bytes[run..i]);
            let mut scalar = [0u8; 4];
            for e in c.escape_debug() {
                self.raw(e.encode_utf8(&mut scalar).as_bytes());
            }
            i += c.len_utf8();
            run = i;
        }
        self.raw(&bytes[run..]);
        self.raw(b"\"");
    }

    /// A record ID as its `Display` writes it: the prefix and at least three digits.
    fn id(&mut self, prefix: &[u8], number: u32) {
        self.raw(b"\"");
        self.raw(prefix);
        if number < 100 {
            self.raw(if number < 10 { b"00" } else { b"0" });
        }
        self.number(number);
        self.raw(b"\"");
    }

    fn field_id(&mut self, level: usize, name: &str, prefix: &[u8], number: u32) {
        self.key(level, name);
        self.id(prefix, number);
        self.raw(b",\n");
    }

    fn display(&mut self, value: impl std::fmt::Display) {
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.string(&text);
    }

    fn field_number(&mut self, level: usize, name: &str, value: u32) {
        self.key(level, name);
        self.number(value);
        self.raw(b",\n");
    }

    fn field_string(&mut self, level: usize, name: &str, value: &str) {
        self.key(level, name);
        self.string(value);
        self.raw(b",\n");
    }

    fn field_display(&mut self, level: usize, name: &str, value: impl std::fmt::Display) {
        self.key(level, name);
        self.display(value);
        self.raw(b",\n");
    }

    fn field_ident(&mut self, level: usize, name: &str, ident: &str) {
        self.key(level, name);
        self.raw(ident.as_bytes());
        self.raw(b",\n");
    }

    fn field_option(&mut self, level: usize, name: &str, value: Option<u8>) {
        self.key(level, name);
        match value {
            Some(v) => {
                self.raw(b"Some(");
                self.number(u32::from(v));
                self.raw(b")");
            }
            None => self.raw(b"None"),
        }
        self.raw(b",\n");
    }

    /// `name: [` … `],` with one element per line, or `name: [],` when empty.
    fn field_list<T>(
        &mut self,
        level: usize,
        name: &str,
        items: &[T],
        mut element: impl FnMut(&mut Self, &T),
    ) {
        self.key(level, name);
        if items.is_empty() {
            self.raw(b"[],\n");
            return;
        }
        self.raw(b"[\n");
        for item in items {
            if !self.ok {
                return;
            }
            element(self, item);
        }
        self.indent(level);
        self.raw(b"],\n");
    }

    /// A struct as a list element or a field value: `(` … `)` with the fields
    /// one level deeper, and the `,` that follows it.
    fn record(&mut self, level: usize, key: Option<&str>, fields: impl FnOnce(&mut Self)) {
        match key {
            Some(name) => self.key(level, name),
            None => self.indent(level),
        }
        self.raw(b"(\n");
        fields(self);
        self.indent(level);
        self.raw(b"),\n");
    }
}

pub(crate) fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Plan => "Plan",
        Stage::Do => "Do",
        Stage::Check => "Check",
        Stage::Act => "Act",
    }
}

pub(crate) fn category_name(category: Category) -> &'static str {
    match category {
        Category::Hardware => "Hardware",
        Category::Software => "Software",
        Category::Service => "Service",
        Category::Network => "Network",
        Category::Information => "Information",
        Category::People => "People",
        Category::Site => "Site",
    }
}

/// The serde names (`InProgress`), not the names people read (`In progress`).
pub(crate) fn status_name(status: Status) -> &'static str {
    match status {
        Status::Open => "Open",
        Status::InProgress => "InProgress",
        Status::Done => "Done",
        Status::Verified => "Verified",
    }
}

pub(crate) fn decision_name(decision: Decision) -> &'static str {
    match decision {
        Decision::Undecided => "Undecided",
        Decision::Reduce => "Reduce",
        Decision::Accept => "Accept",
        Decision::Avoid => "Avoid",
        Decision::Transfer => "Transfer",
    }
}

fn treatment<S: Sink>(o: &mut Out<S>, level: usize, t: &Treatment) {
    o.record(level, Some("treatment"), |o| {
        let l = level + 1;
        o.field_ident(l, "decision", decision_name(t.decision));
        o.field_string(l, "action", &t.action);
        o.field_string(l, "owner", &t.owner);
        match t.due {
            Some(date) => o.field_display(l, "due", date),
            None => o.field_string(l, "due", ""),
        }
        o.field_ident(l, "status", status_name(t.status));
        o.field_string(l, "action_taken", &t.action_taken);
        o.field_option(l, "revised_severity", t.revised_severity);
        o.field_option(l, "revised_occurrence", t.revised_occurrence);
        o.field_option(l, "revised_detection", t.revised_detection);
    });
}

pub(crate) fn control_state_name(state: ControlState) -> &'static str {
    match state {
        ControlState::Existing => "Existing",
        ControlState::Planned => "Planned",
    }
}

/// The linked controls that end a record, when there are any.
fn annex_a<S: Sink>(o: &mut Out<S>, level: usize, links: &[ControlLink]) {
    if links.is_empty() {
        return;
    }
    o.field_list(level, "annex_a", links, |o, link| {
        o.record(level + 1, None, |o| {
            let l = level + 2;
            o.field_string(l, "id", &link.id);
            o.field_ident(l, "state", control_state_name(link.state));
        });
    });
}

fn stage_change<S: Sink>(o: &mut Out<S>, level: usize, c: &StageChange) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_display(l, "at", c.at);
        o.field_number(l, "cycle", c.cycle);
        o.field_ident(l, "stage", stage_name(c.stage));
    });
}

fn snapshot<S: Sink>(o: &mut Out<S>, level: usize, f: &FailureModeSnapshot) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_id(l, "id", b"FM-", f.id.0);
        o.field_number(l, "severity", u32::from(f.severity));
        o.field_number(l, "occurrence", u32::from(f.occurrence));
        o.field_number(l, "detection", u32::from(f.detection));
        if !f.treatment.is_empty() {
            treatment(o, l, &f.treatment);
        }
        annex_a(o, l, &f.annex_a);
        record::sign_off(o, l, f.sign_off.as_deref());
    });
}

fn cycle_record<S: Sink>(o: &mut Out<S>, level: usize, r: &CycleRecord) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_number(l, "cycle", r.cycle);
        o.field_display(l, "closed", r.closed);
        o.field_list(l, "failure_modes", &r.failure_modes, |o, f| {
            snapshot(o, l + 1, f)
        });
    });
}

fn asset<S: Sink>(o: &mut Out<S>, level: usize, a: &Asset) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_id(l, "id", b"A-", a.id.0);
        o.field_string(l, "name", &a.name);
        o.field_ident(l, "category", category_name(a.category));
        o.field_string(l, "owner", &a.owner);
        o.field_string(l, "location", &a.location);
        o.field_string(l, "description", &a.description);
        o.field_number(l, "confidentiality", u32::from(a.confidentiality));
        o.field_number(l, "integrity", u32::from(a.integrity));
        o.field_number(l, "availability", u32::from(a.availability));
    });
}

fn failure_mode<S: Sink>(o: &mut Out<S>, level: usize, f: &FailureMode) {
    o.record(level, None, |o| {
        let l = level + 1;
        o.field_id(l, "id", b"FM-", f.id.0);
        match f.asset {
            Some(id) => o.field_id(l, "asset", b"A-", id.0),
            None => o.field_string(l, "asset", ""),
        }
        match f.process {
            Some(id) => o.field_id(l, "process", b"PR-", id.0),
            None => o.field_string(l, "process", ""),
        }
        o.field_string(l, "mode", &f.mode);
        o.field_string(l, "effect", &f.effect);
        o.field_string(l, "cause", &f.cause);
        o.field_string(l, "controls", &f.controls);
        o.field_number(l, "severity", u32::from(f.severity));
        o.field_number(l, "occurrence", u32::from(f.occurrence));
        o.field_number(l, "detection", u32::from(f.detection));
        if !f.treatment.is_empty() {
            treatment(o, l, &f.treatment);
        }
        annex_a(o, l, &f.annex_a);
        record::sign_off(o, l, f.sign_off.as_deref());
    });
}

pub(crate) fn step_status_name(status: StepStatus) -> &'static str {
    match status {
        StepStatus::NotStarted => "NotStarted",
        StepStatus::InProgress => "InProgress",
        StepStatus::Done => "Done",
        StepStatus::NotApplicable => "NotApplicable",
    }
}

pub(crate) fn document_status_name(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Missing => "Missing",
        DocumentStatus::Draft => "Draft",
        DocumentStatus::Approved => "Approved",
    }
}

/// The ISMS programme, written only when something is recorded in it.
fn programme<S: Sink>(o: &mut Out<S>, p: &Programme) {
    if p.is_empty() {
        return;
    }
    let date = |o: &mut Out<S>, level, name, date: Option<jiff::civil::Date>| match date {
        Some(date) => o.field_display(level, name, date),
        None => o.field_string(level, name, ""),
    };
    o.record(1, Some("programme"), |o| {
        o.field_list(2, "roadmap", &p.roadmap, |o, r: &StepRecord| {
            o.record(3, None, |o| {
                o.field_number(4, "step", u32::from(r.step));
                o.field_ident(4, "status", step_status_name(r.status));
                o.field_string(4, "owner", &r.owner);
                date(o, 4, "due", r.due);
                o.field_string(4, "evidence", &r.evidence);
                o.field_string(4, "note", &r.note);
            });
        });
        o.field_list(2, "documents", &p.documents, |o, r: &DocumentRecord| {
            o.record(3, None, |o| {
                o.field_string(4, "clause", &r.clause);
                o.field_ident(4, "status", document_status_name(r.status));
                o.field_string(4, "owner", &r.owner);
                o.field_string(4, "evidence", &r.evidence);
                date(o, 4, "last_review", r.last_review);
            });
        });
    });
}

pub(crate) fn side_name(side: Side) -> &'static str {
    match side {
        Side::Ours => "Ours",
        Side::Theirs => "Theirs",
    }
}

/// The merge conflicts still to decide, written only when there are any.
fn conflicts<S: Sink>(o: &mut Out<S>, conflicts: &[Conflict]) {
    if conflicts.is_empty() {
        return;
    }
    let text = |o: &mut Out<S>, name, value: &Option<String>| {
        o.key(3, name);
        match value {
            Some(v) => {
                o.raw(b"Some(");
                o.string(v);
                o.raw(b")");
            }
            None => o.raw(b"None"),
        }
        o.raw(b",\n");
    };
    o.field_list(1, "conflicts", conflicts, |o, c| {
        o.record(2, None, |o| {
            o.field_string(3, "part", &c.part);
            o.field_string(3, "record", &c.record);
            o.field_string(3, "field", &c.field);
            text(o, "base", &c.base);
            text(o, "ours", &c.ours);
            text(o, "theirs", &c.theirs);
            o.field_ident(3, "held", side_name(c.held));
        });
    });
}

/// Writes the canonical text of `session`, records in the order they are in, to
/// `sink`. `false` when the sink stopped it.
pub(crate) fn write<S: Sink>(session: &Session, sink: &mut S) -> bool {
    let mut o = Out {
        buf: Vec::with_capacity(CHUNK + 4096),
        sink,
        ok: true,
    };
    let s = session;
    o.raw(b"(\n");
    o.field_number(1, "format", s.format);
    o.field_string(1, "title", &s.title);
    o.field_string(1, "organisation", &s.organisation);
    o.field_string(1, "scope", &s.scope);
    o.field_string(1, "facilitator", &s.facilitator);
    record::details(&mut o, s);
    o.record(1, Some("threshold"), |o| {
        o.field_number(2, "rpn", u32::from(s.threshold.rpn));
        o.field_ident(
            2,
            "ap_high",
            if s.threshold.ap_high { "true" } else { "false" },
        );
    });
    if s.name_voters {
        o.field_ident(1, "name_voters", "true");
    }
    o.record(1, Some("pdca"), |o| {
        o.field_number(2, "cycle", s.pdca.cycle);
        o.field_ident(2, "stage", stage_name(s.pdca.stage));
        o.field_list(2, "history", &s.pdca.history, |o, c| stage_change(o, 3, c));
        o.field_list(2, "closed_cycles", &s.pdca.closed_cycles, |o, r| {
            cycle_record(o, 3, r)
        });
    });
    o.field_list(1, "assets", &s.assets, |o, a| asset(o, 2, a));
    o.field_list(1, "processes", &s.processes, |o, p| {
        record::process(o, 2, p)
    });
    o.field_list(1, "failure_modes", &s.failure_modes, |o, f| {
        failure_mode(o, 2, f)
    });
    record::log(&mut o, &s.log);
    o.record(1, Some("next_ids"), |o| {
        o.field_number(2, "asset", s.next_ids.asset);
        o.field_number(2, "failure_mode", s.next_ids.failure_mode);
        o.field_number(2, "process", s.next_ids.process);
    });
    programme(&mut o, &s.programme);
    conflicts(&mut o, &s.conflicts);
    o.raw(b")\n");
    o.flush();
    o.ok
}

/// The canonical text as a string.
pub(crate) fn to_string(session: &Session) -> String {
    let mut bytes = Vec::new();
    write(session, &mut bytes);
    // Only `&str`s and ASCII were written.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether `bytes` are exactly the canonical text of `session`.
pub(crate) fn is_text_of(session: &Session, bytes: &[u8]) -> bool {
    is_text_of_parts(session, vec![bytes])
}

/// Whether `parts`, one after the other, are exactly the canonical text of `session`.
pub(crate) fn is_text_of_parts(session: &Session, parts: Vec<&[u8]>) -> bool {
    let mut compare = Compare::of_parts(parts);
    write(session, &mut compare) && compare.is_complete()
}

/// Whether `bytes` are exactly the lines that `records` make in the list of
/// failure modes of a session's canonical text.
pub(crate) fn is_text_of_failure_modes(records: &[FailureMode], bytes: &[u8]) -> bool {
    let mut compare = Compare::new(bytes);
    let mut o = Out {
        buf: Vec::with_capacity(CHUNK + 4096),
        sink: &mut compare,
        ok: true,
    };
    for f in records {
        if !o.ok {
            break;
        }
        failure_mode(&mut o, 2, f);
    }
    o.flush();
    o.ok && compare.is_complete()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_answers_are_escape_debug_s_for_every_character() {
        for code in 0..=0x10ffffu32 {
            if let Some(c) = char::from_u32(code) {
                let mut e = c.escape_debug();
                let unchanged = e.next() == Some(c) && e.next().is_none();
                if c.is_ascii() {
                    assert_eq!(PLAIN_ASCII[code as usize], unchanged, "{code:#x}");
                } else {
                    assert_eq!(escaped(c), !unchanged, "{code:#x}");
                }
            }
        }
    }
}
