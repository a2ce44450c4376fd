//! Runs the real riskroom binary in a pseudo-terminal and reads its screen the way
//! a terminal would (vt100), for end-to-end tests.

// Shared by several test crates; each uses only part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The binary under test: `RISKROOM_BIN` (CI points it at the static release build), or
/// the one cargo built for these tests.
pub fn binary() -> String {
    let chosen = std::env::var("RISKROOM_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_riskroom").to_string());
    // Tests run the binary from other directories: make a relative path absolute.
    std::fs::canonicalize(&chosen).map_or(chosen, |p| p.display().to_string())
}

/// One copy of the binary that any user may run, for the whole test run (in a
/// directory of its own, 0755). Made once: a child forked by another test while
/// a copy was open for writing can make an `exec` of it fail with "Text file
/// busy"; so it is run until it starts, and nothing writes it after that.
pub fn binary_for_everyone() -> String {
    use std::os::unix::fs::PermissionsExt;
    static BINARY: std::sync::OnceLock<(tempfile::TempDir, String)> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a directory for the binary");
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
            let copy = dir.path().join("riskroom-for-anyone");
            std::fs::copy(binary(), &copy).expect("copy of the binary");
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            let binary = copy.display().to_string();
            let start = Instant::now();
            while !std::process::Command::new(&binary)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
            {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "{binary} never ran"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            (dir, binary)
        })
        .1
        .clone()
}

pub struct Pty {
    pub child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for measurements.
    pub bytes: Arc<Mutex<usize>>,
}

impl Pty {
    pub fn spawn(args: &[&str], cwd: &Path, cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
        Self::spawn_with(&binary(), args, cwd, cols, rows, env)
    }

    /// Like [`Pty::spawn`], with a given binary.
    pub fn spawn_with(
        program: &str,
        args: &[&str],
        cwd: &Path,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.cwd(cwd);
        command.env("TERM", "xterm-256color");
        command.env("LANG", "C.UTF-8");
        command.env("HOME", cwd);
        command.env("XDG_DATA_HOME", cwd.join(".data"));
        command.env("XDG_CONFIG_HOME", cwd.join(".config"));
        for (k, v) in env {
            command.env(k, v);
        }
        let child = pair.slave.spawn_command(command).expect("riskroom starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let bytes = Arc::new(Mutex::new(0));
        let (p, b) = (parser.clone(), bytes.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                *b.lock().unwrap() += n;
            }
        });
        Pty {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            parser,
            bytes,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    pub fn send(&mut self, text: &str) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(text.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Sends keys one at a time, as typing does, with a short pause between.
    pub fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            self.send(key);
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Whether the program still shows the alternate screen (it must leave it on exit).
    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The rows that the terminal wrapped onto the next one: lines that were
    /// longer than the screen is wide.
    pub fn wrapped_rows(&self) -> Vec<String> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        (0..rows)
            .filter(|&row| screen.row_wrapped(row))
            .map(|row| screen.contents_between(row, 0, row, cols))
            .collect()
    }

    /// Waits until `text` is on screen; panics with the screen if it never is.
    pub fn wait_for(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen:\n{}", self.screen());
    }

    /// Waits for the process to end; its exit code, or None on timeout.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<u32> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.exit_code());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Closes our side of the terminal, as a dropped SSH connection does.
    pub fn hang_up(&mut self) {
        self.writer.take();
        self.master.take();
    }

    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = std::process::Command::new("kill")
                .args(["-9", &self.pid().to_string()])
                .status();
            let _ = self.child.wait();
        }
    }
}

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const DOWN: &str = "\x1b[B";
