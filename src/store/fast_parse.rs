//! A reader for session files in canonical form (as riskroom writes them), ten
//! times faster than the `ron` crate on a large file.
//!
//! It expects the exact layout [`super::canonical`] writes and gives up (`None`)
//! on anything else, leaving the file to the `ron` parser, which also gives every
//! message about a broken file. What it reads is trusted only after the session
//! has been written again, into a comparison with the file's bytes, and matched
//! them all: so a mistake here can cost time, never change data.

mod record;

use crate::domain::annex_a::{ControlLink, ControlState};
use crate::domain::asset::Category;
use crate::domain::conflict::{Conflict, Side};
use crate::domain::pdca::{CycleRecord, FailureModeSnapshot, Pdca, Stage, StageChange};
use crate::domain::programme::{DocumentRecord, DocumentStatus, Programme, StepRecord, StepStatus};
use crate::domain::session::{FORMAT, NextIds};
use crate::domain::threshold::Threshold;
use crate::domain::treatment::{Decision, Status, Treatment};
use crate::domain::{Asset, AssetId, FailureMode, FailureModeId, Session, SignOff};

use super::canonical::{
    category_name, control_state_name, decision_name, document_status_name, side_name, stage_name,
    status_name, step_status_name,
};

/// The session in `text`, if `text` is exactly its canonical form.
pub(crate) fn parse(text: &str) -> Option<Session> {
    parse_split(text, SPLIT_AT_LEAST)
}

/// From this many bytes of failure modes on, two threads read them, each half
/// (below it a thread costs more than it saves).
const SPLIT_AT_LEAST: usize = 4 << 20;

/// Where a failure mode starts in canonical text. Strings there cannot hold a
/// line break (it is written `\n`), so this is found nowhere else; and if it
/// were, the halves would not read or not match, and one thread reads it all.
const RECORD_START: &[u8] = b"\n        (\n            id: \"FM-";

/// [`parse`], reading the failure modes in two halves on two threads when there
/// are `split_at_least` bytes of them or more (tests split small files too).
pub(crate) fn parse_split(text: &str, split_at_least: usize) -> Option<Session> {
    let mut reader = Reader { text, at: 0 };
    let mut session = reader.head()?;
    reader.key(1, "failure_modes")?;
    if reader.literal(b"[],\n").is_none() {
        reader.literal(b"[\n")?;
        let start = reader.at;
        if let Some(split) = split_point(text, start, split_at_least) {
            // Canonical text always reads in halves; text that does not is
            // not canonical, and goes to `ron` without a second try here.
            let (first, second, end) = read_halves(text, start, split)?;
            // The file is proven in two parts as well: the session with the
            // first half of the failure modes is the text less the second half,
            // and the second half's records are exactly their lines.
            reader.at = end;
            reader.list_end(1)?;
            reader.tail(&mut session)?;
            session.failure_modes = first;
            let bytes = text.as_bytes();
            let parts = vec![bytes.get(..split)?, bytes.get(end..)?];
            if !super::canonical::is_text_of_parts(&session, parts) {
                return None;
            }
            session.failure_modes.extend(second);
            return Some(session);
        }
        session.failure_modes = reader.records(|r| r.at < text.len())?;
        reader.list_end(1)?;
    }
    reader.tail(&mut session)?;
    super::canonical::is_text_of(&session, text.as_bytes()).then_some(session)
}

/// Where the second half of the failure modes starts, if they are worth halving.
fn split_point(text: &str, start: usize, split_at_least: usize) -> Option<usize> {
    let left = text.len().checked_sub(start)?;
    if left < split_at_least.max(1) {
        return None;
    }
    let middle = start + left / 2;
    let found = memchr::memmem::find(text.as_bytes().get(middle..)?, RECORD_START)?;
    Some(middle + found + 1)
}

/// Reads the failure modes from `start` to `split` here and from `split` to the
/// end of the list on another thread, which also proves its half against the
/// text. Both halves and where the list ends (at its closing `],`).
fn read_halves(
    text: &str,
    start: usize,
    split: usize,
) -> Option<(Vec<FailureMode>, Vec<FailureMode>, usize)> {
    std::thread::scope(|scope| {
        let second = scope.spawn(move || {
            let mut reader = Reader { text, at: split };
            let records = reader.records(|r| {
                let here = r.at;
                let end = r.indent(1).is_some() && r.peek(b"],\n");
                r.at = here;
                !end
            })?;
            let end = reader.at;
            let proven = super::canonical::is_text_of_failure_modes(
                &records,
                text.as_bytes().get(split..end)?,
            );
            proven.then_some((records, end))
        });
        let mut reader = Reader { text, at: start };
        let first = reader.records(|r| r.at < split);
        let (second, end) = second.join().ok()??;
        let first = first.filter(|_| reader.at == split)?;
        Some((first, second, end))
    })
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    fn peek(&self, literal: &[u8]) -> bool {
        self.bytes().get(self.at..self.at + literal.len()) == Some(literal)
    }

    fn literal(&mut self, literal: &[u8]) -> Option<()> {
        self.peek(literal).then(|| self.at += literal.len())
    }

    fn indent(&mut self, level: usize) -> Option<()> {
        let n = level * 4;
        let spaces = self.bytes().get(self.at..self.at + n)?;
        spaces.iter().all(|b| *b == b' ').then(|| self.at += n)
    }

    /// `<indent>name: `
    fn key(&mut self, level: usize, name: &str) -> Option<()> {
        self.indent(level)?;
        self.literal(name.as_bytes())?;
        self.literal(b": ")
    }

    fn end_field(&mut self) -> Option<()> {
        self.literal(b",\n")
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        let mut value: u32 = 0;
        while let Some(b) = self.bytes().get(self.at).filter(|b| b.is_ascii_digit()) {
            value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
            self.at += 1;
        }
        (self.at > start).then_some(value)
    }

    fn small(&mut self) -> Option<u8> {
        u8::try_from(self.number()?).ok()
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.at;
        while self
            .bytes()
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            self.at += 1;
        }
        self.text.get(start..self.at)
    }

    /// A quoted string with the escapes `char::escape_debug` writes.
    fn string(&mut self) -> Option<String> {
        self.literal(b"\"")?;
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut i = start + memchr::memchr2(b'"', b'\\', bytes.get(start..)?)?;
        if bytes.get(i) == Some(&b'"') {
            let s = self.text.get(start..i)?.to_owned();
            self.at = i + 1;
            return Some(s);
        }
        // Escapes: rare, so built up char by char.
        let mut out = self.text.get(start..i)?.to_owned();
        loop {
            let b = *bytes.get(i)?;
            match b {
                b'"' => {
                    self.at = i + 1;
                    return Some(out);
                }
                b'\\' => {
                    let (c, used) = unescape(bytes.get(i + 1..)?)?;
                    out.push(c);
                    i += 1 + used;
                }
                _ => {
                    let c = self.text.get(i..)?.chars().next()?;
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    fn field_number(&mut self, level: usize, name: &str) -> Option<u32> {
        self.key(level, name)?;
        let value = self.number()?;
        self.end_field()?;
        Some(value)
    }

    fn field_small(&mut self, level: usize, name: &str) -> Option<u8> {
        u8::try_from(self.field_number(level, name)?).ok()
    }

    fn field_string(&mut self, level: usize, name: &str) -> Option<String> {
        self.key(level, name)?;
        let value = self.string()?;
        self.end_field()?;
        Some(value)
    }

    /// A string without escapes, borrowed from the text (IDs, timestamps).
    fn plain_string(&mut self) -> Option<&str> {
        self.literal(b"\"")?;
        let start = self.at;
        let end = start + memchr::memchr2(b'"', b'\\', self.bytes().get(start..)?)?;
        if self.bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    fn field_parsed<T: std::str::FromStr>(&mut self, level: usize, name: &str) -> Option<T> {
        self.key(level, name)?;
        let value = self.plain_string()?.parse().ok()?;
        self.end_field()?;
        Some(value)
    }

    fn field_ident<T>(
        &mut self,
        level: usize,
        name: &str,
        of: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.key(level, name)?;
        let value = of(self.ident()?)?;
        self.end_field()?;
        Some(value)
    }

    fn field_option(&mut self, level: usize, name: &str) -> Option<Option<u8>> {
        self.key(level, name)?;
        let value = if self.literal(b"None").is_some() {
            None
        } else {
            self.literal(b"Some(")?;
            let v = self.small()?;
            self.literal(b")")?;
            Some(v)
        };
        self.end_field()?;
        Some(value)
    }

    /// `name: [],` or `name: [` with one element per line and `],`.
    fn field_list<T>(
        &mut self,
        level: usize,
        name: &str,
        element: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.list(level, name, true, element)
    }

    /// A list; with `room_ahead`, once the first element is read, room for as
    /// many as the rest of the text could hold (for the long lists).
    fn list<T>(
        &mut self,
        level: usize,
        name: &str,
        room_ahead: bool,
        mut element: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.key(level, name)?;
        if self.literal(b"[],\n").is_some() {
            return Some(Vec::new());
        }
        self.literal(b"[\n")?;
        let mut items = Vec::new();
        loop {
            let here = self.at;
            if self.indent(level).is_some() && self.literal(b"],\n").is_some() {
                items.shrink_to_fit();
                return Some(items);
            }
            self.at = here;
            items.push(element(self)?);
            if room_ahead && items.len() == 1 {
                // Records are alike in length: room for as many as the rest of
                // the text could hold saves the copies of a growing list of
                // 100,000 records (what is left over is given back above).
                let first = (self.at - here).max(1);
                items.reserve(self.text.len().saturating_sub(self.at) / first);
            }
        }
    }

    /// Opens a struct: `<indent>(` or `<indent>name: (`, then a line break.
    fn open(&mut self, level: usize, key: Option<&str>) -> Option<()> {
        match key {
            Some(name) => self.key(level, name)?,
            None => self.indent(level)?,
        }
        self.literal(b"(\n")
    }

    fn close(&mut self, level: usize) -> Option<()> {
        self.indent(level)?;
        self.literal(b"),\n")
    }

    fn treatment(&mut self, level: usize) -> Option<Treatment> {
        self.open(level, Some("treatment"))?;
        let l = level + 1;
        let decision = self.field_ident(l, "decision", |s| {
            Decision::ALL.into_iter().find(|d| decision_name(*d) == s)
        })?;
        let action = self.field_string(l, "action")?;
        let owner = self.field_string(l, "owner")?;
        let due = self.field_date(l, "due")?;
        let status = self.field_ident(l, "status", |s| {
            Status::ALL.into_iter().find(|d| status_name(*d) == s)
        })?;
        let action_taken = self.field_string(l, "action_taken")?;
        let revised_severity = self.field_option(l, "revised_severity")?;
        let revised_occurrence = self.field_option(l, "revised_occurrence")?;
        let revised_detection = self.field_option(l, "revised_detection")?;
        self.close(level)?;
        Some(Treatment {
            decision,
            action,
            owner,
            due,
            status,
            action_taken,
            revised_severity,
            revised_occurrence,
            revised_detection,
        })
    }

    /// The treatment, the linked controls and the sign-off that close a
    /// record, each if there is one, then the record's end.
    fn record_end(
        &mut self,
        level: usize,
    ) -> Option<(Treatment, Vec<ControlLink>, Option<Box<SignOff>>)> {
        let treatment = if self.next_key(level + 1, b"treatment: ") {
            self.treatment(level + 1)?
        } else {
            Treatment::default()
        };
        let links = if self.next_key(level + 1, b"annex_a: ") {
            self.annex_a(level + 1)?
        } else {
            Vec::new()
        };
        let sign_off = if self.next_key(level + 1, b"sign_off: ") {
            Some(Box::new(self.sign_off(level + 1)?))
        } else {
            None
        };
        self.close(level)?;
        Some((treatment, links, sign_off))
    }

    /// Whether the next line is the field `key` at `level` (nothing is read).
    fn next_key(&mut self, level: usize, key: &[u8]) -> bool {
        let here = self.at;
        let found = self.indent(level).is_some() && self.peek(key);
        self.at = here;
        found
    }

    /// `annex_a: [` … `],` with at least one link (an empty list is not written).
    /// Not [`Self::field_list`]: its room for the rest of the file is for long lists.
    fn annex_a(&mut self, level: usize) -> Option<Vec<ControlLink>> {
        self.key(level, "annex_a")?;
        self.literal(b"[\n")?;
        let mut links = Vec::new();
        loop {
            let here = self.at;
            if self.indent(level).is_some() && self.literal(b"],\n").is_some() {
                break;
            }
            self.at = here;
            self.open(level + 1, None)?;
            let l = level + 2;
            let id = self.field_string(l, "id")?;
            let state = self.field_ident(l, "state", |s| {
                [ControlState::Existing, ControlState::Planned]
                    .into_iter()
                    .find(|c| control_state_name(*c) == s)
            })?;
            self.close(level + 1)?;
            links.push(ControlLink { id, state });
        }
        (!links.is_empty()).then_some(links)
    }

    fn stage(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| stage_name(*x) == s)
    }

    fn stage_change(&mut self, level: usize) -> Option<StageChange> {
        self.open(level, None)?;
        let l = level + 1;
        let at = self.field_parsed(l, "at")?;
        let cycle = self.field_number(l, "cycle")?;
        let stage = self.field_ident(l, "stage", Self::stage)?;
        self.close(level)?;
        Some(StageChange { at, cycle, stage })
    }

    fn snapshot(&mut self, level: usize) -> Option<FailureModeSnapshot> {
        self.open(level, None)?;
        let l = level + 1;
        let id = self.field_parsed(l, "id")?;
        let severity = self.field_small(l, "severity")?;
        let occurrence = self.field_small(l, "occurrence")?;
        let detection = self.field_small(l, "detection")?;
        let (treatment, annex_a, sign_off) = self.record_end(level)?;
        Some(FailureModeSnapshot {
            id,
            severity,
            occurrence,
            detection,
            treatment,
            annex_a,
            sign_off,
        })
    }

    fn cycle_record(&mut self, level: usize) -> Option<CycleRecord> {
        self.open(level, None)?;
        let l = level + 1;
        let cycle = self.field_number(l, "cycle")?;
        let closed = self.field_parsed(l, "closed")?;
        let failure_modes = self.field_list(l, "failure_modes", |r| r.snapshot(l + 1))?;
        self.close(level)?;
        Some(CycleRecord {
            cycle,
            closed,
            failure_modes,
        })
    }

    fn asset(&mut self, level: usize) -> Option<Asset> {
        self.open(level, None)?;
        let l = level + 1;
        let id: AssetId = self.field_parsed(l, "id")?;
        let name = self.field_string(l, "name")?;
        let category = self.field_ident(l, "category", |s| {
            Category::ALL.into_iter().find(|c| category_name(*c) == s)
        })?;
        let owner = self.field_string(l, "owner")?;
        let location = self.field_string(l, "location")?;
        let description = self.field_string(l, "description")?;
        let confidentiality = self.field_small(l, "confidentiality")?;
        let integrity = self.field_small(l, "integrity")?;
        let availability = self.field_small(l, "availability")?;
        self.close(level)?;
        Some(Asset {
            id,
            name,
            category,
            owner,
            location,
            description,
            confidentiality,
            integrity,
            availability,
        })
    }

    fn failure_mode(&mut self, level: usize) -> Option<FailureMode> {
        self.open(level, None)?;
        let l = level + 1;
        let id: FailureModeId = self.field_parsed(l, "id")?;
        self.key(l, "asset")?;
        let asset = match self.plain_string()? {
            "" => None,
            text => Some(text.parse().ok()?),
        };
        self.end_field()?;
        let process = self.field_optional_process(l, "process")?;
        let mode = self.field_string(l, "mode")?;
        let effect = self.field_string(l, "effect")?;
        let cause = self.field_string(l, "cause")?;
        let controls = self.field_string(l, "controls")?;
        let severity = self.field_small(l, "severity")?;
        let occurrence = self.field_small(l, "occurrence")?;
        let detection = self.field_small(l, "detection")?;
        let (treatment, annex_a, sign_off) = self.record_end(level)?;
        Some(FailureMode {
            id,
            asset,
            process,
            mode,
            effect,
            cause,
            controls,
            severity,
            occurrence,
            detection,
            treatment,
            annex_a,
            sign_off,
        })
    }

    /// Everything before the failure modes; their list is left empty.
    fn head(&mut self) -> Option<Session> {
        self.literal(b"(\n")?;
        let format = self.field_number(1, "format")?;
        // Another format is the `ron` path's to refuse, with its message.
        if format != FORMAT {
            return None;
        }
        let title = self.field_string(1, "title")?;
        let organisation = self.field_string(1, "organisation")?;
        let scope = self.field_string(1, "scope")?;
        let facilitator = self.field_string(1, "facilitator")?;
        let (dates, participants) = self.details()?;
        self.open(1, Some("threshold"))?;
        let rpn = u16::try_from(self.field_number(2, "rpn")?).ok()?;
        let ap_high = self.boolean(2, "ap_high")?;
        self.close(1)?;
        let name_voters = if self.next_key(1, b"name_voters: ") {
            self.boolean(1, "name_voters")?
        } else {
            false
        };
        self.open(1, Some("pdca"))?;
        let cycle = self.field_number(2, "cycle")?;
        let stage = self.field_ident(2, "stage", Self::stage)?;
        let history = self.field_list(2, "history", |r| r.stage_change(3))?;
        let closed_cycles = self.field_list(2, "closed_cycles", |r| r.cycle_record(3))?;
        self.close(1)?;
        let assets = self.field_list(1, "assets", |r| r.asset(2))?;
        let processes = self.short_list(1, "processes", |r| r.process(2))?;
        Some(Session {
            format,
            title,
            organisation,
            scope,
            facilitator,
            dates,
            participants,
            threshold: Threshold { rpn, ap_high },
            name_voters,
            pdca: Pdca {
                cycle,
                stage,
                history,
                closed_cycles,
            },
            assets,
            processes,
            failure_modes: Vec::new(),
            log: Vec::new(),
            next_ids: NextIds::default(),
            programme: Programme::default(),
            conflicts: Vec::new(),
        })
    }

    /// Failure modes, one after the other, while `more` says so and until the
    /// list's closing line.
    fn records(&mut self, more: impl Fn(&mut Self) -> bool) -> Option<Vec<FailureMode>> {
        let mut items = Vec::new();
        let begin = self.at;
        while more(self) {
            let here = self.at;
            if self.indent(1).is_some() && self.peek(b"],\n") {
                self.at = here;
                break;
            }
            self.at = here;
            items.push(self.failure_mode(2)?);
            if items.len() == 1 {
                // See `field_list`: room for the rest, judged by the first.
                let first = (self.at - begin).max(1);
                items.reserve(self.text.len().saturating_sub(self.at) / first);
            }
        }
        items.shrink_to_fit();
        Some(items)
    }

    fn list_end(&mut self, level: usize) -> Option<()> {
        self.indent(level)?;
        self.literal(b"],\n")
    }

    /// Everything after the failure modes (the log, the ID counters), to the
    /// end of the text.
    fn tail(&mut self, session: &mut Session) -> Option<()> {
        session.log = self.log()?;
        self.open(1, Some("next_ids"))?;
        session.next_ids = NextIds {
            asset: self.field_number(2, "asset")?,
            failure_mode: self.field_number(2, "failure_mode")?,
            process: self.field_number(2, "process")?,
        };
        self.close(1)?;
        if self.next_key(1, b"programme: ") {
            session.programme = self.programme()?;
        }
        if self.next_key(1, b"conflicts: ") {
            session.conflicts = self.conflicts()?;
        }
        self.literal(b")\n")?;
        (self.at == self.text.len()).then_some(())
    }

    /// A date as the session writes it: `""` for none, else `YYYY-MM-DD`.
    fn field_date(&mut self, level: usize, name: &str) -> Option<Option<jiff::civil::Date>> {
        let text = self.field_string(level, name)?;
        if text.is_empty() {
            Some(None)
        } else {
            Some(Some(text.parse().ok()?))
        }
    }

    /// `name: Some("…"),` or `name: None,`.
    fn field_optional_string(&mut self, level: usize, name: &str) -> Option<Option<String>> {
        self.key(level, name)?;
        let value = if self.literal(b"None").is_some() {
            None
        } else {
            self.literal(b"Some(")?;
            let v = self.string()?;
            self.literal(b")")?;
            Some(v)
        };
        self.end_field()?;
        Some(value)
    }

    /// The merge conflicts still to decide (written only when there are any).
    fn conflicts(&mut self) -> Option<Vec<Conflict>> {
        let conflicts = self.field_list(1, "conflicts", |r| {
            r.open(2, None)?;
            let part = r.field_string(3, "part")?;
            let record = r.field_string(3, "record")?;
            let field = r.field_string(3, "field")?;
            let base = r.field_optional_string(3, "base")?;
            let ours = r.field_optional_string(3, "ours")?;
            let theirs = r.field_optional_string(3, "theirs")?;
            let held = r.field_ident(3, "held", |s| {
                Side::ALL.into_iter().find(|x| side_name(*x) == s)
            })?;
            r.close(2)?;
            Some(Conflict {
                part,
                record,
                field,
                base,
                ours,
                theirs,
                held,
            })
        })?;
        (!conflicts.is_empty()).then_some(conflicts)
    }

    /// The ISMS programme (written only when something is recorded in it).
    fn programme(&mut self) -> Option<Programme> {
        self.open(1, Some("programme"))?;
        let roadmap = self.field_list(2, "roadmap", |r| {
            r.open(3, None)?;
            let step = r.field_small(4, "step")?;
            let status = r.field_ident(4, "status", |s| {
                StepStatus::ALL
                    .into_iter()
                    .find(|x| step_status_name(*x) == s)
            })?;
            let owner = r.field_string(4, "owner")?;
            let due = r.field_date(4, "due")?;
            let evidence = r.field_string(4, "evidence")?;
            let note = r.field_string(4, "note")?;
            r.close(3)?;
            Some(StepRecord {
                step,
                status,
                owner,
                due,
                evidence,
                note,
            })
        })?;
        let documents = self.field_list(2, "documents", |r| {
            r.open(3, None)?;
            let clause = r.field_string(4, "clause")?;
            let status = r.field_ident(4, "status", |s| {
                DocumentStatus::ALL
                    .into_iter()
                    .find(|x| document_status_name(*x) == s)
            })?;
            let owner = r.field_string(4, "owner")?;
            let evidence = r.field_string(4, "evidence")?;
            let last_review = r.field_date(4, "last_review")?;
            r.close(3)?;
            Some(DocumentRecord {
                clause,
                status,
                owner,
                evidence,
                last_review,
            })
        })?;
        self.close(1)?;
        Some(Programme { roadmap, documents })
    }
}

/// One escape after a backslash, as `char::escape_debug` writes them: the char
/// and how many bytes after the backslash it used.
fn unescape(after: &[u8]) -> Option<(char, usize)> {
    let simple = match after.first()? {
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'0' => '\0',
        b'\\' => '\\',
        b'"' => '"',
        b'\'' => '\'',
        b'u' => {
            // \u{XXXX}
            let close = after.iter().take(12).position(|b| *b == b'}')?;
            let hex = std::str::from_utf8(after.get(2..close)?).ok()?;
            if after.get(1) != Some(&b'{') {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, close + 1));
        }
        _ => return None,
    };
    Some((simple, 1))
}
