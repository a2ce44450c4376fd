//! Prints what the painter writes for a Down key inside the view and for one that
//! scrolls it, on a generated register at 120x40: the bytes behind the numbers in
//! BENCHMARKS.md, for looking at. `cargo run --release --example down_bytes`

use ratatui::layout::Rect;
use riskroom::tui::paint::Painter;
use riskroom::tui::testing::{self, press};

fn main() {
    let session = riskroom::generate::large_session(20, 2000, 5);
    let mut app = testing::app(session, "register.ron", 120, 40);
    let mut painter = Painter::new();
    let area = Rect::new(0, 0, 120, 40);
    let _ = painter.frame(&app, area);
    for _ in 0..3 {
        press(&mut app, &["Down"]);
        let bytes = painter.frame(&app, area);
        println!(
            "Down inside the view, {} bytes: {:?}",
            bytes.len(),
            String::from_utf8_lossy(&bytes)
        );
    }
    for _ in 0..30 {
        press(&mut app, &["Down"]);
        let _ = painter.frame(&app, area);
    }
    press(&mut app, &["Down"]);
    let bytes = painter.frame(&app, area);
    println!(
        "Down that scrolls, {} bytes: {:?}",
        bytes.len(),
        String::from_utf8_lossy(&bytes)
    );
}
