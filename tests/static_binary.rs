//! The static Linux binary for jump hosts (`x86_64-unknown-linux-musl`): it needs
//! no shared library at all, and `check` and `export` on the demo give what the
//! ordinary build gives, byte for byte.
//!
//! The binary is built once, by `.ci/run` (a build here would compile every
//! crate a second time), and named by `RISKROOM_STATIC_BIN`. Where the musl
//! target cannot be installed `.ci/run` says so and sets `RISKROOM_STATIC_SKIP`
//! to the reason, which this test prints; without either it passes with a
//! message, unless `RISKROOM_FULL_TESTS` is set, where it must run.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO: &str = "sessions/ip-chamber.ron";

fn static_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RISKROOM_STATIC_BIN") {
        return Some(PathBuf::from(path));
    }
    if let Ok(why) = std::env::var("RISKROOM_STATIC_SKIP") {
        eprintln!("skipped: the static binary was not built: {why}");
        return None;
    }
    assert!(
        std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
        "RISKROOM_FULL_TESTS is set but neither RISKROOM_STATIC_BIN (the static binary \
         .ci/run builds) nor RISKROOM_STATIC_SKIP (why it could not) is"
    );
    eprintln!(
        "skipped: RISKROOM_STATIC_BIN is not set (rustup target add x86_64-unknown-linux-musl && \
         cargo build --release --target x86_64-unknown-linux-musl, then \
         RISKROOM_STATIC_BIN=target/x86_64-unknown-linux-musl/release/riskroom)"
    );
    None
}

/// What an ELF file asks of the dynamic loader: its interpreter (PT_INTERP) and
/// the libraries it needs (DT_NEEDED entries), counted.
#[derive(Debug, PartialEq, Eq)]
struct Dynamic {
    interpreter: bool,
    needed: usize,
}

fn dynamic(bytes: &[u8]) -> Dynamic {
    let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    assert_eq!(bytes[4], 2, "not a 64-bit ELF file");
    assert_eq!(bytes[5], 1, "not little-endian");
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    let mut result = Dynamic {
        interpreter: false,
        needed: 0,
    };
    for i in 0..phnum {
        let header = phoff + i * phentsize;
        const PT_DYNAMIC: u32 = 2;
        const PT_INTERP: u32 = 3;
        match u32_at(header) {
            PT_INTERP => result.interpreter = true,
            PT_DYNAMIC => {
                let (offset, size) = (u64_at(header + 8), u64_at(header + 32));
                for entry in (offset..offset + size).step_by(16) {
                    const DT_NULL: usize = 0;
                    const DT_NEEDED: usize = 1;
                    match u64_at(entry) {
                        DT_NULL => break,
                        DT_NEEDED => result.needed += 1,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    result
}

#[test]
fn the_elf_reader_sees_the_libraries_of_the_ordinary_build() {
    // The reader itself must be able to fail: the glibc build needs libc.
    let ordinary = std::fs::read(env!("CARGO_BIN_EXE_riskroom")).unwrap();
    let found = dynamic(&ordinary);
    assert!(found.interpreter, "{found:?}");
    assert!(found.needed >= 1, "{found:?}");
}

fn run(binary: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new(binary)
        .args(args)
        .env("RISKROOM_CONFIG", "")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} {args:?}: {}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn the_static_binary_needs_no_library_and_checks_and_exports_the_demo() {
    let Some(binary) = static_binary() else {
        return;
    };
    let found = dynamic(&std::fs::read(&binary).unwrap());
    assert_eq!(
        found,
        Dynamic {
            interpreter: false,
            needed: 0
        },
        "{} asks for a loader or shared libraries",
        binary.display()
    );
    if let Ok(ldd) = Command::new("ldd").arg(&binary).output() {
        let said = String::from_utf8_lossy(&ldd.stdout) + String::from_utf8_lossy(&ldd.stderr);
        assert!(
            said.contains("statically linked") || said.contains("not a dynamic executable"),
            "ldd: {said}"
        );
    }

    let ordinary = PathBuf::from(env!("CARGO_BIN_EXE_riskroom"));
    let check = run(&binary, &["check", DEMO]);
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&run(&ordinary, &["check", DEMO]).stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains(": valid"));

    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (bin, dir) in [&binary, &ordinary].into_iter().zip(&dirs) {
        let out = dir.path().to_str().unwrap();
        run(bin, &["export", DEMO, "--delimiter", ";", "--out", out]);
    }
    let names = |dir: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let names = [names(dirs[0].path()), names(dirs[1].path())];
    assert_eq!(names[0], names[1]);
    assert!(names[0].len() >= 4, "{names:?}");
    let [names, _] = names;
    for name in names {
        let [ours, theirs] =
            [&dirs[0], &dirs[1]].map(|d| std::fs::read(d.path().join(&name)).unwrap());
        assert!(ours.len() > 100, "{name:?} is nearly empty");
        assert!(ours == theirs, "{name:?} differs from the ordinary build's");
    }
}
