//! A pharmacy's stock as the caller supplies it: quantity and unit price per product.

use std::collections::HashMap;

use pharmarec_domain::{MedicineId, Money, StockLevel};
use serde::{Deserialize, Serialize};

/// Quantity on hand and unit price of one product at one pharmacy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLine {
    /// Units on hand.
    pub quantity: i64,
    /// Unit price in minor units of a currency.
    pub price: Money,
}

impl StockLine {
    /// Whether at least one unit is on hand.
    pub fn in_stock(&self) -> bool {
        self.quantity > 0
    }

    /// Orders by price, cheapest first; currency code breaks ties so the order is total.
    pub(crate) fn price_key(&self) -> (i64, &str) {
        (self.price.minor, self.price.currency.as_str())
    }
}

/// One pharmacy's stock, keyed by medicine id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PharmacyStock {
    lines: HashMap<MedicineId, StockLine>,
}

impl PharmacyStock {
    /// An empty stock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the line of one product.
    pub fn insert(&mut self, medicine: MedicineId, line: StockLine) {
        self.lines.insert(medicine, line);
    }

    /// The line of one product, if the pharmacy lists it.
    pub fn get(&self, medicine: &MedicineId) -> Option<&StockLine> {
        self.lines.get(medicine)
    }

    /// Whether the pharmacy has at least one unit of `medicine`.
    pub fn in_stock(&self, medicine: &MedicineId) -> bool {
        self.get(medicine).is_some_and(StockLine::in_stock)
    }
}

impl<'a> FromIterator<&'a StockLevel> for PharmacyStock {
    /// Builds the stock from the repository's stock levels of one pharmacy.
    fn from_iter<I: IntoIterator<Item = &'a StockLevel>>(levels: I) -> Self {
        Self {
            lines: levels
                .into_iter()
                .map(|l| {
                    (
                        l.medicine_id.clone(),
                        StockLine {
                            quantity: l.quantity,
                            price: l.price.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i64, minor: i64) -> StockLine {
        StockLine {
            quantity,
            price: Money {
                minor,
                currency: "EUR".into(),
            },
        }
    }

    #[test]
    fn only_positive_quantities_are_in_stock() {
        let mut stock = PharmacyStock::new();
        let id: MedicineId = "OB-A1-001".parse().unwrap();
        stock.insert(id.clone(), line(0, 100));
        assert!(!stock.in_stock(&id));
        stock.insert(id.clone(), line(2, 100));
        assert!(stock.in_stock(&id));
        assert!(!stock.in_stock(&"OB-A2-001".parse().unwrap()));
    }

    #[test]
    fn cheaper_lines_sort_first() {
        assert!(line(1, 99).price_key() < line(1, 100).price_key());
    }
}
