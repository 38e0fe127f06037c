//! Layered configuration, lowest precedence first.
//!
//! Built-in defaults → `config/base.toml` → `config/<environment>.toml` → conventional variables
//! (`DATABASE_URL`, `REDIS_URL`) → `PHARMAREC_<SECTION>__<KEY>` variables → command-line flags.
//!
//! The loader takes the environment as a map instead of reading the process environment, so tests build
//! settings from explicit values. Secrets (`database.url`, `redis.url`) are [`SecretString`]: `Debug` on
//! [`Settings`] never prints them. Every key is documented in `docs/configuration.md`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use config::{Config, Environment as EnvSource, File, FileFormat, Map, Source, Value};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub mod interop;
mod keys;
mod operations;

pub use operations::{JobsSettings, LogFormatSetting, LogSettings, TelemetrySettings};

/// Defaults compiled into the binary, so it runs from any directory.
const BUILT_IN_DEFAULTS: &str = include_str!("../../../../config/base.toml");
/// Prefix of PharmaRec's own environment variables.
const ENV_PREFIX: &str = "PHARMAREC";
/// Variable naming the config directory (default `./config`).
pub const CONFIG_DIR_VAR: &str = "PHARMAREC_CONFIG_DIR";

/// Which `config/<environment>.toml` applies.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, strum::Display, strum::EnumString,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Environment {
    /// A developer's machine.
    #[default]
    Local,
    /// Automated tests.
    Test,
    /// Production.
    Production,
}

/// All settings, validated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Selected environment (`PHARMAREC_ENVIRONMENT`).
    #[serde(default)]
    pub environment: Environment,
    /// HTTP server.
    pub server: ServerSettings,
    /// Database.
    pub database: DatabaseSettings,
    /// Redis (optional).
    pub redis: RedisSettings,
    /// Engine snapshot refresh.
    pub catalogue: CatalogueSettings,
    /// HTTP behaviour.
    pub http: HttpSettings,
    /// Logging.
    pub log: LogSettings,
    /// Tokens and passwords.
    pub auth: AuthSettings,
    /// Request rate limits.
    pub rate_limit: RateLimitSettings,
    /// Hot-read cache.
    pub cache: CacheSettings,
    /// Scheduled tasks.
    pub jobs: JobsSettings,
    /// Trace export.
    pub telemetry: TelemetrySettings,
    /// CDS Hooks and FHIR.
    #[serde(default)]
    pub interop: interop::InteropSettings,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// Grace period after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Blocking-task threads per worker; 0 = actix's default (512 / cores).
    pub max_blocking_threads: usize,
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path`, `sqlite:///abs/path` or `postgres://...` (secret: may hold a password).
    pub url: SecretString,
    /// Pool size.
    pub pool_max_size: u32,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: u64,
    /// Apply pending migrations at start-up.
    pub auto_migrate: bool,
    /// Import the embedded catalogue into an empty database at start-up.
    pub auto_import: bool,
}

/// `[redis]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://host:port`; absent = in-process limiter and cache.
    pub url: Option<SecretString>,
    /// Prefix of every key, so several deployments (or tests) can share one Redis.
    pub key_prefix: String,
}

/// `[catalogue]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSettings {
    /// Seconds between catalogue-version checks.
    pub refresh_interval_secs: u64,
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Origins allowed by CORS (empty = no cross-origin access).
    pub cors_allowed_origins: Vec<String>,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
}

/// `[auth]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 signing key (secret; at least 32 bytes).
    pub jwt_secret: Option<SecretString>,
    /// File holding the signing key, for secret managers that mount files.
    pub jwt_secret_file: Option<PathBuf>,
    /// Access-token lifetime.
    pub access_token_ttl_secs: u64,
    /// Refresh-token lifetime.
    pub refresh_token_ttl_secs: u64,
    /// bcrypt work factor (4-31; 12 in production).
    pub bcrypt_cost: u32,
    /// Whether reads under `/api/v1` need a token.
    pub reads_require_auth: bool,
}

/// Shortest accepted signing key: HS256 wants at least its 256-bit output size.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl AuthSettings {
    /// The signing key from `jwt_secret` or `jwt_secret_file`, if either is set.
    ///
    /// # Errors
    /// The file cannot be read, or the key is shorter than [`MIN_JWT_SECRET_BYTES`].
    pub fn signing_key(&self) -> Result<Option<SecretString>, SettingsError> {
        let key = match (&self.jwt_secret, &self.jwt_secret_file) {
            (Some(secret), _) => secret.clone(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .map(|text| SecretString::from(text.trim().to_string()))
                .map_err(|e| SettingsError::Rule {
                    key: "auth.jwt_secret_file",
                    reason: format!("cannot read {}: {}", path.display(), e.kind()),
                })?,
            (None, None) => return Ok(None),
        };
        if key.expose_secret().len() < MIN_JWT_SECRET_BYTES {
            return Err(rule("auth.jwt_secret", "must be at least 32 bytes"));
        }
        Ok(Some(key))
    }
}

/// `[rate_limit]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Requests per minute per client IP, by default.
    pub requests_per_minute: u32,
    /// Overrides by route pattern.
    pub per_route: HashMap<String, u32>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Login attempts per minute per account.
    pub login_attempts_per_minute_per_account: u32,
    /// Login attempts per minute per client IP.
    pub login_attempts_per_minute_per_ip: u32,
}

/// `[cache]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    /// Lifetime of a cached read.
    pub ttl_secs: u64,
    /// Byte budget of the in-process cache (no Redis): the largest part of the server's memory.
    pub max_bytes: usize,
}

/// Values given on the command line; they override every other layer.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--bind`
    pub bind: Option<SocketAddr>,
    /// `--database-url`
    pub database_url: Option<String>,
}

/// Configuration that cannot be used; reported at start with a non-zero exit.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A file, value or type is wrong.
    ///
    /// The `config` error is part of the message and deliberately not a `#[source]`: `main` prints the
    /// cause chain, which would repeat it.
    #[error("invalid configuration: {0}")]
    Invalid(config::ConfigError),
    /// A `PHARMAREC_*` variable that names no setting, e.g. a typo.
    #[error("invalid configuration: unknown setting variable {name} (expected one of {expected})")]
    UnknownVariable {
        /// The variable as set.
        name: String,
        /// The accepted variables, comma-separated.
        expected: String,
    },
    /// A value parsed but breaks a rule.
    #[error("invalid configuration: {key}: {reason}")]
    Rule {
        /// Dotted key.
        key: &'static str,
        /// Why.
        reason: String,
    },
}

impl From<config::ConfigError> for SettingsError {
    fn from(error: config::ConfigError) -> Self {
        Self::Invalid(error)
    }
}

impl Settings {
    /// Loads every layer. `env` stands in for the process environment.
    ///
    /// # Errors
    /// [`SettingsError`] for an unreadable file, unknown key, wrong type or broken rule.
    pub fn load(
        config_dir: Option<&Path>,
        env: &HashMap<String, String>,
        overrides: &Overrides,
    ) -> Result<Self, SettingsError> {
        keys::check_variables(env)?;
        let environment: Environment = match env.get("PHARMAREC_ENVIRONMENT") {
            Some(name) => name.parse().map_err(|_| SettingsError::Rule {
                key: "environment",
                reason: format!("unknown environment '{name}' (local, test or production)"),
            })?,
            None => Environment::default(),
        };
        let dir = config_dir
            .map(Path::to_path_buf)
            .or_else(|| env.get(CONFIG_DIR_VAR).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("config"));
        let mut builder = Config::builder()
            .add_source(File::from_str(BUILT_IN_DEFAULTS, FileFormat::Toml))
            .add_source(File::from(dir.join("base.toml")).required(false))
            .add_source(File::from(dir.join(format!("{environment}.toml"))).required(false))
            .add_source(ConventionalVars::from(env))
            .add_source(
                EnvSource::with_prefix(ENV_PREFIX)
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("http.cors_allowed_origins")
                    .with_list_parse_key("rate_limit.trusted_proxies")
                    .source(Some(settings_variables(env))),
            );
        if let Some(bind) = overrides.bind {
            builder = builder.set_override("server.bind", bind.to_string())?;
        }
        if let Some(url) = &overrides.database_url {
            builder = builder.set_override("database.url", url.clone())?;
        }
        let settings: Self = builder.build()?.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let url = self.database.url.expose_secret();
        if !["sqlite://", "postgres://", "postgresql://"]
            .iter()
            .any(|s| url.starts_with(s))
        {
            // The URL itself is a secret: name the rule, not the value.
            return Err(rule(
                "database.url",
                "must start with sqlite://, postgres:// or postgresql://",
            ));
        }
        if self.database.pool_max_size == 0 {
            return Err(rule("database.pool_max_size", "must be at least 1"));
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.http.max_body_bytes) {
            return Err(rule(
                "http.max_body_bytes",
                "must be between 1024 and 16777216",
            ));
        }
        if !(4..=31).contains(&self.auth.bcrypt_cost) {
            return Err(rule("auth.bcrypt_cost", "must be between 4 and 31"));
        }
        let key = self.auth.signing_key()?;
        if self.environment == Environment::Production && key.is_none() {
            return Err(rule(
                "auth.jwt_secret",
                "is required in production (PHARMAREC_AUTH__JWT_SECRET or PHARMAREC_AUTH__JWT_SECRET_FILE)",
            ));
        }
        if self.rate_limit.requests_per_minute == 0 {
            return Err(rule("rate_limit.requests_per_minute", "must be at least 1"));
        }
        if self.catalogue.refresh_interval_secs == 0 {
            return Err(rule(
                "catalogue.refresh_interval_secs",
                "must be at least 1",
            ));
        }
        if let Some(redis) = &self.redis.url
            && !redis.expose_secret().starts_with("redis://")
        {
            return Err(rule("redis.url", "must start with redis://"));
        }
        operations::validate(&self.jobs, &self.telemetry)
    }
}

/// The environment minus the variables that choose where settings come from rather than being settings.
fn settings_variables(env: &HashMap<String, String>) -> Map<String, String> {
    env.iter()
        .filter(|(name, _)| name.as_str() != CONFIG_DIR_VAR)
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn rule(key: &'static str, reason: &str) -> SettingsError {
    SettingsError::Rule {
        key,
        reason: reason.to_string(),
    }
}

/// `DATABASE_URL` and `REDIS_URL`, below `PHARMAREC_*` in precedence.
#[derive(Debug, Clone)]
struct ConventionalVars(Map<String, Value>);

impl From<&HashMap<String, String>> for ConventionalVars {
    fn from(env: &HashMap<String, String>) -> Self {
        let mut map = Map::new();
        for (var, key) in [("DATABASE_URL", "database.url"), ("REDIS_URL", "redis.url")] {
            if let Some(value) = env.get(var).filter(|v| !v.is_empty()) {
                map.insert(key.to_string(), Value::from(value.clone()));
            }
        }
        Self(map)
    }
}

impl Source for ConventionalVars {
    fn clone_into_box(&self) -> Box<dyn Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<Map<String, Value>, config::ConfigError> {
        Ok(self.0.clone())
    }
}

#[cfg(test)]
mod tests;
