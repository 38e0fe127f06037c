//! `POST /api/v1/recommendations` with input customers really type (issue 9): bad text is a clear
//! 422 or an empty answer listing every word as unrecognised, never a 500; answers are lean unless
//! the caller asks for the products; OTC ingredients without a product come as suggestions.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_domain::rules::{MonographIndication, MonographIngredient};
use pharmarec_domain::{ClinicalRules, KnowledgeVersion, OtcMonograph};
use pharmarec_http_api::app;
use pharmarec_recommendation::{KnowledgeHandle, KnowledgeSnapshot};
use serde_json::{Value, json};

use crate::helpers::{Fakes, post_json};
use crate::knowledge::{VERSION, synthetic_knowledge};

const URI: &str = "/api/v1/recommendations";

async fn ask(fakes: &Fakes, body: Value) -> (StatusCode, Value) {
    let app = test::init_service(app(fakes.state())).await;
    let reply = post_json(&app, URI, body).await;
    (reply.status, reply.body)
}

#[actix_web::test]
async fn text_without_words_is_a_422_on_symptoms() {
    let fakes = Fakes::new();
    // U+24B6 (circled A) is alphabetic to Rust but no letter (category So) to the document's pattern.
    for text in [
        "",
        "   ",
        "🤧🤒😷",
        "?!... --",
        "\u{24b6}",
        "x".repeat(10_000).as_str(),
    ] {
        let (status, body) = ask(&fakes, json!({"symptoms": text})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{text:.20}: {body}"
        );
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(body["error"]["details"][0]["field"], "symptoms", "{body}");
    }
}

#[actix_web::test]
async fn only_function_words_give_an_empty_answer_listing_every_word() {
    let fakes = Fakes::new();
    let (status, body) = ask(&fakes, json!({"symptoms": "and the with my"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["data"]["recommendations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        body["data"]["unrecognised_terms"],
        json!(["and", "the", "with", "my"])
    );
}

#[actix_web::test]
async fn mixed_languages_and_emoji_keep_what_is_understood_and_list_the_rest() {
    let fakes = Fakes::new();
    let (status, body) = ask(
        &fakes,
        json!({"symptoms": "éternuements 🤧 und sneezing, 鼻水"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        !body["data"]["recommendations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let unrecognised = body["data"]["unrecognised_terms"].to_string();
    for word in ["éternuements", "und", "鼻水"] {
        assert!(unrecognised.contains(word), "{word}: {unrecognised}");
    }
}

#[actix_web::test]
async fn answers_list_other_products_only_when_asked() {
    let fakes = Fakes::new();
    let zorbanol = |body: &Value| {
        body["data"]["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["medicine"]["ingredients"][0] == "zorbanol")
            .unwrap()
            .clone()
    };
    let (_, lean) = ask(&fakes, json!({"symptoms": "sneezing"})).await;
    assert_eq!(zorbanol(&lean)["products"], json!([]));
    assert_eq!(zorbanol(&lean)["product_count"], 2);

    let (_, full) = ask(
        &fakes,
        json!({"symptoms": "sneezing", "include_products": true}),
    )
    .await;
    assert_eq!(zorbanol(&full)["products"].as_array().unwrap().len(), 1);

    for max in [0, 51] {
        let (status, body) = ask(
            &fakes,
            json!({"symptoms": "sneezing", "include_products": true, "max_products": max}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["details"][0]["field"], "max_products");
    }
}

/// The synthetic knowledge plus one made-up OTC use category whose only member, `blorptane`, has
/// no product (synthetic names and URL, not medical facts).
fn handle_with_a_category() -> Arc<KnowledgeHandle> {
    let url = "https://example.org/synthetic-monograph";
    let monograph = OtcMonograph {
        ingredients: vec![MonographIngredient {
            category_id: "synthetic_use".into(),
            category_name: "synthetic use".into(),
            ingredient: "blorptane".into(),
            route_form_constraint: "oral".into(),
            max_concentration_or_dose: String::new(),
            cfr_section: "synthetic 1.1".into(),
            source_url: url.into(),
            source_type: "synthetic".into(),
        }],
        indications: vec![MonographIndication {
            category_id: "synthetic_use".into(),
            indication_text: "sneezing".into(),
            cfr_section: "synthetic 1.2".into(),
            source_url: url.into(),
            source_type: "synthetic".into(),
            statement_verbatim: "sneezing".into(),
        }],
        ..OtcMonograph::default()
    };
    let knowledge = pharmarec_domain::KnowledgeBase {
        rules: ClinicalRules {
            monograph,
            ..ClinicalRules::default()
        },
        ..synthetic_knowledge()
    };
    let version = KnowledgeVersion {
        catalogue_version: VERSION,
        sources: vec!["synthetic".into()],
    };
    Arc::new(KnowledgeHandle::new(Arc::new(
        KnowledgeSnapshot::build(knowledge, version).unwrap(),
    )))
}

#[actix_web::test]
async fn an_otc_ingredient_without_a_product_comes_as_a_cited_suggestion() {
    let mut fakes = Fakes::new();
    fakes.engine = handle_with_a_category();
    let (status, body) = ask(&fakes, json!({"symptoms": "sneezing"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let suggestion = &body["data"]["ingredient_suggestions"][0];
    assert_eq!(suggestion["ingredient"], "blorptane", "{body}");
    assert_eq!(suggestion["category"], "synthetic use");
    assert!(suggestion["note"].as_str().unwrap().contains("no product"));
    assert!(
        suggestion["reasons"][0]["source"]
            .as_str()
            .unwrap()
            .contains("example.org")
    );
    assert!(suggestion["warnings"].as_array().is_some());
    assert_eq!(body["data"]["excluded_suggestions"], json!([]));
}
