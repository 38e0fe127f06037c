//! The product page's label warnings: the engine's OTC label lines by section, each with its
//! source, and "not checked" for a product no label covers.

use actix_web::http::StatusCode;
use pharmarec_domain::Role;

use crate::helpers::{PRODUCT, Page, TestConsole};

/// The product page of `id`, as a signed-in viewer sees it.
async fn product_page(id: &str) -> Page {
    let console = TestConsole::new(false).await;
    let email = console.user(Role::Viewer).await;
    let mut browser = console.browser();
    browser.sign_in(&email).await;
    browser.get(&format!("/console/medicines/{id}")).await
}

#[actix_web::test]
async fn the_product_page_shows_its_label_lines_by_section_with_their_source() {
    let page = product_page(PRODUCT).await;

    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // The synthetic label of `helpers::synthetic_knowledge`, every section in label order.
    let lines = [
        "<h3>Do not use</h3>",
        "Do not use synthetic line one",
        "<h3>Ask a doctor before use if</h3>",
        "Ask a doctor before use if synthetic line two",
        "<h3>If pregnant or breast-feeding</h3>",
        "If pregnant, synthetic line three",
    ];
    let positions: Vec<usize> = lines
        .iter()
        .map(|l| body.find(l).unwrap_or_else(|| panic!("{l} missing")))
        .collect();
    assert!(
        positions.is_sorted(),
        "sections out of order: {positions:?}"
    );
    assert_eq!(
        body.matches("ALPHAMINE (synthetic)").count(),
        3,
        "each line cites its label"
    );
    // Ungraded for an unknown patient: said in words and icon, not colour alone.
    assert!(body.contains("sev-note"));
    assert!(!body.contains("Not shown on this page yet"));
    assert!(!body.contains("no shipped OTC label covers"));
}

#[actix_web::test]
async fn a_product_no_label_covers_says_its_label_was_not_checked() {
    let page = product_page("SYN-BETA-1").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Not checked: no shipped OTC label covers this product")
    );
    assert!(!page.body.contains("<h3>Do not use</h3>"));
}
