//! `/api/v1/ingredients` and `/api/v1/conditions`: searchable reference lists.

use actix_web::{HttpResponse, web};

use crate::auth::MaybeUser;
use crate::dto::{ConditionDto, IngredientDto, TextSearchQuery, page_request};
use crate::envelope::{self, ErrorEnvelope, Paginated};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/ingredients").get(list_ingredients))
        .service(Endpoint::new("/conditions").get(list_conditions));
}

/// Ingredients whose key or a synonym contains `q`.
#[utoipa::path(
    get, path = "/api/v1/ingredients", tag = "catalogue",
    params(TextSearchQuery),
    responses(
        (status = 200, description = "One page of ingredients", body = Paginated<IngredientDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_ingredients(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    Validated(query): Validated<web::Query<TextSearchQuery>>,
) -> Result<HttpResponse, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let ingredients = state.medicines.ingredients(query.text(), page).await?;
    Ok(envelope::paginated(ingredients.map(IngredientDto::from)))
}

/// Conditions some medicine is indicated for, containing `q`.
#[utoipa::path(
    get, path = "/api/v1/conditions", tag = "catalogue",
    params(TextSearchQuery),
    responses(
        (status = 200, description = "One page of conditions", body = Paginated<ConditionDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_conditions(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    Validated(query): Validated<web::Query<TextSearchQuery>>,
) -> Result<HttpResponse, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let conditions = state.medicines.conditions(query.text(), page).await?;
    Ok(envelope::paginated(conditions.map(ConditionDto::from)))
}
