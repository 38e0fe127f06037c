//! The `pharmarec` command line: `serve` (default), `migrate`, `import`, `import-catalogue`,
//! `import-interactions`, `demo-stock`, `user`.

mod demo_stock;
mod files;
mod import;
mod migrate;
mod progress;
mod user;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use pharmarec_domain::imports::{LicensedFormat, LicensedSourceName};
use pharmarec_domain::{PharmacyId, Role};

use crate::settings::Overrides;

pub use demo_stock::{DEMO_PHARMACY_NAME, demo_stock};
pub use files::{LicensedFiles, import_catalogue, import_interactions};
pub use import::import;
pub use migrate::migrate;
pub use user::{create_user, read_password};

/// PharmaRec: medicine recommendations, substitutes and interaction checks for pharmacies.
#[derive(Debug, Parser)]
#[command(name = "pharmarec", version)]
pub struct Cli {
    /// Directory holding `base.toml` and `<environment>.toml` (default: `./config`, or `PHARMAREC_CONFIG_DIR`).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        bind: Option<SocketAddr>,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Apply, revert or list database migrations.
    Migrate {
        /// up, down or status.
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load the catalogue (the embedded copy, or --dir) in one all-or-nothing transaction.
    Import {
        /// Dataset directory with the CSV files of data/ (default: the copy embedded in the binary).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Import a pharmacy's own product list (CSV; docs/IMPORTING.md) in one transaction.
    ImportCatalogue {
        /// The CSV file.
        file: PathBuf,
        /// Pharmacy whose stock and prices the quantity/price_minor/currency columns set.
        #[arg(long, value_name = "PHARMACY_ID")]
        pharmacy: Option<PharmacyId>,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Import interaction knowledge you license as its own source (CSV; docs/IMPORTING.md).
    ImportInteractions {
        /// generic or ddinter.
        #[arg(long)]
        format: LicensedFormat,
        /// Name of the source; importing under an existing name replaces that source.
        #[arg(long)]
        source_name: LicensedSourceName,
        /// Label shown with each finding (default: the format's, or the name).
        #[arg(long)]
        label: Option<String>,
        /// Where the source is published.
        #[arg(long)]
        url: Option<String>,
        /// The files, imported together as one source.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Create a SYNTHETIC demo pharmacy stocking every OTC product with made-up quantities and prices.
    DemoStock {
        /// ISO 4217 currency of the made-up prices.
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Manage accounts.
    User {
        /// create
        #[command(subcommand)]
        action: UserAction,
    },
}

/// Account actions.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account; the password is prompted for (or read from one line of stdin).
    Create {
        /// Login e-mail.
        #[arg(long)]
        email: String,
        /// admin, pharmacist or viewer.
        #[arg(long)]
        role: Role,
        /// Pharmacy a pharmacist may write stock for (repeatable).
        #[arg(long = "pharmacy", value_name = "PHARMACY_ID")]
        pharmacies: Vec<PharmacyId>,
        #[command(flatten)]
        database: DatabaseArg,
    },
}

/// Migration actions.
#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Revert the latest migration (or all with --all).
    Down {
        /// Revert every migration.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// List migrations and whether each is applied.
    Status {
        #[command(flatten)]
        database: DatabaseArg,
    },
}

/// `--database-url`, shared by every subcommand that touches the database.
#[derive(Debug, Clone, Default, Args)]
pub struct DatabaseArg {
    /// sqlite://relative.db, sqlite:///absolute.db or postgres://user@host/db.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl Cli {
    /// The command-line layer of the settings.
    pub fn overrides(&self) -> Overrides {
        let (bind, database) = match &self.command {
            None => (None, None),
            Some(Command::Serve { bind, database }) => (*bind, Some(database)),
            Some(Command::Import { database, .. })
            | Some(Command::ImportCatalogue { database, .. })
            | Some(Command::ImportInteractions { database, .. })
            | Some(Command::DemoStock { database, .. })
            | Some(Command::User {
                action: UserAction::Create { database, .. },
            }) => (None, Some(database)),
            Some(Command::Migrate { action }) => match action {
                MigrateAction::Up { database }
                | MigrateAction::Down { database, .. }
                | MigrateAction::Status { database } => (None, Some(database)),
            },
        };
        Overrides {
            bind,
            database_url: database.and_then(|d| d.database_url.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bare_invocation_serves() {
        let cli = Cli::parse_from(["pharmarec"]);
        assert!(cli.command.is_none());
    }

    #[test]
    fn flags_become_overrides() {
        let cli = Cli::parse_from([
            "pharmarec",
            "serve",
            "--bind",
            "127.0.0.1:9000",
            "--database-url",
            "sqlite://x.db",
        ]);
        let overrides = cli.overrides();
        assert_eq!(overrides.bind.unwrap().port(), 9000);
        assert_eq!(overrides.database_url.as_deref(), Some("sqlite://x.db"));
        let down = Cli::parse_from([
            "pharmarec",
            "migrate",
            "down",
            "--all",
            "--database-url",
            "sqlite://y.db",
        ]);
        assert_eq!(
            down.overrides().database_url.as_deref(),
            Some("sqlite://y.db")
        );
    }

    #[test]
    fn user_create_takes_no_password_argument() {
        let cli = Cli::parse_from([
            "pharmarec",
            "user",
            "create",
            "--email",
            "a@b.org",
            "--role",
            "admin",
        ]);
        assert!(matches!(cli.command, Some(Command::User { .. })));
        let with_password = [
            "pharmarec",
            "user",
            "create",
            "--email",
            "a@b.org",
            "--role",
            "admin",
            "--password",
            "x",
        ];
        assert!(Cli::try_parse_from(with_password).is_err());
        assert!(
            Cli::try_parse_from([
                "pharmarec",
                "user",
                "create",
                "--email",
                "a@b.org",
                "--role",
                "root"
            ])
            .is_err()
        );
    }

    #[test]
    fn import_interactions_needs_a_valid_source_name_and_a_file() {
        let cli = Cli::parse_from([
            "pharmarec",
            "import-interactions",
            "--format",
            "ddinter",
            "--source-name",
            "ddinter_2",
            "a.csv",
            "b.csv",
        ]);
        assert!(matches!(
            cli.command,
            Some(Command::ImportInteractions { ref files, .. }) if files.len() == 2
        ));
        let base = ["pharmarec", "import-interactions", "--format", "generic"];
        assert!(
            Cli::try_parse_from([&base[..], &["--source-name", "ansm_2020", "a.csv"]].concat())
                .is_err()
        );
        assert!(Cli::try_parse_from([&base[..], &["--source-name", "mine"]].concat()).is_err());
    }

    #[test]
    fn unknown_migrate_action_is_rejected() {
        assert!(Cli::try_parse_from(["pharmarec", "migrate", "sideways"]).is_err());
    }
}
