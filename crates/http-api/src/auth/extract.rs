//! Extractors for the caller: who they are (bearer access token), whether their role passes a policy,
//! and the audit context of a write.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use pharmarec_domain::{AuditContext, DomainError, Role, User, UserId};

use super::policy::Policy;
use super::tokens::verify_access_token;
use crate::client_ip;
use crate::error::ApiError;
use crate::middleware::RequestId;
use crate::state::AppState;

/// A caller with a valid access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AuthenticatedUser {
    /// The user (`sub`).
    pub(crate) id: UserId,
    /// The role the token was issued with.
    pub(crate) role: Role,
}

fn state(req: &HttpRequest) -> Result<&AppState, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .map(|data| data.get_ref())
        .ok_or_else(|| ApiError::Internal("AppState is not registered".into()))
}

/// The token of the `Authorization: Bearer` header; `None` without the header.
///
/// # Errors
/// `InvalidToken` when the header is not text or names another scheme.
pub fn bearer_token(req: &HttpRequest) -> Result<Option<&str>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| Some(token.trim()))
        .ok_or(ApiError::InvalidToken)
}

/// The caller named by the `Authorization: Bearer` header: `None` without the header, an error when
/// it is present but not a valid access token (a bad token is refused, never treated as anonymous).
///
/// Verification is one HMAC, so extractors and middleware call this rather than share a cache.
pub(crate) fn caller(req: &HttpRequest) -> Result<Option<AuthenticatedUser>, ApiError> {
    let Some(token) = bearer_token(req)? else {
        return Ok(None);
    };
    let claims = verify_access_token(&state(req)?.config.auth, token)?;
    Ok(Some(AuthenticatedUser {
        id: claims.sub,
        role: claims.role,
    }))
}

impl FromRequest for AuthenticatedUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(caller(req).and_then(|user| user.ok_or(ApiError::Unauthenticated)))
    }
}

/// The caller of a read: anonymous allowed unless `reads_require_auth` is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MaybeUser(pub(crate) Option<AuthenticatedUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let result = caller(req).and_then(|user| match user {
            None if state(req)?.config.auth.reads_require_auth => Err(ApiError::Unauthenticated),
            user => Ok(Self(user)),
        });
        ready(result)
    }
}

/// For read surfaces mounted beside the API (the FHIR read side): when `reads_require_auth` is
/// set, a valid access token is required; otherwise the route stays public and no token is read.
///
/// # Errors
/// `Unauthenticated` without a token, `InvalidToken` / `TokenExpired` for a bad one.
pub fn check_read_access(req: &HttpRequest) -> Result<(), ApiError> {
    if !state(req)?.config.auth.reads_require_auth {
        return Ok(());
    }
    caller(req)?.map(drop).ok_or(ApiError::Unauthenticated)
}

/// An authenticated caller whose *stored* account passes policy `P`.
///
/// # Implementation Notes
/// The token's role is not trusted here: the account is loaded from the user repository on every
/// privileged request, so a demotion, a membership change or a disable applies at once rather than
/// when the access token expires. A disabled account gets `401 account_disabled`; a deleted one, or a
/// role that fails `P`, `403 forbidden`.
#[derive(Debug)]
pub(crate) struct Authorized<P> {
    /// The caller's stored account: its role and memberships decide.
    pub(crate) account: User,
    policy: PhantomData<P>,
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = AuthenticatedUser::from_request(req, payload)
            .into_inner()
            .and_then(|caller| {
                let state = req
                    .app_data::<web::Data<AppState>>()
                    .cloned()
                    .ok_or_else(|| ApiError::Internal("AppState is not registered".into()))?;
                Ok((caller, state))
            });
        Box::pin(async move {
            let (caller, state) = checked?;
            let account = match state.users.user(caller.id).await {
                Ok(account) => account,
                // A deleted account keeps a valid token until it expires, but no rights.
                Err(DomainError::NotFound { .. }) => return Err(ApiError::Forbidden),
                Err(error) => return Err(error.into()),
            };
            if !account.is_enabled() {
                return Err(ApiError::AccountDisabled);
            }
            if !P::allows(account.role) {
                return Err(ApiError::Forbidden);
            }
            Ok(Self {
                account,
                policy: PhantomData,
            })
        })
    }
}

/// The audit context of a write by `actor` in `req`: the request id and the resolved client IP.
pub fn audit_context(state: &AppState, req: &HttpRequest, actor: Option<UserId>) -> AuditContext {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default();
    let client_ip = client_ip::resolve(
        req.peer_addr(),
        req.headers(),
        &state.config.rate_limit.trusted_proxies,
    );
    AuditContext {
        actor,
        request_id,
        client_ip: client_ip.map(|ip| ip.to_string()),
    }
}

/// Who is writing, for the audit trail: the authenticated user (if any), the request id and the
/// resolved client IP. Handlers pass `&audit.0` to every write port.
#[derive(Debug, Clone)]
pub(crate) struct Audit(pub(crate) AuditContext);

impl FromRequest for Audit {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        // Writes sit behind `Authorized`, which already refused a bad token.
        let actor = caller(req).ok().flatten().map(|user| user.id);
        let result = state(req).map(|state| Self(audit_context(state, req, actor)));
        ready(result)
    }
}
