//! Privileged requests follow the stored account, not the token: demotions, disables and the
//! last-administrator rule (issue 10).

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_domain::{Role, UserId};
use pharmarec_http_api::app;
use serde_json::json;

use crate::helpers::{Fakes, PASSWORD, SIGNING_KEY, bearer, claims, mint, post_json, send};

fn put_role(token: &(&'static str, String), user: UserId, role: &str) -> TestRequest {
    TestRequest::put()
        .uri(&format!("/api/v1/users/{user}"))
        .insert_header(token.clone())
        .set_json(json!({"role": role}))
}

fn disable(token: &(&'static str, String), user: UserId) -> TestRequest {
    TestRequest::post()
        .uri(&format!("/api/v1/users/{user}/disable"))
        .insert_header(token.clone())
}

#[actix_web::test]
async fn an_admin_token_of_a_stored_viewer_has_no_admin_rights() {
    let fakes = Fakes::new();
    let _other_admin = fakes.login_user("boss@example.org", Role::Admin, vec![]);
    let demoted = fakes.login_user("ex-admin@example.org", Role::Viewer, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let old_admin_token = bearer(&mint(&claims(demoted.id, Role::Admin), SIGNING_KEY));

    let promote_self = send(&app, put_role(&old_admin_token, demoted.id, "admin")).await;
    let write_catalogue = send(
        &app,
        TestRequest::delete()
            .uri("/api/v1/medicines/LOCAL-1")
            .insert_header(old_admin_token.clone()),
    )
    .await;

    promote_self.assert_error(StatusCode::FORBIDDEN, "forbidden");
    write_catalogue.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(fakes.users.user_role(demoted.id), Role::Viewer);
}

#[actix_web::test]
async fn the_last_enabled_admin_cannot_be_demoted_or_disabled() {
    let fakes = Fakes::new();
    let admin = fakes.login_user("only@example.org", Role::Admin, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let token = bearer(&mint(&claims(admin.id, Role::Admin), SIGNING_KEY));

    let demoted = send(&app, put_role(&token, admin.id, "viewer")).await;
    let disabled = send(&app, disable(&token, admin.id)).await;

    demoted.assert_error(StatusCode::CONFLICT, "last_admin");
    disabled.assert_error(StatusCode::CONFLICT, "last_admin");
    assert_eq!(fakes.users.user_role(admin.id), Role::Admin);
}

#[actix_web::test]
async fn a_disabled_user_cannot_log_in_refresh_or_act() {
    let fakes = Fakes::new();
    let admin = fakes.bearer(Role::Admin);
    let pharmacist = fakes.login_user("pat@example.org", Role::Pharmacist, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let login = json!({"email": "pat@example.org", "password": PASSWORD});
    let before = post_json(&app, "/api/v1/auth/login", login.clone()).await;
    let refresh_token = before.body["data"]["refresh_token"].clone();
    let old_token = bearer(before.body["data"]["access_token"].as_str().unwrap());

    let disabled = send(&app, disable(&admin, pharmacist.id)).await;
    let login_again = post_json(&app, "/api/v1/auth/login", login).await;
    let refreshed = post_json(
        &app,
        "/api/v1/auth/refresh",
        json!({"refresh_token": refresh_token}),
    )
    .await;
    let write = send(
        &app,
        TestRequest::delete()
            .uri("/api/v1/medicines/LOCAL-1")
            .insert_header(old_token),
    )
    .await;

    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert!(disabled.body["data"]["disabled_at"].is_string());
    login_again.assert_error(StatusCode::UNAUTHORIZED, "account_disabled");
    assert_eq!(
        refreshed.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        refreshed.text
    );
    write.assert_error(StatusCode::UNAUTHORIZED, "account_disabled");
}

#[actix_web::test]
async fn a_change_of_role_revokes_the_users_refresh_tokens() {
    let fakes = Fakes::new();
    let admin = fakes.bearer(Role::Admin);
    let pharmacist = fakes.login_user("pat@example.org", Role::Pharmacist, vec![]);
    let app = test::init_service(app(fakes.state())).await;
    let login = json!({"email": "pat@example.org", "password": PASSWORD});
    let session = post_json(&app, "/api/v1/auth/login", login).await;
    let refresh_token = session.body["data"]["refresh_token"].clone();

    let demoted = send(&app, put_role(&admin, pharmacist.id, "viewer")).await;
    let refreshed = post_json(
        &app,
        "/api/v1/auth/refresh",
        json!({"refresh_token": refresh_token}),
    )
    .await;

    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.text);
    refreshed.assert_error(StatusCode::UNAUTHORIZED, "refresh_token_reused");
}
