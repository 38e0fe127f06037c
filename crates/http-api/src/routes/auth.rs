//! `/api/v1/auth`: login, refresh-token rotation with reuse detection, and logout.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use pharmarec_domain::{DomainError, RefreshTokenRecord, Role, UserId};
use uuid::Uuid;

use crate::auth::{RefreshToken, authenticate, hash_refresh_token, issue_access_token};
use crate::dto::{LoginRequest, RefreshRequest, TokenPairDto};
use crate::envelope::{self, Envelope, ErrorEnvelope};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/auth/login").post(login))
        .service(Endpoint::new("/auth/refresh").post(refresh))
        .service(Endpoint::new("/auth/logout").post(logout));
}

/// Exchanges e-mail and password for an access token and a refresh token.
///
/// Attempts are limited per account and per client IP. A wrong password and an unknown e-mail give
/// the same answer after the same bcrypt work.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A new token pair", body = Envelope<TokenPairDto>),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 401, description = "`invalid_credentials`, or `account_disabled` (after the right password)", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
        (status = 429, description = "`rate_limited`: too many attempts for this account or from this IP; see `Retry-After`", body = ErrorEnvelope),
    )
)]
// Neither the e-mail nor the password goes on spans or in logs.
#[tracing::instrument(skip_all)]
pub(crate) async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    Validated(body): Validated<web::Json<LoginRequest>>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let user = authenticate(&state, &req, &email, password).await?;
    let pair = issue_pair(&state, user.id, user.role, Uuid::new_v4()).await?;
    Ok(envelope::ok(pair))
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used or
/// revoked one revokes every token of its login (`refresh_token_reused`).
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair; the old refresh token is spent", body = Envelope<TokenPairDto>),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 401, description = "`invalid_token` (unknown), `token_expired`, `refresh_token_reused` (also after a change of the user's rights) or `account_disabled`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn refresh(
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_refresh_token(&body.refresh_token);
    let record = state
        .refresh_tokens
        .consume_refresh_token(&hash)
        .await?
        .ok_or(ApiError::InvalidToken)?;
    if record.used_at.is_some() || record.revoked_at.is_some() {
        // Someone else holds a copy of this token: end the whole login, for them and the owner.
        state
            .refresh_tokens
            .revoke_refresh_family(record.family_id)
            .await?;
        tracing::warn!(user_id = %record.user_id, family_id = %record.family_id, "refresh token reused; family revoked");
        return Err(ApiError::RefreshTokenReused);
    }
    if record.expires_at <= Utc::now().naive_utc() {
        return Err(ApiError::TokenExpired);
    }
    // The stored role, so a role change applies from the next refresh.
    let user = match state.users.user(record.user_id).await {
        Ok(user) => user,
        Err(DomainError::NotFound { .. }) => return Err(ApiError::InvalidToken),
        Err(error) => return Err(error.into()),
    };
    // Disabling revokes the user's tokens, but a refresh racing it may have stored a new one since.
    if !user.is_enabled() {
        state
            .refresh_tokens
            .revoke_refresh_family(record.family_id)
            .await?;
        return Err(ApiError::AccountDisabled);
    }
    let pair = issue_pair(&state, user.id, user.role, record.family_id).await?;
    Ok(envelope::ok(pair))
}

/// Ends a login: revokes every refresh token of the given token's family. Always `204`, so it does
/// not reveal whether the token existed.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Logged out"),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn logout(
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_refresh_token(&body.refresh_token);
    if let Some(record) = state.refresh_tokens.consume_refresh_token(&hash).await? {
        state
            .refresh_tokens
            .revoke_refresh_family(record.family_id)
            .await?;
        tracing::info!(user_id = %record.user_id, "logged out");
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Signs an access token and stores a new refresh token in `family`.
async fn issue_pair(
    state: &AppState,
    user: UserId,
    role: Role,
    family: Uuid,
) -> Result<TokenPairDto, ApiError> {
    let auth = &state.config.auth;
    let access = issue_access_token(auth, user, role)?;
    let refresh = RefreshToken::generate();
    let ttl = chrono::Duration::from_std(auth.refresh_token_ttl)
        .map_err(|error| ApiError::Internal(Box::new(error)))?;
    state
        .refresh_tokens
        .insert_refresh_token(RefreshTokenRecord {
            token_hash: refresh.hash,
            family_id: family,
            user_id: user,
            expires_at: Utc::now().naive_utc() + ttl,
            used_at: None,
            revoked_at: None,
        })
        .await?;
    Ok(TokenPairDto {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in.as_secs(),
        refresh_token: refresh.token,
        refresh_expires_in: auth.refresh_token_ttl.as_secs(),
    })
}
