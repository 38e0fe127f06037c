//! The pharmacist console: server-rendered HTML pages (maud) under `/console`, progressively enhanced
//! with a vendored htmx, for staff at the counter who will not type JSON.
//!
//! It uses the same ports, engine and accounts as the API, through [`AppState`]
//! (`pharmarec-http-api`), and never touches diesel or the repository: `server` mounts it with
//! [`configure`] inside the API's middleware (request ids, rate limits, security headers with a
//! console-specific content security policy). Sessions are signed cookies (HttpOnly,
//! SameSite=Strict, Secure in production) and every form carries a CSRF token; see
//! `docs/CONSOLE.md`.
//!
//! [`AppState`]: pharmarec_http_api::AppState

mod assets;
mod error;
mod form;
mod layout;
mod pages;
mod session;
mod text;

use std::time::Duration;

use actix_web::{HttpResponse, http::header, web};

pub use session::SESSION_COOKIE;

/// Where the console lives.
pub const CONSOLE_PATH: &str = "/console";

/// How long a sign-in lasts: one working shift.
const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);

/// Console settings the server passes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleConfig {
    /// Mark the session cookie `Secure` (production, behind TLS); off for plain-HTTP development.
    pub secure_cookies: bool,
    /// How long a sign-in lasts without signing in again.
    pub session_ttl: Duration,
}

impl ConsoleConfig {
    /// Secure cookies in production (served behind TLS), plain ones elsewhere; sessions of one shift.
    pub fn new(production: bool) -> Self {
        Self {
            secure_cookies: production,
            session_ttl: SESSION_TTL,
        }
    }
}

/// Registers the console under [`CONSOLE_PATH`], and `/` redirecting there.
pub fn configure(cfg: &mut web::ServiceConfig, config: ConsoleConfig) {
    cfg.route("/", web::get().to(to_console)).service(
        web::scope(CONSOLE_PATH)
            .app_data(web::Data::new(config))
            .configure(assets::configure)
            .configure(pages::configure),
    );
}

/// `/` → the console, so a browser pointed at the server lands somewhere useful.
async fn to_console() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{CONSOLE_PATH}/")))
        .finish()
}
