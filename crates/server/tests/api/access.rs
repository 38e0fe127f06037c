//! Issue 10: privileged requests follow the stored account. A demotion or a disable applies at once to
//! the user's old access token and revokes their refresh tokens; the last enabled administrator stays.

use pharmarec_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, create_account, fresh_databases, settings_for};

/// An app with accounts created through the CLI path; returns the passwords by e-mail order.
async fn app_with(
    database: &crate::helpers::TestDatabase,
    accounts: &[(&str, Role)],
) -> (TestApp, Vec<String>) {
    let settings = settings_for(database.url());
    let app = TestApp::spawn_with(settings.clone(), database.backend()).await;
    let mut passwords = Vec::new();
    for (email, role) in accounts {
        passwords.push(create_account(&settings, email, *role).await);
    }
    (app, passwords)
}

/// Logs in: (access token, refresh token).
async fn session(app: &TestApp, email: &str, password: &str) -> (String, Value) {
    let body = json!({"email": email, "password": password});
    let reply = app.send_json("POST", "/api/v1/auth/login", &body).await;
    assert_eq!(reply.status, 200, "{}: {}", app.backend, reply.text);
    let access = reply.json["data"]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    (access, reply.json["data"]["refresh_token"].clone())
}

async fn user_id(app: &TestApp, admin: &str, email: &str) -> String {
    let users = app.get_as(admin, "/api/v1/users").await;
    let found = users.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email);
    found.unwrap()["id"].as_str().unwrap().to_string()
}

async fn set_role(app: &TestApp, token: &str, user: &str, role: &str) -> crate::helpers::Reply {
    let body = json!({"role": role});
    app.send_json_as(token, "PUT", &format!("/api/v1/users/{user}"), &body)
        .await
}

fn medicine(name: &str) -> Value {
    json!({"brand_name": name, "ingredients": ["acetaminophen"], "strength": "500MG",
        "dose_form": "tablet", "route": "oral", "status": "otc"})
}

#[actix_web::test]
async fn a_demoted_admins_old_tokens_give_no_admin_rights_and_the_last_admin_stays() {
    for database in fresh_databases() {
        let accounts = [
            ("alice@example.org", Role::Admin),
            ("bob@example.org", Role::Admin),
        ];
        let (app, passwords) = app_with(&database, &accounts).await;
        let (alice, alice_refresh) = session(&app, "alice@example.org", &passwords[0]).await;
        let (bob, _) = session(&app, "bob@example.org", &passwords[1]).await;
        let alice_id = user_id(&app, &bob, "alice@example.org").await;
        let bob_id = user_id(&app, &bob, "bob@example.org").await;

        let demoted = set_role(&app, &bob, &alice_id, "viewer").await;
        let promote_self = set_role(&app, &alice, &alice_id, "admin").await;
        let demote_bob = set_role(&app, &alice, &bob_id, "viewer").await;
        let disable_bob = app
            .send_json_as(
                &alice,
                "POST",
                &format!("/api/v1/users/{bob_id}/disable"),
                &json!({}),
            )
            .await;
        let refreshed = app
            .send_json(
                "POST",
                "/api/v1/auth/refresh",
                &json!({"refresh_token": alice_refresh}),
            )
            .await;
        let bob_demotes_himself = set_role(&app, &bob, &bob_id, "viewer").await;
        let bob_disables_himself = app
            .send_json_as(
                &bob,
                "POST",
                &format!("/api/v1/users/{bob_id}/disable"),
                &json!({}),
            )
            .await;

        assert_eq!(demoted.status, 200, "{}: {}", app.backend, demoted.text);
        promote_self.assert_error(403, "forbidden");
        demote_bob.assert_error(403, "forbidden");
        disable_bob.assert_error(403, "forbidden");
        refreshed.assert_error(401, "refresh_token_reused");
        bob_demotes_himself.assert_error(409, "last_admin");
        bob_disables_himself.assert_error(409, "last_admin");
        let bob_now = app.get_as(&bob, &format!("/api/v1/users/{bob_id}")).await;
        assert_eq!(bob_now.json["data"]["role"], "admin", "{}", app.backend);
        let alice_now = app.get_as(&bob, &format!("/api/v1/users/{alice_id}")).await;
        assert_eq!(alice_now.json["data"]["role"], "viewer", "{}", app.backend);
    }
}

#[actix_web::test]
async fn a_demoted_pharmacist_loses_writes_at_once_and_a_disabled_one_everything() {
    for database in fresh_databases() {
        let accounts = [
            ("admin@example.org", Role::Admin),
            ("pat@example.org", Role::Pharmacist),
            ("kim@example.org", Role::Pharmacist),
        ];
        let (app, passwords) = app_with(&database, &accounts).await;
        let (admin, _) = session(&app, "admin@example.org", &passwords[0]).await;
        let (pat, _) = session(&app, "pat@example.org", &passwords[1]).await;
        let (kim, kim_refresh) = session(&app, "kim@example.org", &passwords[2]).await;
        let pat_id = user_id(&app, &admin, "pat@example.org").await;
        let kim_id = user_id(&app, &admin, "kim@example.org").await;
        let before = app
            .send_json_as(&pat, "POST", "/api/v1/medicines", &medicine("Local One"))
            .await;
        assert_eq!(before.status, 201, "{}: {}", app.backend, before.text);

        set_role(&app, &admin, &pat_id, "viewer").await;
        let after_demotion = app
            .send_json_as(&pat, "POST", "/api/v1/medicines", &medicine("Local Two"))
            .await;
        let disabled = app
            .send_json_as(
                &admin,
                "POST",
                &format!("/api/v1/users/{kim_id}/disable"),
                &json!({}),
            )
            .await;
        let old_token = app
            .send_json_as(&kim, "POST", "/api/v1/medicines", &medicine("Local Three"))
            .await;
        let login = app
            .send_json(
                "POST",
                "/api/v1/auth/login",
                &json!({"email": "kim@example.org", "password": passwords[2]}),
            )
            .await;
        let refreshed = app
            .send_json(
                "POST",
                "/api/v1/auth/refresh",
                &json!({"refresh_token": kim_refresh}),
            )
            .await;
        let audit = app
            .get_as(&admin, &format!("/api/v1/audit?entity_id={kim_id}"))
            .await;

        after_demotion.assert_error(403, "forbidden");
        assert_eq!(disabled.status, 200, "{}: {}", app.backend, disabled.text);
        assert!(
            disabled.json["data"]["disabled_at"].is_string(),
            "{}",
            disabled.text
        );
        old_token.assert_error(401, "account_disabled");
        login.assert_error(401, "account_disabled");
        assert_eq!(refreshed.status, 401, "{}", refreshed.text);
        let actions: Vec<&str> = audit.json["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(
            actions,
            ["user.revoke_tokens", "user.disable", "user.create"],
            "{}",
            app.backend
        );
    }
}
