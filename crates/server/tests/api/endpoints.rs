//! Every endpoint of the real app answers with the documented envelope, and every error category a
//! real deployment can produce carries its code and the request id (the 500 and 503 categories are
//! exercised with failing fakes in `http-api`'s own tests).

use serde_json::{Value, json};

use crate::helpers::{Reply, on_each_backend_as_admin};

fn assert_success(reply: &Reply, what: &str) {
    assert!(
        (200..300).contains(&reply.status),
        "{what}: {} {}",
        reply.status,
        reply.text
    );
    if reply.status != 204 {
        assert_eq!(reply.json["success"], true, "{what}: {}", reply.text);
    }
    assert!(
        reply.headers.contains_key("x-request-id"),
        "{what}: no request id"
    );
}

#[actix_web::test]
async fn every_endpoint_answers_on_the_real_stack() {
    on_each_backend_as_admin(|app, admin| async move {
        for path in ["/health", "/ready", "/version", "/api/v1/openapi.json"] {
            let reply = app.get(path).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        }
        assert_eq!(app.get("/metrics").await.status, 200);
        let docs = app.get("/docs/").await;
        assert_eq!(docs.status, 200, "swagger ui: {}", docs.text);
        assert_success(&app.get_as(&admin, "/diagnostics").await, "diagnostics");
        for path in ["/api/v1/ingredients?q=paracetamol", "/api/v1/conditions?q=fever", "/api/v1/medicines?per_page=3"] {
            assert_success(&app.get(path).await, path);
        }
        assert_success(&app.get("/api/v1/medicines/OB-N020503-001/substitutes").await, "substitutes GET");
        let patient = json!({"patient": {"allergies": ["sulfonamide"]}});
        assert_success(&app.send_json("POST", "/api/v1/medicines/OB-N020503-001/substitutes", &patient).await, "substitutes POST");
        let recommend = json!({"symptoms": "fever", "patient": {"age": 40}});
        assert_success(&app.send_json("POST", "/api/v1/recommendations", &recommend).await, "recommendations");
        let basket = json!({"items": [{"ingredient": "warfarin"}, {"ingredient": "aspirin"}]});
        let checked = app.send_json("POST", "/api/v1/interactions/check", &basket).await;
        assert_success(&checked, "interactions");
        assert_ne!(checked.json["data"]["verdict"], "safe");

        let pharmacy = app.send_json_as(&admin, "POST", "/api/v1/pharmacies", &json!({"name": "Synthetic Sweep Pharmacy"})).await;
        assert_success(&pharmacy, "create pharmacy");
        let pharmacy_id = pharmacy.json["data"]["id"].as_str().unwrap().to_string();
        assert_success(&app.get("/api/v1/pharmacies").await, "list pharmacies");
        assert_success(&app.get(&format!("/api/v1/pharmacies/{pharmacy_id}")).await, "get pharmacy");
        assert_success(&app.get(&format!("/api/v1/pharmacies/{pharmacy_id}/stock")).await, "stock list");

        let user = json!({"email": "pharmacist@pharmarec.test", "password": "correct horse battery staple",
            "role": "pharmacist", "pharmacies": [pharmacy_id]});
        let created = app.send_json_as(&admin, "POST", "/api/v1/users", &user).await;
        assert_success(&created, "create user");
        assert!(!created.text.contains("password"), "no password or hash in the answer: {}", created.text);
        let user_id = created.json["data"]["id"].as_str().unwrap().to_string();
        assert_success(&app.get_as(&admin, "/api/v1/users").await, "list users");
        assert_success(&app.get_as(&admin, &format!("/api/v1/users/{user_id}")).await, "get user");
        let role = json!({"role": "pharmacist", "pharmacies": [pharmacy_id]});
        assert_success(&app.send_json_as(&admin, "PUT", &format!("/api/v1/users/{user_id}"), &role).await, "update user");

        // The pharmacist writes stock of their own pharmacy, then rotates and revokes their tokens.
        let login = app.send_json("POST", "/api/v1/auth/login", &json!({"email": "pharmacist@pharmarec.test", "password": "correct horse battery staple"})).await;
        assert_success(&login, "login");
        let token = login.json["data"]["access_token"].as_str().unwrap().to_string();
        let refresh = login.json["data"]["refresh_token"].as_str().unwrap().to_string();
        let line = format!("/api/v1/pharmacies/{pharmacy_id}/stock/OB-A071192-001");
        assert_success(&app.send_json_as(&token, "PUT", &line, &json!({"quantity": 3, "price_minor": 100, "currency": "USD", "version": 0})).await, "put stock");
        assert_success(&app.send_json_as(&token, "POST", &format!("{line}/adjust"), &json!({"delta": -1, "reason": "sale"})).await, "adjust stock");
        let rotated = app.send_json("POST", "/api/v1/auth/refresh", &json!({"refresh_token": refresh})).await;
        assert_success(&rotated, "refresh");
        // Reusing the spent refresh token revokes the family.
        app.send_json("POST", "/api/v1/auth/refresh", &json!({"refresh_token": refresh})).await.assert_error(401, "refresh_token_reused");
        let newest: Value = rotated.json["data"]["refresh_token"].clone();
        app.send_json("POST", "/api/v1/auth/refresh", &json!({"refresh_token": newest})).await.assert_error(401, "refresh_token_reused");
        let logout = app.send_json("POST", "/api/v1/auth/logout", &json!({"refresh_token": refresh})).await;
        assert_eq!(logout.status, 204, "{}", logout.text);

        assert_success(&app.get_as(&admin, "/api/v1/audit?per_page=50").await, "audit");
    })
    .await;
}

#[actix_web::test]
async fn error_categories_carry_code_and_request_id_on_the_real_stack() {
    on_each_backend_as_admin(|app, admin| async move {
        app.request("POST", "/api/v1/recommendations", Some("{"), &[])
            .await
            .assert_error(400, "invalid_json");
        app.request(
            "POST",
            "/api/v1/recommendations",
            Some("symptoms=fever"),
            &[("content-type", "text/plain")],
        )
        .await
        .assert_error(415, "unsupported_content_type");
        app.send_json("POST", "/api/v1/recommendations", &json!({"limit": 3}))
            .await
            .assert_error(422, "validation_failed");
        app.send_json("POST", "/api/v1/pharmacies", &json!({"name": "x"}))
            .await
            .assert_error(401, "unauthenticated");
        let viewer_free_zone = app
            .get_as("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "/api/v1/audit")
            .await;
        viewer_free_zone.assert_error(401, "invalid_token");
        app.get("/api/v1/medicines/OB-NOPE-000")
            .await
            .assert_error(404, "medicine_not_found");
        app.request("PATCH", "/api/v1/medicines", None, &[])
            .await
            .assert_error(405, "method_not_allowed");
        let created = app
            .send_json_as(
                &admin,
                "POST",
                "/api/v1/pharmacies",
                &json!({"name": "Synthetic Error Pharmacy"}),
            )
            .await;
        let id = created.json["data"]["id"].as_str().unwrap().to_string();
        let line = format!("/api/v1/pharmacies/{id}/stock/OB-A071192-001");
        app.send_json_as(
            &admin,
            "POST",
            &format!("{line}/adjust"),
            &json!({"delta": -1, "reason": "sale"}),
        )
        .await
        .assert_error(404, "stock_not_found");
        let odd = "/api/v1/medicines?q=%E2%80%AE%F0%9F%92%8A%00";
        assert!(
            app.get(odd).await.status < 500,
            "odd unicode and NUL never reach a 5xx"
        );
    })
    .await;
}
