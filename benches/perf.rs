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

/// The demo's kind of register at size: every failure mode linked to two Annex A
/// controls of a pool of ten (one by its 2013 ID), so each control treats a
/// fifth of the register.
fn linked_app(n: usize) -> testing::Screen {
    use riskroom::domain::annex_a::ControlState;
    const POOL: [&str; 10] = [
        "A.8.5", "A.9.4.2", "A.5.15", "A.8.12", "A.8.13", "A.5.14", "A.7.2", "A.8.16", "A.5.24",
        "A.6.3",
    ];
    let mut session = fixture(n).session.clone();
    for (i, fm) in session.failure_modes.iter_mut().enumerate() {
        let state = if i % 3 == 0 {
            ControlState::Planned
        } else {
            ControlState::Existing
        };
        *fm = fm
            .with_link(POOL[i % 10], Some(state))
            .with_link(POOL[(i / 10) % 10], Some(ControlState::Existing));
    }
    testing::app(session, Path::new("register.ron"), 120, 40)
}

/// `R` the first time: the ISMS programme worked out (roadmap, documents,
/// control-group coverage: passes and sorts over the failure modes) and its
/// first frame built.
#[divan::bench(args = SIZES, sample_count = 5)]
fn programme_open(bencher: Bencher, n: usize) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    bencher
        .with_inputs(|| linked_app(n))
        .bench_local_refs(|app| {
            testing::press(app, &["R"]);
            terminal
                .draw(|frame| frame.render_widget(&**app, frame.area()))
                .expect("draws");
        });
}

/// `R` again after Esc, nothing changed since: the programme as it was kept,
/// its frame, and Esc.
#[divan::bench(args = SIZES, sample_count = 100)]
fn programme_reopen(bencher: Bencher, n: usize) {
    let mut app = linked_app(n);
    testing::press(&mut app, &["R", "Esc"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    bencher.bench_local(|| {
        testing::press(&mut app, &["R"]);
        terminal
            .draw(|frame| frame.render_widget(&*app, frame.area()))
            .expect("draws");
        testing::press(&mut app, &["Esc"]);
    });
}

/// `s` on a roadmap step while the programme is open: the change, and the
/// programme worked out again for the next frame.
#[divan::bench(args = SIZES, sample_count = 10)]
fn programme_status_change(bencher: Bencher, n: usize) {
    let mut app = linked_app(n);
    testing::press(&mut app, &["R"]);
    bencher.bench_local(|| testing::press(&mut app, &["s"]));
}

/// Down in the programme: the selection moved and kept on screen (no pass over
/// the failure modes), and the frame.
#[divan::bench(args = SIZES, sample_count = 100)]
fn programme_down(bencher: Bencher, n: usize) {
    let mut app = linked_app(n);
    testing::press(&mut app, &["R"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let mut down = true;
    bencher.bench_local(|| {
        // Down to the last step, then up again: every press moves.
        let at = app.programme().map_or(0, |p| p.selected_index());
        if at == 23 || at == 0 {
            down = at == 0;
        }
        testing::press(&mut app, &[if down { "Down" } else { "Up" }]);
        terminal
            .draw(|frame| frame.render_widget(&*app, frame.area()))
            .expect("draws");
    });
}

/// The screen's key path with the matrix (issue 16; each under 10 ms at 100k):
/// a key through the keymap and update, then the 120x40 frame it shows.
fn key_and_frame(app: &mut testing::Screen, terminal: &mut Terminal<TestBackend>, key: &str) {
    testing::press(app, &[key]);
    terminal
        .draw(|frame| frame.render_widget(&**app, frame.area()))
        .expect("draws");
}

/// `m` and the matrix's first frame (then Esc, without a frame, to open it
/// again).
#[divan::bench(args = SIZES, sample_count = 100)]
fn matrix_open_key(bencher: Bencher, n: usize) {
    let mut app = app(n);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    bencher.bench_local(|| {
        key_and_frame(&mut app, &mut terminal, "m");
        testing::press(&mut app, &["Esc"]);
    });
}

/// `r` in the open matrix (current ↔ residual, the moved line) and its frame.
#[divan::bench(args = SIZES, sample_count = 100)]
fn matrix_toggle_residual_key(bencher: Bencher, n: usize) {
    let mut app = app(n);
    testing::press(&mut app, &["m"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    bencher.bench_local(|| key_and_frame(&mut app, &mut terminal, "r"));
}

/// A rating while the room looks at the matrix: the digit in the table (the
/// matrix counts kept with the change), then `m` and the matrix's frame, then
/// Esc back to the table.
#[divan::bench(args = SIZES, sample_count = 100)]
fn rating_change_then_matrix_key(bencher: Bencher, n: usize) {
    let mut app = app(n);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        testing::press(&mut app, &[if flip { "9" } else { "2" }, "Left", "Right"]);
        key_and_frame(&mut app, &mut terminal, "m");
        testing::press(&mut app, &["Esc"]);
    });
}

/// A rating in the focus view of a matrix cell's list (the list filtered to
/// the cell is rebuilt with the change) and the focus view's frame.
#[divan::bench(args = SIZES, sample_count = 100)]
fn rating_in_the_focus_view_of_a_cell_key(bencher: Bencher, n: usize) {
    let mut app = app(n);
    // The busiest cell's list: the matrix cursor starts top right; find a
    // cell that holds something by walking left and down.
    testing::press(&mut app, &["m"]);
    'find: for _ in 0..5 {
        for _ in 0..5 {
            testing::press(&mut app, &["Enter"]);
            if !matches!(app.mode(), riskroom::tui::app::Mode::Matrix) {
                break 'find;
            }
            testing::press(&mut app, &["Left"]);
        }
        testing::press(&mut app, &["Down", "Right", "Right", "Right", "Right"]);
    }
    testing::press(&mut app, &["f"]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        // D: stays in the cell, so the list keeps its length.
        testing::press(&mut app, &["Right", "Right"]);
        key_and_frame(&mut app, &mut terminal, if flip { "9" } else { "2" });
        testing::press(&mut app, &["Left", "Left"]);
    });
}
