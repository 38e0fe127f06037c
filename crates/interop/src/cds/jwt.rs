//! The CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"): `Authorization: Bearer <JWT>`
//! signed by the EHR with `iss`, `sub`, `aud` (the service's URL), `exp`, `iat` and `jti`.
//!
//! When issuers are configured, every service call and feedback must carry a token of one of them,
//! signed with its configured algorithm (ES384 or RS384, the two the spec recommends) and key —
//! from its `key_file`, or from the JWK Set its `jku` header names when that URL is on the issuer's
//! allow-list (see [`super::jwks`]) — with `exp` at most [`MAX_LIFETIME_SECS`] ahead, and not used
//! before (see [`super::replay`]); anything else is a 401. When none is configured, calls are not
//! authenticated at all (see `docs/INTEROPERABILITY.md`: the routes must then sit behind a private
//! network or gateway).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpRequest;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use pharmarec_http_api::{ApiError, bearer_token};
use serde::Deserialize;

use super::jwks::{self, Keys, RemoteJwks};
use super::replay::{ReplayGuard, SharedReplayStore};
use crate::error::InteropError;

/// Longest token lifetime accepted: `exp` at most this far ahead (plus the clock leeway). CDS Hooks
/// sets no bound; five minutes is SMART Backend Services' rule for the same kind of authentication
/// JWT, and a bound is what lets the replay record forget a token.
pub(crate) const MAX_LIFETIME_SECS: u64 = 5 * 60;

/// One EHR trusted to call the CDS services (`[[interop.cds_trusted_issuers]]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedIssuer {
    /// The token's `iss`, exactly.
    pub iss: String,
    /// A PEM public key, or a JWK Set document (keys chosen by the token's `kid`), for tokens without
    /// a `jku` header.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// The `https` JWK Set URLs this issuer's tokens may name in their `jku` header, exactly as
    /// written there; a token naming any other is refused.
    #[serde(default)]
    pub jku_allowlist: Vec<String>,
    /// `ES384` or `RS384`.
    pub algorithm: String,
}

/// The verifier built at start-up; no issuer = tokens not checked.
#[derive(Debug)]
pub(crate) struct CdsAuth {
    /// The services' public base URL: `aud` must be `{base}/cds-services/{id}`.
    audience_base: String,
    issuers: HashMap<String, IssuerKeys>,
    replay: ReplayGuard,
}

struct IssuerKeys {
    algorithm: Algorithm,
    /// From `key_file`; empty without one.
    keys: Keys,
    /// The allow-listed `jku` URLs and their fetched key sets.
    remote: HashMap<String, RemoteJwks>,
}

impl std::fmt::Debug for IssuerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKeys")
            .field("algorithm", &self.algorithm)
            .field("keys", &self.keys.len())
            .field("remote", &self.remote.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl IssuerKeys {
    /// The key for a token with `header`: from its allow-listed `jku`, else from `key_file`.
    async fn key(&self, header: &Header) -> Result<DecodingKey, ApiError> {
        let kid = header.kid.as_deref();
        match &header.jku {
            Some(url) => {
                let remote = self.remote.get(url).ok_or_else(|| {
                    tracing::warn!(jku = %url, "CDS client token names a jku not allow-listed for its issuer");
                    ApiError::InvalidToken
                })?;
                remote.key(kid).await
            }
            None => jwks::select(&self.keys, kid)
                .cloned()
                .ok_or(ApiError::InvalidToken),
        }
    }
}

/// The claims CDS Hooks requires besides those `Validation` checks; missing ones fail decoding.
#[derive(Deserialize)]
struct RequiredClaims {
    #[serde(rename = "iat")]
    _iat: i64,
    exp: u64,
    jti: String,
}

/// Just the issuer, read before the signature is checked to choose the key.
#[derive(Deserialize)]
struct Issuer {
    iss: String,
}

impl CdsAuth {
    /// The verifier for `issuers`; `public_base_url` is required when there are any. `tls` is the
    /// trust for fetching `jku` key sets, `shared` the Redis for the replay record, if any.
    pub(crate) fn new(
        public_base_url: Option<&str>,
        issuers: &[TrustedIssuer],
        tls: &Arc<rustls::ClientConfig>,
        shared: Option<&SharedReplayStore>,
    ) -> Result<Self, InteropError> {
        let audience_base = match (public_base_url, issuers.first()) {
            (_, None) => String::new(),
            (Some(base), Some(_)) => base.trim_end_matches('/').to_string(),
            (None, Some(first)) => {
                return Err(InteropError::TrustedIssuer {
                    iss: first.iss.clone(),
                    reason: "interop.cds_public_base_url must be set to check the token's aud"
                        .into(),
                });
            }
        };
        let issuers = issuers
            .iter()
            .map(|issuer| Ok((issuer.iss.clone(), keys_of(issuer, tls)?)))
            .collect::<Result<_, InteropError>>()?;
        Ok(Self {
            audience_base,
            issuers,
            replay: ReplayGuard::new(shared)?,
        })
    }

    /// Checks the call's JWT for service `service_id`, and records its `jti` so it is not accepted
    /// again; always `Ok` when no issuer is configured.
    pub(crate) async fn verify(
        &self,
        request: &HttpRequest,
        service_id: &str,
    ) -> Result<(), ApiError> {
        if self.issuers.is_empty() {
            return Ok(());
        }
        let token = bearer_token(request)?.ok_or(ApiError::Unauthenticated)?;
        let invalid = |_| ApiError::InvalidToken;
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        let claimed = jsonwebtoken::dangerous::insecure_decode::<Issuer>(token).map_err(invalid)?;
        let iss = claimed.claims.iss;
        let issuer = self.issuers.get(&iss).ok_or(ApiError::InvalidToken)?;
        let key = issuer.key(&header).await?;
        let mut validation = Validation::new(issuer.algorithm);
        validation.set_issuer(&[&iss]);
        validation.set_audience(&[format!("{}/cds-services/{service_id}", self.audience_base)]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<RequiredClaims>(token, &key, &validation)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => ApiError::TokenExpired,
                _ => ApiError::InvalidToken,
            })?
            .claims;
        let now = jsonwebtoken::get_current_timestamp();
        if claims.exp > now + MAX_LIFETIME_SECS + validation.leeway {
            return Err(ApiError::InvalidToken);
        }
        // Accepted until exp + leeway: the replay record must remember the token that long.
        let accepted_until = claims.exp + validation.leeway;
        let ttl = Duration::from_secs(accepted_until.saturating_sub(now).max(1));
        self.replay.first_use(&iss, &claims.jti, ttl).await
    }
}

fn keys_of(
    issuer: &TrustedIssuer,
    tls: &Arc<rustls::ClientConfig>,
) -> Result<IssuerKeys, InteropError> {
    let bad = |reason: String| InteropError::TrustedIssuer {
        iss: issuer.iss.clone(),
        reason,
    };
    let algorithm = match issuer.algorithm.as_str() {
        "ES384" => Algorithm::ES384,
        "RS384" => Algorithm::RS384,
        other => {
            return Err(bad(format!(
                "algorithm {other}: CDS Hooks requires ES384 or RS384"
            )));
        }
    };
    if issuer.key_file.is_none() && issuer.jku_allowlist.is_empty() {
        return Err(bad("set key_file, jku_allowlist or both".into()));
    }
    let keys = match &issuer.key_file {
        Some(path) => file_keys(path, algorithm).map_err(bad)?,
        None => Vec::new(),
    };
    let remote = issuer
        .jku_allowlist
        .iter()
        .map(|url| {
            // Keys fetched in clear could be swapped on the way: only verified TLS is trusted.
            if !url.starts_with("https://") {
                return Err(bad(format!("jku_allowlist: {url} is not an https URL")));
            }
            let jwks = RemoteJwks::new(url.clone(), algorithm, tls.clone());
            Ok((url.clone(), jwks))
        })
        .collect::<Result<_, _>>()?;
    Ok(IssuerKeys {
        algorithm,
        keys,
        remote,
    })
}

/// The keys of a PEM public key or JWK Set file.
fn file_keys(path: &std::path::Path, algorithm: Algorithm) -> Result<Keys, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), e.kind()))?;
    let keys = if text.trim_ascii_start().starts_with(b"{") {
        let set: JwkSet = serde_json::from_slice(&text).map_err(|e| format!("JWKS: {e}"))?;
        jwks::usable_keys(&set, algorithm)
    } else {
        let key = match algorithm {
            Algorithm::ES384 => DecodingKey::from_ec_pem(&text),
            _ => DecodingKey::from_rsa_pem(&text),
        };
        vec![(None, key.map_err(|e| format!("PEM public key: {e}"))?)]
    };
    if keys.is_empty() {
        return Err(format!(
            "{}: no {algorithm:?} signature key in the file",
            path.display()
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests;
