//! The `pharmarec` binary: parse the command line, load settings, hand over to the library.

use std::collections::HashMap;
use std::process::ExitCode;

use clap::Parser;
use pharmarec_server::cli::Cli;
use pharmarec_server::settings::Settings;

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
