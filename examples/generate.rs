//! Writes a generated session file: `cargo run --release --example generate -- OUT.ron ASSETS FAILURE_MODES [SEED]`.
//! For benchmarks and stress tests; the data is deterministic.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number =
        |i: usize, default: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let Some(out) = args.first() else {
        eprintln!("usage: generate OUT.ron [ASSETS] [FAILURE_MODES] [SEED]");
        return ExitCode::FAILURE;
    };
    let session = riskroom::generate::large_session(
        number(1, 1000) as usize,
        number(2, 100_000) as usize,
        number(3, 1),
    );
    match riskroom::store::save(std::path::Path::new(out), &session, false) {
        Ok(()) => {
            println!(
                "wrote {out}: {} assets, {} failure modes",
                session.assets.len(),
                session.failure_modes.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
