//! `cargo bench --bench merge`: the semantic merge, diff and portfolio as git
//! and people run them, the release binary in a process of its own, timed
//! with its peak memory (GNU time's maximum resident set).
//!
//! - merge-driver on two edited copies of a 100,000-failure-mode session
//!   (budget: under 2 s and 500 MB);
//! - diff of the base and one edited copy (budget: under 1 s);
//! - portfolio over 200 sessions of 500 failure modes (budget: under 2 s).
//!
//! The sessions are generated here. Set RISKROOM_BIN to the binary to run
//! (default: target/release/riskroom, built by `cargo build --release`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use riskroom::domain::{Change, FailureMode, Session};
use riskroom::{generate, merge, store};

const RUNS: usize = 5;

fn main() {
    let bin = std::env::var_os("RISKROOM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/riskroom"));
    // The runs happen in a temporary folder: the binary by its full path.
    let Ok(bin) = std::fs::canonicalize(&bin) else {
        eprintln!(
            "{} not found: build it with cargo build --release",
            bin.display()
        );
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let d = dir.path();

    let base = generate::large_session(1_000, 100_000, 7);
    let ours = edited(&base, 0, "ours");
    let theirs = edited(&base, 500, "theirs");
    for (name, s) in [
        ("base.ron", &base),
        ("ours.ron", &ours),
        ("theirs.ron", &theirs),
    ] {
        store::save(&d.join(name), s, false).expect("written");
    }

    // In process, the merge alone (sessions already parsed).
    let sides = (base.clone(), ours.clone(), theirs.clone());
    let started = Instant::now();
    let merged = merge::merge(sides.0, sides.1, sides.2);
    let in_process = started.elapsed();
    println!(
        "merge::merge in process: {:.0} ms ({} conflicts, {} renumbered)",
        in_process.as_secs_f64() * 1000.0,
        merged.new_conflicts,
        merged.renumbered.len()
    );

    println!("| what | median wall | max peak memory | runs |");
    println!("|---|---|---|---|");
    let result = measure(&bin, d, |_| {
        std::fs::copy(d.join("ours.ron"), d.join("work.ron")).expect("copy");
        vec![
            "merge-driver",
            "base.ron",
            "work.ron",
            "theirs.ron",
            "register.ron",
        ]
    });
    println!("| merge-driver, 100,000 failure modes, both sides edited | {result} |");
    let result = measure(&bin, d, |_| vec!["diff", "base.ron", "theirs.ron"]);
    println!("| diff, 100,000 failure modes | {result} |");

    let folder = d.join("portfolio");
    std::fs::create_dir(&folder).expect("folder");
    for n in 0..200u64 {
        let s = generate::large_session(5, 500, n);
        store::save(&folder.join(format!("site-{n:03}.ron")), &s, false).expect("written");
    }
    let result = measure(&bin, d, |_| vec!["portfolio", "portfolio"]);
    println!("| portfolio, 200 sessions of 500 failure modes | {result} |");
}

/// `theirs` and `ours` edit 1,000 failure modes each (every 100th, from
/// `offset`: half of them the same records as the other side, a different
/// field; some the same field), add 100, delete 100 and move the PDCA stage.
fn edited(base: &Session, offset: usize, who: &str) -> Session {
    let mut s = base.clone();
    let at = jiff::Timestamp::from_second(1_800_000_000 + offset as i64).expect("a time");
    let n = s.failure_modes.len();
    for k in 0..1_000 {
        let i = (k * 100 + offset / 10) % n;
        let mut f = s.failure_modes[i].clone();
        if who == "ours" {
            f.severity = f.severity % 10 + 1;
        } else {
            f.treatment.action = format!("action by {who} {k}");
            if k % 50 == 0 {
                f.severity = (f.severity + 4) % 10 + 1;
            }
        }
        s.apply(Change::PutFailureMode(f));
    }
    for k in 0..100 {
        let id = s.failure_modes[(k * 997 + offset) % s.failure_modes.len()].id;
        s.apply(Change::RemoveFailureMode(id));
    }
    for k in 0..100 {
        let id = s
            .allocate_failure_mode_id()
            .expect("below the ID and cycle limits");
        s.apply(Change::PutFailureMode(FailureMode::new(
            id,
            format!("{who} new {k}"),
        )));
    }
    s.apply(
        s.advance_stage_change(at)
            .expect("below the ID and cycle limits"),
    );
    s
}

/// RUNS runs of the binary in `dir`: the median wall time and the highest peak
/// resident memory, as a table's cells.
fn measure(bin: &Path, dir: &Path, args: impl Fn(usize) -> Vec<&'static str>) -> String {
    let mut walls = Vec::new();
    let mut peak_kb = 0u64;
    for run in 0..RUNS {
        let args = args(run);
        let report = dir.join("time.txt");
        let status = Command::new("/usr/bin/time")
            .arg("-o")
            .arg(&report)
            .args(["-f", "%e %M"])
            .arg(bin)
            .args(&args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(if run == 0 {
                std::process::Stdio::inherit()
            } else {
                std::process::Stdio::null()
            })
            .status()
            .expect("GNU time runs");
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let last = text.lines().last().unwrap_or("");
        let mut parts = last.split_whitespace();
        let wall: f64 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(f64::NAN);
        let kb: u64 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        if !wall.is_finite() || kb == 0 {
            eprintln!("{args:?}: {status:?}, GNU time said {text:?}");
        }
        walls.push(wall);
        peak_kb = peak_kb.max(kb);
    }
    walls.sort_by(f64::total_cmp);
    format!(
        "{:.2} s | {} MB | {RUNS}",
        walls[walls.len() / 2],
        peak_kb / 1024
    )
}
