//! The `riskroom` command. Everything happens in the library; this only turns its
//! outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    riskroom::cli::main()
}
