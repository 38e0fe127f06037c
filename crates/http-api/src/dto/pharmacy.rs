//! Pharmacies.

use chrono::{DateTime, Utc};
use pharmarec_domain::{NewPharmacy, Pharmacy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::text::non_blank;

/// A pharmacy.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PharmacyDto {
    /// Id.
    pub(crate) id: Uuid,
    /// Display name.
    name: String,
    /// Postal address.
    address: Option<String>,
    /// Creation time (UTC).
    created_at: DateTime<Utc>,
}

impl From<Pharmacy> for PharmacyDto {
    fn from(pharmacy: Pharmacy) -> Self {
        Self {
            id: pharmacy.id.as_uuid(),
            name: pharmacy.name,
            address: pharmacy.address,
            created_at: pharmacy.created_at.and_utc(),
        }
    }
}

/// Body of `POST /api/v1/pharmacies`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPharmacyRequest {
    /// Display name, 1-200 characters, not blank.
    #[validate(
        length(min = 1, max = 200, message = "must be 1-200 characters"),
        custom(function = "non_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// Postal address, at most 500 characters.
    #[validate(length(max = 500, message = "must be at most 500 characters"))]
    #[schema(max_length = 500)]
    address: Option<String>,
}

impl From<NewPharmacyRequest> for NewPharmacy {
    fn from(request: NewPharmacyRequest) -> Self {
        Self {
            name: request.name.trim().to_owned(),
            address: request.address,
        }
    }
}
