//! `riskroom completions SHELL`: the completion script, generated from the clap
//! definitions by clap_complete, plus one thing it cannot say: a SESSION
//! argument completes to session files (`*.ron`) and folders, not to any file.
//! Which arguments are sessions, and which options take a value, is read from
//! the same definitions, so a new command with a SESSION argument completes
//! its sessions without a change here.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{Cli, Failure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The value name that marks a session file argument.
const SESSION: &str = "SESSION";

pub fn run(shell: Shell, out: &mut Vec<u8>) -> Result<ExitCode, Failure> {
    out.write_all(script(shell).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The whole script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut command = Cli::command();
    if shell == Shell::Zsh {
        // clap_complete's zsh script puts an optional top-level positional
        // before the command names, so that `riskroom check <TAB>` takes
        // `check` for the session and offers the commands again. Without it the
        // command names come first, and `zsh()` adds the session files there.
        command = clap::Command::new("riskroom")
            .version(env!("CARGO_PKG_VERSION"))
            .args(
                command
                    .get_arguments()
                    .filter(|a| a.get_id() != "session")
                    .cloned(),
            )
            .subcommands(command.get_subcommands().cloned());
    }
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut bytes = Vec::new();
    clap_complete::generate(generator, &mut command, "riskroom", &mut bytes);
    let generated = String::from_utf8_lossy(&bytes).into_owned();
    let facts = Facts::of(&Cli::command());
    match shell {
        Shell::Bash => generated + &bash(&facts),
        Shell::Zsh => zsh(&generated, &facts),
        Shell::Fish => generated + &fish(&facts),
    }
}

/// What the scripts need to know beyond clap_complete's output.
struct Facts {
    /// The top level takes a SESSION (`riskroom SESSION`).
    top_level_session: bool,
    /// Commands whose first positional argument is a SESSION.
    session_commands: Vec<String>,
    /// Options that take a value (`--out DIR`): the word after them is no session.
    value_options: Vec<String>,
}

impl Facts {
    fn of(cli: &clap::Command) -> Facts {
        let first_is_session = |c: &clap::Command| {
            c.get_positionals().next().is_some_and(|a| {
                a.get_value_names()
                    .is_some_and(|names| names.iter().any(|n| n == SESSION))
            })
        };
        let mut value_options = Vec::new();
        for c in std::iter::once(cli).chain(cli.get_subcommands()) {
            for arg in c.get_arguments() {
                if arg.is_positional() || !arg.get_action().takes_values() {
                    continue;
                }
                value_options.extend(arg.get_long().map(|l| format!("--{l}")));
                value_options.extend(arg.get_short().map(|s| format!("-{s}")));
            }
        }
        value_options.sort();
        value_options.dedup();
        Facts {
            top_level_session: first_is_session(cli),
            session_commands: cli
                .get_subcommands()
                .filter(|c| first_is_session(c))
                .map(|c| c.get_name().to_string())
                .collect(),
            value_options,
        }
    }
}

/// A wrapper around clap_complete's `_riskroom`. At a SESSION argument it
/// offers folders and `*.ron` files (clap_complete offers the command's options
/// there, or nothing), at the top level beside the command names; after
/// `--theme` the built-in theme names and theme files.
fn bash(facts: &Facts) -> String {
    let commands = facts.session_commands.join("|");
    let value_options = facts.value_options.join("|");
    let top = if facts.top_level_session { "1" } else { "0" };
    let themes = theme_names();
    format!(
        r#"
# Session files (*.ron) and folders for SESSION arguments, theme names after
# --theme (added by riskroom to what clap_complete generates).
_riskroom_sessions() {{
    _riskroom "$@"
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    [[ "$cur" == -* ]] && return 0
    local i word command="" positionals=0 skip=0 screen=0 keep=()
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${{COMP_WORDS[i]}}"
        if (( skip )); then skip=0; continue; fi
        case "$word" in
            {value_options}) skip=1 ;;&
            --theme|--read-only) screen=1 ;;
            -*) ;;
            *) if [[ -z "$command" ]]; then command="$word"; else positionals=$((positionals + 1)); fi ;;
        esac
    done
    if (( skip )); then
        [[ "$prev" == --theme ]] || return 0
        keep=( $(compgen -W "{themes}" -- "$cur") )
    else
        case "$command" in
            "") (( {top} )) || return 0
                # The command names, unless a screen option rules them out.
                (( screen )) || for word in "${{COMPREPLY[@]}}"; do [[ "$word" == -* ]] || keep+=( "$word" ); done ;;
            {commands}) (( positionals == 0 )) || return 0 ;;
            *) return 0 ;;
        esac
    fi
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY=( "${{keep[@]}}" $(compgen -d -- "$cur") $(compgen -f -X '!*.ron' -- "$cur") )
}}
if [[ "${{BASH_VERSINFO[0]}}" -eq 4 && "${{BASH_VERSINFO[1]}}" -ge 4 || "${{BASH_VERSINFO[0]}}" -gt 4 ]]; then
    complete -F _riskroom_sessions -o nosort -o bashdefault -o default riskroom
else
    complete -F _riskroom_sessions -o bashdefault -o default riskroom
fi
"#
    )
}

/// The built-in themes, as `--theme` takes them.
fn theme_names() -> String {
    let names: Vec<&str> = crate::tui::theme::BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect();
    names.join(" ")
}

/// clap_complete writes each argument as `':NAME -- HELP:ACTION'`; a session
/// argument's action becomes files matching `*.ron` (zsh still offers folders),
/// and the top level offers session files beside the command names.
fn zsh(generated: &str, facts: &Facts) -> String {
    const SESSION_FILES: &str = "_files -g \"*.ron(-.)\"";
    let mut out = String::with_capacity(generated.len() + 256);
    let mut in_commands = false;
    for line in generated.split_inclusive('\n') {
        let session_arg = line.starts_with("':session -- ") || line.starts_with("'::session -- ");
        if line.starts_with("_riskroom_commands() {") {
            in_commands = true;
        }
        if let Some(head) = line
            .strip_suffix(":_default' \\\n")
            .filter(|_| line.starts_with("'--theme=["))
        {
            let themes = theme_names();
            out.push_str(head);
            out.push_str(&format!(":{{compadd -- {themes}; {SESSION_FILES}}}' \\\n"));
            continue;
        }
        match line.strip_suffix(":_files' \\\n") {
            Some(head) if session_arg => {
                out.push_str(head);
                out.push_str(&format!(":{SESSION_FILES}' \\\n"));
                continue;
            }
            _ => out.push_str(line),
        }
        if in_commands && line.starts_with("    _describe -t commands 'riskroom commands' ") {
            if facts.top_level_session {
                out.push_str(&format!("    {SESSION_FILES}\n"));
            }
            in_commands = false;
        }
    }
    out
}

/// Fish completes any file for an argument; a session offers only folders and
/// `*.ron` files (`__fish_complete_suffix` would list the other files too).
fn fish(facts: &Facts) -> String {
    let mut out = String::from(
        r#"
# Session files (*.ron) and folders for SESSION arguments (added by riskroom
# to what clap_complete generates).
function __fish_riskroom_sessions
    set -l token (commandline -ct)
    __fish_complete_directories "$token" ''
    for file in $token*.ron
        test -f "$file"; and echo $file
    end
end
"#,
    );
    let sessions = "-k -f -a \"(__fish_riskroom_sessions)\"";
    if facts.top_level_session {
        out.push_str(&format!(
            "complete -c riskroom -n \"__fish_riskroom_needs_command\" {sessions}\n"
        ));
        // No condition: clap_complete's (argparse over the line) fails while
        // the value of --theme is still missing, which is when this applies.
        out.push_str(&format!(
            "complete -c riskroom -l theme -x -k -a \"{} (__fish_riskroom_sessions)\"\n",
            theme_names()
        ));
    }
    for command in &facts.session_commands {
        out.push_str(&format!(
            "complete -c riskroom -n \"__fish_riskroom_using_subcommand {command}\" {sessions}\n"
        ));
    }
    out
}
