//! The CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"): `Authorization: Bearer <JWT>`
//! signed by the EHR with `iss`, `sub`, `aud` (the service's URL), `exp`, `iat` and `jti`.
//!
//! When issuers are configured, every service call and feedback must carry a token of one of them,
//! signed with its configured algorithm (ES384 or RS384, as the spec requires) and key; anything
//! else is a 401. When none is configured, calls are not authenticated at all (see
//! `docs/INTEROPERABILITY.md`: the routes must then sit behind a private network or gateway).

use std::collections::HashMap;
use std::path::PathBuf;

use actix_web::HttpRequest;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use pharmarec_http_api::{ApiError, bearer_token};
use serde::Deserialize;

use crate::error::InteropError;

/// One EHR trusted to call the CDS services (`[[interop.cds_trusted_issuers]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedIssuer {
    /// The token's `iss`, exactly.
    pub iss: String,
    /// A PEM public key, or a JWKS JSON document (keys chosen by the token's `kid`).
    pub key_file: PathBuf,
    /// `ES384` or `RS384`.
    pub algorithm: String,
}

/// The verifier built at start-up; empty = tokens not checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct CdsAuth {
    /// The services' public base URL: `aud` must be `{base}/cds-services/{id}`.
    audience_base: String,
    issuers: HashMap<String, IssuerKeys>,
}

#[derive(Clone)]
struct IssuerKeys {
    algorithm: Algorithm,
    keys: Vec<(Option<String>, DecodingKey)>,
}

impl std::fmt::Debug for IssuerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKeys")
            .field("algorithm", &self.algorithm)
            .field("keys", &self.keys.len())
            .finish()
    }
}

/// The claims CDS Hooks requires besides those `Validation` checks; missing ones fail decoding.
#[derive(Deserialize)]
struct RequiredClaims {
    #[serde(rename = "iat")]
    _iat: i64,
    #[serde(rename = "jti")]
    _jti: String,
}

/// Just the issuer, read before the signature is checked to choose the key.
#[derive(Deserialize)]
struct Issuer {
    iss: String,
}

impl CdsAuth {
    /// The verifier for `issuers`; `public_base_url` is required when there are any.
    pub(crate) fn new(
        public_base_url: Option<&str>,
        issuers: &[TrustedIssuer],
    ) -> Result<Self, InteropError> {
        if issuers.is_empty() {
            return Ok(Self::default());
        }
        let audience_base = public_base_url
            .map(|base| base.trim_end_matches('/').to_string())
            .ok_or_else(|| InteropError::TrustedIssuer {
                iss: issuers[0].iss.clone(),
                reason: "interop.cds_public_base_url must be set to check the token's aud".into(),
            })?;
        let issuers = issuers
            .iter()
            .map(|issuer| Ok((issuer.iss.clone(), keys_of(issuer)?)))
            .collect::<Result<_, InteropError>>()?;
        Ok(Self {
            audience_base,
            issuers,
        })
    }

    /// Checks the call's JWT for service `service_id`; always `Ok` when no issuer is configured.
    pub(crate) fn verify(&self, request: &HttpRequest, service_id: &str) -> Result<(), ApiError> {
        if self.issuers.is_empty() {
            return Ok(());
        }
        let token = bearer_token(request)?.ok_or(ApiError::Unauthenticated)?;
        let invalid = |_| ApiError::InvalidToken;
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        let claimed = jsonwebtoken::dangerous::insecure_decode::<Issuer>(token).map_err(invalid)?;
        let issuer = self
            .issuers
            .get(&claimed.claims.iss)
            .ok_or(ApiError::InvalidToken)?;
        let key = issuer
            .keys
            .iter()
            .find(|(kid, _)| kid.is_none() || *kid == header.kid)
            .map(|(_, key)| key)
            .ok_or(ApiError::InvalidToken)?;
        let mut validation = Validation::new(issuer.algorithm);
        validation.set_issuer(&[&claimed.claims.iss]);
        validation.set_audience(&[format!("{}/cds-services/{service_id}", self.audience_base)]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<RequiredClaims>(token, key, &validation)
            .map(|_| ())
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => ApiError::TokenExpired,
                _ => ApiError::InvalidToken,
            })
    }
}

fn keys_of(issuer: &TrustedIssuer) -> Result<IssuerKeys, InteropError> {
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
    let text = std::fs::read(&issuer.key_file)
        .map_err(|e| bad(format!("{}: {}", issuer.key_file.display(), e.kind())))?;
    let keys = if text.trim_ascii_start().starts_with(b"{") {
        let set: JwkSet = serde_json::from_slice(&text).map_err(|e| bad(format!("JWKS: {e}")))?;
        set.keys
            .iter()
            .map(|jwk| {
                DecodingKey::from_jwk(jwk)
                    .map(|key| (jwk.common.key_id.clone(), key))
                    .map_err(|e| bad(format!("JWKS key: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?
    } else {
        let key = match algorithm {
            Algorithm::ES384 => DecodingKey::from_ec_pem(&text),
            _ => DecodingKey::from_rsa_pem(&text),
        };
        vec![(None, key.map_err(|e| bad(format!("PEM public key: {e}")))?)]
    };
    if keys.is_empty() {
        return Err(bad("no key in the file".into()));
    }
    Ok(IssuerKeys { algorithm, keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(algorithm: &str) -> TrustedIssuer {
        TrustedIssuer {
            iss: "https://ehr.synthetic.test".into(),
            key_file: PathBuf::from("/nonexistent/synthetic-key.pem"),
            algorithm: algorithm.into(),
        }
    }

    #[test]
    fn setup_refuses_what_cannot_be_verified() {
        let base = Some("https://pharmarec.synthetic.test");
        // The spec requires ES384 or RS384; a shared-secret algorithm would let anyone sign.
        let error = CdsAuth::new(base, &[issuer("HS256")]).unwrap_err();
        assert!(error.to_string().contains("ES384 or RS384"), "{error}");
        let error = CdsAuth::new(None, &[issuer("ES384")]).unwrap_err();
        assert!(error.to_string().contains("cds_public_base_url"), "{error}");
        let error = CdsAuth::new(base, &[issuer("ES384")]).unwrap_err();
        assert!(error.to_string().contains("synthetic-key.pem"), "{error}");
        assert!(CdsAuth::new(None, &[]).unwrap().issuers.is_empty());
    }
}
