//! CDS Hooks end to end: the real app on a real database answers the examples of
//! `docs/INTEROPERABILITY.md` (read from `docs/examples/cds/`) as documented, including the HL7
//! PDDI CDS guide's warfarin + NSAID scenarios, refuses malformed requests with a 400, fetches from
//! a FHIR server only when allowed, and records feedback in the audit trail.

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_backend, on_each_backend_as_admin};

mod fetch;
mod jwt;

pub(crate) const SELECT: &str = "/cds-services/pharmarec-order-select";
pub(crate) const SIGN: &str = "/cds-services/pharmarec-order-sign";

/// What the PharmaRec knowledge says it cannot weigh, on every interaction card.
const PAIR_ONLY: &str =
    "It has no rule that raises or lowers this severity for other patient factors";

pub(crate) fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../docs/examples/cds/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The documented key fields of a CDS response: per card its summary, indicator, source label and
/// suggestions (label and action types).
fn key_fields(response: &Value) -> Value {
    let cards: Vec<Value> = response["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .map(|card| {
            let mut key = json!({
                "summary": card["summary"],
                "indicator": card["indicator"],
                "source": card["source"]["label"],
            });
            if let Some(suggestions) = card["suggestions"].as_array() {
                key["suggestions"] = suggestions
                    .iter()
                    .map(|s| {
                        let actions: Vec<&Value> = s["actions"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|a| &a["type"])
                            .collect();
                        json!({"label": s["label"], "actions": actions})
                    })
                    .collect();
            }
            key
        })
        .collect();
    json!({ "cards": cards })
}

/// Every card has the CDS Hooks 2.0 required fields, a summary under 140 characters and a valid indicator.
fn assert_card_shapes(response: &Value) {
    for card in response["cards"].as_array().expect("cards") {
        let summary = card["summary"].as_str().expect("summary");
        assert!(summary.chars().count() < 140, "{summary}");
        assert!(["info", "warning", "critical"].contains(&card["indicator"].as_str().unwrap()));
        assert!(card["source"]["label"].is_string(), "{card}");
        assert!(uuid::Uuid::parse_str(card["uuid"].as_str().unwrap()).is_ok());
        assert!(card["detail"].as_str().is_some_and(|d| !d.is_empty()));
        if card.get("suggestions").is_some() {
            assert_eq!(card["selectionBehavior"], "at-most-one", "{card}");
        }
    }
}

async fn call(app: &TestApp, service: &str, name: &str) -> Value {
    let reply = app
        .send_json("POST", service, &example(&format!("{name}.request.json")))
        .await;
    assert_eq!(reply.status, 200, "{name}: {}", reply.text);
    assert_card_shapes(&reply.json);
    reply.json
}

pub(crate) fn card<'a>(response: &'a Value, summary: &str) -> Option<&'a Value> {
    response["cards"]
        .as_array()?
        .iter()
        .find(|c| c["summary"] == summary)
}

#[actix_web::test]
async fn discovery_lists_both_hooks_with_the_prefetch_templates() {
    on_each_backend(|app| async move {
        let reply = app.get("/cds-services").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let services = reply.json["services"].as_array().unwrap();
        let hooks: Vec<&str> = services
            .iter()
            .map(|s| s["hook"].as_str().unwrap())
            .collect();
        assert_eq!(hooks, ["order-select", "order-sign"]);
        for service in services {
            for field in ["id", "title", "description"] {
                assert!(service[field].is_string(), "{service}");
            }
            let prefetch = &service["prefetch"];
            assert_eq!(prefetch["patient"], "Patient/{{context.patientId}}");
            for key in [
                "medicationRequests",
                "medicationStatements",
                "allergies",
                "conditions",
            ] {
                assert!(
                    prefetch[key]
                        .as_str()
                        .unwrap()
                        .contains("patient={{context.patientId}}"),
                    "{key}"
                );
            }
        }
    })
    .await;
}

#[actix_web::test]
async fn the_documented_examples_answer_as_documented() {
    on_each_backend(|app| async move {
        // order-sign reuses order-select's hook instance, so it comes second.
        let examples = [
            (SELECT, "order-select-warfarin-ibuprofen"),
            (SIGN, "order-sign-warfarin-ibuprofen"),
            (SELECT, "pddi-ppi-on-board"),
            (SELECT, "pddi-age-over-65"),
            (SELECT, "pddi-corticosteroid"),
            (SELECT, "pddi-topical-diclofenac"),
            (SELECT, "pddi-gi-bleed-history"),
            (SELECT, "no-prefetch"),
        ];
        for (service, name) in examples {
            let response = call(&app, service, name).await;
            assert_eq!(
                key_fields(&response),
                example(&format!("{name}.response.json")),
                "{name} on {}: the answer differs from docs/examples/cds/{name}.response.json",
                app.backend
            );
        }
    })
    .await;
}

#[actix_web::test]
async fn warfarin_and_ibuprofen_get_one_critical_card_with_a_replacement_from_the_engine() {
    on_each_backend(|app| async move {
        let response = call(&app, SELECT, "order-select-warfarin-ibuprofen").await;
        let card =
            card(&response, "Major interaction: ibuprofen + warfarin").expect("interaction card");
        assert_eq!(card["indicator"], "critical");
        assert!(
            card["source"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://ansm.sante.fr/")
        );
        let detail = card["detail"].as_str().unwrap();
        assert!(
            detail.contains("RxNorm code(s) 197805 are not in PharmaRec's shipped data"),
            "{detail}"
        );
        assert!(detail.contains(PAIR_ONLY), "{detail}");
        let codes: Vec<&str> = card["overrideReasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"will-monitor"), "{codes:?}");
        let actions = &card["suggestions"][0]["actions"];
        assert_eq!(actions[0]["type"], "delete");
        assert_eq!(
            actions[0]["resourceId"][0],
            "MedicationRequest/ibuprofen-draft-order"
        );
        let created = &actions[1]["resource"];
        assert_eq!(actions[1]["type"], "create");
        assert_eq!(created["resourceType"], "MedicationRequest");
        assert_eq!(created["subject"]["reference"], "Patient/f101");
        // acetaminophen's RxNorm ingredient id from data/ingredients.csv.
        assert_eq!(
            created["medicationCodeableConcept"]["coding"][0]["code"],
            "161"
        );
        // The alternative's own moderate ANSM row with warfarin is shown, not hidden.
        assert!(detail.contains("PARACETAMOL + ANTIVITAMINES K"), "{detail}");
    })
    .await;
}

#[actix_web::test]
async fn pddi_modifiers_are_answered_only_as_far_as_the_cited_knowledge_goes() {
    on_each_backend(|app| async move {
        let base = call(&app, SELECT, "order-select-warfarin-ibuprofen").await;
        let major = |r: &Value| {
            card(r, "Major interaction: ibuprofen + warfarin").map(|c| c["indicator"].clone())
        };
        // PPI on board: no rule lowers the pair's severity; the card is unchanged and says so.
        let ppi = call(&app, SELECT, "pddi-ppi-on-board").await;
        assert_eq!(major(&ppi), major(&base));
        assert_eq!(
            ppi["cards"].as_array().unwrap().len(),
            1,
            "the PPI itself adds no card: {ppi}"
        );
        // Over 65: the pair's severity is unchanged (no rule raises it for age), and the ibuprofen
        // label's own "age 60 or older" stomach-bleeding paragraph is a separate, cited age card.
        let old = call(&app, SELECT, "pddi-age-over-65").await;
        assert_eq!(major(&old), major(&base));
        let age = card(&old, "Age rule (moderate): ibuprofen").expect("the label's age-60 card");
        assert_eq!(age["indicator"], "warning");
        assert!(
            age["source"]["label"]
                .as_str()
                .unwrap()
                .contains("IBUPROFEN"),
            "{age}"
        );
        let base_has_age = card(&base, "Age rule (moderate): ibuprofen").is_some();
        assert!(!base_has_age, "no age card without an age: {base}");
        // Corticosteroid: ANSM's own NSAID + glucocorticoid row is a separate, minor card, without a replacement.
        let steroid = call(&app, SELECT, "pddi-corticosteroid").await;
        assert_eq!(
            major(&steroid),
            major(&base),
            "warfarin from a MedicationDispense counts"
        );
        let minor = card(&steroid, "Minor interaction: ibuprofen + prednisone")
            .expect("NSAID + corticosteroid card");
        assert_eq!(minor["indicator"], "info");
        assert!(minor.get("suggestions").is_none());
        // Topical diclofenac: the source rows are per ingredient, so the route cannot lower it; the card says so.
        let topical = call(&app, SELECT, "pddi-topical-diclofenac").await;
        let diclofenac =
            card(&topical, "Major interaction: diclofenac + warfarin").expect("diclofenac card");
        assert!(
            diclofenac["detail"]
                .as_str()
                .unwrap()
                .contains("the order's route was not used")
        );
    })
    .await;
}

#[actix_web::test]
async fn a_card_shown_at_order_select_is_not_repeated_at_order_sign_for_the_same_instance() {
    on_each_backend(|app| async move {
        let select = call(&app, SELECT, "order-select-warfarin-ibuprofen").await;
        assert_eq!(select["cards"].as_array().unwrap().len(), 1);
        let sign = call(&app, SIGN, "order-sign-warfarin-ibuprofen").await;
        assert_eq!(sign["cards"], json!([]), "shown at order-select already");
        let mut other = example("order-sign-warfarin-ibuprofen.request.json");
        other["hookInstance"] = json!(uuid::Uuid::new_v4().to_string());
        let reply = app.send_json("POST", SIGN, &other).await;
        assert_eq!(
            reply.json["cards"].as_array().unwrap().len(),
            1,
            "a new instance: {}",
            reply.text
        );
    })
    .await;
}

#[actix_web::test]
async fn without_prefetch_the_answer_says_which_checks_could_not_run() {
    on_each_backend(|app| async move {
        let response = call(&app, SELECT, "no-prefetch").await;
        let card = card(&response, "Some patient checks could not run").expect("not-run card");
        let detail = card["detail"].as_str().unwrap();
        for key in [
            "patient",
            "medicationRequests",
            "medicationStatements",
            "allergies",
            "conditions",
        ] {
            assert!(
                detail.contains(&format!("- {key}: not prefetched")),
                "{key}: {detail}"
            );
        }
    })
    .await;
}

#[actix_web::test]
async fn a_drug_the_knowledge_does_not_name_gets_a_could_not_be_checked_card() {
    on_each_backend(|app| async move {
        let mut request = example("order-select-warfarin-ibuprofen.request.json");
        let concept = &mut request["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"];
        *concept = json!({"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "999999999", "display": "Synthetic Unknownium 5 MG Oral Tablet"}]});
        let reply = app.send_json("POST", SELECT, &request).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let card = card(&reply.json, "Could not be checked: Synthetic Unknownium 5 MG Oral Tablet").expect("card");
        assert_eq!(card["indicator"], "warning");
        assert!(card["detail"].as_str().unwrap().contains("999999999"));
    })
    .await;
}

#[actix_web::test]
async fn malformed_requests_get_a_400_and_never_a_500() {
    on_each_backend(|app| async move {
        let valid = example("order-select-warfarin-ibuprofen.request.json");
        let mutate = |f: &dyn Fn(&mut Value)| {
            let mut body = valid.clone();
            f(&mut body);
            body
        };
        let bad = [
            mutate(&|b| b["surprise"] = json!(1)),
            mutate(&|b| b["hook"] = json!("order-sign")),
            mutate(&|b| b["hookInstance"] = json!("not-a-uuid")),
            mutate(&|b| { b["context"].as_object_mut().unwrap().remove("draftOrders"); }),
            mutate(&|b| { b["context"].as_object_mut().unwrap().remove("selections"); }),
            mutate(&|b| b["context"]["selections"] = json!(["MedicationRequest/elsewhere"])),
            mutate(&|b| b["context"]["draftOrders"] = json!({"resourceType": "Patient"})),
            mutate(&|b| { b["context"]["draftOrders"]["entry"][0]["resource"].as_object_mut().unwrap().remove("intent"); }),
            mutate(&|b| b["prefetch"]["conditions"] = json!({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Condition", "clinicalStatus": "active"}}]})),
            mutate(&|b| b["fhirAuthorization"] = json!({"access_token": "x", "token_type": "Bearer", "expires_in": 60, "scope": "s", "subject": "c"})),
        ];
        for body in bad {
            let reply = app.send_json("POST", SELECT, &body).await;
            reply.assert_error(400, "bad_request");
        }
        let reply = app.request("POST", SELECT, Some("{not json"), &[]).await;
        reply.assert_error(400, "bad_request");
        let reply = app.send_json("POST", "/cds-services/no-such-service", &valid).await;
        reply.assert_error(404, "route_not_found");
    })
    .await;
}

#[actix_web::test]
async fn feedback_is_recorded_in_the_audit_trail() {
    on_each_backend_as_admin(|app, admin| async move {
        let response = call(&app, SELECT, "order-select-warfarin-ibuprofen").await;
        let uuid = response["cards"][0]["uuid"].as_str().unwrap().to_string();
        let mut feedback = example("feedback-overridden.json");
        feedback["feedback"][0]["card"] = json!(uuid);
        let reply = app
            .send_json("POST", &format!("{SELECT}/feedback"), &feedback)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let events = app
            .get_as(
                &admin,
                &format!("/api/v1/audit?action=cds.feedback&entity_id={uuid}"),
            )
            .await;
        assert_eq!(events.status, 200, "{}", events.text);
        let event = &events.json["data"][0];
        assert_eq!(event["entity_type"], "cds_card", "{}", events.text);
        let after = &event["after"];
        assert_eq!(after["feedback"]["outcome"], "overridden");
        assert_eq!(
            after["feedback"]["overrideReason"]["reason"]["code"],
            "will-monitor"
        );

        feedback["feedback"][0]["outcome"] = json!("ignored");
        let reply = app
            .send_json("POST", &format!("{SELECT}/feedback"), &feedback)
            .await;
        reply.assert_error(400, "bad_request");
    })
    .await;
}
