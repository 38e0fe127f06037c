//! Type-ahead: the catalogue's ingredient and product names containing what was typed, as the
//! `<option>`s of the shared datalist (htmx swaps them in).

use actix_web::{HttpResponse, web};
use maud::html;
use pharmarec_domain::PageRequest;
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_http_api::AppState;

use crate::error::WebError;
use crate::form::Query;
use crate::session::Session;

/// Fewest characters before suggesting: one letter matches half the catalogue.
const MIN_CHARS: usize = 2;
/// Most characters worth looking up.
const MAX_CHARS: usize = 100;
/// Suggestions of each kind.
const PER_KIND: u32 = 8;

pub(crate) async fn suggest(
    _session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    // htmx sends the box's own name (`current_medicine`, `add`, ...): take whatever it typed.
    let typed = ["q", "current_medicine", "add"]
        .iter()
        .find_map(|name| query.get(name))
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    // Longer than any catalogue name: nothing to suggest, and nothing long goes to the database.
    if (MIN_CHARS..=MAX_CHARS).contains(&typed.chars().count()) {
        let page = PageRequest::new(1, PER_KIND)?;
        let ingredients = state.medicines.ingredients(Some(typed), page).await?;
        let ingredient_names = ingredients.items.into_iter().map(|i| i.key.to_string());
        let medicines = state
            .medicines
            .search(&MedicineQuery {
                text: Some(typed.to_owned()),
                page,
                ..MedicineQuery::default()
            })
            .await?;
        for name in ingredient_names.chain(medicines.items.into_iter().map(|m| m.brand_name)) {
            let name = name.to_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let options = html! { @for name in &names { option value=(name) {} } };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(options.into_string()))
}
