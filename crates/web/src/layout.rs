//! The page shell (skip link, navigation, who is signed in where) and the small pieces every page
//! shares: the CSRF field, severity badges, pagers.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};
use pharmarec_domain::{Role, Severity};

use crate::session::{CSRF_FIELD, Session};
use crate::text;

/// htmx settings: no inline indicator styles (the CSP forbids them), no eval, same origin only.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true}"#;

/// The navigation entries, with the least role that sees each.
const NAV: [(Nav, &str, &str, Role); 6] = [
    (
        Nav::Recommend,
        "/console/recommend",
        "What can they take?",
        Role::Viewer,
    ),
    (Nav::Basket, "/console/basket", "Basket check", Role::Viewer),
    (
        Nav::Catalogue,
        "/console/catalogue",
        "Catalogue",
        Role::Viewer,
    ),
    (Nav::Stock, "/console/stock", "Stock", Role::Viewer),
    (Nav::Audit, "/console/audit", "Audit trail", Role::Admin),
    (Nav::Users, "/console/users", "Users", Role::Admin),
];

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Recommend,
    Basket,
    Catalogue,
    Stock,
    Audit,
    Users,
    None,
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="htmx-config" content=(HTMX_CONFIG);
            title { (title) " · PharmaRec console" }
            link rel="stylesheet" href="/console/static/console.css";
            script src="/console/static/htmx.min.js" defer {}
        }
    }
}

/// A page without navigation (sign-in, errors).
pub(crate) fn bare(title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top { p.brand { "PharmaRec console" } }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// A full page for a signed-in user.
pub(crate) fn page(session: &Session, current: Nav, title: &str, body: &Markup) -> HttpResponse {
    page_with_status(StatusCode::OK, session, current, title, body)
}

/// [`page`] with another status (a `409` stale edit, a `422` form error).
pub(crate) fn page_with_status(
    status: StatusCode,
    session: &Session,
    current: Nav,
    title: &str,
    body: &Markup,
) -> HttpResponse {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    p.brand { a href="/console/" { "PharmaRec console" } }
                    nav aria-label="Main" {
                        ul {
                            @for (entry, href, label, role) in NAV {
                                @if session.account.role >= role {
                                    li { a href=(href) aria-current=[(entry == current).then_some("page")] { (label) } }
                                }
                            }
                        }
                    }
                    div.who {
                        span { (session.account.email) " · " (text::words(&session.account.role)) }
                        " · "
                        a href="/console/pharmacy" {
                            @match &session.pharmacy {
                                Some(pharmacy) => { "Pharmacy: " (pharmacy.name) }
                                None => { "Choose a pharmacy" }
                            }
                        }
                        form.inline method="post" action="/console/logout" {
                            (csrf(session))
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer { p { "Decision support only: the pharmacist's judgement decides. Gaps in the data are shown as “could not be checked”, never as safe." } }
            }
        }
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// The hidden CSRF field every form carries.
pub(crate) fn csrf(session: &Session) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(session.csrf); }
}

/// A severity as icon and word (never colour alone).
pub(crate) fn severity(severity: Severity) -> Markup {
    let (class, icon, label) = text::severity(severity);
    html! { span class={ "sev " (class) } { span aria-hidden="true" { (icon) } " " (label) } }
}

/// An alert with a severity the engine did not grade: shown as a note.
pub(crate) fn ungraded() -> Markup {
    html! { span.sev.sev-note { span aria-hidden="true" { "ℹ" } " Note" } }
}

/// Previous/next links of a paged list; `link(page)` builds each page's address.
pub(crate) fn pager(page: u32, total_pages: u64, link: impl Fn(u32) -> String) -> Markup {
    html! {
        nav.pager aria-label="Pages" {
            @if page > 1 { a href=(link(page - 1)) rel="prev" { "← Previous" } }
            span { "Page " (page) " of " (total_pages.max(1)) }
            @if u64::from(page) < total_pages { a href=(link(page + 1)) rel="next" { "Next →" } }
        }
    }
}

/// A status message announced to screen readers.
pub(crate) fn notice(kind: &str, message: &Markup) -> Markup {
    html! { div class={ "notice notice-" (kind) } role="status" { (message) } }
}
