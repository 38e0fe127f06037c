//! Pins the stored JSON of every snapshot type: a failing test here means a change of the stored
//! audit format, which needs a new `…V2` type instead.

use chrono::NaiveDateTime;
use pharmarec_domain::{
    ActiveIngredient, Email, MarketingStatus, Medicine, MedicineOrigin, Money, Pharmacy, Role,
    StockAdjustment, StockLevel, Strength, TeCode, User,
};
use serde_json::{Value, json};

use super::*;

fn at() -> NaiveDateTime {
    "2026-01-02T03:04:05.123456".parse().unwrap()
}

fn stored(snapshot: &impl AuditSnapshot) -> Value {
    serde_json::to_value(snapshot).unwrap()
}

fn line() -> StockLevel {
    StockLevel {
        pharmacy_id: "6f1c1e2a-0000-4000-8000-000000000001".parse().unwrap(),
        medicine_id: "OB-A1-001".parse().unwrap(),
        quantity: 7,
        price: Money {
            minor: 199,
            currency: "EUR".into(),
        },
        version: 3,
        updated_at: at(),
        // Not in the version 1 format: a threshold change must not change the pinned JSON.
        low_stock_threshold: Some(2),
    }
}

fn line_json() -> Value {
    json!({
        "pharmacy_id": "6f1c1e2a-0000-4000-8000-000000000001",
        "medicine_id": "OB-A1-001",
        "quantity": 7,
        "price": {"minor": 199, "currency": "EUR"},
        "version": 3,
        "updated_at": "2026-01-02T03:04:05.123456",
    })
}

#[test]
fn stock_line_and_adjustment_json_is_pinned() {
    let line = line();
    assert_eq!(stored(&StockLineV1::from(&line)), line_json());
    let mut with_threshold = line_json();
    with_threshold["low_stock_threshold"] = json!(2);
    assert_eq!(stored(&StockLineV2::from(&line)), with_threshold);

    let sale = StockAdjustment {
        delta: -2,
        reason: "sale".into(),
    };
    let mut adjusted = line_json();
    adjusted["delta"] = json!(-2);
    adjusted["reason"] = json!("sale");
    assert_eq!(stored(&StockAdjustedV1::new(&line, &sale)), adjusted);
}

#[test]
fn medicine_json_is_pinned() {
    let medicine = Medicine {
        id: "OB-A1-001".parse().unwrap(),
        brand_name: "Tylenol".into(),
        ingredients: vec![ActiveIngredient {
            ingredient: "acetaminophen".parse().unwrap(),
            as_labelled: "acetaminophen".into(),
            strength: Some(Strength::parse("500MG/5ML")),
        }],
        strength: "500MG/5ML".into(),
        dose_form: "solution".into(),
        route: "oral".into(),
        status: MarketingStatus::Otc,
        te_codes: TeCode::parse_list("AA"),
        applicant: Some("Kenvue".into()),
        application: None,
        approval_date: None,
        reference_listed_drug: false,
        origin: MedicineOrigin::Imported {
            source: "fda_orange_book".into(),
        },
    };

    assert_eq!(
        stored(&MedicineV1::from(&medicine)),
        json!({
            "id": "OB-A1-001",
            "brand_name": "Tylenol",
            "ingredients": [{
                "ingredient": "acetaminophen",
                "as_labelled": "acetaminophen",
                "strength": {
                    "label": "500MG/5ML",
                    "amount": {"value": 500.0, "unit": "MG", "per": "5ML"},
                },
            }],
            "strength": "500MG/5ML",
            "dose_form": "solution",
            "route": "oral",
            "status": "otc",
            "te_codes": ["AA"],
            "applicant": "Kenvue",
            "application": null,
            "approval_date": null,
            "reference_listed_drug": false,
            "origin": {"kind": "imported", "source": "fda_orange_book"},
        })
    );
    let local = Medicine {
        origin: MedicineOrigin::Local,
        ..medicine
    };
    assert_eq!(
        stored(&MedicineV1::from(&local))["origin"],
        json!({"kind": "local"})
    );
}

#[test]
fn pharmacy_user_tokens_and_import_json_is_pinned() {
    let pharmacy = Pharmacy {
        id: "6f1c1e2a-0000-4000-8000-000000000001".parse().unwrap(),
        name: "Main Street".into(),
        address: None,
        created_at: at(),
    };
    assert_eq!(
        stored(&PharmacyV1::from(&pharmacy)),
        json!({
            "id": "6f1c1e2a-0000-4000-8000-000000000001",
            "name": "Main Street",
            "address": null,
            "created_at": "2026-01-02T03:04:05.123456",
        })
    );

    let user = User {
        id: "6f1c1e2a-0000-4000-8000-000000000002".parse().unwrap(),
        email: "a@pharmarec.test".parse::<Email>().unwrap(),
        role: Role::Pharmacist,
        password_hash: "$2b$04$secret".into(),
        pharmacies: vec![pharmacy.id],
        created_at: at(),
        disabled_at: None,
    };
    assert_eq!(
        stored(&UserV1::from(&user)),
        json!({
            "id": "6f1c1e2a-0000-4000-8000-000000000002",
            "email": "a@pharmarec.test",
            "role": "pharmacist",
            "pharmacies": ["6f1c1e2a-0000-4000-8000-000000000001"],
            "created_at": "2026-01-02T03:04:05.123456",
            "disabled_at": null,
        })
    );

    assert_eq!(
        stored(&TokensRevokedV1 {
            revoked_refresh_tokens: 2
        }),
        json!({"revoked_refresh_tokens": 2})
    );

    let report = ImportReport {
        medicines: ChangeCounts {
            inserted: 1,
            updated: 2,
            unchanged: 3,
            removed: 0,
        },
        reference: ChangeCounts::default(),
        catalogue_version: 9,
    };
    assert_eq!(
        stored(&ImportReportV1::from(&report)),
        json!({
            "medicines": {"inserted": 1, "updated": 2, "unchanged": 3, "removed": 0},
            "reference": {"inserted": 0, "updated": 0, "unchanged": 0, "removed": 0},
            "catalogue_version": 9,
        })
    );
}
