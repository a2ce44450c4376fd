//! The workshop's minutes (SPEC 9.1 `riskroom minutes`): Markdown a
//! facilitator can mail after the meeting and an ISO 27001 lead can file as
//! evidence of the risk assessment (8.2) and the treatment decisions (8.3):
//! the details and attendance, what was assessed, the decisions and the risk
//! owners' acceptances (6.1.3 f), the parking lot and the actions, for one
//! PDCA cycle or a range of dates.
//!
//! The same session gives the same bytes (no clock is read; times are UTC),
//! so minutes kept in git diff well. Everything taken from the file goes
//! through [`markdown::inline`]: it cannot make markup, and it is safe to print
//! to a terminal.

mod markdown;

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::domain::log::{Event, FieldChange, LogEntry, TreatmentField, Via};
use crate::domain::ordering::RiskKey;
use crate::domain::{ClassRank, FailureMode, FailureModeId, Session, SignOff, SignOffKind};

use markdown::{cell, inline, table};

/// What the minutes cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One PDCA cycle: what was recorded in it, and its failure modes as they
    /// stand (the current cycle) or stood when it closed.
    Cycle(u32),
    /// The days from `from` to `to` (UTC, both included; open where `None`),
    /// with the failure modes as they stand now.
    Dates {
        from: Option<Date>,
        to: Option<Date>,
    },
}

/// The minutes of `session` for `period`, or why there are none (a cycle the
/// session has not reached).
pub fn minutes(session: &Session, period: Period) -> Result<String, String> {
    if let Period::Cycle(n) = period
        && (n == 0 || n > session.pdca.cycle)
    {
        return Err(format!(
            "there is no cycle {n}: the session is in cycle {} (cycles 1 to {0})",
            session.pdca.cycle
        ));
    }
    if let Period::Dates {
        from: Some(from),
        to: Some(to),
    } = period
        && from > to
    {
        return Err(format!("--from {from} is after --to {to}"));
    }
    let mut m = Minutes {
        s: session,
        period,
        rows: rows(session, period),
        out: String::new(),
    };
    m.details();
    m.attendance();
    m.assessed();
    m.decisions();
    m.acceptances();
    // Issue 13 (rating votes) adds a section here: "Votes", each rating
    // agreed in a vote with the failure mode, the votes cast and their spread,
    // and the value agreed, from the log's vote entries in the period.
    m.facilitators();
    m.pdca();
    Ok(m.out)
}

/// A failure mode as the minutes show it: as it stands, or as it stood when
/// the covered cycle closed (texts are today's; a deleted one says so).
struct Row {
    fm: FailureMode,
    deleted: bool,
}

fn rows(s: &Session, period: Period) -> Vec<Row> {
    let closed = match period {
        Period::Cycle(n) if n < s.pdca.cycle => s.pdca.closed_cycles.iter().find(|r| r.cycle == n),
        _ => None,
    };
    let mut rows: Vec<Row> = match closed {
        Some(record) => record
            .failure_modes
            .iter()
            .map(|snap| {
                let now = s.failure_mode(snap.id);
                let mut fm = now
                    .cloned()
                    .unwrap_or_else(|| FailureMode::new(snap.id, "(deleted since)"));
                (fm.severity, fm.occurrence, fm.detection) =
                    (snap.severity, snap.occurrence, snap.detection);
                fm.treatment = snap.treatment.clone();
                fm.annex_a = snap.annex_a.clone();
                fm.sign_off = snap.sign_off.clone();
                Row {
                    fm,
                    deleted: now.is_none(),
                }
            })
            .collect(),
        None => s
            .failure_modes
            .iter()
            .map(|fm| Row {
                fm: fm.clone(),
                deleted: false,
            })
            .collect(),
    };
    rows.sort_by_key(|r| RiskKey::of(&r.fm));
    rows
}

/// `2026-11-02 10:15 UTC`.
fn when(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn day(at: Timestamp) -> Date {
    at.to_zoned_datetime(TimeZone::UTC).date()
}

struct Minutes<'a> {
    s: &'a Session,
    period: Period,
    rows: Vec<Row>,
    out: String,
}

/// Whether `e` belongs to what the minutes cover.
fn covers(period: Period, e: &LogEntry) -> bool {
    match period {
        Period::Cycle(n) => {
            e.cycle == n || matches!(e.event, Event::CycleClosed { cycle } if cycle == n)
        }
        Period::Dates { from, to } => {
            let d = day(e.at);
            from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
        }
    }
}

impl<'a> Minutes<'a> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn heading(&mut self, text: &str) {
        self.out.push('\n');
        self.line(&format!("## {text}"));
        self.out.push('\n');
    }

    /// The log entries of the period, in log order.
    fn entries(&self) -> Vec<&'a LogEntry> {
        let (s, period) = (self.s, self.period);
        s.log.iter().filter(|e| covers(period, e)).collect()
    }

    /// `FM-003 Customer VPN credentials phished`, the text as it is today.
    fn fm_label(&self, id: FailureModeId) -> String {
        match self.s.failure_mode(id) {
            Some(fm) => format!("{id} {}", inline(&fm.mode)),
            None => format!("{id} (deleted since)"),
        }
    }

    fn covered(&self) -> String {
        match self.period {
            Period::Cycle(n) if n == self.s.pdca.cycle => format!("cycle {n} (the current cycle)"),
            Period::Cycle(n) => {
                let closed = self
                    .s
                    .pdca
                    .closed_cycles
                    .iter()
                    .find(|r| r.cycle == n)
                    .map(|r| format!(", closed {}", when(r.closed)))
                    .unwrap_or_default();
                format!("cycle {n}{closed}")
            }
            Period::Dates { from, to } => {
                let d = |d: Option<Date>, none: &str| d.map_or(none.to_string(), |d| d.to_string());
                format!(
                    "{} to {} (all cycles; failure modes as they stand now)",
                    d(from, "the start"),
                    d(to, "now")
                )
            }
        }
    }

    fn details(&mut self) {
        let s = self.s;
        let title = if s.title.trim().is_empty() {
            "Workshop".to_string()
        } else {
            inline(&s.title)
        };
        self.line(&format!("# Minutes: {title}"));
        self.out.push('\n');
        let dates: Vec<String> = s.dates.iter().map(ToString::to_string).collect();
        let covered = self.covered();
        for (what, value) in [
            ("Organisation", cell(&s.organisation)),
            ("Scope (ISO 27001 4.3)", cell(&s.scope)),
            ("Facilitator", cell(&s.facilitator)),
            ("Workshop dates", cell(&dates.join(", "))),
            (
                "PDCA",
                format!("cycle {}, stage {}", s.pdca.cycle, s.pdca.stage),
            ),
            ("Decision threshold", s.threshold.to_string()),
            ("These minutes cover", covered),
        ] {
            self.line(&format!("- **{what}:** {value}"));
        }
    }

    /// Who was there, day by day: a column for each day the log recorded
    /// something in the period, ✓ for everyone it names present that day
    /// (former participants too). Without any entry, who is marked present
    /// today.
    fn attendance(&mut self) {
        self.heading("Attendance");
        let entries = self.entries();
        let days: BTreeSet<Date> = entries.iter().map(|e| day(e.at)).collect();
        let days: Vec<Date> = days.into_iter().collect();
        let was_there = |name: &str, d: Date| {
            entries
                .iter()
                .any(|e| day(e.at) == d && e.present.iter().any(|p| p == name))
        };
        // The current cycle lists the whole team, absent or not; another
        // period those who were there.
        let whole_team = days.is_empty() || self.period == Period::Cycle(self.s.pdca.cycle);
        let mut people: Vec<(String, String)> = self
            .s
            .participants
            .iter()
            .filter(|p| whole_team || days.iter().any(|d| was_there(&p.name, *d)))
            .map(|p| (p.name.clone(), cell(&p.role)))
            .collect();
        // People named present who are no longer on the list.
        let named: BTreeSet<&str> = entries
            .iter()
            .flat_map(|e| e.present.iter().map(String::as_str))
            .collect();
        for name in named {
            if self.s.participant(name).is_some() {
                continue;
            }
            let role = self
                .s
                .log
                .iter()
                .rev()
                .find_map(|e| match &e.event {
                    Event::ParticipantRemoved { name: n, role } if n == name => Some(role.as_str()),
                    _ => None,
                })
                .unwrap_or("");
            let role = if role.trim().is_empty() {
                "former participant".to_string()
            } else {
                format!("{}; former participant", inline(role))
            };
            people.push((name.to_string(), role));
        }
        if people.is_empty() {
            self.line("No participants recorded.");
            return;
        }
        let day_names: Vec<String> = days.iter().map(ToString::to_string).collect();
        let mut headers = vec!["Participant", "Role"];
        if days.is_empty() {
            headers.push("Present today");
        } else {
            headers.extend(day_names.iter().map(String::as_str));
        }
        let rows: Vec<Vec<String>> = people
            .iter()
            .map(|(name, role)| {
                let mut row = vec![cell(name), role.clone()];
                if days.is_empty() {
                    let today = self.s.participant(name).is_some_and(|p| p.present);
                    row.push(if today { "✓" } else { "–" }.to_string());
                }
                for d in &days {
                    row.push(if was_there(name, *d) { "✓" } else { "–" }.to_string());
                }
                row
            })
            .collect();
        table(&mut self.out, &headers, &rows);
    }

    fn assessed(&mut self) {
        self.heading("What was assessed");
        let s = self.s;
        let processes: BTreeSet<_> = self.rows.iter().filter_map(|r| r.fm.process).collect();
        let reached = self
            .rows
            .iter()
            .filter(|r| s.threshold.reached_by(&r.fm))
            .count();
        let rank = |rank| s.assets.iter().filter(|a| a.class_rank() == rank).count();
        let when_closed = match self.period {
            Period::Cycle(n) if n < s.pdca.cycle => " as the cycle closed",
            _ => "",
        };
        self.line(&format!(
            "{} in the register (class A {}, B {}, C {}); {}{when_closed} in {}, rated \
             severity × occurrence × detection (RPN) with the AIAG-VDA action priority; {} at or \
             above the decision threshold ({}).",
            count(s.assets.len(), "asset"),
            rank(ClassRank::A),
            rank(ClassRank::B),
            rank(ClassRank::C),
            count(self.rows.len(), "failure mode"),
            count(processes.len(), "process"),
            reached,
            s.threshold
        ));
        self.processes(&processes);
        self.out.push('\n');
        self.line("### Failure modes by RPN");
        self.out.push('\n');
        if self.rows.is_empty() {
            self.line("None.");
            return;
        }
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| self.risk_row(r)).collect();
        table(
            &mut self.out,
            &[
                "ID",
                "Process",
                "Failure mode",
                "S",
                "O",
                "D",
                "RPN",
                "AP",
                "Decision",
                "Residual",
                "Sign-off",
                "Flags",
            ],
            &rows,
        );
    }

    fn processes(&mut self, used: &BTreeSet<crate::domain::ProcessId>) {
        if self.s.processes.is_empty() {
            return;
        }
        self.out.push('\n');
        self.line("### Processes");
        self.out.push('\n');
        let rows: Vec<Vec<String>> = self
            .s
            .processes
            .iter()
            .filter(|p| used.contains(&p.id))
            .map(|p| {
                let fms: Vec<&Row> = self
                    .rows
                    .iter()
                    .filter(|r| r.fm.process == Some(p.id))
                    .collect();
                let highest = fms.iter().map(|r| r.fm.rpn()).max().unwrap_or(0);
                vec![
                    format!("{} {}", p.id, inline(&p.name)),
                    cell(&p.owner),
                    cell(&p.team.join(", ")),
                    cell(&p.purpose),
                    fms.len().to_string(),
                    highest.to_string(),
                ]
            })
            .collect();
        table(
            &mut self.out,
            &[
                "Process",
                "Owner",
                "Core team",
                "Purpose",
                "Failure modes",
                "Highest RPN",
            ],
            &rows,
        );
    }

    fn risk_row(&self, r: &Row) -> Vec<String> {
        let s = self.s;
        let fm = &r.fm;
        let residual = match (fm.residual(), fm.residual_sources()) {
            (Some(res), Some(from)) => format!(
                "{} {}: S {} {}, O {} {}, D {} {}",
                res.rpn(),
                res.ap(),
                res.severity,
                from[0].word(),
                res.occurrence,
                from[1].word(),
                res.detection,
                from[2].word()
            ),
            _ => "–".to_string(),
        };
        let sign_off = fm
            .sign_off
            .as_deref()
            .map_or("–".to_string(), |x| self.signed(x));
        let mut flags = Vec::new();
        if s.threshold.needs_decision(fm) {
            flags.push("needs a decision".to_string());
        }
        if s.threshold.needs_sign_off(fm) {
            flags.push("accepted without sign-off".to_string());
        }
        if let Some(x) = fm.sign_off.as_deref() {
            let since = x.changes_since(fm);
            if !since.is_empty() {
                let since: Vec<String> = since.iter().map(ToString::to_string).collect();
                flags.push(format!("needs re-approval ({})", inline(&since.join(", "))));
            }
        }
        let decision = if fm.treatment.is_empty() {
            "–".to_string()
        } else {
            fm.treatment.decision.to_string()
        };
        vec![
            fm.id.to_string(),
            cell(s.process_name(fm.process)),
            if r.deleted {
                "(deleted since)".to_string()
            } else {
                cell(&fm.mode)
            },
            fm.severity.to_string(),
            fm.occurrence.to_string(),
            fm.detection.to_string(),
            fm.rpn().to_string(),
            fm.ap().to_string(),
            decision,
            residual,
            sign_off,
            if flags.is_empty() {
                "–".to_string()
            } else {
                flags.join("; ")
            },
        ]
    }

    /// `accepted by Priya Raman (risk owner), 2026-11-02`.
    fn signed(&self, x: &SignOff) -> String {
        let what = match x.kind {
            SignOffKind::AcceptResidual => "accepted",
            SignOffKind::ApproveTreatment => "plan approved",
        };
        format!("{what} by {}, {}", inline(&self.s.signer(x)), day(x.at))
    }

    /// `(cycle 2, Do)`, and whether the entry was an undo or redo. Who was
    /// present is in the attendance, day by day.
    fn stamp(e: &LogEntry) -> String {
        let via = match e.via {
            Via::Edit => "",
            Via::Undo => ", undone",
            Via::Redo => ", redone",
        };
        format!("(cycle {}, {}{via})", e.cycle, e.stage)
    }

    fn list<'e>(
        &mut self,
        entries: Vec<&'e LogEntry>,
        say: impl Fn(&Self, &'e LogEntry) -> String,
    ) {
        if entries.is_empty() {
            self.line("None recorded.");
            return;
        }
        for e in entries {
            let text = say(self, e);
            self.line(&format!("- {} · {text}", when(e.at)));
        }
    }

    fn decisions(&mut self) {
        self.heading("Decisions");
        let entries: Vec<&LogEntry> = self
            .entries()
            .into_iter()
            .filter(|e| matches!(e.event, Event::Treatment { .. }))
            .collect();
        self.list(entries, |m, e| {
            let Event::Treatment { fm, changes } = &e.event else {
                return String::new();
            };
            let changes: Vec<String> = changes.iter().map(change_text).collect();
            format!(
                "{}: {} {}",
                m.fm_label(*fm),
                changes.join("; "),
                Self::stamp(e)
            )
        });
    }

    fn acceptances(&mut self) {
        self.heading("Risk acceptances");
        let entries: Vec<&LogEntry> = self
            .entries()
            .into_iter()
            .filter(|e| matches!(e.event, Event::SignedOff { .. } | Event::Revoked { .. }))
            .collect();
        self.list(entries, |m, e| match &e.event {
            Event::SignedOff { fm, sign_off } => {
                let st = &sign_off.state;
                let rating = |r: Option<u8>, now: u8| r.unwrap_or(now).to_string();
                format!(
                    "{}: {} by {}; applied to S {} O {} D {}, residual S {} O {} D {}, decision {} {}",
                    m.fm_label(*fm),
                    sign_off.kind.name(),
                    inline(&m.s.signer(sign_off)),
                    st.severity,
                    st.occurrence,
                    st.detection,
                    rating(st.revised_severity, st.severity),
                    rating(st.revised_occurrence, st.occurrence),
                    rating(st.revised_detection, st.detection),
                    st.decision,
                    Self::stamp(e)
                )
            }
            Event::Revoked { fm, by, role } => {
                let role = if role.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", inline(role))
                };
                format!(
                    "{}: the sign-off by {}{role} was revoked {}",
                    m.fm_label(*fm),
                    inline(by),
                    Self::stamp(e)
                )
            }
            _ => String::new(),
        });
        let s = self.s;
        let stale: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| {
                let x = r.fm.sign_off.as_deref()?;
                let since = x.changes_since(&r.fm);
                (!since.is_empty()).then(|| {
                    let since: Vec<String> = since.iter().map(ToString::to_string).collect();
                    format!(
                        "- {} {}: {}; since then {}",
                        r.fm.id,
                        inline(&r.fm.mode),
                        self.signed(x),
                        inline(&since.join(", "))
                    )
                })
            })
            .collect();
        let unsigned: Vec<String> = self
            .rows
            .iter()
            .filter(|r| s.threshold.needs_sign_off(&r.fm))
            .map(|r| {
                format!(
                    "- {} {} (RPN {}, AP {})",
                    r.fm.id,
                    inline(&r.fm.mode),
                    r.fm.rpn(),
                    r.fm.ap()
                )
            })
            .collect();
        for (title, items) in [
            (
                "Needs re-approval (the risk changed since it was signed)",
                stale,
            ),
            (
                "Accepted at or above the threshold without the risk owner's acceptance",
                unsigned,
            ),
        ] {
            self.out.push('\n');
            self.line(&format!("### {title}"));
            self.out.push('\n');
            if items.is_empty() {
                self.line("None.");
            }
            for item in items {
                self.line(&item);
            }
        }
    }

    fn facilitators(&mut self) {
        let (s, period) = (self.s, self.period);
        let standing: Vec<&'a LogEntry> = s
            .standing_entries()
            .into_iter()
            .filter(|e| covers(period, e))
            .collect();
        let about = |m: &Self, fm: Option<FailureModeId>| {
            fm.map_or(String::new(), |id| format!("{}: ", m.fm_label(id)))
        };
        self.heading("Notes");
        let notes = standing
            .iter()
            .copied()
            .filter(|e| matches!(e.event, Event::Note { .. }))
            .collect();
        self.list(notes, |m, e| match &e.event {
            Event::Note { fm, text } => {
                format!("{}{} {}", about(m, *fm), inline(text), Self::stamp(e))
            }
            _ => String::new(),
        });
        self.heading("Parking lot");
        let questions = standing
            .iter()
            .copied()
            .filter(|e| matches!(e.event, Event::Question { .. }))
            .collect();
        self.list(questions, |m, e| match &e.event {
            Event::Question { fm, text } => {
                format!("{}{} {}", about(m, *fm), inline(text), Self::stamp(e))
            }
            _ => String::new(),
        });
        self.heading("Actions");
        let rows: Vec<Vec<String>> = standing
            .iter()
            .filter_map(|e| match &e.event {
                Event::Action {
                    fm,
                    text,
                    owner,
                    due,
                } => Some(vec![
                    cell(text),
                    cell(owner),
                    due.map_or("–".to_string(), |d| d.to_string()),
                    fm.map_or("–".to_string(), |id| self.fm_label(id)),
                    when(e.at),
                ]),
                _ => None,
            })
            .collect();
        if rows.is_empty() {
            self.line("None recorded.");
        } else {
            table(
                &mut self.out,
                &["Action", "Owner", "Due", "Failure mode", "Agreed"],
                &rows,
            );
        }
    }

    fn pdca(&mut self) {
        self.heading("PDCA and the list of participants");
        let entries: Vec<&LogEntry> = self
            .entries()
            .into_iter()
            .filter(|e| {
                matches!(
                    e.event,
                    Event::Stage { .. }
                        | Event::CycleClosed { .. }
                        | Event::CycleReopened { .. }
                        | Event::ParticipantRemoved { .. }
                )
            })
            .collect();
        self.list(entries, |_, e| match &e.event {
            Event::Stage { from, to } => format!("stage {from} → {to} {}", Self::stamp(e)),
            Event::CycleClosed { cycle } => format!(
                "cycle {cycle} closed, cycle {} starts in {} {}",
                e.cycle,
                e.stage,
                Self::stamp(e)
            ),
            Event::CycleReopened { cycle } => {
                format!("the close of cycle {cycle} was undone {}", Self::stamp(e))
            }
            Event::ParticipantRemoved { name, role } => {
                let role = if role.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", inline(role))
                };
                format!(
                    "{}{role} taken off the list of participants {}",
                    inline(name),
                    Self::stamp(e)
                )
            }
            _ => String::new(),
        });
    }
}

/// `1 process`, `8 processes`, `0 assets`.
fn count(n: usize, what: &str) -> String {
    match (n, what.ends_with('s')) {
        (1, _) => format!("1 {what}"),
        (_, true) => format!("{n} {what}es"),
        _ => format!("{n} {what}s"),
    }
}

/// `decision Undecided → Reduce`, `owner → CISO`, `due 2026-12-15 → –`.
fn change_text(c: &FieldChange) -> String {
    let value = |v: &str| {
        if v.is_empty() {
            "–".to_string()
        } else if c.field == TreatmentField::Action || c.field == TreatmentField::ActionTaken {
            format!("“{}”", inline(v))
        } else {
            inline(v)
        }
    };
    if c.from.is_empty() {
        format!("{} → {}", c.field.name(), value(&c.to))
    } else {
        format!("{} {} → {}", c.field.name(), value(&c.from), value(&c.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_not_reached_or_dates_the_wrong_way_round_are_refused() {
        let s = Session::new("t", Timestamp::UNIX_EPOCH);
        assert_eq!(
            minutes(&s, Period::Cycle(2)).unwrap_err(),
            "there is no cycle 2: the session is in cycle 1 (cycles 1 to 1)"
        );
        assert!(minutes(&s, Period::Cycle(0)).is_err());
        let d = |day| Some(jiff::civil::date(2026, 11, day));
        assert_eq!(
            minutes(
                &s,
                Period::Dates {
                    from: d(20),
                    to: d(10)
                }
            )
            .unwrap_err(),
            "--from 2026-11-20 is after --to 2026-11-10"
        );
        assert!(minutes(&s, Period::Cycle(1)).is_ok());
    }

    #[test]
    fn field_changes_read_as_before_and_after() {
        let c = |field, from: &str, to: &str| {
            change_text(&FieldChange {
                field,
                from: from.into(),
                to: to.into(),
            })
        };
        assert_eq!(
            c(TreatmentField::Decision, "Undecided", "Reduce"),
            "decision Undecided → Reduce"
        );
        assert_eq!(c(TreatmentField::Owner, "", "CISO"), "owner → CISO");
        assert_eq!(
            c(TreatmentField::Due, "2026-12-15", ""),
            "due 2026-12-15 → –"
        );
        assert_eq!(
            c(TreatmentField::Action, "", "Patch *now*"),
            "action → “Patch \\*now\\*”"
        );
    }
}
