//! Login, access-token checks, refresh rotation with reuse detection, and logout.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pharmarec_domain::{Role, UserId};
use pharmarec_http_api::app;
use serde_json::{Value, json};

use crate::helpers::{Fakes, PASSWORD, Reply, SIGNING_KEY, bearer, claims, mint, send};

const LOGIN: &str = "/api/v1/auth/login";
const REFRESH: &str = "/api/v1/auth/refresh";
const LOGOUT: &str = "/api/v1/auth/logout";
const ADMIN_ONLY: &str = "/diagnostics";

fn login_request(email: &str, password: &str) -> TestRequest {
    TestRequest::post()
        .uri(LOGIN)
        .set_json(json!({"email": email, "password": password}))
}

fn refresh_request(uri: &str, token: &str) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .set_json(json!({"refresh_token": token}))
}

fn refresh_token(reply: &Reply) -> String {
    reply.body["data"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn verifications(fakes: &Fakes) -> String {
    let text = fakes.metrics.render().unwrap();
    text.lines()
        .find(|l| l.starts_with("pharmarec_password_verifications_total "))
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn login_returns_a_token_pair_that_authorizes() {
    let fakes = Fakes::new();
    fakes.login_user("admin@example.org", Role::Admin, vec![]);
    let app = test::init_service(app(fakes.state())).await;

    // Case and spaces in the e-mail do not matter.
    let reply = send(&app, login_request(" Admin@Example.org ", PASSWORD)).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let data = &reply.body["data"];
    assert_eq!(data["token_type"], "Bearer");
    assert_eq!(data["expires_in"], 3600);
    assert_eq!(refresh_token(&reply).len(), 43);
    assert!(!reply.text.contains("$2b$"), "no hash on the wire");
    let token = data["access_token"].as_str().unwrap();
    let diagnostics = send(
        &app,
        TestRequest::get()
            .uri(ADMIN_ONLY)
            .insert_header(bearer(token)),
    )
    .await;
    assert_eq!(diagnostics.status, StatusCode::OK, "{}", diagnostics.text);
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_look_the_same_and_cost_the_same() {
    let fakes = Fakes::new();
    fakes.login_user("ada@example.org", Role::Viewer, vec![]);
    let app = test::init_service(app(fakes.state())).await;

    let wrong_password = send(&app, login_request("ada@example.org", "not the password")).await;
    let unknown = send(&app, login_request("nobody@example.org", PASSWORD)).await;
    let malformed = send(&app, login_request("not-an-email", PASSWORD)).await;

    for reply in [&wrong_password, &unknown, &malformed] {
        reply.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_eq!(
        wrong_password.body["error"]["message"],
        unknown.body["error"]["message"]
    );
    // One bcrypt verification each, the unknown ones against the dummy hash.
    assert_eq!(
        verifications(&fakes),
        "pharmarec_password_verifications_total 3"
    );
}

#[actix_web::test]
async fn login_attempts_are_limited_per_account_across_ips() {
    let mut fakes = Fakes::new();
    fakes
        .config
        .rate_limit
        .login_attempts_per_minute_per_account = 2;
    fakes.login_user("ada@example.org", Role::Viewer, vec![]);
    let app = test::init_service(app(fakes.state())).await;

    let mut replies = Vec::new();
    for (n, email) in ["ada@example.org", "ADA@example.org", "ada@example.org"]
        .iter()
        .enumerate()
    {
        let peer = format!("198.51.100.{n}:5000").parse().unwrap();
        replies.push(
            send(
                &app,
                login_request(email, "wrong password!").peer_addr(peer),
            )
            .await,
        );
    }

    replies[1].assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    replies[2].assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(replies[2].header("retry-after").is_some());
    // Refused before any bcrypt work.
    assert_eq!(
        verifications(&fakes),
        "pharmarec_password_verifications_total 2"
    );
}

#[actix_web::test]
async fn login_attempts_are_limited_per_ip_across_accounts() {
    let mut fakes = Fakes::new();
    fakes.config.rate_limit.login_attempts_per_minute_per_ip = 2;
    let app = test::init_service(app(fakes.state())).await;
    let peer = "198.51.100.9:5000".parse().unwrap();

    let mut last = None;
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        last = Some(send(&app, login_request(email, PASSWORD).peer_addr(peer)).await);
    }
    let other_ip = send(
        &app,
        login_request("d@example.org", PASSWORD).peer_addr("198.51.100.10:5000".parse().unwrap()),
    )
    .await;

    last.unwrap()
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    other_ip.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[actix_web::test]
async fn bad_tokens_get_401_and_the_wrong_role_403() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let admin = UserId::new();
    let now = chrono::Utc::now().timestamp();
    let with = |field: &str, value: Value| {
        let mut claims = claims(admin, Role::Admin);
        claims[field] = value;
        claims
    };
    let viewer_token = mint(&claims(admin, Role::Viewer), SIGNING_KEY);
    let parts: Vec<&str> = viewer_token.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(&claims(admin, Role::Admin)),
        parts[2]
    );
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims(admin, Role::Admin))
    );
    let cases = [
        (
            mint(&with("exp", json!(now - 120)), SIGNING_KEY),
            "token_expired",
        ),
        (tampered, "invalid_token"),
        (alg_none, "invalid_token"),
        (
            mint(
                &claims(admin, Role::Admin),
                b"some-other-key-of-enough-length!!",
            ),
            "invalid_token",
        ),
        (
            mint(&with("iss", json!("someone-else")), SIGNING_KEY),
            "invalid_token",
        ),
        (
            mint(&with("aud", json!("another-api")), SIGNING_KEY),
            "invalid_token",
        ),
        ("not.a.jwt".to_owned(), "invalid_token"),
    ];

    for (token, code) in cases {
        let reply = send(
            &app,
            TestRequest::get()
                .uri(ADMIN_ONLY)
                .insert_header(bearer(&token)),
        )
        .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, code);
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    }
    let basic = send(
        &app,
        TestRequest::get()
            .uri(ADMIN_ONLY)
            .insert_header(("authorization", "Basic YTpi")),
    )
    .await;
    basic.assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    let missing = send(&app, TestRequest::get().uri(ADMIN_ONLY)).await;
    missing.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let wrong_role = send(
        &app,
        TestRequest::get()
            .uri(ADMIN_ONLY)
            .insert_header(bearer(&viewer_token)),
    )
    .await;
    wrong_role.assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[actix_web::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let fakes = Fakes::new();
    fakes.login_user("ada@example.org", Role::Pharmacist, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let first = refresh_token(&send(&app, login_request("ada@example.org", PASSWORD)).await);

    let second = send(&app, refresh_request(REFRESH, &first)).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    let second = refresh_token(&second);
    let third = send(&app, refresh_request(REFRESH, &second)).await;
    assert_eq!(third.status, StatusCode::OK);
    let third = refresh_token(&third);
    assert!(first != second && second != third);

    // Someone replays the first token: the whole family dies, including the newest token.
    send(&app, refresh_request(REFRESH, &first))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "refresh_token_reused");
    send(&app, refresh_request(REFRESH, &third))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "refresh_token_reused");
}

#[actix_web::test]
async fn unknown_and_expired_refresh_tokens_are_refused() {
    let fakes = Fakes::new();
    fakes.login_user("ada@example.org", Role::Viewer, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let token = refresh_token(&send(&app, login_request("ada@example.org", PASSWORD)).await);
    fakes.refresh_tokens.expire_all();

    send(&app, refresh_request(REFRESH, "made-up"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    send(&app, refresh_request(REFRESH, &token))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_expired");
}

#[actix_web::test]
async fn logout_revokes_the_login() {
    let fakes = Fakes::new();
    fakes.login_user("ada@example.org", Role::Viewer, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let token = refresh_token(&send(&app, login_request("ada@example.org", PASSWORD)).await);

    let logout = send(&app, refresh_request(LOGOUT, &token)).await;
    let unknown = send(&app, refresh_request(LOGOUT, "made-up")).await;

    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert_eq!(unknown.status, StatusCode::NO_CONTENT);
    send(&app, refresh_request(REFRESH, &token))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "refresh_token_reused");
}
