//! Console sessions: a signed cookie naming the user, the chosen pharmacy and the session's CSRF
//! token; the account itself is loaded from the user repository on every request.
//!
//! # Implementation Notes
//! The cookie is an HS256 JWT signed with the API's signing key but with its own audience, so it is
//! never accepted as a bearer token by the API, nor an API token as a session. It is stateless, so
//! every worker and instance accepts it; because the stored account is loaded on every request, a
//! disabled, deleted or demoted account loses its rights at once, as with the API's `Authorized`.
//! CSRF: each form carries the session's random token and every `POST` compares it; the cookie is
//! `SameSite=Strict` as well. Before sign-in, the login form's token is a double-submit cookie.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pharmarec_domain::{DomainError, PharmacyId, Role, User, UserId};
use pharmarec_http_api::AppState;
use serde::{Deserialize, Serialize};

use crate::error::WebError;
use crate::form::FormData;
use crate::{CONSOLE_PATH, ConsoleConfig};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "pharmarec_console";
/// Name of the cookie holding the sign-in form's CSRF token.
pub(crate) const LOGIN_CSRF_COOKIE: &str = "pharmarec_console_login";
/// Name of the CSRF field of every form.
pub(crate) const CSRF_FIELD: &str = "csrf";
/// `aud` of a session: distinct from the API's `pharmarec-api`.
const AUDIENCE: &str = "pharmarec-console";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: UserId,
    pharmacy: Option<PharmacyId>,
    pharmacy_name: Option<String>,
    csrf: String,
    exp: u64,
    iat: u64,
    aud: String,
}

/// The pharmacy the signed-in user works in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkPlace {
    pub(crate) id: PharmacyId,
    pub(crate) name: String,
}

/// A signed-in user with an enabled account.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The stored account: its role and memberships decide.
    pub(crate) account: User,
    /// The chosen pharmacy, if any (and still allowed).
    pub(crate) pharmacy: Option<WorkPlace>,
    /// This session's CSRF token.
    pub(crate) csrf: String,
}

impl Session {
    /// Refuses a role below `role`.
    pub(crate) fn require(&self, role: Role) -> Result<(), WebError> {
        if self.account.role >= role {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub(crate) fn check_csrf(&self, form: &FormData) -> Result<(), WebError> {
        check_token(form.get(CSRF_FIELD), &self.csrf)
    }

    /// The chosen pharmacy, or a prompt to choose one.
    pub(crate) fn pharmacy(&self) -> Result<&WorkPlace, WebError> {
        self.pharmacy.as_ref().ok_or(WebError::NoPharmacy)
    }

    /// Whether this user may change stock of their pharmacy (the API's stock-writer rule).
    pub(crate) fn may_edit_stock(&self) -> bool {
        self.pharmacy.as_ref().is_some_and(|pharmacy| {
            pharmarec_http_api::ensure_stock_writer(&self.account, pharmacy.id).is_ok()
        })
    }
}

/// Whether `account` may work in `pharmacy`: administrators and viewers (read-only) anywhere,
/// pharmacists in the pharmacies they belong to.
pub(crate) fn may_work_in(account: &User, pharmacy: PharmacyId) -> bool {
    account.role != Role::Pharmacist || account.pharmacies.contains(&pharmacy)
}

/// Compares a submitted token with the expected one in constant time.
pub(crate) fn check_token(submitted: Option<&str>, expected: &str) -> Result<(), WebError> {
    let submitted = submitted.unwrap_or_default().as_bytes();
    let expected = expected.as_bytes();
    let same = submitted.len() == expected.len()
        && !expected.is_empty()
        && submitted
            .iter()
            .zip(expected)
            .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same { Ok(()) } else { Err(WebError::BadCsrf) }
}

/// 128 random bits, hex: a CSRF token.
pub(crate) fn random_token() -> String {
    let mut bytes = [0_u8; 16];
    rand::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cookie of the console: HttpOnly, SameSite=Strict, scoped to the console, Secure when configured.
pub(crate) fn cookie(config: &ConsoleConfig, name: &'static str, value: String) -> Cookie<'static> {
    let max_age = i64::try_from(config.session_ttl.as_secs()).unwrap_or(i64::MAX);
    Cookie::build(name, value)
        .path(CONSOLE_PATH)
        .http_only(true)
        .secure(config.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(max_age))
        .finish()
}

/// The same cookie, expired: the browser drops it.
pub(crate) fn removal(config: &ConsoleConfig, name: &'static str) -> Cookie<'static> {
    let mut cookie = cookie(config, name, String::new());
    cookie.make_removal();
    cookie
}

/// A session cookie for `user` working in `pharmacy`, with a fresh CSRF token.
pub(crate) fn issue(
    state: &AppState,
    config: &ConsoleConfig,
    user: UserId,
    pharmacy: Option<WorkPlace>,
) -> Result<Cookie<'static>, WebError> {
    let iat = jsonwebtoken::get_current_timestamp();
    let claims = Claims {
        sub: user,
        pharmacy: pharmacy.as_ref().map(|p| p.id),
        pharmacy_name: pharmacy.map(|p| p.name),
        csrf: random_token(),
        exp: iat + config.session_ttl.as_secs(),
        iat,
        aud: AUDIENCE.to_owned(),
    };
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&state.config.auth.signing_key),
    )
    .map_err(|error| WebError::Internal(Box::new(error)))?;
    Ok(cookie(config, SESSION_COOKIE, token))
}

fn decode(state: &AppState, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "sub", "aud"]);
    jsonwebtoken::decode::<Claims>(
        token,
        &DecodingKey::from_secret(&state.config.auth.signing_key),
        &validation,
    )
    .ok()
    .map(|data| data.claims)
}

/// The session of `req`, if its cookie is valid and the account enabled.
pub(crate) async fn current(req: &HttpRequest) -> Result<Option<Session>, WebError> {
    let state = app_state(req)?;
    let Some(claims) = req
        .cookie(SESSION_COOKIE)
        .and_then(|cookie| decode(&state, cookie.value()))
    else {
        return Ok(None);
    };
    let account = match state.users.user(claims.sub).await {
        Ok(account) => account,
        // A deleted account keeps its cookie until it expires, but no session.
        Err(DomainError::NotFound { .. }) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    if !account.is_enabled() {
        return Ok(None);
    }
    // A membership removed since sign-in takes the pharmacy away at once.
    let pharmacy = claims
        .pharmacy
        .zip(claims.pharmacy_name)
        .filter(|(id, _)| may_work_in(&account, *id))
        .map(|(id, name)| WorkPlace { id, name });
    Ok(Some(Session {
        account,
        pharmacy,
        csrf: claims.csrf,
    }))
}

pub(crate) fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal("AppState is not registered".into()))
}

impl FromRequest for Session {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current(&req).await?.ok_or(WebError::SignInRequired) })
    }
}
