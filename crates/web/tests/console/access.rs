//! Sign-in cookies, CSRF on every form, and who may reach what.

use actix_web::cookie::SameSite;
use actix_web::http::StatusCode;
use pharmarec_domain::Role;
use pharmarec_web::SESSION_COOKIE;

use crate::helpers::{PRODUCT, TestConsole};

#[actix_web::test]
async fn the_session_cookie_is_httponly_strict_and_secure_in_production() {
    for production in [true, false] {
        let console = TestConsole::new(production).await;
        let email = console.user(Role::Pharmacist).await;
        let mut browser = console.browser();

        let answer = browser.sign_in(&email).await;

        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let cookie = answer
            .cookies
            .iter()
            .find(|c| c.name() == SESSION_COOKIE)
            .expect("a session cookie");
        assert_eq!(cookie.http_only(), Some(true));
        assert_eq!(cookie.same_site(), Some(SameSite::Strict));
        assert_eq!(cookie.secure().unwrap_or(false), production);
        assert_eq!(cookie.path(), Some("/console"));
    }
}

#[actix_web::test]
async fn a_wrong_password_is_refused_without_a_session() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    let csrf = browser.get("/console/login").await.hidden("csrf");

    let answer = browser
        .post(
            "/console/login",
            &[
                ("csrf", &csrf),
                ("email", &email),
                ("password", "wrong password here"),
            ],
        )
        .await;

    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("Wrong e-mail or password."));
    assert!(answer.cookies.iter().all(|c| c.name() != SESSION_COOKIE));
}

#[actix_web::test]
async fn forms_without_the_sessions_csrf_token_are_refused() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    let csrf = browser.csrf().await;

    let missing = browser
        .post("/console/basket", &[("add", "alphamine")])
        .await;
    let forged = browser
        .post(
            "/console/basket",
            &[
                ("csrf", "0123456789abcdef0123456789abcdef"),
                ("add", "alphamine"),
            ],
        )
        .await;
    let logout = browser.post("/console/logout", &[]).await;
    let genuine = browser
        .post("/console/basket", &[("csrf", &csrf), ("add", "alphamine")])
        .await;

    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        logout.status,
        StatusCode::FORBIDDEN,
        "sign-out is a form too"
    );
    assert!(
        missing.body.contains("this form has expired"),
        "{}",
        missing.body
    );
    assert_eq!(genuine.status, StatusCode::OK, "{}", genuine.body);
}

#[actix_web::test]
async fn the_sign_in_form_needs_its_own_csrf_cookie() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Admin).await;
    let mut browser = console.browser();

    // A cross-site form post carries no console cookie, so no token matches.
    let answer = browser
        .post(
            "/console/login",
            &[
                ("csrf", "anything"),
                ("email", &email),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;

    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.cookies.iter().all(|c| c.name() != SESSION_COOKIE));
}

#[actix_web::test]
async fn pages_without_a_session_send_the_browser_to_sign_in() {
    let console = TestConsole::new(false).await;
    let mut browser = console.browser();

    for path in ["/console/recommend", "/console/stock", "/console/audit"] {
        let answer = browser.get(path).await;

        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(answer.location.as_deref(), Some("/console/login"), "{path}");
    }
}

#[actix_web::test]
async fn a_viewer_sees_stock_but_cannot_reach_stock_edits() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Viewer).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    browser.work_in(console.pharmacy).await;
    let csrf = browser.csrf().await;

    let list = browser.get("/console/stock").await;
    let edit = browser.get(&format!("/console/stock/{PRODUCT}")).await;
    let save = browser
        .post(
            &format!("/console/stock/{PRODUCT}"),
            &[
                ("csrf", &csrf),
                ("version", "0"),
                ("quantity", "5"),
                ("price", "1.00"),
                ("currency", "EUR"),
            ],
        )
        .await;

    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("can see stock here but not change it"));
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    assert_eq!(save.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn admin_pages_are_for_administrators_only() {
    let console = TestConsole::new(false).await;
    let pharmacist = console.user(Role::Pharmacist).await;
    let admin = console.user(Role::Admin).await;
    let mut as_pharmacist = console.browser();
    as_pharmacist.sign_in(&pharmacist).await;
    let mut as_admin = console.browser();
    as_admin.sign_in(&admin).await;

    for path in ["/console/audit", "/console/users"] {
        assert_eq!(
            as_pharmacist.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(as_admin.get(path).await.status, StatusCode::OK, "{path}");
    }
    assert!(
        as_admin
            .get("/console/users")
            .await
            .body
            .contains(&pharmacist)
    );
}

#[actix_web::test]
async fn console_pages_have_their_own_content_security_policy() {
    let console = TestConsole::new(false).await;
    let mut browser = console.browser();

    let page = browser.get("/console/login").await;
    let missing = browser.get("/console/no-such-page").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.starts_with("<!DOCTYPE html>"),
        "HTML, not the JSON envelope"
    );
    let csp = page.csp.unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.starts_with("<!DOCTYPE html>"),
        "{}",
        missing.body
    );
}
