//! `WebError`, the one error type of the console, rendered as an HTML page (or a redirect to the
//! sign-in page), never as the API's JSON envelope.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use maud::html;
use pharmarec_domain::DomainError;
use pharmarec_domain::error::BoxError;
use pharmarec_http_api::ApiError;
use pharmarec_recommendation::RecommendationError;

use crate::layout;

/// Everything a console request can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    /// No valid session: the browser is sent to the sign-in page.
    #[error("sign in required")]
    SignInRequired,
    /// The signed-in role may not use this page or action.
    #[error("your role does not allow this page or action")]
    Forbidden,
    /// A form without this session's CSRF token (forged, or from an expired session).
    #[error(
        "this form has expired or did not come from the console; reload the page and try again"
    )]
    BadCsrf,
    /// The page needs a pharmacy and none is chosen.
    #[error("choose the pharmacy you work in first")]
    NoPharmacy,
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// Input the page cannot use, said in words for the form's user.
    #[error("{0}")]
    Invalid(String),
    /// From the API layer (ports, sign-in): its status and 4xx message are kept.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A bug or an outage; details go to the log only.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl From<DomainError> for WebError {
    fn from(error: DomainError) -> Self {
        Self::Api(error.into())
    }
}

impl From<RecommendationError> for WebError {
    fn from(error: RecommendationError) -> Self {
        Self::Api(error.into())
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignInRequired => StatusCode::SEE_OTHER,
            Self::Forbidden | Self::BadCsrf => StatusCode::FORBIDDEN,
            Self::NoPharmacy => StatusCode::SEE_OTHER,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Api(error) => error.status_code(),
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let redirect = match self {
            Self::SignInRequired => Some("/console/login"),
            Self::NoPharmacy => Some("/console/pharmacy"),
            _ => None,
        };
        if let Some(location) = redirect {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        let message = if status.is_server_error() {
            // Debug shows the whole chain of causes, once, here.
            tracing::error!(http.status_code = status.as_u16(), error = ?self, "console request failed");
            "Something went wrong on our side. Try again; if it keeps happening, tell your administrator."
                .to_owned()
        } else {
            self.to_string()
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let body = html! {
            h1 { (title) }
            p role="alert" { (message) }
            p { a href="/console/" { "Back to the console" } }
        };
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(layout::bare(title, &body).into_string())
    }
}
