//! A stock edit from the console keeps the line's low-stock alert threshold (a `PUT` replaces the
//! whole line, so a form without the field would silently remove it).

use actix_web::http::StatusCode;
use pharmarec_domain::Role;
use pharmarec_domain::ports::StockRepository;

use crate::helpers::{PRODUCT, TestConsole};

#[actix_web::test]
async fn the_threshold_typed_is_stored_and_shown_again_for_the_next_edit() {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Pharmacist).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    let path = format!("/console/stock/{PRODUCT}");
    let form = browser.get(&path).await;
    let (csrf, version) = (form.hidden("csrf"), form.hidden("version"));

    let saved = browser
        .post(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("quantity", "12"),
                ("price", "4.99"),
                ("currency", "EUR"),
                ("threshold", "3"),
            ],
        )
        .await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let lines = console.db.all_for(console.pharmacy).await.unwrap();
    assert_eq!(lines[0].low_stock_threshold, Some(3));
    let again = browser.get(&path).await;
    assert!(
        again.body.contains(r#"name="threshold""#) && again.body.contains(r#"value="3""#),
        "{}",
        again.body
    );
}
