//! Access tokens (HS256 JWTs) and refresh tokens (random, stored only as a SHA-256 hash).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pharmarec_domain::{Role, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::error::ApiError;
use crate::hashing::sha256_hex;

/// `iss` of every access token.
pub(crate) const ISSUER: &str = "pharmarec";
/// `aud` of every access token.
pub(crate) const AUDIENCE: &str = "pharmarec-api";
/// Clock skew tolerated on `exp`: instances share one clock source, so a few seconds suffice.
const LEEWAY_SECONDS: u64 = 5;

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The user.
    pub(crate) sub: UserId,
    /// The user's role when the token was issued.
    pub(crate) role: Role,
    /// Expiry, seconds since the epoch.
    pub(crate) exp: u64,
    /// Issued at, seconds since the epoch.
    pub(crate) iat: u64,
    /// Token id, so two tokens issued in the same second still differ.
    pub(crate) jti: Uuid,
    /// Always [`ISSUER`].
    pub(crate) iss: String,
    /// Always [`AUDIENCE`].
    pub(crate) aud: String,
}

/// A signed access token and how long it lives.
#[derive(Debug)]
pub(crate) struct AccessToken {
    /// The compact JWT.
    pub(crate) token: String,
    /// Its lifetime.
    pub(crate) expires_in: Duration,
}

/// Signs an access token for `user` with `role`.
pub(crate) fn issue_access_token(
    config: &AuthConfig,
    user: UserId,
    role: Role,
) -> Result<AccessToken, ApiError> {
    let iat = jsonwebtoken::get_current_timestamp();
    let claims = Claims {
        sub: user,
        role,
        exp: iat + config.access_token_ttl.as_secs(),
        iat,
        jti: Uuid::new_v4(),
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
    };
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&config.signing_key),
    )
    .map_err(|error| ApiError::Internal(Box::new(error)))?;
    Ok(AccessToken {
        token,
        expires_in: config.access_token_ttl,
    })
}

/// Verifies signature, algorithm (HS256 only: `none` and every other algorithm are refused), expiry,
/// issuer and audience, and returns the claims.
pub(crate) fn verify_access_token(config: &AuthConfig, token: &str) -> Result<Claims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
    validation.leeway = LEEWAY_SECONDS;
    jsonwebtoken::decode::<Claims>(
        token,
        &DecodingKey::from_secret(&config.signing_key),
        &validation,
    )
    .map(|data| data.claims)
    .map_err(|error| match error.kind() {
        ErrorKind::ExpiredSignature => ApiError::TokenExpired,
        // Never echo why: the reason helps forgers more than honest clients.
        _ => ApiError::InvalidToken,
    })
}

/// A new refresh token: what the client gets, and the hash that is stored.
#[derive(Debug)]
pub(crate) struct RefreshToken {
    /// 256 random bits, base64url without padding; handed out once, never stored.
    pub(crate) token: String,
    /// Hex SHA-256 of `token`.
    pub(crate) hash: String,
}

impl RefreshToken {
    /// 256 bits from the operating system's CSPRNG (via `rand`'s thread RNG, seeded from it).
    pub(crate) fn generate() -> Self {
        let mut bytes = [0_u8; 32];
        rand::fill(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = hash_refresh_token(&token);
        Self { token, hash }
    }
}

/// Hex SHA-256 of a refresh token. A fast hash is enough: the token has 256 bits of entropy, so
/// unlike a password it cannot be guessed from its hash.
pub(crate) fn hash_refresh_token(token: &str) -> String {
    sha256_hex(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AuthConfig {
        AuthConfig {
            signing_key: b"unit-test-signing-key-of-32-bytes!".to_vec(),
            access_token_ttl: Duration::from_secs(3600),
            refresh_token_ttl: Duration::from_secs(86_400),
            bcrypt_cost: 4,
            reads_require_auth: false,
        }
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_claims() {
        let user = UserId::new();
        let token = issue_access_token(&config(), user, Role::Pharmacist).unwrap();

        let claims = verify_access_token(&config(), &token.token).unwrap();

        assert_eq!((claims.sub, claims.role), (user, Role::Pharmacist));
        assert_eq!(claims.exp - claims.iat, 3600);
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (RefreshToken::generate(), RefreshToken::generate());

        assert_ne!(a.token, b.token);
        assert_eq!(a.token.len(), 43, "32 bytes in base64url");
        assert_eq!(a.hash.len(), 64);
        assert_eq!(hash_refresh_token(&a.token), a.hash);
    }
}
