//! Security-related settings the server resolves and passes in: tokens, rate limits and the cache.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// Accounts and tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// HS256 key signing and verifying access tokens; the server reads it from the environment or a
    /// secret file. Never printed.
    pub signing_key: Vec<u8>,
    /// Lifetime of an access token (1 hour in production).
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token.
    pub refresh_token_ttl: Duration,
    /// bcrypt cost for new hashes and for the dummy hash of unknown e-mails (12; tests lower it).
    pub bcrypt_cost: u32,
    /// When `true`, every read needs a valid access token; otherwise anonymous reads are allowed.
    pub reads_require_auth: bool,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key is a secret: Debug output ends up in logs.
        f.debug_struct("AuthConfig")
            .field("signing_key", &"<redacted>")
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("reads_require_auth", &self.reads_require_auth)
            .finish()
    }
}

/// Request rate limits, counted per client IP in fixed one-minute windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Requests per minute per client IP for routes without their own limit.
    pub requests_per_minute: u32,
    /// Per-route limits keyed by route pattern (`/api/v1/recommendations`), each counted separately.
    pub per_route: HashMap<String, u32>,
    /// Peers whose `X-Forwarded-For` is believed; from any other peer the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// Login attempts per minute for one e-mail address, whatever the client.
    pub login_attempts_per_minute_per_account: u32,
    /// Login attempts per minute from one client IP, whatever the e-mail.
    pub login_attempts_per_minute_per_ip: u32,
}

/// The response cache for hot reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// How long a cached response is served.
    pub ttl: Duration,
}
