//! Pharmacies and their stock: local records that an import never touches.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::{DomainError, MedicineId, PharmacyId};

/// A pharmacy whose stock and prices PharmaRec knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pharmacy {
    /// Id.
    pub id: PharmacyId,
    /// Display name.
    pub name: String,
    /// Postal address, free text.
    pub address: Option<String>,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
}

/// A pharmacy to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct NewPharmacy {
    /// Display name.
    #[validate(length(min = 1, max = 200, message = "must be 1-200 characters"))]
    pub name: String,
    /// Postal address.
    #[validate(length(max = 500, message = "must be at most 500 characters"))]
    pub address: Option<String>,
}

/// Largest quantity of one stock line, for `PUT` and after an adjustment alike.
pub const MAX_STOCK_QUANTITY: i64 = 1_000_000_000;
/// Largest price in minor units: 2^53 − 1, the largest integer a JSON client using IEEE doubles
/// (every JavaScript client) reads exactly.
pub const MAX_PRICE_MINOR: i64 = 9_007_199_254_740_991;

/// An amount of money in integer minor units (cents) of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Validate)]
pub struct Money {
    /// Minor units; never negative for a price, at most [`MAX_PRICE_MINOR`].
    #[validate(range(
        min = 0,
        max = MAX_PRICE_MINOR,
        message = "must be between 0 and 9007199254740991 (2^53 - 1)"
    ))]
    pub minor: i64,
    /// Three upper-case letters, e.g. `EUR`.
    #[validate(custom(function = "validate_currency"))]
    pub currency: String,
}

fn validate_currency(code: &str) -> Result<(), ValidationError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValidationError::new("currency")
            .with_message("must be a three-letter upper-case ISO 4217 code".into()))
    }
}

/// Quantity and price of one medicine at one pharmacy, with an optimistic-locking version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    /// Pharmacy.
    pub pharmacy_id: PharmacyId,
    /// Medicine.
    pub medicine_id: MedicineId,
    /// Units on hand, never negative.
    pub quantity: i64,
    /// Unit price.
    pub price: Money,
    /// Incremented by every write; a write naming an older version is refused.
    pub version: i64,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
    /// A low-stock alert is raised when `quantity` falls to or below this; `None` = no alert.
    pub low_stock_threshold: Option<i64>,
}

impl StockLevel {
    /// Whether the line is at or below its low-stock threshold (never, without one).
    pub fn is_low(&self) -> bool {
        self.low_stock_threshold
            .is_some_and(|threshold| self.quantity <= threshold)
    }
}

/// A full replacement of a stock line (`PUT`), guarded by the version the writer last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct StockUpdate {
    /// New quantity.
    #[validate(range(
        min = 0,
        max = 1_000_000_000,
        message = "must be between 0 and 1000000000"
    ))]
    pub quantity: i64,
    /// New price.
    #[validate(nested)]
    pub price: Money,
    /// Version the writer read; `0` creates a line that does not exist yet.
    #[validate(range(min = 0, message = "must not be negative"))]
    pub expected_version: i64,
    /// Low-stock alert threshold; `None` removes it (a `PUT` replaces the whole line).
    #[validate(range(
        min = 0,
        max = MAX_STOCK_QUANTITY,
        message = "must be between 0 and 1000000000"
    ))]
    pub low_stock_threshold: Option<i64>,
}

/// A relative change of quantity (`delta` may be negative), applied atomically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct StockAdjustment {
    /// Change in units, non-zero.
    #[validate(range(min = -1_000_000_000, max = 1_000_000_000, message = "must be within ±1000000000"))]
    pub delta: i64,
    /// Why (sale, delivery, count correction).
    #[validate(length(min = 1, max = 200, message = "must be 1-200 characters"))]
    pub reason: String,
}

impl StockAdjustment {
    /// Applies the delta to `quantity`: the one rule for every store.
    ///
    /// # Errors
    /// [`DomainError::Conflict`] when the result would be negative (insufficient stock);
    /// [`DomainError::Invalid`] on `delta` when it would exceed [`MAX_STOCK_QUANTITY`], the cap a
    /// `PUT` enforces too.
    pub fn apply_to(&self, quantity: i64) -> Result<i64, DomainError> {
        match quantity.checked_add(self.delta) {
            Some(q) if q < 0 => Err(DomainError::conflict(
                crate::ConflictKind::InsufficientStock,
                crate::Entity::Stock,
                format!(
                    "adjusting {quantity} by {} would leave negative stock",
                    self.delta
                ),
            )),
            Some(q) if q <= MAX_STOCK_QUANTITY => Ok(q),
            _ => Err(DomainError::invalid(
                "delta",
                "would raise the quantity above 1000000000",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_must_be_three_upper_case_letters() {
        let ok = Money {
            minor: 199,
            currency: "EUR".into(),
        };
        assert!(ok.validate().is_ok());
        for bad in ["eur", "EURO", "E1R", ""] {
            let m = Money {
                minor: 1,
                currency: bad.into(),
            };
            assert!(m.validate().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn negative_price_is_invalid() {
        let update = StockUpdate {
            quantity: 1,
            price: Money {
                minor: -1,
                currency: "EUR".into(),
            },
            expected_version: 0,
            low_stock_threshold: None,
        };
        assert!(update.validate().is_err());
    }

    #[test]
    fn low_stock_threshold_outside_the_quantity_range_is_invalid() {
        let update = |threshold| StockUpdate {
            quantity: 1,
            price: Money {
                minor: 1,
                currency: "EUR".into(),
            },
            expected_version: 0,
            low_stock_threshold: Some(threshold),
        };
        assert!(update(0).validate().is_ok());
        assert!(update(MAX_STOCK_QUANTITY).validate().is_ok());
        assert!(update(-1).validate().is_err());
        assert!(update(MAX_STOCK_QUANTITY + 1).validate().is_err());
    }

    #[test]
    fn a_line_is_low_at_or_below_its_threshold_and_never_without_one() {
        let line = |quantity, low_stock_threshold| StockLevel {
            pharmacy_id: PharmacyId::new(),
            medicine_id: "m1".parse().unwrap(),
            quantity,
            price: Money {
                minor: 1,
                currency: "EUR".into(),
            },
            version: 1,
            updated_at: NaiveDateTime::default(),
            low_stock_threshold,
        };
        assert!(line(5, Some(5)).is_low());
        assert!(line(0, Some(0)).is_low());
        assert!(!line(6, Some(5)).is_low());
        assert!(!line(0, None).is_low());
    }

    #[test]
    fn adjustment_below_zero_is_a_conflict() {
        let sale = StockAdjustment {
            delta: -5,
            reason: "sale".into(),
        };
        assert_eq!(sale.apply_to(5).unwrap(), 0);
        assert!(matches!(
            sale.apply_to(4),
            Err(DomainError::Conflict {
                kind: crate::ConflictKind::InsufficientStock,
                ..
            })
        ));
        let huge = StockAdjustment {
            delta: i64::MAX,
            reason: "x".into(),
        };
        assert!(huge.apply_to(1).is_err());
    }

    #[test]
    fn adjustment_above_the_quantity_cap_is_invalid_not_a_conflict() {
        let delivery = StockAdjustment {
            delta: 1_000_000_000,
            reason: "delivery".into(),
        };
        assert_eq!(delivery.apply_to(0).unwrap(), MAX_STOCK_QUANTITY);
        assert!(matches!(
            delivery.apply_to(1),
            Err(DomainError::Invalid { .. })
        ));
    }

    #[test]
    fn prices_above_two_to_the_53_are_invalid() {
        let price = |minor| Money {
            minor,
            currency: "EUR".into(),
        };
        assert!(price(MAX_PRICE_MINOR).validate().is_ok());
        assert!(price(MAX_PRICE_MINOR + 1).validate().is_err());
    }
}
