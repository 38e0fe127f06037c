//! The audited dismissal of a serious basket finding, and a stale stock edit shown, not lost.

use actix_web::http::StatusCode;
use pharmarec_domain::ports::{AuditLog, StockRepository};
use pharmarec_domain::{AuditQuery, Role};

use crate::helpers::{PRODUCT, TestConsole};

/// The synthetic major finding of `helpers::synthetic_knowledge`.
const FINDING: &str = "interaction:alphamine+betamol";

async fn dismissals(console: &TestConsole) -> Vec<pharmarec_domain::AuditEvent> {
    let query = AuditQuery {
        action: Some("basket.dismiss_finding".into()),
        ..AuditQuery::default()
    };
    console.db.audit_events(&query).await.unwrap().items
}

#[actix_web::test]
async fn a_major_finding_is_dismissed_only_with_a_reason_and_the_dismissal_is_audited() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    let csrf = browser.csrf().await;
    let basket = [
        ("csrf", csrf.as_str()),
        ("item", "alphamine"),
        ("item", "betamol"),
    ];

    let checked = browser.post("/console/basket", &basket).await;
    let without_text = browser
        .post(
            "/console/basket/dismiss",
            &[
                &basket[..],
                &[
                    ("finding", FINDING),
                    ("reason_code", "prescriber_confirmed"),
                ],
            ]
            .concat(),
        )
        .await;
    let unknown_code = browser
        .post(
            "/console/basket/dismiss",
            &[
                &basket[..],
                &[
                    ("finding", FINDING),
                    ("reason_code", "because"),
                    ("reason_text", "x"),
                ],
            ]
            .concat(),
        )
        .await;
    assert!(
        dismissals(&console).await.is_empty(),
        "nothing recorded before a valid reason"
    );
    let dismissed = browser
        .post(
            "/console/basket/dismiss",
            &[
                &basket[..],
                &[
                    ("finding", FINDING),
                    ("reason_code", "prescriber_confirmed"),
                    ("reason_text", "Prescriber called back"),
                ],
            ]
            .concat(),
        )
        .await;

    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("Major"), "{}", checked.body);
    assert!(
        checked.body.contains(FINDING),
        "a dismissal form for the finding"
    );
    assert_eq!(without_text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(without_text.body.contains("Explain the reason"));
    assert_eq!(unknown_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.body);
    assert!(dismissed.body.contains("Recorded in the audit trail"));
    let events = dismissals(&console).await;
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.entity_id, FINDING);
    assert!(event.actor.is_some(), "who");
    let details: serde_json::Value = serde_json::from_str(event.after.as_deref().unwrap()).unwrap();
    assert_eq!(details["reason_code"], "prescriber_confirmed");
    assert_eq!(details["reason"], "Prescriber called back");
    assert_eq!(details["finding"]["severity"], "major");
}

#[actix_web::test]
async fn a_finding_the_basket_does_not_have_cannot_be_dismissed() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    let csrf = browser.csrf().await;

    let answer = browser
        .post(
            "/console/basket/dismiss",
            &[
                ("csrf", csrf.as_str()),
                ("item", "alphamine"),
                ("finding", FINDING),
                ("reason_code", "other"),
                ("reason_text", "made up"),
            ],
        )
        .await;

    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(dismissals(&console).await.is_empty());
}

#[actix_web::test]
async fn a_stale_stock_edit_is_shown_next_to_the_saved_line_not_lost() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut first = console.browser();
    first.sign_in(&email).await;
    let mut second = console.browser();
    second.sign_in(&email).await;
    let path = format!("/console/stock/{PRODUCT}");
    let (form_a, form_b) = (first.get(&path).await, second.get(&path).await);
    let edit = |page: &crate::helpers::Page, quantity: &'static str, price: &'static str| {
        vec![
            ("csrf", page.hidden("csrf")),
            ("version", page.hidden("version")),
            ("quantity", quantity.to_owned()),
            ("price", price.to_owned()),
            ("currency", "EUR".to_owned()),
        ]
    };
    let as_pairs =
        |fields: &[(&'static str, String)]| -> Vec<(&'static str, String)> { fields.to_vec() };

    let a = as_pairs(&edit(&form_a, "12", "4.99"));
    let saved = first
        .post(
            &path,
            &a.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    let b = as_pairs(&edit(&form_b, "7", "5.25"));
    let stale = second
        .post(
            &path,
            &b.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("Someone else changed this line"));
    // Both versions are on the page, and the form still holds the stale edit, over the new version.
    assert!(
        stale.body.contains("5.25") && stale.body.contains("4.99"),
        "{}",
        stale.body
    );
    assert_eq!(stale.hidden("version"), "1");
    let lines = console.db.all_for(console.pharmacy).await.unwrap();
    assert_eq!(lines[0].quantity, 12, "the first edit stands");
}
