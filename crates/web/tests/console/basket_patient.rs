//! The basket check for a described patient: the patient's findings among the others by severity,
//! patient entries the engine does not know listed as not checked, the panel kept through add,
//! remove and dismissal, and a patient-specific finding dismissed with the audit trail.
//! The knowledge is the SYNTHETIC one of `helpers` (made-up names and facts).

use actix_web::http::StatusCode;
use pharmarec_domain::ports::AuditLog;
use pharmarec_domain::{AuditQuery, Role};

use crate::helpers::{Browser, Page, TestConsole};

/// The heading of the synthetic pregnancy letter's finding (category X: contraindicated).
const PREGNANCY_FINDING: &str = "Contraindication: betamol";
/// The heading of the synthetic major interaction's finding.
const INTERACTION_FINDING: &str = "Interaction: alphamine + betamol";

async fn signed_in(console: &TestConsole) -> (Browser, String) {
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    let csrf = browser.csrf().await;
    (browser, csrf)
}

fn position(page: &Page, text: &str) -> usize {
    page.body
        .find(text)
        .unwrap_or_else(|| panic!("no {text:?} in {}", page.body))
}

#[actix_web::test]
async fn a_pregnant_patients_finding_is_shown_before_the_less_severe_interaction() {
    let console = TestConsole::new(false).await;
    let (mut browser, csrf) = signed_in(&console).await;
    let basket = [
        ("csrf", csrf.as_str()),
        ("item", "alphamine"),
        ("item", "betamol"),
    ];

    let anyone = browser.post("/console/basket", &basket).await;
    let pregnant = browser
        .post(
            "/console/basket",
            &[&basket[..], &[("pregnant", "yes")]].concat(),
        )
        .await;

    assert_eq!(pregnant.status, StatusCode::OK, "{}", pregnant.body);
    assert!(
        !anyone.body.contains(PREGNANCY_FINDING),
        "the finding comes from the patient"
    );
    assert!(
        position(&pregnant, PREGNANCY_FINDING) < position(&pregnant, INTERACTION_FINDING),
        "contraindicated before major"
    );
    assert!(pregnant.body.contains("pregnancy category X"));
}

#[actix_web::test]
async fn patient_entries_the_data_does_not_know_are_listed_as_not_checked() {
    let console = TestConsole::new(false).await;
    let (mut browser, csrf) = signed_in(&console).await;

    let page = browser
        .post(
            "/console/basket",
            &[
                ("csrf", csrf.as_str()),
                ("item", "alphamine"),
                ("item", "unknownium"),
                ("allergies", "moonbeam dust, alphamine"),
                ("current_medicine", "stardrops"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let not_checked = &page.body[position(&page, "Could not be checked")..];
    for entry in ["allergy: moonbeam dust", "current medicine stardrops"] {
        let line = format!("Patient entry not recognised, so not checked: “{entry}”");
        assert!(not_checked.contains(&line), "{line} in {not_checked}");
    }
    assert!(not_checked.contains("Not understood: “unknownium”"));
    assert!(
        !not_checked.contains("“allergy: alphamine”"),
        "a known ingredient is checked"
    );
    assert!(page.body.contains("Allergy: alphamine"), "{}", page.body);
}

#[actix_web::test]
async fn the_patient_panel_keeps_its_values_through_a_remove() {
    let console = TestConsole::new(false).await;
    let (mut browser, csrf) = signed_in(&console).await;

    let page = browser
        .post(
            "/console/basket",
            &[
                ("csrf", csrf.as_str()),
                ("item", "alphamine"),
                ("item", "betamol"),
                ("remove", "0"),
                ("age", "34"),
                ("pregnant", "yes"),
                ("trimester", "2"),
                ("breast_feeding", "yes"),
                ("conditions", "moon sickness"),
                ("allergies", "moonbeam dust"),
                ("current_medicine", "stardrops"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let basket = page.hidden_fields("/console/basket").remove(0);
    assert!(basket.contains(&("item".into(), "betamol".into())));
    assert!(!basket.contains(&("item".into(), "alphamine".into())));
    for control in [
        r#"name="age" min="0" max="130" inputmode="numeric" value="34">"#,
        r#"name="pregnant" value="yes" checked>"#,
        r#"<option value="2" selected>"#,
        r#"name="breast_feeding" value="yes" checked>"#,
        r#"name="conditions" aria-describedby="conditions-hint" value="moon sickness">"#,
        r#"name="allergies" aria-describedby="allergies-hint" value="moonbeam dust">"#,
        r#"name="current_medicine" value="stardrops""#,
    ] {
        assert!(page.body.contains(control), "{control} in {}", page.body);
    }
    assert!(
        page.body.contains(PREGNANCY_FINDING),
        "still checked for her"
    );
}

#[actix_web::test]
async fn a_patients_allergy_finding_is_dismissed_for_the_same_patient_and_audited() {
    let console = TestConsole::new(false).await;
    let (mut browser, csrf) = signed_in(&console).await;
    let checked = browser
        .post(
            "/console/basket",
            &[
                ("csrf", csrf.as_str()),
                ("item", "alphamine"),
                ("allergies", "alphamine"),
                ("age", "41"),
            ],
        )
        .await;
    // What the finding's dismissal form sends, as a browser would.
    let mut fields = checked.hidden_fields("/console/basket/dismiss").remove(0);
    fields.extend([
        ("reason_code".to_owned(), "not_applicable".to_owned()),
        (
            "reason_text".to_owned(),
            "Tolerated it last month".to_owned(),
        ),
    ]);
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    let dismissed = browser.post("/console/basket/dismiss", &form).await;

    assert!(
        form.contains(&("finding", "allergy:alphamine")),
        "{}",
        checked.body
    );
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.body);
    assert!(dismissed.body.contains("Recorded in the audit trail"));
    assert!(
        dismissed
            .body
            .contains(r#"name="allergies" aria-describedby="allergies-hint" value="alphamine">"#),
        "the panel is filled again"
    );
    assert!(dismissed.body.contains(r#"value="41">"#));
    let query = AuditQuery {
        action: Some("basket.dismiss_finding".into()),
        ..AuditQuery::default()
    };
    let events = console.db.audit_events(&query).await.unwrap().items;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].entity_id, "allergy:alphamine");
    let details: serde_json::Value =
        serde_json::from_str(events[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(details["finding"]["kind"], "allergy");
    assert_eq!(details["finding"]["severity"], "contraindicated");
}

#[actix_web::test]
async fn two_findings_of_one_kind_on_one_medicine_are_dismissed_one_at_a_time() {
    let console = TestConsole::new(false).await;
    let (mut browser, csrf) = signed_in(&console).await;
    // Two synthetic conditions, each excluding alphamine: two contraindicated findings alike but
    // for their rule.
    let checked = browser
        .post(
            "/console/basket",
            &[
                ("csrf", csrf.as_str()),
                ("item", "alphamine"),
                ("conditions", "synthetic_red, synthetic_blue"),
            ],
        )
        .await;
    let forms = checked.hidden_fields("/console/basket/dismiss");
    assert_eq!(forms.len(), 2, "{}", checked.body);
    let mut fields = forms[1].clone();
    fields.extend([
        ("reason_code".to_owned(), "prescriber_confirmed".to_owned()),
        ("reason_text".to_owned(), "Only this one".to_owned()),
    ]);
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    let dismissed = browser.post("/console/basket/dismiss", &form).await;

    assert!(
        form.contains(&("finding", "condition:alphamine:2")),
        "{form:?}"
    );
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.body);
    assert_eq!(
        dismissed
            .body
            .matches("Dismissed; the reason is in")
            .count(),
        1
    );
    assert_eq!(
        dismissed.body.matches("Dismiss this finding").count(),
        1,
        "the other is still to be dismissed"
    );
    let query = AuditQuery {
        action: Some("basket.dismiss_finding".into()),
        ..AuditQuery::default()
    };
    let events = console.db.audit_events(&query).await.unwrap().items;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].entity_id, "condition:alphamine:2");
}
