//! `riskroom isms SESSION`: the ISMS programme in three parts (roadmap, mandatory
//! documents, control groups), for a terminal (lines wrapped to its width) or a
//! pipe (one record a line, nothing cut, for grep and files).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use jiff::civil::Date;

use super::Failure;
use crate::domain::Session;
use crate::domain::annex_a::ControlGroup;
use crate::domain::programme::capitalised;
use crate::domain::programme::coverage::{ControlUse, coverage};
use crate::domain::programme::documents::{Standing, documents, evidence_summary};
use crate::domain::programme::roadmap::roadmap;
use crate::store;
use crate::tui::view::text;

pub fn run(path: &Path, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let session = store::load(path)?;
    let stdout = std::io::stdout();
    let width = stdout
        .is_terminal()
        .then(|| ratatui::crossterm::terminal::size().ok())
        .flatten()
        .map(|(columns, _)| usize::from(columns).max(40));
    report(&session, jiff::ZonedDateTime::now().date(), width, out)?;
    Ok(ExitCode::SUCCESS)
}

/// Text a file or another user wrote, made safe for a terminal: one line,
/// line breaks and tabs as spaces, escape codes and bidi or zero-width
/// characters shown as visible escapes (`\u{202E}`) by the one terminal-safety
/// function every command and the screen use.
fn safe(text: &str) -> String {
    crate::terminal_text::cell(text).into_owned()
}

/// Writes lines: to a pipe as they are; to a terminal wrapped at its width,
/// where a line's first `prefix` columns (the program's own aligned columns,
/// ASCII) stay as they are and the rest wraps under its own start.
struct Lines<'a, W: Write> {
    out: &'a mut W,
    width: Option<usize>,
}

impl<W: Write> Lines<'_, W> {
    /// `indent` spaces, then `body` (already safe).
    fn line(&mut self, indent: usize, prefix: usize, body: &str) -> std::io::Result<()> {
        let fits = |width: usize| indent + text::width(body) <= width;
        let Some(width) = self.width.filter(|w| !fits(*w)) else {
            return writeln!(self.out, "{:indent$}{body}", "");
        };
        let split = body
            .char_indices()
            .nth(prefix)
            .map_or(body.len(), |(i, _)| i);
        let (head, rest) = body.split_at(split);
        let hang = indent + prefix.max(2);
        let room = width.saturating_sub(hang).max(20);
        let first_room = width.saturating_sub(indent + text::width(head)).max(20);
        let first = text::wrap(rest, first_room);
        let (line_one, more) = first
            .split_first()
            .map_or(("", &[][..]), |(h, r)| (h.as_str(), r));
        writeln!(self.out, "{:indent$}{head}{line_one}", "")?;
        let more = more.join(" ");
        if more.is_empty() {
            return Ok(());
        }
        for part in text::wrap(&more, room) {
            writeln!(self.out, "{:hang$}{part}", "")?;
        }
        Ok(())
    }

    fn blank(&mut self) -> std::io::Result<()> {
        writeln!(self.out)
    }
}

/// `owner X · evidence Y · note Z`, the parts that are filled in.
fn details(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name} {}", safe(value)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The three parts of the programme, as of `today`; `width` is the terminal's,
/// `None` for a pipe.
pub fn report(
    session: &Session,
    today: Date,
    width: Option<usize>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut w = Lines { out, width };
    w.line(0, 0, &format!("ISMS programme: {}", safe(&session.title)))?;
    if !session.organisation.trim().is_empty() {
        w.line(0, 0, &safe(&session.organisation))?;
    }
    w.line(
        0,
        0,
        &format!(
            "As of {today}; PDCA cycle {}, stage {}",
            session.pdca.cycle, session.pdca.stage
        ),
    )?;
    w.blank()?;
    roadmap_part(session, today, &mut w)?;
    w.blank()?;
    documents_part(session, today, &mut w)?;
    w.blank()?;
    groups_part(session, &mut w)
}

fn roadmap_part<W: Write>(session: &Session, today: Date, w: &mut Lines<W>) -> std::io::Result<()> {
    let r = roadmap(session, today);
    w.line(0, 0, &format!("ROADMAP (QISM, 24 steps): {}", r.summary()))?;
    w.blank()?;
    w.line(
        0,
        0,
        &format!(
            "{:>4}  {:<14}  {:<10}   {}",
            "Step", "Status", "Due", "Name"
        ),
    )?;
    for (i, progress) in r.phases.iter().enumerate() {
        let (first, last) = progress.phase.steps();
        if i > 0 {
            w.blank()?;
        }
        w.line(
            0,
            0,
            &format!(
                "{} (steps {first}-{last}): {}",
                progress.phase.name(),
                progress.describe()
            ),
        )?;
        for step in r.steps.iter().filter(|s| s.phase == progress.phase) {
            let record = &step.record;
            let due = record.due.map(|d| d.to_string()).unwrap_or_default();
            w.line(
                0,
                35,
                &format!(
                    "{:>4}  {:<14}  {:<10} {} {}",
                    step.step,
                    record.status.name(),
                    due,
                    if step.overdue { "!" } else { " " },
                    capitalised(step.name)
                ),
            )?;
            let mut notes = Vec::new();
            if step.overdue {
                notes.push(format!("! overdue since {due}"));
            }
            let filled = details(&[
                ("owner", &record.owner),
                ("evidence", &record.evidence),
                ("note", &record.note),
            ]);
            if !filled.is_empty() {
                notes.push(filled);
            }
            if let Some(from_session) = &step.from_session {
                notes.push(from_session.clone());
            }
            for note in notes {
                w.line(6, 0, &note)?;
            }
        }
    }
    Ok(())
}

fn documents_part<W: Write>(
    session: &Session,
    today: Date,
    w: &mut Lines<W>,
) -> std::io::Result<()> {
    let d = documents(session, today);
    w.line(
        0,
        0,
        &format!(
            "MANDATORY DOCUMENTS (ISO/IEC 27001, 14 clauses): {}",
            d.summary()
        ),
    )?;
    w.line(
        0,
        0,
        &format!(
            "The session is the evidence for 6.1.2, 8.2, 8.3 and 6.1.3 d: {}",
            evidence_summary(session)
        ),
    )?;
    w.blank()?;
    w.line(0, 0, "  Clause  Status      Last review    Document")?;
    for row in &d.rows {
        let r = &row.record;
        let flag = match (row.standing, row.review.is_overdue()) {
            (Standing::Missing, _) => "?",
            (_, true) => "!",
            _ => " ",
        };
        w.line(
            0,
            37,
            &format!(
                "  {:<7} {:<11} {:<12} {} {}",
                row.clause.cited(),
                row.standing.name(),
                r.last_review.map(|d| d.to_string()).unwrap_or_default(),
                flag,
                capitalised(row.clause.name)
            ),
        )?;
        let mut notes = Vec::new();
        let review = row.review.describe();
        if !review.is_empty() {
            notes.push(format!("! {review}"));
        }
        let filled = details(&[("owner", &r.owner), ("evidence", &r.evidence)]);
        if !filled.is_empty() {
            notes.push(filled);
        }
        if let Some(evidence) = &row.session {
            notes.push(evidence.text.clone());
        }
        for note in notes {
            w.line(10, 0, &note)?;
        }
    }
    Ok(())
}

/// `A.8.5 Secure authentication (FM-001, FM-003; via A.9.4.2)`
fn control_list(uses: &[&ControlUse], planned: bool) -> String {
    uses.iter()
        .map(|u| {
            let ids = if planned { &u.planned } else { &u.existing };
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            let via = if u.via.is_empty() {
                String::new()
            } else {
                format!("; via {}", u.via.join(", "))
            };
            format!(
                "{} {} ({}{via})",
                u.control.id,
                u.control.title,
                ids.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn groups_part<W: Write>(session: &Session, w: &mut Lines<W>) -> std::io::Result<()> {
    let c = coverage(session);
    let empty: Vec<&str> = c.empty_groups().iter().map(|g| g.name()).collect();
    let head = match empty.len() {
        0 => "every group has a control linked".to_string(),
        1 => format!("no control at all in {}", empty[0]),
        _ => format!("no control at all in {}", empty.join(", ")),
    };
    w.line(
        0,
        0,
        &format!("CONTROL GROUPS (Annex A as in the Statement of Applicability): {head}"),
    )?;
    for group in ControlGroup::ALL {
        let Some(g) = c.group(group) else { continue };
        w.blank()?;
        w.line(0, 0, &format!("{}: {}", group.name(), g.summary()))?;
        let existing: Vec<&ControlUse> = g.existing().collect();
        let planned: Vec<&ControlUse> = g.planned().collect();
        if !existing.is_empty() {
            w.line(
                2,
                10,
                &format!("existing: {}", control_list(&existing, false)),
            )?;
        }
        if !planned.is_empty() {
            w.line(
                2,
                10,
                &format!("planned:  {}", control_list(&planned, true)),
            )?;
        }
    }
    w.blank()?;
    let without = match (c.without_control.len(), c.highest_without_control) {
        (0, _) => "none".to_string(),
        (n, Some((id, rpn))) => format!("{n} (highest untreated RPN {rpn}, {id})"),
        (n, None) => format!("{n} (none left untreated)"),
    };
    w.line(
        0,
        0,
        &format!("Failure modes with no Annex A control linked: {without}"),
    )
}
