//! The keys of a CDS client: read from a JWK Set (a configured file, or an allow-listed `jku` URL)
//! and chosen by the token's `kid`.
//!
//! CDS Hooks 2.0 ("Trusting CDS Clients"): the client publishes its public keys as a JWK Set; it
//! "MAY make its JWK Set available via a URL identified by the `jku` header field", and "CDS
//! Services SHOULD maintain an allowlist of the `iss` and `jku` fields". A `jku` is fetched only when
//! it is on the token issuer's allow-list (checked by the caller), over HTTPS with the FHIR client's
//! TLS trust and timeout, and cached for [`TTL`]. A `kid` missing from the cached set triggers one
//! refetch, at most once per [`REFETCH_COOLDOWN`]: the `kid` is read before the signature is checked,
//! so anyone could otherwise make every request fetch the EHR's key set.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{
    AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey};
use pharmarec_domain::DomainError;
use pharmarec_http_api::ApiError;

use super::fetch::TIMEOUT;

/// How long a fetched key set is used before it is fetched again.
pub(crate) const TTL: Duration = Duration::from_secs(10 * 60);

/// Shortest time between two refetches forced by an unknown `kid`.
pub(crate) const REFETCH_COOLDOWN: Duration = Duration::from_secs(30);

/// Largest key set read (a few keys are a few kilobytes).
const MAX_BODY: usize = 256 * 1024;

/// Keys with their `kid`; a key without one matches any token (a lone PEM key).
pub(crate) type Keys = Vec<(Option<String>, DecodingKey)>;

/// The keys of `set` that can verify `algorithm`: signature keys (no `use`, or `sig`) of its type
/// (P-384 for ES384, RSA for RS384) whose `alg`, when given, is that algorithm. Others, and keys
/// that do not parse, are skipped: a set may publish keys for other uses.
pub(crate) fn usable_keys(set: &JwkSet, algorithm: Algorithm) -> Keys {
    set.keys
        .iter()
        .filter(|jwk| fits(jwk, algorithm))
        .filter_map(|jwk| {
            let key = DecodingKey::from_jwk(jwk).ok()?;
            Some((jwk.common.key_id.clone(), key))
        })
        .collect()
}

fn fits(jwk: &Jwk, algorithm: Algorithm) -> bool {
    let for_signing = matches!(
        jwk.common.public_key_use,
        None | Some(PublicKeyUse::Signature)
    );
    let same_algorithm = match jwk.common.key_algorithm {
        None => true,
        Some(KeyAlgorithm::ES384) => algorithm == Algorithm::ES384,
        Some(KeyAlgorithm::RS384) => algorithm == Algorithm::RS384,
        Some(_) => false,
    };
    let same_type = match (&jwk.algorithm, algorithm) {
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES384) => {
            ec.curve == EllipticCurve::P384
        }
        (AlgorithmParameters::RSA(_), Algorithm::RS384) => true,
        _ => false,
    };
    for_signing && same_algorithm && same_type
}

/// The key for a token's `kid`.
pub(crate) fn select<'a>(keys: &'a Keys, kid: Option<&str>) -> Option<&'a DecodingKey> {
    keys.iter()
        .find(|(id, _)| id.is_none() || id.as_deref() == kid)
        .map(|(_, key)| key)
}

/// One allow-listed JWK Set URL and what was last fetched from it.
#[derive(Debug)]
pub(crate) struct RemoteJwks {
    url: String,
    algorithm: Algorithm,
    tls: Arc<rustls::ClientConfig>,
    /// Held across a fetch, so concurrent calls wait for one fetch instead of each making theirs.
    cached: tokio::sync::Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    keys: Keys,
    fetched_at: Option<Instant>,
    forced_at: Option<Instant>,
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cached")
            .field("keys", &self.keys.len())
            .field("fetched_at", &self.fetched_at)
            .finish_non_exhaustive()
    }
}

impl RemoteJwks {
    /// The key set at `url` (allow-listed, `https`), for tokens signed with `algorithm`.
    pub(crate) fn new(url: String, algorithm: Algorithm, tls: Arc<rustls::ClientConfig>) -> Self {
        Self {
            url,
            algorithm,
            tls,
            cached: tokio::sync::Mutex::default(),
        }
    }

    /// The key for `kid`: from the cache while it is fresh, else fetched; an unknown `kid` refetches
    /// once unless a forced refetch happened within [`REFETCH_COOLDOWN`].
    ///
    /// # Errors
    /// [`ApiError::InvalidToken`] when no key has this `kid`; [`ApiError::Unavailable`] when the
    /// key set cannot be fetched (the EHR's endpoint is down: the token is not at fault).
    pub(crate) async fn key(&self, kid: Option<&str>) -> Result<DecodingKey, ApiError> {
        let mut cached = self.cached.lock().await;
        let fresh = cached.fetched_at.is_some_and(|at| at.elapsed() < TTL);
        if !fresh {
            self.refresh(&mut cached).await?;
        }
        if let Some(key) = select(&cached.keys, kid) {
            return Ok(key.clone());
        }
        let cooled = cached
            .forced_at
            .is_none_or(|at| at.elapsed() >= REFETCH_COOLDOWN);
        if !fresh || !cooled {
            // Fetched just now, or refetched recently: fetching again would show nothing new.
            return Err(ApiError::InvalidToken);
        }
        cached.forced_at = Some(Instant::now());
        self.refresh(&mut cached).await?;
        select(&cached.keys, kid)
            .cloned()
            .ok_or(ApiError::InvalidToken)
    }

    async fn refresh(&self, cached: &mut Cached) -> Result<(), ApiError> {
        let set = self.fetch().await.map_err(|why| {
            tracing::warn!(url = %self.url, why, "CDS client JWK Set not fetched");
            ApiError::Unavailable(DomainError::unavailable("cds-client-jwks", why))
        })?;
        cached.keys = usable_keys(&set, self.algorithm);
        cached.fetched_at = Some(Instant::now());
        Ok(())
    }

    async fn fetch(&self) -> Result<JwkSet, String> {
        let client = awc::Client::builder()
            .connector(awc::Connector::new().rustls_0_23(self.tls.clone()))
            .timeout(TIMEOUT)
            // The allow-list names where keys come from; a redirect would leave it.
            .disable_redirects()
            .finish();
        let mut response = client
            .get(&self.url)
            .insert_header(("Accept", "application/json"))
            .send()
            .await
            .map_err(|e| format!("no answer in time or connection failed: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status().as_u16()));
        }
        let body = response
            .body()
            .limit(MAX_BODY)
            .await
            .map_err(|e| format!("unreadable body: {e}"))?;
        serde_json::from_slice(&body).map_err(|e| format!("not a JWK Set: {e}"))
    }
}
