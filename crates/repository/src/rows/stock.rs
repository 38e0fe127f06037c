//! Rows of the local tables: pharmacies and stock levels.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use pharmarec_domain::{Money, Pharmacy, StockLevel};

use super::parse_stored;
use crate::error::TxError;
use crate::schema::{pharmacies, stock_levels};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pharmacies, treat_none_as_default_value = false)]
pub(crate) struct PharmacyRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) address: Option<String>,
    pub(crate) created_at: NaiveDateTime,
}

impl TryFrom<PharmacyRow> for Pharmacy {
    type Error = TxError;

    fn try_from(row: PharmacyRow) -> Result<Self, TxError> {
        Ok(Self {
            id: parse_stored("pharmacy_id", &row.id)?,
            name: row.name,
            address: row.address,
            created_at: row.created_at,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = stock_levels)]
pub(crate) struct StockRow {
    pub(crate) pharmacy_id: String,
    pub(crate) medicine_id: String,
    pub(crate) quantity: i64,
    pub(crate) price_minor: i64,
    pub(crate) currency: String,
    pub(crate) version: i64,
    pub(crate) updated_at: NaiveDateTime,
    pub(crate) low_stock_threshold: Option<i64>,
    pub(crate) low_stock_alerted_at: Option<NaiveDateTime>,
}

impl TryFrom<StockRow> for StockLevel {
    type Error = TxError;

    fn try_from(row: StockRow) -> Result<Self, TxError> {
        Ok(Self {
            pharmacy_id: parse_stored("pharmacy_id", &row.pharmacy_id)?,
            medicine_id: parse_stored("medicine_id", &row.medicine_id)?,
            quantity: row.quantity,
            price: Money {
                minor: row.price_minor,
                currency: row.currency,
            },
            version: row.version,
            updated_at: row.updated_at,
            low_stock_threshold: row.low_stock_threshold,
        })
    }
}
