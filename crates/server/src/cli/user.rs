//! `pharmarec user create --email --role [--pharmacy ID]...`: creates an account, typically the first
//! admin. The password comes from a no-echo prompt on a terminal, or one line of standard input.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use pharmarec_domain::account::password_policy;
use pharmarec_domain::ports::UserRepository;
use pharmarec_domain::{AuditContext, Email, NewUser, PharmacyId, Role};

use crate::database;
use crate::settings::Settings;

/// Creates the user and writes its id to `out`.
///
/// # Errors
/// Invalid e-mail or password, an e-mail already taken, or a database failure.
pub async fn create_user(
    settings: &Settings,
    email: &str,
    role: Role,
    pharmacies: Vec<PharmacyId>,
    password: String,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let email: Email = email.parse()?;
    password_policy::check(&password, email.as_str())?;
    let cost = settings.auth.bcrypt_cost;
    let hash =
        tokio::task::spawn_blocking(move || pharmarec_http_api::hash_password(&password, cost))
            .await
            .context("password hashing task failed")??;
    let new_user = NewUser {
        email,
        role,
        password_hash: hash,
        pharmacies,
    };
    let user = database::with_database(&settings.database, true, |db| async move {
        Ok(db.create_user(new_user, &AuditContext::cli()).await?)
    })
    .await?;
    writeln!(out, "created {} {} ({})", user.role, user.email, user.id)?;
    Ok(())
}

/// Reads a new password: twice without echo on a terminal, else one line of standard input.
///
/// # Errors
/// The two entries differ, or standard input cannot be read.
pub fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("password: ")?;
        let again = rpassword::prompt_password("password again: ")?;
        if first != again {
            bail!("the passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
