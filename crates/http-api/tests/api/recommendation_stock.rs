//! `POST /api/v1/recommendations` with a pharmacy: its stock reaches the engine.

use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_domain::ports::{PharmacyRepository, StockRepository};
use pharmarec_domain::{
    AuditContext, MarketingStatus, Money, NewPharmacy, PharmacyId, StockUpdate,
};
use pharmarec_http_api::app;
use pharmarec_test_support::fakes::medicine;
use serde_json::json;

use crate::helpers::{Fakes, post_json};
use crate::knowledge::ZORBANOL_GENERIC;

const URI: &str = "/api/v1/recommendations";

async fn pharmacy_with_generic_in_stock(fakes: &Fakes) -> PharmacyId {
    let new = NewPharmacy {
        name: "Central".to_owned(),
        address: None,
    };
    let id = fakes
        .pharmacies
        .create(new, &AuditContext::cli())
        .await
        .unwrap()
        .id;
    let update = StockUpdate {
        quantity: 12,
        price: Money {
            minor: 250,
            currency: "EUR".to_owned(),
        },
        expected_version: 0,
        low_stock_threshold: None,
    };
    // Stock names a catalogue product, as the database's foreign key requires.
    let generic = medicine(
        ZORBANOL_GENERIC,
        "Zorbanol",
        "zorbanol",
        MarketingStatus::Otc,
    );
    fakes
        .catalogue
        .medicines
        .lock()
        .unwrap()
        .insert(generic.id.clone(), generic);
    fakes
        .stock
        .put(
            id,
            &ZORBANOL_GENERIC.parse().unwrap(),
            update,
            &AuditContext::cli(),
        )
        .await
        .unwrap();
    id
}

#[actix_web::test]
async fn pharmacy_stock_is_passed_to_the_engine() {
    let fakes = Fakes::new();
    let pharmacy = pharmacy_with_generic_in_stock(&fakes).await;
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"symptoms": "sneezing", "pharmacy_id": pharmacy});
    let reply = post_json(&app, URI, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let zorbanol = reply.body["data"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["medicine"]["ingredients"][0] == "zorbanol")
        .unwrap();
    // The product on hand becomes the treatment's best product, with its stock line.
    assert_eq!(zorbanol["medicine"]["id"], ZORBANOL_GENERIC);
    assert_eq!(
        zorbanol["medicine"]["stock"],
        json!({"quantity": 12, "price_minor": 250, "currency": "EUR"})
    );
}

#[actix_web::test]
async fn without_pharmacy_there_is_no_stock_field() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let reply = post_json(&app, URI, json!({"symptoms": "sneezing"})).await;

    assert!(
        reply.body["data"]["recommendations"][0]["medicine"]
            .get("stock")
            .is_none()
    );
}

#[actix_web::test]
async fn unknown_pharmacy_is_404() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let body = json!({"symptoms": "sneezing", "pharmacy_id": PharmacyId::new()});
    let reply = post_json(&app, URI, body).await;

    reply.assert_error(StatusCode::NOT_FOUND, "pharmacy_not_found");
}
