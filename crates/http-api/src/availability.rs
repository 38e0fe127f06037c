//! A pharmacy's stock as the engine reads it, for the clinical endpoints' availability-aware answers.

use futures_util::future::try_join;
use pharmarec_domain::PharmacyId;
use pharmarec_recommendation::PharmacyStock;

use crate::error::ApiError;
use crate::state::AppState;

/// The whole stock of `pharmacy`, or `None` when the request names no pharmacy.
///
/// # Errors
/// `pharmacy_not_found` for an unknown pharmacy: an empty stock would silently rank every product
/// as unavailable. Storage failures map as usual.
pub(crate) async fn pharmacy_stock(
    state: &AppState,
    pharmacy: Option<PharmacyId>,
) -> Result<Option<PharmacyStock>, ApiError> {
    let Some(pharmacy) = pharmacy else {
        return Ok(None);
    };
    // Both reads are independent; running them together saves one round trip to the database.
    let (_, levels) = try_join(
        state.pharmacies.get(pharmacy),
        state.stock.all_for(pharmacy),
    )
    .await?;
    Ok(Some(levels.iter().collect()))
}
