//! Which `PHARMAREC_*` variables are settings, checked before the layers are merged.
//!
//! The `config` crate reports an unknown variable as an unknown field of whatever section it lands in,
//! without saying it came from the environment. A variable such as `PHARMAREC_GIT_COMMIT` set by some
//! other tool then reads as a broken config file. Checking the names here lets the error name the
//! variable itself.

use std::collections::HashMap;

use super::{CONFIG_DIR_VAR, ENV_PREFIX, SettingsError};

/// Every setting key; `docs/configuration.md` documents each (a test keeps the two in step).
pub(super) const KNOWN_KEYS: &[&str] = &[
    "environment",
    "server.bind",
    "server.workers",
    "server.shutdown_timeout_secs",
    "server.max_blocking_threads",
    "database.url",
    "database.pool_max_size",
    "database.connect_timeout_secs",
    "database.auto_migrate",
    "database.auto_import",
    "redis.url",
    "redis.key_prefix",
    "auth.jwt_secret",
    "auth.jwt_secret_file",
    "auth.access_token_ttl_secs",
    "auth.refresh_token_ttl_secs",
    "auth.bcrypt_cost",
    "auth.reads_require_auth",
    "rate_limit.requests_per_minute",
    "rate_limit.per_route",
    "rate_limit.trusted_proxies",
    "rate_limit.login_attempts_per_minute_per_account",
    "rate_limit.login_attempts_per_minute_per_ip",
    "cache.ttl_secs",
    "cache.max_bytes",
    "catalogue.refresh_interval_secs",
    "http.cors_allowed_origins",
    "http.max_body_bytes",
    "log.format",
    "log.filter",
    "jobs.enabled",
    "jobs.poll_interval_secs",
    "jobs.refresh_token_cleanup_interval_secs",
    "jobs.low_stock_interval_secs",
    "telemetry.otlp_endpoint",
    "interop.fhir_extra_ca_file",
    "interop.cds_public_base_url",
    "interop.cds_trusted_issuers",
];

/// The environment variable that sets `key`: `server.bind` → `PHARMAREC_SERVER__BIND`.
pub(super) fn variable_for(key: &str) -> String {
    format!("{ENV_PREFIX}_{}", key.replace('.', "__").to_uppercase())
}

/// Refuses the first (by name) `PHARMAREC_*` variable that names no setting.
///
/// # Errors
/// [`SettingsError::UnknownVariable`] naming the variable and the accepted ones.
pub(super) fn check_variables(env: &HashMap<String, String>) -> Result<(), SettingsError> {
    let prefix = format!("{ENV_PREFIX}_");
    let known: Vec<String> = KNOWN_KEYS.iter().map(|key| variable_for(key)).collect();
    let mut unknown: Vec<&String> = env
        .keys()
        .filter(|name| name.starts_with(&prefix) && name.as_str() != CONFIG_DIR_VAR)
        .filter(|name| !known.contains(name))
        .collect();
    unknown.sort();
    match unknown.first() {
        Some(name) => Err(SettingsError::UnknownVariable {
            name: (*name).clone(),
            expected: known.join(", "),
        }),
        None => Ok(()),
    }
}
