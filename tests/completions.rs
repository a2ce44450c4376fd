//! `riskroom completions SHELL` and `riskroom man`: the scripts are run in the
//! shells they are for, in a folder with session files and others, and must
//! offer the sessions (`*.ron`) and folders at a SESSION argument, the command
//! names and the options; the manual page names every command and option.
//! bash is always there; zsh and fish are required where `RISKROOM_FULL_TESTS`
//! is set (CI installs them) and skipped with a message elsewhere.

#![allow(clippy::unwrap_used)] // tests unwrap what they built themselves

#[path = "support/pty.rs"]
mod pty;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use clap::CommandFactory;

fn riskroom(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_riskroom"))
        .args(args)
        .env("RISKROOM_CONFIG", "")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A folder with two sessions (one with a space), a CSV, a backup and a
/// sub-folder, as a facilitator's folder looks.
fn workshop_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alpha.ron", "my ws.ron", "assets.csv", "alpha.ron.bak"] {
        fs::write(dir.path().join(name), "").unwrap();
    }
    fs::create_dir(dir.path().join("archive")).unwrap();
    fs::write(dir.path().join("archive/old.ron"), "").unwrap();
    dir
}

fn shell_or_skip(shell: &str) -> bool {
    let there = Command::new(shell)
        .arg("-c")
        .arg("true")
        .status()
        .is_ok_and(|s| s.success());
    if !there {
        assert!(
            std::env::var_os("RISKROOM_FULL_TESTS").is_none(),
            "RISKROOM_FULL_TESTS is set but {shell} is not installed"
        );
        eprintln!("skipped: {shell} is not installed");
    }
    there
}

/// Asks bash's completion function what it offers for `line` (the last word is
/// the one being completed), as readline would call it.
fn bash_offers(script: &Path, dir: &Path, line: &str) -> Vec<String> {
    let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
    if words.last().is_none_or(|w| !w.is_empty()) && line.ends_with(' ') {
        words.push(String::new());
    }
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _riskroom_sessions riskroom \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\" 2>/dev/null\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" ")
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(program)
        .current_dir(dir)
        .output()
        .unwrap();
    let mut offers: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    offers.sort();
    offers
}

fn strings(list: &[&str]) -> Vec<String> {
    let mut list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    list.sort();
    list
}

#[test]
fn bash_completes_sessions_commands_options_and_themes() {
    let dir = workshop_folder();
    let script = dir.path().join("riskroom.bash");
    fs::write(&script, riskroom(&["completions", "bash"])).unwrap();
    let offers = |line: &str| bash_offers(&script, dir.path(), line);

    assert_eq!(
        offers("riskroom check "),
        strings(&["alpha.ron", "archive", "my ws.ron"])
    );
    assert_eq!(offers("riskroom export al"), strings(&["alpha.ron"]));
    assert_eq!(
        offers("riskroom fmt archive/"),
        strings(&["archive/old.ron"])
    );
    assert_eq!(
        offers("riskroom import "),
        strings(&["alpha.ron", "archive", "my ws.ron"])
    );
    let top = offers("riskroom ");
    for expected in [
        "check",
        "export",
        "completions",
        "man",
        "alpha.ron",
        "archive",
    ] {
        assert!(top.contains(&expected.to_string()), "{expected} in {top:?}");
    }
    assert!(!top.contains(&"assets.csv".to_string()), "{top:?}");
    assert!(!top.contains(&"alpha.ron.bak".to_string()), "{top:?}");
    // After a screen option the command names are no longer possible.
    assert_eq!(
        offers("riskroom --read-only "),
        strings(&["alpha.ron", "archive", "my ws.ron"])
    );
    // The value of an option is not a session: --assets takes any file.
    assert!(offers("riskroom import alpha.ron --assets ").contains(&"assets.csv".to_string()));
    assert_eq!(
        offers("riskroom check alpha.ron "),
        strings(&["--help", "-h"])
    );
    let themes = offers("riskroom --theme ");
    for expected in ["dark", "light", "high-contrast", "mono", "alpha.ron"] {
        assert!(
            themes.contains(&expected.to_string()),
            "{expected} in {themes:?}"
        );
    }
    let options = offers("riskroom export alpha.ron --");
    for expected in ["--out", "--delimiter", "--no-bom", "--bom"] {
        assert!(
            options.contains(&expected.to_string()),
            "{expected} in {options:?}"
        );
    }
    assert!(!options.contains(&"--theme".to_string()), "{options:?}");
}

#[test]
fn fish_completes_sessions_commands_and_themes() {
    if !shell_or_skip("fish") {
        return;
    }
    let dir = workshop_folder();
    let script = dir.path().join("riskroom.fish");
    fs::write(&script, riskroom(&["completions", "fish"])).unwrap();
    let offers = |line: &str| -> Vec<String> {
        let output = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source {}; complete -C '{line}'", script.display()))
            .current_dir(dir.path())
            .output()
            .unwrap();
        let mut offers: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect();
        offers.sort();
        offers
    };
    assert_eq!(
        offers("riskroom check "),
        strings(&["alpha.ron", "archive/", "my ws.ron"])
    );
    assert_eq!(
        offers("riskroom fmt archive/"),
        strings(&["archive/old.ron"])
    );
    let top = offers("riskroom ");
    for expected in ["check", "export", "alpha.ron", "archive/"] {
        assert!(top.contains(&expected.to_string()), "{expected} in {top:?}");
    }
    assert!(!top.contains(&"assets.csv".to_string()), "{top:?}");
    let themes = offers("riskroom --theme ");
    for expected in ["dark", "light", "high-contrast", "mono"] {
        assert!(
            themes.contains(&expected.to_string()),
            "{expected} in {themes:?}"
        );
    }
}

#[test]
fn zsh_completes_sessions_and_commands_in_a_terminal() {
    if !shell_or_skip("zsh") {
        return;
    }
    let dir = workshop_folder();
    let script = dir.path().join("_riskroom");
    fs::write(&script, riskroom(&["completions", "zsh"])).unwrap();
    let mut term = pty::Pty::spawn_with("zsh", &["-f"], dir.path(), 120, 30, &[("PS1", "$ ")]);
    term.send(&format!(
        "autoload -U compinit && compinit -u && source {} && clear\r",
        script.display()
    ));
    let wait = Duration::from_secs(10);
    term.wait_for("$", wait);
    // `check` must be taken for the command, not for a session (clap_complete's
    // own script offered the command names again here).
    term.send("riskroom check \t");
    term.wait_for("alpha.ron", wait);
    let screen = term.screen();
    assert!(screen.contains("archive/"), "{screen}");
    assert!(!screen.contains("assets.csv"), "{screen}");
    assert!(!screen.contains("completions"), "{screen}");
    term.send("\x15clear\r");
    term.send("riskroom \t");
    term.wait_for("completions", wait);
    let screen = term.screen();
    assert!(screen.contains("alpha.ron"), "{screen}");
    assert!(!screen.contains("assets.csv"), "{screen}");
    term.send("\x15clear\r");
    term.send("riskroom --theme \t");
    term.wait_for("high-contrast", wait);
    term.send("\x15exit\r");
    term.wait_exit(wait);
}

#[test]
fn every_shell_script_comes_from_the_clap_definitions() {
    let cli = riskroom::cli::Cli::command();
    for shell in ["bash", "zsh", "fish"] {
        let script = riskroom(&["completions", shell]);
        for command in cli.get_subcommands() {
            assert!(
                script.contains(command.get_name()),
                "{shell}: {}",
                command.get_name()
            );
            for arg in command.get_arguments().filter_map(|a| a.get_long()) {
                assert!(
                    script.contains(arg),
                    "{shell}: {} --{arg}",
                    command.get_name()
                );
            }
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_riskroom"))
        .args(["completions", "powershell"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash, zsh, fish"));
}

#[test]
fn the_man_page_names_every_command_and_option_and_renders_cleanly() {
    let page = riskroom(&["man"]);
    assert!(page.contains(".TH riskroom 1"), "{}", &page[..200]);
    let cli = riskroom::cli::Cli::command();
    for command in cli.get_subcommands().filter(|c| c.get_name() != "help") {
        assert!(
            page.contains(&format!(".SS \"riskroom {}\"", command.get_name())),
            "{}",
            command.get_name()
        );
        for long in command.get_arguments().filter_map(|a| a.get_long()) {
            let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
            assert!(page.contains(&roff), "{} {roff}", command.get_name());
        }
    }
    for section in [
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
        "config.ron",
        "RISKROOM_CONFIG",
    ] {
        assert!(page.contains(section), "{section}");
    }
    // One preamble, not one per command.
    assert_eq!(page.matches(".ie \\n(.g .ds Aq").count(), 1);
    // groff reads it without a warning where it is installed (-k: UTF-8 text
    // through preconv, as man does).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("riskroom.1");
    fs::write(&file, &page).unwrap();
    if let Ok(output) = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
    {
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "",
            "groff warnings"
        );
    }
}
