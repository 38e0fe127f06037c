//! The `pharmarec` binary: parse the command line, load settings, hand over to the library.

use std::collections::HashMap;
use std::process::ExitCode;

use clap::Parser;
use pharmarec_server::cli::Cli;
use pharmarec_server::settings::Settings;

// Why: glibc malloc was ~38 % of the engine's basket check under callgrind; mimalloc cut its
// instructions by 29 % (issue 14). Only the binary sets it, so the libraries stay allocator-neutral.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env: HashMap<String, String> = std::env::vars().collect();
    let settings = match Settings::load(cli.config_dir.as_deref(), &env, &cli.overrides()) {
        Ok(settings) => settings,
        Err(error) => return pharmarec_server::report_failure(&error.into()),
    };
    match actix_web::rt::System::new().block_on(pharmarec_server::run(cli, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => pharmarec_server::report_failure(&error),
    }
}
