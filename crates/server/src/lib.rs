//! PharmaRec server: configuration, command line, dependency wiring, start-up and graceful shutdown.
//!
//! The only crate that knows every concrete type: it opens the database (`pharmarec-repository`),
//! builds the engine snapshot (`pharmarec-recommendation`), and hands both to the HTTP layer
//! (`pharmarec-http-api`) as `Arc<dyn Port>`. `main.rs` stays thin; tests build the same
//! [`startup::Application`] from explicit [`settings::Settings`].

pub mod cli;
pub mod database;
pub mod dataset;
pub mod jobs;
pub mod knowledge_refresh;
pub mod redis_adapters;
pub mod refreshing_imports;
pub mod settings;
pub mod snapshot_backed_medicines;
pub mod startup;

use std::io::Write;
use std::process::ExitCode;

use cli::{Cli, Command, UserAction};
use settings::{LogFormatSetting, Settings};

/// Runs the command the user asked for.
///
/// # Errors
/// Whatever stopped the command; `main` prints it and exits non-zero.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    let format = match settings.log.format {
        LogFormatSetting::Human => pharmarec_observability::LogFormat::Human,
        LogFormatSetting::Json => pharmarec_observability::LogFormat::Json,
    };
    // Held until the command ends, so buffered spans are exported before exit.
    let _telemetry = pharmarec_observability::init_tracing(
        format,
        &settings.log.filter,
        settings.telemetry.otlp_endpoint(),
    )?;
    // Unlocked on purpose: holding `stdout().lock()` here would block every log line the server's
    // worker threads write for as long as it runs.
    let mut stdout = std::io::stdout();
    match cli.command {
        None | Some(Command::Serve { .. }) => {
            let app = startup::Application::build(settings).await?;
            tracing::info!(port = app.port(), "pharmarec listening");
            app.run_until_stopped().await?;
        }
        Some(Command::Migrate { action }) => cli::migrate(&settings, &action, &mut stdout).await?,
        Some(Command::Import { dir, .. }) => {
            cli::import(&settings, dir, &mut stdout).await?;
        }
        Some(Command::ImportCatalogue { file, pharmacy, .. }) => {
            cli::import_catalogue(&settings, &file, pharmacy, &mut stdout).await?;
        }
        Some(Command::ImportInteractions {
            format,
            source_name,
            label,
            url,
            files,
            ..
        }) => {
            let request = cli::LicensedFiles {
                format,
                name: source_name,
                label,
                url,
                files,
            };
            cli::import_interactions(&settings, request, &mut stdout).await?;
        }
        Some(Command::DemoStock { currency, .. }) => {
            cli::demo_stock(&settings, &currency, &mut stdout).await?;
        }
        Some(Command::User {
            action:
                UserAction::Create {
                    email,
                    role,
                    pharmacies,
                    ..
                },
        }) => {
            let password = cli::read_password()?;
            cli::create_user(&settings, &email, role, pharmacies, password, &mut stdout).await?;
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Prints a failure with its causes on stderr and returns the exit code.
pub fn report_failure(error: &anyhow::Error) -> ExitCode {
    // `{:#}` prints the cause chain on one line; no backtrace, no secrets (they never enter errors).
    let _ = writeln!(std::io::stderr(), "pharmarec: {error:#}");
    ExitCode::FAILURE
}
