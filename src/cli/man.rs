//! `riskroom man`: the manual page riskroom(1), generated from the clap
//! definitions by clap_mangen. One page holds every command (a jump host has
//! one file to install), so each command's synopsis and options are rendered
//! by clap_mangen under a subsection of COMMANDS rather than as pages of their
//! own; the prose sections (files, environment, exit status) are written here.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::Man;

use super::{Cli, Failure};

pub fn run(out: &mut Vec<u8>) -> Result<ExitCode, Failure> {
    out.write_all(&page()?)?;
    Ok(ExitCode::SUCCESS)
}

const DESCRIPTION: &str = r#".SH DESCRIPTION
riskroom runs a facilitated information-security risk workshop in the terminal:
an information asset register (confidentiality x integrity x availability), an
InfoSec FMEA (severity x occurrence x detection = RPN, with the AIAG-VDA Action
Priority), treatments and Plan-Do-Check-Act cycles. One workshop is one RON
file, kept in git; results go to spreadsheets as CSV.
.PP
Without a command, riskroom opens the workshop screen on SESSION, or a picker of
the sessions it knows. On the screen, \fB?\fR lists every key.
"#;

const FILES: &str = r#".SH FILES
.TP
\fI~/.config/riskroom/config.ron\fR
Settings (RON): \fBtheme\fR, \fBcsv: (delimiter: ";", bom: false)\fR,
\fBpicker_folders\fR, \fBautosave_delay_ms\fR (200 to 1500). A broken file is
reported with its line and column and the defaults are used; an unknown field is
named and ignored. \fBriskroom config\fR shows what is in force.
.TP
\fI~/.config/riskroom/themes/NAME.ron\fR
Your own themes, chosen with \fB\-\-theme NAME\fR.
.TP
\fI~/.local/share/riskroom/\fR
Where "New workshop" in the picker puts sessions; the picker lists it.
.TP
\fISESSION.bak\fR, \fI.SESSION.lock\fR, \fISTEM.recovered-TIME.ron\fR
Beside an open session: the file as opened, who holds it, and a recovery file
written when a save failed at quit or after a crash.
"#;

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
Set and not empty: the monochrome theme, whatever else was chosen.
.TP
\fBRISKROOM_CONFIG\fR
The config file to read instead of the one in the config directory; set and
empty, none.
.TP
\fBLC_ALL\fR, \fBLC_NUMERIC\fR, \fBLANG\fR
Where the locale writes a decimal comma (de, fr, es, it, nl, pt, ru, pl, sv, ...),
CSV files are separated by \fB;\fR unless the config file or \fB\-\-delimiter\fR
says otherwise.
.TP
\fBXDG_CONFIG_HOME\fR, \fBXDG_DATA_HOME\fR
Move the config and data folders above.
"#;

const EXIT_STATUS: &str = r#".SH EXIT STATUS
0 on success; 1 when a command failed (a broken session, a rejected import row,
a directory that cannot be written), with the reason on standard error; 2 for a
mistake on the command line.
"#;

/// The whole page, in roff.
pub fn page() -> std::io::Result<Vec<u8>> {
    let mut cli = Cli::command();
    cli.build();
    let top = Man::new(cli.clone()).source(format!("riskroom {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    out.write_all(DESCRIPTION.as_bytes())?;
    top.render_options_section(&mut out)?;
    writeln!(out, ".SH COMMANDS")?;
    for command in cli.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = format!("riskroom {}", command.get_name());
        writeln!(out, ".SS \"{name}\"")?;
        let man = Man::new(command.clone().bin_name(&name));
        let mut synopsis = Vec::new();
        man.render_synopsis_section(&mut synopsis)?;
        out.write_all(&without_heading(&synopsis))?;
        if let Some(about) = command.get_long_about().or(command.get_about()) {
            writeln!(out, ".PP")?;
            writeln!(out, "{}", escape(&about.to_string()))?;
        }
        let mut options = Vec::new();
        man.render_options_section(&mut options)?;
        out.write_all(&without_heading(&options))?;
    }
    out.write_all(FILES.as_bytes())?;
    out.write_all(ENVIRONMENT.as_bytes())?;
    out.write_all(EXIT_STATUS.as_bytes())?;
    top.render_version_section(&mut out)?;
    Ok(one_preamble(&out))
}

/// The roff crate puts a preamble (`.ie \n(.g .ds Aq …`, `.el .ds Aq '`)
/// before every piece it writes; the page needs it once, at the top.
fn one_preamble(page: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(page.len());
    let mut seen = 0;
    for line in page.split_inclusive(|&b| b == b'\n') {
        let preamble = line.starts_with(b".ie \\n(.g .ds Aq") || line.starts_with(b".el .ds Aq");
        if preamble {
            seen += 1;
            if seen > 2 {
                continue;
            }
        }
        out.extend_from_slice(line);
    }
    out
}

/// clap_mangen's section without its `.SH` line: here it is part of a
/// command's subsection.
fn without_heading(roff: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(roff.len());
    let mut heading_seen = false;
    for line in roff.split_inclusive(|&b| b == b'\n') {
        let heading = !heading_seen && line.starts_with(b".SH ");
        heading_seen |= heading;
        if !heading {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Help text as roff text: a backslash is written `\e`, and a line must not
/// start with a control character.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}
