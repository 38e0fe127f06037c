//! Stock levels: the view, the versioned replacement and the relative adjustment.

use chrono::{DateTime, Utc};
use pharmarec_domain::{Money, StockAdjustment, StockLevel, StockUpdate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::text::non_blank;
use super::wire;

/// Quantity and price of one medicine at one pharmacy.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StockLevelDto {
    /// Pharmacy id.
    pharmacy_id: Uuid,
    /// Medicine id.
    medicine_id: String,
    /// Units on hand.
    quantity: i64,
    /// Unit price in minor units (cents).
    price_minor: i64,
    /// ISO 4217 currency code.
    currency: String,
    /// Optimistic-locking version: send it back with the next `PUT`.
    version: i64,
    /// Last change (UTC).
    updated_at: DateTime<Utc>,
    /// Low-stock alert threshold (`null` = no alert).
    low_stock_threshold: Option<i64>,
    /// Whether `quantity` is at or below `low_stock_threshold` now.
    low_stock: bool,
}

impl From<StockLevel> for StockLevelDto {
    fn from(level: StockLevel) -> Self {
        Self {
            low_stock: level.is_low(),
            low_stock_threshold: level.low_stock_threshold,
            pharmacy_id: level.pharmacy_id.as_uuid(),
            medicine_id: level.medicine_id.into(),
            quantity: level.quantity,
            price_minor: level.price.minor,
            currency: level.price.currency,
            version: level.version,
            updated_at: level.updated_at.and_utc(),
        }
    }
}

/// Body of `PUT /api/v1/pharmacies/{id}/stock/{medicine_id}`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct StockUpdateRequest {
    /// New quantity, 0-1000000000.
    #[validate(range(
        min = 0,
        max = 1_000_000_000,
        message = "must be between 0 and 1000000000"
    ))]
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    #[serde(deserialize_with = "wire::whole")]
    quantity: i64,
    /// Unit price in minor units, 0 to 2^53 - 1 (what a JSON client reads exactly).
    #[validate(range(
        min = 0,
        max = pharmarec_domain::MAX_PRICE_MINOR,
        message = "must be between 0 and 9007199254740991 (2^53 - 1)"
    ))]
    #[schema(minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    #[serde(deserialize_with = "wire::whole")]
    price_minor: i64,
    /// ISO 4217 code, three upper-case letters.
    #[validate(length(equal = 3, message = "must be a three-letter ISO 4217 code"))]
    #[schema(pattern = "^[A-Z]{3}$")]
    currency: String,
    /// The version last read; `0` creates a line that does not exist yet. A stale version is `409`.
    // The upper bound leaves room for the repository's `version + 1`.
    #[validate(range(
        min = 0,
        max = 9_223_372_036_854_775_806_i64,
        message = "must be between 0 and 2^63 - 2"
    ))]
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_806_i64)]
    #[serde(deserialize_with = "wire::whole")]
    version: i64,
    /// Raise a low-stock alert when the quantity falls to or below this, 0-1000000000; omitted or
    /// `null` = no alert (a `PUT` replaces the whole line, threshold included).
    #[serde(default, deserialize_with = "wire::optional")]
    #[validate(range(
        min = 0,
        max = pharmarec_domain::MAX_STOCK_QUANTITY,
        message = "must be between 0 and 1000000000"
    ))]
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    low_stock_threshold: Option<i64>,
}

/// `?low=&page=&per_page=` for a pharmacy's stock lines.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct StockListQuery {
    /// Only lines at or below their low-stock threshold (default false).
    pub(crate) low: Option<bool>,
    /// 1-based page number (default 1, at most 2147483647).
    #[param(minimum = 1, maximum = 2_147_483_647)]
    pub(crate) page: Option<u32>,
    /// Page size (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub(crate) per_page: Option<u32>,
}

impl TryFrom<StockUpdateRequest> for StockUpdate {
    type Error = validator::ValidationErrors;

    fn try_from(request: StockUpdateRequest) -> Result<Self, Self::Error> {
        let update = Self {
            quantity: request.quantity,
            price: Money {
                minor: request.price_minor,
                currency: request.currency,
            },
            expected_version: request.version,
            low_stock_threshold: request.low_stock_threshold,
        };
        // The domain owns the currency rule; validating `Money` alone keeps the wire name `currency`.
        update.price.validate()?;
        Ok(update)
    }
}

/// Body of `POST /api/v1/pharmacies/{id}/stock/{medicine_id}/adjust`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct StockAdjustmentRequest {
    /// Change in units, non-zero, within ±1000000000; a result below zero is `409 insufficient_stock`.
    #[validate(
        range(min = -1_000_000_000, max = 1_000_000_000, message = "must be within ±1000000000"),
        custom(function = "non_zero")
    )]
    // Non-zero is stated by `openapi::document` (`not: {const: 0}`), which utoipa cannot express.
    #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
    #[serde(deserialize_with = "wire::whole")]
    delta: i64,
    /// Why (sale, delivery, count correction), 1-200 characters, not blank.
    #[validate(
        length(min = 1, max = 200, message = "must be 1-200 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    reason: String,
}

fn non_zero(delta: i64) -> Result<(), ValidationError> {
    if delta == 0 {
        Err(ValidationError::new("non_zero").with_message("must not be zero".into()))
    } else {
        Ok(())
    }
}

impl From<StockAdjustmentRequest> for StockAdjustment {
    fn from(request: StockAdjustmentRequest) -> Self {
        Self {
            delta: request.delta,
            reason: request.reason,
        }
    }
}
