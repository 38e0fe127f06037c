//! The FHIR R4 read side end to end: `MedicationKnowledge` read and search and the
//! `CapabilityStatement`, each checked against the R4 shapes (`pharmarec_interop::r4`), and errors
//! as `OperationOutcome`s in `application/fhir+json`.

use pharmarec_interop::r4;

use crate::helpers::{
    Reply, TestApp, create_account, fresh_databases, on_each_backend, settings_for,
};

/// Advil 200 mg tablets in the shipped Orange Book extract (`data/medicines.csv`).
const ADVIL: &str = "OB-N018989-001";

fn assert_fhir(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.text);
    let content_type = reply.headers.get("content-type").map(String::as_str);
    assert_eq!(
        content_type,
        Some("application/fhir+json"),
        "{}",
        reply.text
    );
}

#[actix_web::test]
async fn the_capability_statement_is_r4() {
    on_each_backend(|app| async move {
        let reply = app.get("/fhir/metadata").await;
        assert_fhir(&reply, 200);
        r4::check_capability_statement(&reply.json).unwrap();
        let resource = &reply.json["rest"][0]["resource"][0];
        assert_eq!(resource["type"], "MedicationKnowledge");
    })
    .await;
}

#[actix_web::test]
async fn a_medicine_reads_as_medication_knowledge_with_rxnorm_ingredients() {
    on_each_backend(|app| async move {
        let reply = app.get(&format!("/fhir/MedicationKnowledge/{ADVIL}")).await;
        assert_fhir(&reply, 200);
        let resource = &reply.json;
        r4::check_medication_knowledge(resource).unwrap();
        assert_eq!(resource["id"], ADVIL);
        assert_eq!(resource["doseForm"]["text"], "tablet");
        let ingredient = &resource["ingredient"][0];
        // ibuprofen's RxNorm id in data/ingredients.csv.
        assert_eq!(
            ingredient["itemCodeableConcept"]["coding"][0]["code"],
            "5640"
        );
        assert_eq!(ingredient["strength"]["numerator"]["value"], 200.0);
        assert_eq!(ingredient["strength"]["numerator"]["unit"], "MG");
        let classifications = resource["medicineClassification"].as_array().unwrap();
        assert_eq!(
            classifications[0]["classification"][0]["coding"][0]["code"],
            "otc"
        );
        assert!(
            classifications[1]["classification"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["text"] == "Nonsteroidal Anti-inflammatory Drug")
        );
    })
    .await;
}

#[actix_web::test]
async fn search_by_code_and_name_returns_r4_searchsets() {
    on_each_backend(|app| async move {
        let by_rxnorm = app.get("/fhir/MedicationKnowledge?code=http://www.nlm.nih.gov/research/umls/rxnorm|5640&_count=50").await;
        assert_fhir(&by_rxnorm, 200);
        r4::check_searchset(&by_rxnorm.json, r4::check_medication_knowledge).unwrap();
        let entries = by_rxnorm.json["entry"].as_array().unwrap();
        assert!(!entries.is_empty());
        for entry in entries {
            let codes: Vec<&str> = entry["resource"]["ingredient"].as_array().unwrap().iter()
                .filter_map(|i| i["itemCodeableConcept"]["coding"][0]["code"].as_str()).collect();
            assert!(codes.contains(&"5640"), "every match holds ibuprofen: {entry}");
        }

        let by_id = app.get(&format!("/fhir/MedicationKnowledge?code=urn:pharmarec:medicine|{ADVIL}")).await;
        assert_fhir(&by_id, 200);
        assert_eq!(by_id.json["total"], 1);
        assert_eq!(by_id.json["entry"][0]["resource"]["id"], ADVIL);

        let by_name = app.get("/fhir/MedicationKnowledge?name=advil&_count=5").await;
        assert_fhir(&by_name, 200);
        r4::check_searchset(&by_name.json, r4::check_medication_knowledge).unwrap();
        assert!(by_name.json["total"].as_u64().unwrap() >= 1);
        assert!(by_name.json["entry"][0]["fullUrl"].as_str().unwrap().contains("/fhir/MedicationKnowledge/"));

        let nothing = app.get("/fhir/MedicationKnowledge?code=http://www.nlm.nih.gov/research/umls/rxnorm|0").await;
        assert_fhir(&nothing, 200);
        assert_eq!(nothing.json["total"], 0);
    })
    .await;
}

#[actix_web::test]
async fn errors_are_operation_outcomes() {
    on_each_backend(|app| async move {
        let cases = [
            ("/fhir/MedicationKnowledge/OB-NOPE-000", 404, "not-found"),
            ("/fhir/MedicationKnowledge?colour=red", 400, "invalid"),
            ("/fhir/MedicationKnowledge?_count=1000", 400, "invalid"),
            ("/fhir/MedicationKnowledge?_count=abc", 400, "invalid"),
            ("/fhir/Patient/1", 404, "not-supported"),
        ];
        for (path, status, code) in cases {
            let reply = app.get(path).await;
            assert_fhir(&reply, status);
            r4::check_operation_outcome(&reply.json).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(reply.json["issue"][0]["code"], code, "{path}");
            assert!(reply.headers.contains_key("x-request-id"), "{path}");
        }
    })
    .await;
}

#[actix_web::test]
async fn with_reads_requiring_auth_fhir_reads_need_an_api_token() {
    let database = fresh_databases().remove(0);
    let mut settings = settings_for(database.url());
    settings.auth.reads_require_auth = true;
    let app = TestApp::spawn_with(settings.clone(), database.backend()).await;
    let read = format!("/fhir/MedicationKnowledge/{ADVIL}");
    for path in [read.as_str(), "/fhir/MedicationKnowledge?name=advil"] {
        let reply = app.get(path).await;
        assert_fhir(&reply, 401);
        assert_eq!(reply.json["issue"][0]["code"], "login", "{}", reply.text);
        let reply = app.get_as("not-a-token", path).await;
        assert_fhir(&reply, 401);
        assert_eq!(reply.json["issue"][0]["code"], "unknown", "{}", reply.text);
    }
    // The CapabilityStatement stays public: clients read it before authenticating.
    assert_fhir(&app.get("/fhir/metadata").await, 200);
    let email = "reader@pharmarec.test";
    let password = create_account(&settings, email, pharmarec_domain::Role::Pharmacist).await;
    let token = app.login(email, &password).await;
    assert_fhir(&app.get_as(&token, &read).await, 200);
    assert_fhir(
        &app.get_as(&token, "/fhir/MedicationKnowledge?name=advil")
            .await,
        200,
    );
}
