//! Choosing the pharmacy the signed-in user works in (stock, prices and stock edits are per pharmacy).

use actix_web::{HttpResponse, web};
use maud::html;
use pharmarec_domain::PharmacyId;
use pharmarec_http_api::AppState;

use super::login::pharmacies_of;
use super::redirect;
use crate::ConsoleConfig;
use crate::error::WebError;
use crate::form::FormData;
use crate::layout::{self, Nav};
use crate::session::{self, Session, may_work_in};

pub(crate) async fn choose(
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let places = pharmacies_of(&state, &session.account).await?;
    let current = session.pharmacy.as_ref().map(|p| p.id);
    let body = html! {
        h1 { "Choose your pharmacy" }
        @if places.is_empty() {
            p role="status" { "Your account belongs to no pharmacy yet. An administrator can add you to one; until then, stock and prices are not shown." }
        } @else {
            form.card method="post" action="/console/pharmacy" {
                (layout::csrf(&session))
                fieldset {
                    legend { "Pharmacy" }
                    @for place in &places {
                        div.choice {
                            input type="radio" name="pharmacy" id={ "ph-" (place.id) } value=(place.id)
                                checked[current == Some(place.id)] required;
                            label for={ "ph-" (place.id) } { (place.name) }
                        }
                    }
                }
                button type="submit" { "Work here" }
            }
        }
    };
    Ok(layout::page(
        &session,
        Nav::None,
        "Choose your pharmacy",
        &body,
    ))
}

pub(crate) async fn select(
    session: Session,
    state: web::Data<AppState>,
    config: web::Data<ConsoleConfig>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let id: PharmacyId = form
        .get("pharmacy")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| WebError::Invalid("Choose a pharmacy from the list.".to_owned()))?;
    if !may_work_in(&session.account, id) {
        return Err(WebError::Forbidden);
    }
    let pharmacy = state.pharmacies.get(id).await?;
    let place = session::WorkPlace {
        id: pharmacy.id,
        name: pharmacy.name,
    };
    Ok(redirect("/console/")
        .cookie(session::issue(
            &state,
            &config,
            session.account.id,
            Some(place),
        )?)
        .finish())
}
