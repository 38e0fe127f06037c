//! Stock of the signed-in pharmacy: the list, a low-stock view, and edits guarded by the line's
//! version (optimistic locking): a stale edit is shown next to what is saved now, never lost.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::{DomainError, MedicineId, Money, PageRequest, StockLevel, StockUpdate};
use pharmarec_http_api::{AppState, audit_context};
use validator::Validate;

use super::see_other;
use crate::error::WebError;
use crate::form::{FormData, Query};
use crate::layout::{self, Nav};
use crate::session::{Session, WorkPlace};
use crate::text;

/// Lines per page.
const PER_PAGE: u32 = 25;
/// "Low" unless the page is asked for another threshold.
const DEFAULT_LOW: i64 = 5;

pub(crate) async fn list(
    session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let pharmacy = session.pharmacy()?;
    let page_number = query.page()?;
    let low = query.number::<i64>("low", "Low-stock threshold")?;
    let (lines, total) = match low {
        // The low-stock view is small by nature: read every line and keep the low ones, lowest first.
        Some(threshold) => {
            let mut lines: Vec<StockLevel> = state
                .stock
                .all_for(pharmacy.id)
                .await?
                .into_iter()
                .filter(|l| l.quantity <= threshold)
                .collect();
            lines.sort_by_key(|l| l.quantity);
            let total = lines.len() as u64;
            (lines, total)
        }
        None => {
            let page = state
                .stock
                .list(pharmacy.id, PageRequest::new(page_number, PER_PAGE)?)
                .await?;
            let total = page.total_pages();
            (page.items, total)
        }
    };
    let catalogue = state.knowledge.current();
    let name = |id: &MedicineId| {
        catalogue.medicine(id).map_or_else(
            || id.to_string(),
            |m| format!("{} {}", m.brand_name, m.strength),
        )
    };
    let editable = session.may_edit_stock();
    let body = html! {
        h1 { "Stock at " (pharmacy.name) }
        @if query.get("saved").is_some() { (layout::notice("ok", &html! { "Saved." })) }
        nav.tabs aria-label="Stock views" {
            a href="/console/stock" aria-current=[low.is_none().then_some("page")] { "All lines" }
            a href={ "/console/stock?low=" (DEFAULT_LOW) } aria-current=[low.is_some().then_some("page")] { "Low stock (" (DEFAULT_LOW) " or fewer)" }
        }
        @if !editable { p.hint { "Your role can see stock here but not change it." } }
        div.table-wrap {
            table {
                caption.visually-hidden { "Stock lines" }
                thead { tr { th scope="col" { "Product" } th scope="col" { "Quantity" } th scope="col" { "Price" } th scope="col" { "Updated (UTC)" } @if editable { th scope="col" { "Action" } } } }
                tbody {
                    @for line in &lines {
                        tr {
                            td { a href={ "/console/medicines/" (line.medicine_id) } { (name(&line.medicine_id)) } }
                            td { (line.quantity) @if line.quantity <= DEFAULT_LOW { " " span.sev.sev-major { span aria-hidden="true" { "▼" } " Low" } } }
                            td { (text::money(&line.price)) }
                            td { (line.updated_at.format("%Y-%m-%d %H:%M")) }
                            @if editable { td { a href={ "/console/stock/" (line.medicine_id) } aria-label={ "Edit " (name(&line.medicine_id)) } { "Edit" } } }
                        }
                    }
                }
            }
        }
        @if lines.is_empty() { p { "No stock lines." } }
        @if low.is_none() { (layout::pager(page_number, total, |p| format!("/console/stock?page={p}"))) }
        @if editable {
            form.card.inline-form method="get" action="/console/stock/add" {
                div.field {
                    label for="code" { "Stock a product: its code" }
                    input #code type="text" name="code" required;
                }
                button type="submit" { "Open" }
            }
        }
    };
    Ok(layout::page(&session, Nav::Stock, "Stock", &body))
}

pub(crate) async fn edit(
    session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
    medicine: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let pharmacy = writable(&session)?;
    // `/console/stock/add?code=...` opens the line of the product typed in.
    let raw = match medicine.as_str() {
        "add" => query.get("code").unwrap_or_default().to_owned(),
        other => other.to_owned(),
    };
    let (id, name) = product(&state, &raw)?;
    let line = current_line(&state, pharmacy, &id).await?;
    let values = line.as_ref().map_or_else(Values::empty, Values::of);
    let version = line.as_ref().map_or(0, |l| l.version);
    let body = html! {
        h1 { "Stock of " (name) }
        (edit_form(&session, &id, &values, version))
    };
    Ok(layout::page(
        &session,
        Nav::Stock,
        &format!("Stock of {name}"),
        &body,
    ))
}

pub(crate) async fn save(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    medicine: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let pharmacy = writable(&session)?;
    let (id, name) = product(&state, &medicine)?;
    let submitted = Values {
        quantity: form.get("quantity").unwrap_or_default().to_owned(),
        price: form.get("price").unwrap_or_default().to_owned(),
        currency: form.get("currency").unwrap_or_default().to_uppercase(),
        threshold: form.get("threshold").unwrap_or_default().trim().to_owned(),
    };
    let version = form.number::<i64>("version", "Version")?.unwrap_or(0);
    let update = match submitted.to_update(version) {
        Ok(update) => update,
        Err(message) => {
            let body = html! {
                h1 { "Stock of " (name) }
                div.notice.notice-error role="alert" { (message) }
                (edit_form(&session, &id, &submitted, version))
            };
            return Ok(layout::page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &session,
                Nav::Stock,
                "Stock edit",
                &body,
            ));
        }
    };
    let ctx = audit_context(&state, &req, Some(session.account.id));
    match state.stock.put(pharmacy.id, &id, update, &ctx).await {
        Ok(_) => Ok(see_other("/console/stock?saved=1")),
        Err(DomainError::Conflict { .. }) => {
            let now = current_line(&state, pharmacy, &id).await?;
            let body = stale(&session, &id, &name, &submitted, now.as_ref());
            Ok(layout::page_with_status(
                StatusCode::CONFLICT,
                &session,
                Nav::Stock,
                "Stock edit conflict",
                &body,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// The pharmacy whose stock this session may change, or `403`.
fn writable(session: &Session) -> Result<&WorkPlace, WebError> {
    let pharmacy = session.pharmacy()?;
    if session.may_edit_stock() {
        Ok(pharmacy)
    } else {
        Err(WebError::Forbidden)
    }
}

/// A catalogue product's id and display name.
fn product(state: &AppState, raw: &str) -> Result<(MedicineId, String), WebError> {
    let id: MedicineId = raw.trim().parse().map_err(|_| WebError::NotFound)?;
    let catalogue = state.knowledge.current();
    let medicine = catalogue.medicine(&id).ok_or(WebError::NotFound)?;
    Ok((id, format!("{} {}", medicine.brand_name, medicine.strength)))
}

async fn current_line(
    state: &AppState,
    pharmacy: &WorkPlace,
    id: &MedicineId,
) -> Result<Option<StockLevel>, WebError> {
    Ok(state
        .stock
        .all_for(pharmacy.id)
        .await?
        .into_iter()
        .find(|l| &l.medicine_id == id))
}

/// The form's values as typed, so an invalid or stale edit is shown again as it was.
struct Values {
    quantity: String,
    price: String,
    currency: String,
    /// The line's own low-stock alert threshold; empty for none.
    threshold: String,
}

impl Values {
    fn empty() -> Self {
        Self {
            quantity: String::new(),
            price: String::new(),
            currency: "EUR".to_owned(),
            threshold: String::new(),
        }
    }

    fn of(line: &StockLevel) -> Self {
        let price = text::money(&line.price);
        let amount = price.split(' ').next().unwrap_or_default().to_owned();
        Self {
            quantity: line.quantity.to_string(),
            price: amount,
            currency: line.price.currency.clone(),
            threshold: line
                .low_stock_threshold
                .map(|t| t.to_string())
                .unwrap_or_default(),
        }
    }

    fn to_update(&self, expected_version: i64) -> Result<StockUpdate, String> {
        let quantity = self
            .quantity
            .parse::<i64>()
            .map_err(|_| "Quantity must be a whole number.".to_owned())?;
        let minor = price_minor(&self.price)
            .ok_or_else(|| "Price must be an amount like 4.99.".to_owned())?;
        let low_stock_threshold = match self.threshold.as_str() {
            "" => None,
            typed => Some(typed.parse::<i64>().map_err(|_| {
                "Low-stock alert threshold must be a whole number, or empty for none.".to_owned()
            })?),
        };
        let update = StockUpdate {
            quantity,
            price: Money {
                minor,
                currency: self.currency.clone(),
            },
            expected_version,
            low_stock_threshold,
        };
        update
            .validate()
            .map_err(|errors| format!("Check the values: {errors}"))?;
        update
            .price
            .validate()
            .map_err(|errors| format!("Check the price: {errors}"))?;
        Ok(update)
    }
}

/// `4.99` → 499 minor units; at most two decimals.
fn price_minor(text: &str) -> Option<i64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

fn edit_form(session: &Session, id: &MedicineId, values: &Values, version: i64) -> Markup {
    html! {
        form.card method="post" action={ "/console/stock/" (id) } {
            (layout::csrf(session))
            input type="hidden" name="version" value=(version);
            div.field.short {
                label for="quantity" { "Quantity" }
                input #quantity type="number" name="quantity" min="0" required inputmode="numeric" value=(values.quantity);
            }
            div.field.short {
                label for="price" { "Price" }
                input #price type="text" name="price" required inputmode="decimal" pattern="[0-9]+([.][0-9]{1,2})?" aria-describedby="price-hint" value=(values.price);
                p.hint #price-hint { "For example 4.99" }
            }
            div.field.short {
                label for="currency" { "Currency" }
                input #currency type="text" name="currency" required maxlength="3" value=(values.currency);
            }
            div.field.short {
                label for="threshold" { "Low-stock alert at" }
                input #threshold type="number" name="threshold" min="0" inputmode="numeric" aria-describedby="threshold-hint" value=(values.threshold);
                p.hint #threshold-hint { "An alert is raised when the quantity falls to this or below; empty for none" }
            }
            button type="submit" { "Save" }
            " " a href="/console/stock" { "Cancel" }
        }
    }
}

/// Someone saved the line since this edit was opened: both versions, and the edit ready to save
/// again over the new version.
fn stale(
    session: &Session,
    id: &MedicineId,
    name: &str,
    mine: &Values,
    now: Option<&StockLevel>,
) -> Markup {
    let theirs = now.map(Values::of);
    html! {
        h1 { "Stock of " (name) }
        div.notice.notice-error role="alert" {
            h2 { span aria-hidden="true" { "⚠ " } "Someone else changed this line while you were editing" }
            p { "Your edit was not saved. Compare, then save yours again or keep theirs." }
        }
        div.table-wrap {
            table.compare {
                caption { "Your edit and the line as saved now" }
                thead { tr { td {} th scope="col" { "Your edit (not saved)" } th scope="col" { "Saved now" } } }
                tbody {
                    tr { th scope="row" { "Quantity" } td { (mine.quantity) } td { (theirs.as_ref().map_or("—", |t| t.quantity.as_str())) } }
                    tr { th scope="row" { "Price" } td { (mine.price) " " (mine.currency) } td { @if let Some(t) = &theirs { (t.price) " " (t.currency) } @else { "—" } } }
                    tr { th scope="row" { "Last change (UTC)" } td { "—" } td { @if let Some(line) = now { (line.updated_at.format("%Y-%m-%d %H:%M:%S")) } } }
                }
            }
        }
        (edit_form(session, id, mine, now.map_or(0, |l| l.version)))
        p { a href="/console/stock" { "Keep theirs and go back to the stock list" } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_minor_units() {
        assert_eq!(price_minor("4.99"), Some(499));
        assert_eq!(price_minor("4.9"), Some(490));
        assert_eq!(price_minor("12"), Some(1200));
        for bad in ["", "4.999", "-1", "4,99", "a.b", ".5"] {
            assert_eq!(price_minor(bad), None, "{bad}");
        }
    }
}
