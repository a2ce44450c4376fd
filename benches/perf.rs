//! `cargo bench`: what a large register costs, at 1,000, 10,000 and 100,000 failure
//! modes (one asset per hundred). The sessions are generated here, never stored.
//! BENCHMARKS.md holds the numbers and the budgets they are held to.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use riskroom::domain::flags::FlagCounts;
use riskroom::domain::matrix::{Basis, Grid, Matrix, MatrixCounts};
use riskroom::domain::ordering::RiskOrder;
use riskroom::domain::pareto::Pareto;
use riskroom::domain::tally;
use riskroom::domain::trend::TrendPoint;
use riskroom::domain::{Change, Session, validate};
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

/// Opening the risk matrix: the 5 x 5 and the 10 x 10 matrix built from the kept
/// counts (a pass over 1,000 counters, whatever the register's size).
#[divan::bench(args = SIZES, sample_count = 200)]
fn matrix_open(bencher: Bencher, n: usize) {
    let counts = MatrixCounts::of(&fixture(n).session);
    bencher.bench(|| {
        (
            black_box(&counts).matrix(Grid::Bands, Basis::Current),
            black_box(&counts).matrix(Grid::Levels, Basis::Current),
        )
    });
}

/// Toggling current/residual: the other basis's matrix and the moved count.
#[divan::bench(args = SIZES, sample_count = 200)]
fn matrix_toggle_residual(bencher: Bencher, n: usize) {
    let counts = MatrixCounts::of(&fixture(n).session);
    let mut basis = Basis::Current;
    bencher.bench_local(|| {
        basis = basis.toggled();
        (
            black_box(&counts).matrix(Grid::Bands, basis),
            counts.moves(Grid::Bands).moved(),
        )
    });
}

/// What the kept counts save: counting the register afresh for one matrix.
#[divan::bench(args = SIZES, sample_count = 20)]
fn matrix_full_count(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    bencher.bench(|| Matrix::of(black_box(session), Grid::Bands, Basis::Current));
}

/// A rating change while the matrix is open, without the screen: the change
/// applied with the flag and matrix counts kept, the risk order re-placed, and
/// the matrix built again for the next frame.
#[divan::bench(args = SIZES, sample_count = 200)]
fn rating_change_with_matrix_kept(bencher: Bencher, n: usize) {
    let mut session = fixture(n).session.clone();
    let today = jiff::civil::date(2026, 11, 30);
    let mut flags = FlagCounts::of(&session, today);
    let mut counts = MatrixCounts::of(&session);
    let mut order = RiskOrder::of(&session);
    let id = session.failure_modes[session.failure_modes.len() / 2].id;
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        let mut fm = session.failure_mode(id).expect("there").clone();
        fm.severity = if flip { 9 } else { 2 };
        tally::apply(
            &mut session,
            Change::PutFailureMode(fm),
            &mut [&mut flags, &mut counts],
        );
        order.refresh(&session, id);
        counts.matrix(Grid::Bands, Basis::Current)
    });
}

/// The cycle summary's pictures: the Pareto of the top ten (a pass over the
/// risk order) and the current cycle's trend point from the kept counts.
#[divan::bench(args = SIZES, sample_count = 50)]
fn pareto_and_trend_now(bencher: Bencher, n: usize) {
    let session = &fixture(n).session;
    let order = RiskOrder::of(session);
    let counts = MatrixCounts::of(session);
    bencher.bench(|| {
        (
            Pareto::of(black_box(&order), 10),
            TrendPoint::now(session.pdca.cycle, counts.cube(Basis::Current)),
        )
    });
}
