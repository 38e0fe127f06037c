//! Imports a user brings, end to end on each backend: a pharmacy's product list and licensed
//! interaction sources (synthetic files; nothing here is clinical knowledge).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, fresh_databases, on_each_backend_as_admin, settings_for};

fn example(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/examples")
        .join(file);
    std::fs::read_to_string(path).expect("example file")
}

async fn post_csv(app: &TestApp, token: &str, path: &str, body: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    app.request(
        "POST",
        path,
        Some(body),
        &[
            ("authorization", bearer.as_str()),
            ("content-type", "text/csv"),
        ],
    )
    .await
}

async fn create_pharmacy(app: &TestApp, token: &str) -> String {
    let created = app
        .send_json_as(
            token,
            "POST",
            "/api/v1/pharmacies",
            &json!({"name": "Synthetic Import Pharmacy"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.json["data"]["id"].as_str().expect("id").to_string()
}

fn counts(reply: &Reply, what: &str) -> [u64; 4] {
    let c = &reply.json["data"][what];
    ["inserted", "updated", "unchanged", "removed"].map(|k| c[k].as_u64().expect("count"))
}

async fn audit_count(app: &TestApp, token: &str, action: &str) -> u64 {
    let reply = app
        .get_as(token, &format!("/api/v1/audit?action={action}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["meta"]["total_items"].as_u64().expect("total")
}

#[actix_web::test]
async fn a_pharmacy_catalogue_imports_once_and_joins_the_knowledge() {
    on_each_backend_as_admin(|app, token| async move {
        let pharmacy = create_pharmacy(&app, &token).await;
        let path = format!("/api/v1/catalogue/imports?pharmacy_id={pharmacy}");
        let file = example("synthetic_pharmacy_catalogue.csv");

        let first = post_csv(&app, &token, &path, &file).await;
        assert_eq!(first.status, 200, "{}: {}", app.backend, first.text);
        assert_eq!(counts(&first, "products"), [5, 0, 0, 0]);
        assert_eq!(counts(&first, "stock"), [4, 0, 0, 0]);

        // The same file again changes nothing: no write, no audit event, same catalogue version.
        let again = post_csv(&app, &token, &path, &file).await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(counts(&again, "products"), [0, 0, 5, 0]);
        assert_eq!(counts(&again, "stock"), [0, 0, 4, 0]);
        assert_eq!(
            again.json["data"]["catalogue_version"],
            first.json["data"]["catalogue_version"]
        );
        assert_eq!(
            audit_count(&app, &token, "catalogue.pharmacy_import").await,
            1
        );

        // Joined by ingredient ("paracetamol" is a synonym of acetaminophen), checked like shipped products.
        let product = app.get("/api/v1/medicines/LOC-SYN-PARA-500").await;
        assert_eq!(product.status, 200, "{}", product.text);
        assert_eq!(
            product.json["data"]["ingredients"][0]["ingredient"],
            "acetaminophen"
        );
        let basket =
            json!({"items": [{"medicine_id": "LOC-SYN-IBU-200"}, {"ingredient": "warfarin"}]});
        let checked = app
            .send_json("POST", "/api/v1/interactions/check", &basket)
            .await;
        assert_eq!(checked.status, 200, "{}", checked.text);
        assert_eq!(checked.json["data"]["unrecognised"], json!([]));
        assert_eq!(
            checked.json["data"]["findings"][0]["kind"], "interaction",
            "{}",
            checked.text
        );
        let stock = app
            .get(&format!("/api/v1/pharmacies/{pharmacy}/stock"))
            .await;
        assert_eq!(stock.json["meta"]["total_items"], 4, "{}", stock.text);
    })
    .await;
}

#[actix_web::test]
async fn a_bad_catalogue_file_is_refused_whole_with_its_lines() {
    on_each_backend_as_admin(|app, token| async move {
        let header = "product_code,name,ingredients,strengths,dose_form,route,status\n";
        let good = "SYN-GOOD,Synthetic Good,ibuprofen,200MG,tablet,oral,otc\n";
        let malformed = format!("{header}{good}SYN-BAD,Synthetic Bad,ibuprofen,200MG,tablet,oral,sometimes\nSYN-TWO,X,ibuprofen;famotidine,200MG,tablet,oral,otc\n");
        let reply = post_csv(&app, &token, "/api/v1/catalogue/imports", &malformed).await;
        reply.assert_error(422, "validation_failed");
        let details = &reply.json["error"]["details"];
        assert_eq!(details[0]["field"], "line 3", "{}", reply.text);
        assert_eq!(details[1]["field"], "line 4", "{}", reply.text);

        let unknown = format!("{header}{good}SYN-UNK,Synthetic Unknown,synthetic-no-such-ingredient,1MG,tablet,oral,otc\n");
        let reply = post_csv(&app, &token, "/api/v1/catalogue/imports", &unknown).await;
        reply.assert_error(422, "validation_failed");
        assert!(reply.text.contains("line 3: unknown ingredient"), "{}", reply.text);
        // Nothing of either file was written, not even its good row.
        app.get("/api/v1/medicines/LOC-SYN-GOOD").await.assert_error(404, "medicine_not_found");

        let stock_without_pharmacy = example("synthetic_pharmacy_catalogue.csv");
        post_csv(&app, &token, "/api/v1/catalogue/imports", &stock_without_pharmacy)
            .await
            .assert_error(422, "validation_failed");
        let missing = format!("/api/v1/catalogue/imports?pharmacy_id={}", uuid::Uuid::new_v4());
        post_csv(&app, &token, &missing, &format!("{header}{good}"))
            .await
            .assert_error(404, "pharmacy_not_found");
        let json_body = app
            .request("POST", "/api/v1/catalogue/imports", Some("{}"), &[("authorization", &format!("Bearer {token}"))])
            .await;
        json_body.assert_error(415, "unsupported_content_type");
        app.request("POST", "/api/v1/catalogue/imports", Some(good), &[("content-type", "text/csv")])
            .await
            .assert_error(401, "unauthenticated");
    })
    .await;
}

/// The interaction finding for ibuprofen + warfarin, from an anonymous basket check.
async fn ibuprofen_warfarin(app: &TestApp) -> (Value, String) {
    let basket = json!({"items": [{"ingredient": "ibuprofen"}, {"ingredient": "warfarin"}]});
    let checked = app
        .send_json("POST", "/api/v1/interactions/check", &basket)
        .await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    let finding = checked.json["data"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "interaction")
        .cloned()
        .expect("an interaction finding");
    (
        finding,
        checked.json["data"]["verdict_text"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[actix_web::test]
async fn licensed_sources_are_kept_apart_and_shown_side_by_side() {
    on_each_backend_as_admin(|app, token| async move {
        let generic = post_csv(
            &app,
            &token,
            "/api/v1/interactions/imports?format=generic&source_name=synthetic_generic&label=Synthetic%20generic%20source",
            &example("synthetic_interactions_generic.csv"),
        )
        .await;
        assert_eq!(generic.status, 200, "{}: {}", app.backend, generic.text);
        assert_eq!(counts(&generic, "interactions"), [2, 0, 0, 0]);
        let ddinter_path = "/api/v1/interactions/imports?format=ddinter&source_name=synthetic_ddinter";
        let ddinter = post_csv(&app, &token, ddinter_path, &example("synthetic_ddinter_layout.csv")).await;
        assert_eq!(ddinter.status, 200, "{}", ddinter.text);
        assert_eq!(counts(&ddinter, "interactions"), [2, 0, 0, 0]);
        assert_eq!(ddinter.json["data"]["unmatched_rows"], 1);
        assert_eq!(ddinter.json["data"]["unmatched_names"], json!(["synthetic unknown drug"]));

        // Each source keeps its own severity, labelled; the finding takes the worst of them.
        let (finding, verdict) = ibuprofen_warfarin(&app).await;
        let evidence: Vec<(String, String)> = finding["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .map(|e| (e["source"].as_str().unwrap().to_string(), e["severity"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            evidence,
            [("ansm_2020", "major"), ("synthetic_ddinter", "minor"), ("synthetic_generic", "moderate")]
                .map(|(s, v)| (s.to_string(), v.to_string()))
        );
        assert_eq!(finding["severity"], "major");
        assert!(finding["source"].as_str().unwrap().contains("Synthetic generic source"), "{finding}");
        assert!(verdict.contains("DDInter"), "{verdict}");

        // Re-importing the same file changes nothing; a new file replaces only its own source.
        let again = post_csv(&app, &token, ddinter_path, &example("synthetic_ddinter_layout.csv")).await;
        assert_eq!(counts(&again, "interactions"), [0, 0, 2, 0]);
        assert_eq!(again.json["data"]["catalogue_version"], ddinter.json["data"]["catalogue_version"]);
        let replaced = post_csv(&app, &token, ddinter_path, "DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level\nS1,Ibuprofen,S2,Warfarin,Major\n").await;
        assert_eq!(counts(&replaced, "interactions"), [0, 1, 0, 1]);
        let (finding, _) = ibuprofen_warfarin(&app).await;
        assert_eq!(finding["evidence"].as_array().unwrap().len(), 3, "{finding}");
        assert_eq!(audit_count(&app, &token, "interactions.licensed_import").await, 3);
    })
    .await;
}

#[actix_web::test]
async fn bad_licensed_files_and_options_are_refused() {
    on_each_backend_as_admin(|app, token| async move {
        let path = "/api/v1/interactions/imports?format=generic&source_name=synthetic_bad";
        let bad_severity = "ingredient_a,ingredient_b,severity\nibuprofen,warfarin,severe\n";
        let reply = post_csv(&app, &token, path, bad_severity).await;
        reply.assert_error(422, "validation_failed");
        assert_eq!(reply.json["error"]["details"][0]["field"], "line 2", "{}", reply.text);
        let repeated = "ingredient_a,ingredient_b,severity\nibuprofen,warfarin,minor\nWarfarin,Ibuprofen,major\n";
        let reply = post_csv(&app, &token, path, repeated).await;
        reply.assert_error(422, "validation_failed");
        assert!(reply.text.contains("line 3: ibuprofen + warfarin already stated on line 2"), "{}", reply.text);
        let ddinter_as_generic = example("synthetic_ddinter_layout.csv");
        post_csv(&app, &token, path, &ddinter_as_generic)
            .await
            .assert_error(422, "validation_failed");
        let shipped = "/api/v1/interactions/imports?format=generic&source_name=ansm_2020";
        post_csv(&app, &token, shipped, "ingredient_a,ingredient_b,severity\na,b,minor\n")
            .await
            .assert_error(422, "validation_failed");
        let unknown_format = "/api/v1/interactions/imports?format=excel&source_name=x";
        post_csv(&app, &token, unknown_format, "a\n").await.assert_error(400, "invalid_query");
        // Nothing was stored: the basket sees only the shipped source.
        let (finding, _) = ibuprofen_warfarin(&app).await;
        assert_eq!(finding["evidence"].as_array().unwrap().len(), 1, "{finding}");
    })
    .await;
}

#[actix_web::test]
async fn the_cli_imports_both_files_and_a_rerun_changes_nothing() {
    for database in fresh_databases() {
        // The app's first start imports the shipped knowledge the files join.
        let _app = TestApp::spawn(&database).await;
        let settings = settings_for(database.url());
        let catalogue = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/examples/synthetic_pharmacy_catalogue.csv");
        let mut out = Vec::new();
        // Stock columns without --pharmacy: refused before the database is touched.
        let refused =
            pharmarec_server::cli::import_catalogue(&settings, &catalogue, None, &mut out).await;
        assert!(
            format!("{:#}", refused.unwrap_err())
                .contains("line 2: quantity and price need a pharmacy")
        );

        let header_only = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(
            header_only.path(),
            "product_code,name,ingredients,strengths,dose_form,route,status\nSYN-CLI,Synthetic CLI Product,ibuprofen,200MG,tablet,oral,otc\n",
        )
        .unwrap();
        for expected in ["products: 1 inserted", "products: nothing changed"] {
            let mut out = Vec::new();
            pharmarec_server::cli::import_catalogue(&settings, header_only.path(), None, &mut out)
                .await
                .unwrap();
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains(expected), "{}: {out}", database.backend());
        }

        let ddinter = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/examples/synthetic_ddinter_layout.csv");
        let request = pharmarec_server::cli::LicensedFiles {
            format: pharmarec_domain::imports::LicensedFormat::Ddinter,
            name: "synthetic_cli".parse().unwrap(),
            label: None,
            url: Some("https://example.org/synthetic".into()),
            files: vec![ddinter.clone(), ddinter],
        };
        let mut out = Vec::new();
        let report = pharmarec_server::cli::import_interactions(&settings, request, &mut out)
            .await
            .unwrap();
        // The same file twice: its pairs are stated twice by one source and kept once.
        assert_eq!(report.interactions.inserted, 2);
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains("synthetic unknown drug")
        );
    }
}
