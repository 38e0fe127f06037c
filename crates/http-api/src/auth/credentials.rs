//! Checking an e-mail and password, for the API's login and the console's sign-in alike: both count
//! attempts against the same per-IP and per-account limits and do the same bcrypt work.

use actix_web::{HttpRequest, web};
use pharmarec_domain::{Email, User};

use super::verify_password;
use crate::client_ip;
use crate::error::ApiError;
use crate::hashing::sha256_hex;
use crate::middleware::{count_rate, refuse_rate};
use crate::state::AppState;

/// The enabled account with this e-mail and password.
///
/// # Errors
/// `rate_limited` after too many attempts for the account or from the client IP;
/// `invalid_credentials` for an unknown e-mail or a wrong password (same answer, same bcrypt work);
/// `account_disabled`, said only after the right password, so it reveals nothing to a guesser.
// Neither the e-mail nor the password goes on spans or in logs.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    password: String,
) -> Result<User, ApiError> {
    let email = Email::try_from(email.to_owned()).map_err(|_| email.trim().to_lowercase());
    let account = match &email {
        Ok(email) => email.as_str(),
        Err(raw) => raw.as_str(),
    };
    let limits = &state.config.rate_limit;
    let ip = client_ip::resolve(req.peer_addr(), req.headers(), &limits.trusted_proxies)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    // Hashed so limiter keys (in Redis) hold no e-mail addresses.
    for (key, limit) in [
        (
            format!("login:ip:{ip}"),
            limits.login_attempts_per_minute_per_ip,
        ),
        (
            format!("login:account:{}", sha256_hex(account)),
            limits.login_attempts_per_minute_per_account,
        ),
    ] {
        if let Some(decision) = count_rate(state, &key, limit).await {
            refuse_rate(&decision)?;
        }
    }
    let user = match &email {
        Ok(email) => state.users.user_by_email(email).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    let cost = state.config.auth.bcrypt_cost;
    // bcrypt is CPU-bound by design: keep it off the async workers.
    let verified = web::block(move || verify_password(&password, hash.as_deref(), cost))
        .await
        .map_err(|error| ApiError::Internal(Box::new(error)))?;
    state.metrics.observe_password_verification();
    let Some(user) = user.filter(|_| verified) else {
        tracing::info!("login failed");
        return Err(ApiError::InvalidCredentials);
    };
    if !user.is_enabled() {
        tracing::info!(user_id = %user.id, "login refused: account disabled");
        return Err(ApiError::AccountDisabled);
    }
    tracing::info!(user_id = %user.id, "login succeeded");
    Ok(user)
}
