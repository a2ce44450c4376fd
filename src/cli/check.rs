//! `riskroom check`: is the file valid, and what does it hold?

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::domain::ordering::RiskOrder;
use jiff::civil::Date;

use crate::domain::{ActionPriority, ClassRank, FailureMode, Session};
use crate::store::{self, LoadError};
// What the session holds is printed one field a line: a line break or an
// escape code in a title or a failure mode is shown, never acted on.
use crate::terminal_text::one_line;

pub fn run(path: &Path, out: &mut impl Write) -> Result<ExitCode, Failure> {
    match store::load_noting(path) {
        Ok((session, migration)) => {
            if let Some(migration) = migration {
                writeln!(
                    out,
                    "{}: {migration} (`riskroom fmt` writes it so)",
                    path.display()
                )?;
            }
            report(path, &session, out)?;
            treatments(&session, jiff::ZonedDateTime::now().date(), out)?;
            record(&session, jiff::Timestamp::now(), out)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ LoadError::Invalid { .. }) => Err(Failure(error.to_string())),
        Err(error) => Err(Failure(error.to_string())),
    }
}

/// Counts per class and per AP, then the ten highest RPNs as a small table.
pub fn report(path: &Path, s: &Session, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{}: valid", path.display())?;
    writeln!(out, "{}", one_line(&s.title))?;
    writeln!(out, "PDCA: cycle {}, stage {}", s.pdca.cycle, s.pdca.stage)?;
    if !s.conflicts.is_empty() {
        writeln!(
            out,
            "Merge conflicts to decide (open the session in riskroom): {}",
            s.conflicts.len()
        )?;
        for c in &s.conflicts {
            writeln!(out, "  {}", super::safe(&c.to_string()))?;
        }
    }
    let rank_count = |rank| s.assets.iter().filter(|a| a.class_rank() == rank).count();
    writeln!(
        out,
        "Assets: {} (class A {}, B {}, C {})",
        s.assets.len(),
        rank_count(ClassRank::A),
        rank_count(ClassRank::B),
        rank_count(ClassRank::C)
    )?;
    let ap_count = |ap| s.failure_modes.iter().filter(|f| f.ap() == ap).count();
    writeln!(
        out,
        "Failure modes: {} (AP H {}, M {}, L {})",
        s.failure_modes.len(),
        ap_count(ActionPriority::H),
        ap_count(ActionPriority::M),
        ap_count(ActionPriority::L)
    )?;
    let order = RiskOrder::of(s);
    if order.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Highest RPN:")?;
    writeln!(
        out,
        "  {:<8} {:>4} {:>2}  {:>2} {:>2} {:>2}  Failure mode",
        "ID", "RPN", "AP", "S", "O", "D"
    )?;
    for id in order.ids().take(10) {
        let Some(fm) = s.failure_mode(id) else {
            continue;
        };
        writeln!(
            out,
            "  {:<8} {:>4} {:>2}  {:>2} {:>2} {:>2}  {}",
            fm.id.to_string(),
            fm.rpn(),
            fm.ap().to_string(),
            fm.severity,
            fm.occurrence,
            fm.detection,
            one_line(&fm.mode)
        )?;
    }
    Ok(())
}

/// The failure modes at or above the session's threshold that still have no
/// decision, and the treatments past their due date (as of `today`).
pub fn treatments(s: &Session, today: Date, out: &mut impl Write) -> std::io::Result<()> {
    let order = RiskOrder::of(s);
    let fms = || order.ids().filter_map(|id| s.failure_mode(id));
    let undecided: Vec<&FailureMode> = fms().filter(|f| s.threshold.needs_decision(f)).collect();
    writeln!(out)?;
    if s.threshold.is_off() {
        writeln!(out, "Decision threshold: off")?;
    } else {
        writeln!(
            out,
            "Needs a decision ({}, decision still Undecided): {}",
            s.threshold,
            undecided.len()
        )?;
        for fm in &undecided {
            writeln!(
                out,
                "  {:<8} {:>4} {:>2}  {}",
                fm.id.to_string(),
                fm.rpn(),
                fm.ap().to_string(),
                one_line(&fm.mode)
            )?;
        }
    }
    let overdue: Vec<&FailureMode> = fms().filter(|f| f.treatment.is_overdue(today)).collect();
    writeln!(out, "Overdue treatments (as of {today}): {}", overdue.len())?;
    for fm in overdue {
        let t = &fm.treatment;
        writeln!(
            out,
            "  {:<8} due {}  {:<11}  {}  ({})",
            fm.id.to_string(),
            t.due.map(|d| d.to_string()).unwrap_or_default(),
            t.status.name(),
            one_line(&t.action),
            if t.owner.is_empty() {
                "no owner".into()
            } else {
                one_line(&t.owner)
            }
        )?;
    }
    Ok(())
}

/// The room's record: sign-offs and those that need re-approval, accepted
/// risks above the threshold nobody signed, and what is wrong in the decision
/// log (each entry by its place). None of it makes the file invalid.
pub fn record(s: &Session, now: jiff::Timestamp, out: &mut impl Write) -> std::io::Result<()> {
    let order = RiskOrder::of(s);
    let fms = || order.ids().filter_map(|id| s.failure_mode(id));
    let signed: Vec<&FailureMode> = fms().filter(|f| f.sign_off.is_some()).collect();
    let stale = |f: &FailureMode| f.sign_off.as_ref().is_some_and(|x| x.needs_reapproval(f));
    writeln!(
        out,
        "Sign-offs: {} ({} need{} re-approval)",
        signed.len(),
        signed.iter().filter(|f| stale(f)).count(),
        if signed.iter().filter(|f| stale(f)).count() == 1 {
            "s"
        } else {
            ""
        }
    )?;
    for fm in &signed {
        let Some(sign_off) = fm.sign_off.as_deref() else {
            continue;
        };
        let since: Vec<String> = sign_off
            .changes_since(fm)
            .iter()
            .map(ToString::to_string)
            .collect();
        let state = if since.is_empty() {
            String::new()
        } else {
            format!("; NEEDS RE-APPROVAL: {}", since.join(", "))
        };
        writeln!(
            out,
            "  {:<8} {} by {}, {}{}",
            fm.id.to_string(),
            sign_off.kind.name(),
            one_line(&s.signer(sign_off)),
            sign_off.at,
            one_line(&state)
        )?;
    }
    let unsigned: Vec<&FailureMode> = fms().filter(|f| s.threshold.needs_sign_off(f)).collect();
    writeln!(
        out,
        "Accepted at or above the threshold without the risk owner's acceptance: {}",
        unsigned.len()
    )?;
    for fm in unsigned {
        writeln!(
            out,
            "  {:<8} {:>4} {:>2}  {}",
            fm.id.to_string(),
            fm.rpn(),
            fm.ap().to_string(),
            one_line(&fm.mode)
        )?;
    }
    let problems = crate::domain::log::check_log(s, now);
    writeln!(
        out,
        "Decision log: {} entr{}, {} problem{}",
        s.log.len(),
        if s.log.len() == 1 { "y" } else { "ies" },
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )?;
    for problem in problems {
        writeln!(out, "  {}", one_line(&problem.to_string()))?;
    }
    Ok(())
}
