//! Clauses of the stock port.

use pharmarec_domain::{
    ConflictKind, Entity, MAX_STOCK_QUANTITY, MedicineId, Money, PharmacyId, StockAdjustment,
    StockUpdate,
};

use super::{Subject, assert_conflict, assert_invalid, assert_not_found, ctx};

/// A stock write of `quantity` at 2.50 EUR.
pub fn update(quantity: i64, expected_version: i64) -> StockUpdate {
    StockUpdate {
        quantity,
        price: Money {
            minor: 250,
            currency: "EUR".into(),
        },
        expected_version,
        low_stock_threshold: None,
    }
}

/// An adjustment by `delta`, for a sale.
pub fn adjustment(delta: i64) -> StockAdjustment {
    StockAdjustment {
        delta,
        reason: "sold".into(),
    }
}

/// `put` checks existence and versions; `adjust` applies the domain rule and changes nothing when
/// it refuses.
pub async fn stock(s: &Subject) {
    let c = ctx();
    let (pharmacy, medicine) = (s.pharmacy().await.id, s.medicine().await.id);
    let unknown_medicine: MedicineId = "LOC-contract-unknown".parse().unwrap();
    let stock = &s.stock;

    let put = stock.put(PharmacyId::new(), &medicine, update(1, 0), &c);
    assert_not_found(s, put.await, Entity::Pharmacy);
    let put = stock.put(pharmacy, &unknown_medicine, update(1, 0), &c);
    assert_not_found(s, put.await, Entity::Medicine);
    assert_not_found(s, stock.all_for(PharmacyId::new()).await, Entity::Pharmacy);

    let created = stock.put(pharmacy, &medicine, update(5, 0), &c).await;
    assert_eq!(created.unwrap().version, 1, "{}", s.name);
    let again = stock.put(pharmacy, &medicine, update(6, 0), &c).await;
    assert_conflict(s, again, ConflictKind::StaleVersion, Entity::Stock);
    let replaced = stock.put(pharmacy, &medicine, update(7, 1), &c).await;
    let replaced = replaced.unwrap();
    assert_eq!((replaced.quantity, replaced.version), (7, 2), "{}", s.name);
    let stale = stock.put(pharmacy, &medicine, update(8, 1), &c).await;
    assert_conflict(s, stale, ConflictKind::StaleVersion, Entity::Stock);

    let below_zero = stock.adjust(pharmacy, &medicine, adjustment(-8), &c);
    assert_conflict(
        s,
        below_zero.await,
        ConflictKind::InsufficientStock,
        Entity::Stock,
    );
    let above_cap = stock.adjust(pharmacy, &medicine, adjustment(MAX_STOCK_QUANTITY), &c);
    assert_invalid(s, above_cap.await, "delta");
    let overflow = stock.adjust(pharmacy, &medicine, adjustment(i64::MAX), &c);
    assert_invalid(s, overflow.await, "delta");
    assert_eq!(
        stock.all_for(pharmacy).await.unwrap(),
        vec![replaced],
        "{}: a refused adjustment changes nothing",
        s.name
    );
    let sold = stock.adjust(pharmacy, &medicine, adjustment(-7), &c).await;
    let sold = sold.unwrap();
    assert_eq!((sold.quantity, sold.version), (0, 3), "{}", s.name);

    let no_line = stock.adjust(pharmacy, &unknown_medicine, adjustment(1), &c);
    assert_not_found(s, no_line.await, Entity::Medicine);
    let other = s.medicine().await.id;
    let no_line = stock.adjust(pharmacy, &other, adjustment(1), &c);
    assert_not_found(s, no_line.await, Entity::Stock);
    let no_pharmacy = stock.adjust(PharmacyId::new(), &medicine, adjustment(1), &c);
    assert_not_found(s, no_pharmacy.await, Entity::Pharmacy);
}
