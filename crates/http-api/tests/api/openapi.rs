//! The OpenAPI document covers every route the app serves, and Swagger UI is served from the binary.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use pharmarec_http_api::app;

use crate::helpers::{Fakes, get, send};

/// Every operation the app serves besides the document and Swagger UI themselves.
const SERVED: [(&str, &str); 33] = [
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/version"),
    ("get", "/diagnostics"),
    ("get", "/metrics"),
    ("get", "/api/v1/medicines"),
    ("post", "/api/v1/medicines"),
    ("get", "/api/v1/medicines/{id}"),
    ("put", "/api/v1/medicines/{id}"),
    ("delete", "/api/v1/medicines/{id}"),
    ("get", "/api/v1/ingredients"),
    ("get", "/api/v1/conditions"),
    ("get", "/api/v1/pharmacies"),
    ("post", "/api/v1/pharmacies"),
    ("get", "/api/v1/pharmacies/{id}"),
    ("get", "/api/v1/pharmacies/{id}/stock"),
    ("put", "/api/v1/pharmacies/{id}/stock/{medicine_id}"),
    ("post", "/api/v1/pharmacies/{id}/stock/{medicine_id}/adjust"),
    ("post", "/api/v1/recommendations"),
    ("get", "/api/v1/medicines/{id}/substitutes"),
    ("post", "/api/v1/medicines/{id}/substitutes"),
    ("post", "/api/v1/interactions/check"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{id}"),
    ("put", "/api/v1/users/{id}"),
    ("post", "/api/v1/users/{id}/disable"),
    ("get", "/api/v1/audit"),
    ("post", "/api/v1/catalogue/imports"),
    ("post", "/api/v1/interactions/imports"),
];

fn concrete(path: &str) -> String {
    path.replace("{id}", "7d0a4c1e-2b7e-4f61-9d1c-2a3b4c5d6e7f")
        .replace("{medicine_id}", "OB-A000001-001")
}

#[actix_web::test]
async fn openapi_document_lists_exactly_the_served_operations() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (doc, status) = get(&app, "/api/v1/openapi.json").await;

    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = SERVED
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, served);
}

#[actix_web::test]
async fn every_documented_operation_is_routed() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    for (method, path) in SERVED {
        let request = TestRequest::default()
            .method(method.to_uppercase().parse().unwrap())
            .uri(&concrete(path));
        let reply = send(&app, request).await;
        let code = reply.body["error"]["code"].as_str().unwrap_or("");
        assert!(
            code != "route_not_found" && code != "method_not_allowed",
            "{method} {path}: {code}"
        );
    }
}

#[actix_web::test]
async fn error_envelope_and_codes_are_documented_schemas() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (doc, _) = get(&app, "/api/v1/openapi.json").await;

    let schemas = &doc["components"]["schemas"];
    assert!(schemas["ErrorEnvelope"].is_object());
    let codes = schemas["ErrorCode"]["enum"].as_array().unwrap();
    assert!(codes.iter().any(|c| c == "stale_version"));
    let not_found = &doc["paths"]["/api/v1/medicines/{id}"]["get"]["responses"]["404"];
    assert!(not_found.is_object());
    let bearer = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(bearer["scheme"], "bearer");
    assert_eq!(
        doc["paths"]["/api/v1/audit"]["get"]["security"],
        serde_json::json!([{"bearer": []}])
    );
    assert!(codes.iter().any(|c| c == "refresh_token_reused"));
}

#[actix_web::test]
async fn bare_docs_path_redirects_to_swagger_ui() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = send(&app, TestRequest::get().uri("/docs")).await;

    assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(reply.header("location"), Some("/docs/"));
}

#[actix_web::test]
async fn swagger_ui_assets_are_served_from_the_binary() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let index = send(&app, TestRequest::get().uri("/docs/")).await;
    let initializer = send(&app, TestRequest::get().uri("/docs/swagger-initializer.js")).await;
    let bundle = send(&app, TestRequest::get().uri("/docs/swagger-ui-bundle.js")).await;

    assert!(
        index.text.contains("swagger-initializer.js"),
        "{}",
        index.text
    );
    assert_eq!(initializer.status, StatusCode::OK);
    assert!(initializer.text.contains("/api/v1/openapi.json"));
    assert_eq!(bundle.status, StatusCode::OK);
}

#[actix_web::test]
async fn clinical_answers_document_meta_and_knowledge_unavailable() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (doc, _) = get(&app, "/api/v1/openapi.json").await;

    let schemas = &doc["components"]["schemas"];
    for answer in [
        "Clinical_RecommendationsDto",
        "Clinical_SubstitutesDto",
        "Clinical_InteractionReportDto",
    ] {
        let required = schemas[answer]["required"].as_array().unwrap();
        assert!(required.iter().any(|f| f == "meta"), "{answer}");
    }
    let meta = &schemas["ClinicalMeta"]["required"];
    assert_eq!(meta, &serde_json::json!(["knowledge", "disclaimer"]));
    let check = &doc["paths"]["/api/v1/interactions/check"]["post"]["responses"]["503"];
    assert!(
        check["description"]
            .as_str()
            .unwrap()
            .contains("knowledge_unavailable")
    );
}

/// Every `$ref` in `value`, recursively.
fn references(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", serde_json::Value::String(target)) => {
                        out.insert(target.clone());
                    }
                    _ => references(child, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

#[actix_web::test]
async fn every_secured_operation_documents_401_and_no_open_one_does() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let (doc, _) = get(&app, "/api/v1/openapi.json").await;

    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let secured = operation.get("security").is_some();
            let unauthenticated = &operation["responses"]["401"]["description"];
            if secured {
                assert!(
                    unauthenticated
                        .as_str()
                        .unwrap()
                        .contains("account_disabled"),
                    "{method} {path} needs a token but does not document 401"
                );
            } else if path != "/api/v1/auth/login" && path != "/api/v1/auth/refresh" {
                assert!(
                    unauthenticated.is_null(),
                    "{method} {path}: {unauthenticated}"
                );
            }
        }
    }
    let audit = &doc["paths"]["/api/v1/audit"]["get"]["responses"];
    assert!(audit["401"].is_object() && audit["403"].is_object());
}

#[actix_web::test]
async fn every_reference_resolves_and_every_json_body_documents_415() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let (doc, _) = get(&app, "/api/v1/openapi.json").await;

    let mut targets = BTreeSet::new();
    references(&doc, &mut targets);
    for target in targets {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {target}"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling reference {target}"
        );
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("requestBody").is_some() {
                assert!(
                    operation["responses"].get("415").is_some(),
                    "{method} {path} takes a JSON body but does not document 415"
                );
            }
        }
    }
}

#[actix_web::test]
async fn page_numbers_past_the_documented_maximum_are_refused() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    for uri in [
        "/api/v1/medicines?page=2147483648",
        "/api/v1/ingredients?page=4294967295",
        "/api/v1/pharmacies?page=2147483648",
    ] {
        let reply = send(&app, TestRequest::get().uri(uri)).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    let last = send(
        &app,
        TestRequest::get().uri("/api/v1/medicines?page=2147483647"),
    )
    .await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.text);
}

#[actix_web::test]
async fn free_text_strings_document_that_nul_is_refused() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;
    let (doc, _) = get(&app, "/api/v1/openapi.json").await;
    let address = &doc["components"]["schemas"]["NewPharmacyRequest"]["properties"]["address"];
    assert_eq!(address["pattern"], "^[^\\u0000]*$", "{address}");
    let q = doc["paths"]["/api/v1/ingredients"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "q")
        .unwrap();
    assert_eq!(q["schema"]["pattern"], "^[^\\u0000]*$", "{q}");
}
