//! Paging through the real imported catalogue, and rejecting bad input without side effects.

use serde_json::json;

use crate::helpers::{on_each_backend, on_each_backend_as_admin};

#[actix_web::test]
async fn pages_through_the_real_catalogue() {
    on_each_backend(|app| async move {
        let first = app.get("/api/v1/medicines?page=1&per_page=50").await;
        assert_eq!(first.status, 200, "{}: {}", app.backend, first.text);
        let meta = &first.json["meta"];
        // The shipped Orange Book extract has 23,096 products (data/README.md).
        assert_eq!(meta["total_items"], 23_096, "{}", app.backend);
        assert_eq!(meta["per_page"], 50);
        assert_eq!(meta["total_pages"], 462);
        assert_eq!(first.json["data"].as_array().map(Vec::len), Some(50));

        let last = app.get("/api/v1/medicines?page=462&per_page=50").await;
        assert_eq!(
            last.json["data"].as_array().map(Vec::len),
            Some(23_096 - 461 * 50)
        );

        // A real product, by its Orange Book id.
        let one = app.get("/api/v1/medicines/OB-A071192-001").await;
        assert_eq!(one.status, 200, "{}", one.text);
        assert_eq!(one.json["data"]["brand_name"], "AMINOCAPROIC ACID");

        let search = app
            .get("/api/v1/medicines?q=ibuprofen&otc=true&per_page=5")
            .await;
        assert_eq!(search.status, 200);
        let total = search.json["meta"]["total_items"].as_u64().unwrap_or(0);
        assert!(
            total > 0,
            "OTC ibuprofen products exist in the Orange Book extract"
        );
    })
    .await;
}

#[actix_web::test]
async fn bad_paging_and_unknown_ids_get_error_envelopes() {
    on_each_backend(|app| async move {
        app.get("/api/v1/medicines?page=abc")
            .await
            .assert_error(400, "invalid_query");
        app.get("/api/v1/medicines?page=0")
            .await
            .assert_error(422, "validation_failed");
        app.get("/api/v1/medicines?per_page=1000")
            .await
            .assert_error(422, "validation_failed");
        app.get("/api/v1/medicines/OB-NOPE-999")
            .await
            .assert_error(404, "medicine_not_found");
        // SQL-looking input is just text: no match, no error, nothing changed.
        let sneaky = app
            .get("/api/v1/medicines?q=%27%3B%20DROP%20TABLE%20medicines%3B--")
            .await;
        assert_eq!(sneaky.status, 200);
        assert_eq!(sneaky.json["meta"]["total_items"], 0);
        let after = app.get("/api/v1/medicines?per_page=1").await;
        assert_eq!(after.json["meta"]["total_items"], 23_096);
    })
    .await;
}

#[actix_web::test]
async fn malformed_writes_change_nothing() {
    on_each_backend_as_admin(|app, token| async move {
        let auth = format!("Bearer {token}");
        let auth = [("authorization", auth.as_str())];
        app.request("POST", "/api/v1/medicines", Some("{not json"), &auth).await.assert_error(400, "invalid_json");
        let wrong_type = json!({"brand_name": 7, "ingredients": ["acetaminophen"], "strength": "500MG",
            "dose_form": "tablet", "route": "oral", "status": "otc"});
        app.send_json_as(&token, "POST", "/api/v1/medicines", &wrong_type).await.assert_error(400, "invalid_body");
        let unknown_ingredient = json!({"brand_name": "Ünïcødé 💊", "ingredients": ["no-such-thing"],
            "strength": "500MG", "dose_form": "tablet", "route": "oral", "status": "otc"});
        let reply = app.send_json_as(&token, "POST", "/api/v1/medicines", &unknown_ingredient).await;
        reply.assert_error(404, "ingredient_not_found");
        let huge = format!("{{\"brand_name\": \"{}\"}}", "x".repeat(200_000));
        app.request("POST", "/api/v1/medicines", Some(&huge), &auth).await.assert_error(413, "payload_too_large");
        let total = app.get("/api/v1/medicines?per_page=1").await.json["meta"]["total_items"].clone();
        assert_eq!(total, 23_096, "no partial write on {}", app.backend);
    })
    .await;
}

#[actix_web::test]
async fn catalogue_writes_are_read_back_at_once_and_need_a_role() {
    on_each_backend_as_admin(|app, token| async move {
        let body = json!({"brand_name": "Synthetic Local Paracetamol", "ingredients": ["acetaminophen"],
            "strength": "500MG", "dose_form": "tablet", "route": "oral", "status": "otc"});
        app.send_json("POST", "/api/v1/medicines", &body).await.assert_error(401, "unauthenticated");
        let created = app.send_json_as(&token, "POST", "/api/v1/medicines", &body).await;
        assert_eq!(created.status, 201, "{}: {}", app.backend, created.text);
        let id = created.json["data"]["id"].as_str().expect("id").to_string();
        // The instance rebuilt its snapshot on the write: the new product reads back at once.
        let read = app.get(&format!("/api/v1/medicines/{id}")).await;
        assert_eq!(read.json["data"]["brand_name"], "Synthetic Local Paracetamol", "{}", read.text);

        let renamed = json!({"brand_name": "Synthetic Local Paracetamol 2", "ingredients": ["acetaminophen"],
            "strength": "500MG", "dose_form": "tablet", "route": "oral", "status": "otc"});
        let updated = app.send_json_as(&token, "PUT", &format!("/api/v1/medicines/{id}"), &renamed).await;
        assert_eq!(updated.status, 200, "{}", updated.text);
        let read = app.get(&format!("/api/v1/medicines/{id}")).await;
        assert_eq!(read.json["data"]["brand_name"], "Synthetic Local Paracetamol 2", "cache and snapshot follow the write");

        let deleted = app.request("DELETE", &format!("/api/v1/medicines/{id}"), None, &[("authorization", format!("Bearer {token}").as_str())]).await;
        assert_eq!(deleted.status, 204, "{}", deleted.text);
        app.get(&format!("/api/v1/medicines/{id}")).await.assert_error(404, "medicine_not_found");
    })
    .await;
}

#[actix_web::test]
async fn a_write_on_one_instance_reaches_the_other_instances_engine_within_seconds() {
    for database in crate::helpers::fresh_databases() {
        let mut settings = crate::helpers::settings_for(database.url());
        settings.catalogue.refresh_interval_secs = 1;
        let writer =
            crate::helpers::TestApp::spawn_with(settings.clone(), database.backend()).await;
        let reader =
            crate::helpers::TestApp::spawn_with(settings.clone(), database.backend()).await;
        let password = crate::helpers::create_account(
            &settings,
            "pharmacist@pharmarec.test",
            pharmarec_domain::Role::Pharmacist,
        )
        .await;
        let token = writer.login("pharmacist@pharmarec.test", &password).await;
        let body = json!({"brand_name": "Synthetic Two-Instance Product", "ingredients": ["acetaminophen"],
            "strength": "500MG", "dose_form": "tablet", "route": "oral", "status": "otc"});
        let created = writer
            .send_json_as(&token, "POST", "/api/v1/medicines", &body)
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json["data"]["id"].as_str().expect("id").to_string();

        // The engine on the other instance only knows the product once its snapshot is rebuilt.
        let check = json!({"items": [{"medicine_id": id}, {"ingredient": "warfarin"}]});
        let mut recognised = false;
        for _ in 0..40 {
            let reply = reader
                .send_json("POST", "/api/v1/interactions/check", &check)
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            if reply.json["data"]["unrecognised"]
                .as_array()
                .is_some_and(Vec::is_empty)
            {
                recognised = true;
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert!(
            recognised,
            "{}: the second instance never saw the new product",
            database.backend()
        );
    }
}
