//! Pharmacies and stock on a real database: optimistic locking and atomic adjustments.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::on_each_backend_as_admin;

#[actix_web::test]
async fn stock_writes_are_versioned_and_adjustments_lose_nothing() {
    on_each_backend_as_admin(|app, token| async move {
        let created = app
            .send_json_as(
                &token,
                "POST",
                "/api/v1/pharmacies",
                &json!({"name": "Synthetic Test Pharmacy"}),
            )
            .await;
        assert_eq!(created.status, 201, "{}: {}", app.backend, created.text);
        assert!(created.headers.contains_key("location"));
        let pharmacy = created.json["data"]["id"]
            .as_str()
            .expect("pharmacy id")
            .to_string();
        let line = format!("/api/v1/pharmacies/{pharmacy}/stock/OB-A071192-001");

        let put = app
            .send_json_as(
                &token,
                "PUT",
                &line,
                &json!({"quantity": 10, "price_minor": 499, "currency": "EUR", "version": 0}),
            )
            .await;
        assert_eq!(put.status, 200, "{}", put.text);
        let version = put.json["data"]["version"].as_i64().expect("version");

        // Writing with the version read before someone else's write is a conflict.
        app.send_json_as(
            &token,
            "PUT",
            &line,
            &json!({"quantity": 3, "price_minor": 499, "currency": "EUR", "version": 0}),
        )
        .await
        .assert_error(409, "stale_version");

        let adjust = format!("{line}/adjust");
        let delivery = json!({"delta": 1, "reason": "delivery"});
        let replies =
            join_all((0..20).map(|_| app.send_json_as(&token, "POST", &adjust, &delivery))).await;
        assert!(
            replies.iter().all(|r| r.status == 200),
            "{:?}",
            replies.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        let stock = app
            .get(&format!("/api/v1/pharmacies/{pharmacy}/stock"))
            .await;
        assert_eq!(
            stock.json["data"][0]["quantity"], 30,
            "{}: {}",
            app.backend, stock.text
        );
        assert!(stock.json["data"][0]["version"].as_i64().expect("version") > version);

        app.send_json_as(
            &token,
            "POST",
            &adjust,
            &json!({"delta": -31, "reason": "sale"}),
        )
        .await
        .assert_error(409, "insufficient_stock");
        let after = app
            .get(&format!("/api/v1/pharmacies/{pharmacy}/stock"))
            .await;
        assert_eq!(
            after.json["data"][0]["quantity"], 30,
            "a refused adjustment changes nothing"
        );

        app.get("/api/v1/pharmacies/not-a-uuid")
            .await
            .assert_error(400, "invalid_path");
        app.get(&format!("/api/v1/pharmacies/{}", uuid::Uuid::new_v4()))
            .await
            .assert_error(404, "pharmacy_not_found");
    })
    .await;
}

#[actix_web::test]
async fn adjustments_keep_the_quantity_cap_and_prices_stay_exact_for_json_clients() {
    on_each_backend_as_admin(|app, token| async move {
        let created = app
            .send_json_as(
                &token,
                "POST",
                "/api/v1/pharmacies",
                &json!({"name": "Synthetic Cap Pharmacy"}),
            )
            .await;
        let pharmacy = created.json["data"]["id"].as_str().expect("id").to_string();
        let line = format!("/api/v1/pharmacies/{pharmacy}/stock/OB-A071192-001");
        app.send_json_as(
            &token,
            "PUT",
            &line,
            &json!({"quantity": 999_999_999, "price_minor": 499, "currency": "EUR", "version": 0}),
        )
        .await;

        let past_cap = app
            .send_json_as(
                &token,
                "POST",
                &format!("{line}/adjust"),
                &json!({"delta": 2, "reason": "delivery"}),
            )
            .await;
        past_cap.assert_error(422, "validation_failed");
        assert_eq!(past_cap.json["error"]["details"][0]["field"], "delta");
        let price_too_big = app
            .send_json_as(
                &token,
                "PUT",
                &line,
                &json!({"quantity": 1, "price_minor": 9_007_199_254_740_992_i64, "currency": "EUR", "version": 1}),
            )
            .await;
        price_too_big.assert_error(422, "validation_failed");

        let stock = app
            .get(&format!("/api/v1/pharmacies/{pharmacy}/stock"))
            .await;
        assert_eq!(stock.json["data"][0]["quantity"], 999_999_999, "unchanged");
        assert_eq!(stock.json["data"][0]["version"], 1, "nothing written");
    })
    .await;
}
