//! Sign in and sign out, with the API's accounts, password checks and login rate limits.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use maud::html;
use pharmarec_domain::Role;
use pharmarec_http_api::{ApiError, AppState, authenticate};

use super::{redirect, see_other};
use crate::ConsoleConfig;
use crate::error::WebError;
use crate::form::FormData;
use crate::layout;
use crate::session::{
    self, CSRF_FIELD, LOGIN_CSRF_COOKIE, SESSION_COOKIE, Session, WorkPlace, check_token,
};

/// The sign-in form, with a fresh double-submit CSRF token.
pub(crate) async fn form(
    req: HttpRequest,
    config: web::Data<ConsoleConfig>,
) -> Result<HttpResponse, WebError> {
    if session::current(&req).await?.is_some() {
        return Ok(see_other("/console/"));
    }
    Ok(render(&config, StatusCode::OK, None, ""))
}

fn render(
    config: &ConsoleConfig,
    status: StatusCode,
    error: Option<&str>,
    email: &str,
) -> HttpResponse {
    let token = session::random_token();
    let body = html! {
        h1 { "Sign in" }
        @if let Some(error) = error {
            div.notice.notice-error role="alert" { (error) }
        }
        form.card method="post" action="/console/login" {
            input type="hidden" name=(CSRF_FIELD) value=(token);
            div.field {
                label for="email" { "E-mail" }
                input #email type="email" name="email" autocomplete="username" required value=(email);
            }
            div.field {
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            button type="submit" { "Sign in" }
        }
        p.hint { "Accounts are the API's: ask an administrator for one (" code { "pharmarec user create" } ")." }
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .cookie(session::cookie(config, LOGIN_CSRF_COOKIE, token))
        .body(layout::bare("Sign in", &body).into_string())
}

/// Checks the credentials and starts a session; a user with one possible pharmacy works there
/// straight away, others choose.
pub(crate) async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    config: web::Data<ConsoleConfig>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let expected = req.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    check_token(
        form.get(CSRF_FIELD),
        expected.as_deref().unwrap_or_default(),
    )?;
    let email = form.get("email").unwrap_or_default();
    let password = form.get("password").unwrap_or_default().to_owned();
    let user = match authenticate(&state, &req, email, password).await {
        Ok(user) => user,
        Err(
            error @ (ApiError::InvalidCredentials
            | ApiError::AccountDisabled
            | ApiError::RateLimited { .. }),
        ) => {
            let message = match error {
                ApiError::RateLimited { .. } => "Too many attempts. Wait a minute and try again.",
                ApiError::AccountDisabled => "This account is disabled. Ask an administrator.",
                _ => "Wrong e-mail or password.",
            };
            return Ok(render(&config, error.status_code(), Some(message), email));
        }
        Err(error) => return Err(error.into()),
    };
    let places = pharmacies_of(&state, &user).await?;
    let only = match places.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    };
    let next = if only.is_some() {
        "/console/"
    } else {
        "/console/pharmacy"
    };
    Ok(redirect(next)
        .cookie(session::issue(&state, &config, user.id, only)?)
        .cookie(session::removal(&config, LOGIN_CSRF_COOKIE))
        .finish())
}

/// Ends the session: the cookie is dropped (it also expires by itself).
pub(crate) async fn sign_out(
    session: Session,
    config: web::Data<ConsoleConfig>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    Ok(redirect("/console/login")
        .cookie(session::removal(&config, SESSION_COOKIE))
        .finish())
}

/// The pharmacies `user` may work in: a pharmacist's memberships; every pharmacy for others.
pub(crate) async fn pharmacies_of(
    state: &AppState,
    user: &pharmarec_domain::User,
) -> Result<Vec<WorkPlace>, WebError> {
    if user.role == Role::Pharmacist {
        let mut places = Vec::new();
        for id in &user.pharmacies {
            let pharmacy = state.pharmacies.get(*id).await?;
            places.push(WorkPlace {
                id: pharmacy.id,
                name: pharmacy.name,
            });
        }
        return Ok(places);
    }
    let page = pharmarec_domain::PageRequest::new(1, 100)?;
    Ok(state
        .pharmacies
        .list(page)
        .await?
        .items
        .into_iter()
        .map(|p| WorkPlace {
            id: p.id,
            name: p.name,
        })
        .collect())
}
