//! `cargo bench`: what a large register costs, at 1,000, 10,000 and 100,000 failure
//! modes (one asset per hundred). The sessions are generated here, never stored.
//! BENCHMARKS.md holds the numbers and the budgets they are held to.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use riskroom::domain::ordering::RiskOrder;
use riskroom::domain::{Session, validate};
use riskroom::tui::testing;
use riskroom::{export, generate, store};

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

struct Fixture {
    session: Session,
    text: String,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn path(&self) -> PathBuf {
        self.dir.path().join("register.ron")
    }
}

/// One generated session per size, with its canonical text and file.
fn fixture(n: usize) -> &'static Fixture {
    static CELLS: [OnceLock<Fixture>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = SIZES.iter().position(|s| *s == n).unwrap_or(0);
    CELLS[i].get_or_init(|| {
        let session = generate::large_session((n / 100).max(1), n, 1);
        let text = store::to_ron(&session);
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("register.ron"), &text).expect("the session file");
        Fixture { session, text, dir }
    })
}

/// Read, parse (canonical fast path), sort and validate: what opening a file costs.
#[divan::bench(args = SIZES, sample_count = 20)]
fn load(bencher: Bencher, n: usize) {
    let path = fixture(n).path();
    bencher.bench(|| store::load(black_box(&path)).expect("loads"));
}

/// The same text through the `ron` crate alone (what loading cost before the
/// fast reader, and what a hand-edited file still costs).
#[divan::bench(args = SIZES, sample_count = 5)]
fn parse_with_ron(bencher: Bencher, n: usize) {
    let text = &fixture(n).text;
    bencher.bench(|| {
        ron::Options::default()
            .from_str::<Session>(black_box(text))
            .expect("parses")
    });
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn validate_session(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    bencher.bench(|| validate(black_box(session)));
}

/// The canonical text in memory.
#[divan::bench(args = SIZES, sample_count = 20)]
fn to_ron(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    bencher.bench(|| store::to_ron(black_box(session)));
}

/// The same text through serde and the `ron` crate (what every save cost before).
#[divan::bench(args = SIZES, sample_count = 5)]
fn to_ron_with_ron(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    bencher.bench(|| store::ron_reference(black_box(session)));
}

/// A whole save: temporary file, sync, rename, directory sync.
#[divan::bench(args = SIZES, sample_count = 10)]
fn save(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("saved.ron");
    bencher.bench(|| store::save(black_box(&path), session, false).expect("saves"));
}

fn app(n: usize) -> testing::Screen {
    let f = fixture(n);
    testing::app(f.session.clone(), Path::new("register.ron"), 120, 40)
}

/// One rating typed on the screen: the change, its undo step, the re-sort of the
/// risk order and the rows shown, exactly as a key press does it.
#[divan::bench(args = SIZES, sample_count = 200)]
fn rating_change_with_resort(bencher: Bencher, n: usize) {
    let mut app = app(n);
    // The column cursor starts on S; alternate between two values so every
    // press is a real change that moves the row.
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        testing::press(&mut app, &[if flip { "9" } else { "2" }]);
    });
}

/// Only the risk order's part of it: one failure mode re-placed.
#[divan::bench(args = SIZES, sample_count = 200)]
fn reorder_after_one_change(bencher: Bencher, n: usize) {
    let mut session = fixture(n).session.clone();
    let mut order = RiskOrder::of(&session);
    let id = session.failure_modes[session.failure_modes.len() / 2].id;
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        let i = session.failure_mode_index(id).expect("there");
        session.failure_modes[i].severity = if flip { 9 } else { 2 };
        order.refresh(&session, id);
    });
}

/// One 120x40 frame of the workshop screen into a `TestBackend`.
#[divan::bench(args = SIZES, sample_count = 200)]
fn render_frame(bencher: Bencher, n: usize) {
    let mut app = app(n);
    testing::press(&mut app, &["Down", "Down"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    bencher.bench_local(|| {
        terminal
            .draw(|frame| frame.render_widget(&*app, frame.area()))
            .expect("draws");
    });
}

/// Both CSV files, in memory (the atomic write is the save's cost).
#[divan::bench(args = SIZES, sample_count = 10)]
fn csv_export(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    let options = export::CsvOptions::default();
    bencher.bench(|| {
        (
            export::to_csv(&export::assets_table(session), options),
            export::to_csv(&export::failure_modes_table(session), options),
        )
    });
}
