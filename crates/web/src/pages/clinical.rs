//! Pieces the clinical pages share: the patient panel, the pharmacy's stock, and how alerts, stock
//! lines and "could not be checked" entries are shown.

use maud::{Markup, html};
use pharmarec_domain::Severity;
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{
    Alert, MedicineRef, MedicineSummary, NotChecked, Patient, PharmacyStock,
};

use crate::error::WebError;
use crate::form::FormData;
use crate::layout;
use crate::session::Session;
use crate::text;

/// How many current-medicine boxes the patient panel offers.
const CURRENT_MEDICINE_BOXES: usize = 3;
/// Longest single entry (condition, allergy, medicine name).
const MAX_ENTRY_CHARS: usize = 200;
/// Most entries accepted in one list field (the API's bound).
const MAX_ENTRIES: usize = 20;
/// The names of the patient panel's fields: what [`patient_from`] reads and [`patient_hidden`]
/// carries over.
const PATIENT_FIELDS: [&str; 7] = [
    "age",
    "pregnant",
    "trimester",
    "breast_feeding",
    "conditions",
    "allergies",
    "current_medicine",
];

/// The patient described by the panel's fields.
pub(crate) fn patient_from(form: &FormData) -> Result<Patient, WebError> {
    let trimester = form.number::<u8>("trimester", "Trimester")?;
    if trimester.is_some_and(|t| !(1..=3).contains(&t)) {
        return Err(WebError::Invalid("Trimester must be 1, 2 or 3.".to_owned()));
    }
    let age = form.number::<u16>("age", "Age")?;
    if age.is_some_and(|age| age > 130) {
        return Err(WebError::Invalid(
            "Age must be between 0 and 130 years.".to_owned(),
        ));
    }
    let conditions = form.list("conditions");
    let allergies = form.list("allergies");
    let current: Vec<MedicineRef> = form
        .all("current_medicine")
        .map(MedicineRef::ingredient)
        .collect();
    let too_long = conditions
        .iter()
        .chain(&allergies)
        .map(String::as_str)
        .chain(current.iter().map(MedicineRef::label))
        .any(|entry| entry.chars().count() > MAX_ENTRY_CHARS);
    if too_long {
        return Err(WebError::Invalid(format!(
            "Each entry has at most {MAX_ENTRY_CHARS} characters."
        )));
    }
    if conditions.len() > MAX_ENTRIES || allergies.len() > MAX_ENTRIES {
        return Err(WebError::Invalid(format!(
            "At most {MAX_ENTRIES} conditions and {MAX_ENTRIES} allergies."
        )));
    }
    Ok(Patient {
        age,
        pregnant: form.checked("pregnant") || trimester.is_some(),
        pregnancy_trimester: trimester,
        breast_feeding: form.checked("breast_feeding"),
        conditions,
        allergies,
        current_medicines: current,
        ..Patient::default()
    })
}

/// The patient panel, filled with what was submitted.
pub(crate) fn patient_panel(form: &FormData) -> Markup {
    let value = |name: &str| form.all(name).collect::<Vec<_>>().join(", ");
    let current: Vec<&str> = form.all("current_medicine").collect();
    html! {
        fieldset.patient {
            legend { "Patient" }
            div.field.short {
                label for="age" { "Age (years)" }
                input #age type="number" name="age" min="0" max="130" inputmode="numeric" value=[form.get("age")];
            }
            div.choice {
                input #pregnant type="checkbox" name="pregnant" value="yes" checked[form.checked("pregnant")];
                label for="pregnant" { "Pregnant" }
            }
            div.field.short {
                label for="trimester" { "Stage of pregnancy" }
                select #trimester name="trimester" {
                    option value="" { "Not pregnant or unknown" }
                    @for t in 1..=3u8 {
                        option value=(t) selected[form.get("trimester") == Some(&t.to_string())] { "Trimester " (t) }
                    }
                }
            }
            div.choice {
                input #breast_feeding type="checkbox" name="breast_feeding" value="yes" checked[form.checked("breast_feeding")];
                label for="breast_feeding" { "Breast-feeding" }
            }
            div.field {
                label for="conditions" { "Conditions" }
                input #conditions type="text" name="conditions" aria-describedby="conditions-hint" value=(value("conditions"));
                p.hint #conditions-hint { "Separate with commas, e.g. “high blood pressure, asthma”." }
            }
            div.field {
                label for="allergies" { "Allergies" }
                input #allergies type="text" name="allergies" aria-describedby="allergies-hint" value=(value("allergies"));
                p.hint #allergies-hint { "Medicine or class names, separated with commas, e.g. “penicillin, aspirin”." }
            }
            @for i in 0..CURRENT_MEDICINE_BOXES {
                div.field {
                    label for={ "current-" (i) } { "Current medicine " (i + 1) }
                    (name_input(&format!("current-{i}"), "current_medicine", current.get(i).copied()))
                }
            }
        }
        (names_list())
    }
}

/// The patient panel's values as hidden fields, for another form on the page (a basket finding's
/// dismissal) that must answer for the same patient and show the panel filled again.
pub(crate) fn patient_hidden(form: &FormData) -> Markup {
    html! {
        @for name in PATIENT_FIELDS {
            @for value in form.all(name) { input type="hidden" name=(name) value=(value); }
        }
    }
}

/// A text box with type-ahead on the names the catalogue knows (htmx fills the shared datalist).
pub(crate) fn name_input(id: &str, name: &str, value: Option<&str>) -> Markup {
    html! {
        input id=(id) type="text" name=(name) value=[value] list="catalogue-names" autocomplete="off"
            hx-get="/console/names" hx-trigger="input changed delay:250ms" hx-target="#catalogue-names"
            hx-swap="innerHTML" hx-sync="this:replace";
    }
}

/// The datalist the type-ahead fills.
pub(crate) fn names_list() -> Markup {
    html! { datalist #catalogue-names {} }
}

/// The whole stock of the session's pharmacy, when one is chosen.
pub(crate) async fn stock_of(
    state: &AppState,
    session: &Session,
) -> Result<Option<PharmacyStock>, WebError> {
    match &session.pharmacy {
        Some(pharmacy) => {
            let levels = state.stock.all_for(pharmacy.id).await?;
            Ok(Some(levels.iter().collect()))
        }
        None => Ok(None),
    }
}

/// A product: name, strength, form, with links to its page.
pub(crate) fn product(medicine: &MedicineSummary) -> Markup {
    html! {
        a href={ "/console/medicines/" (medicine.id) } { (medicine.brand_name) }
        " " (medicine.strength) ", " (medicine.dose_form.to_lowercase())
        " (" (text::status(medicine.status)) ")"
    }
}

/// Stock and price of a product in the session's pharmacy.
pub(crate) fn stock_line(session: &Session, medicine: &MedicineSummary) -> Markup {
    html! {
        @match (&session.pharmacy, &medicine.stock) {
            (None, _) => span.stock { "Stock not shown: no pharmacy chosen" },
            (Some(p), None) => span.stock { "Not stocked at " (p.name) },
            (Some(_), Some(line)) if line.in_stock() => span.stock.in-stock { "In stock: " (line.quantity) " at " (text::money(&line.price)) },
            (Some(_), Some(line)) => span.stock { "Out of stock (price " (text::money(&line.price)) ")" },
        }
    }
}

/// Alerts, most severe first, each with its severity in words and icon, and its source.
pub(crate) fn alerts(alerts: &[Alert]) -> Markup {
    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sorted.sort_by_key(|alert| std::cmp::Reverse(alert.severity.map(rank)));
    html! {
        ul.alerts {
            @for alert in sorted {
                li {
                    @match alert.severity { Some(s) => (layout::severity(s)), None => (layout::ungraded()) }
                    " " strong { (text::words(&alert.kind)) ": " }
                    (alert.message)
                    span.source { " Source: " (alert.source) }
                }
            }
        }
    }
}

fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Minor => 1,
        Severity::Moderate => 2,
        Severity::Major => 3,
        Severity::Contraindicated => 4,
    }
}

/// The "could not be checked" section: always shown, so a gap is never mistaken for "safe".
pub(crate) fn not_checked(
    unrecognised: &[String],
    patient: &[String],
    gaps: &[NotChecked],
) -> Markup {
    html! {
        section.not-checked aria-labelledby="not-checked-title" {
            h2 #not-checked-title { span aria-hidden="true" { "⚠ " } "Could not be checked" }
            @if unrecognised.is_empty() && patient.is_empty() && gaps.is_empty() {
                p { "The data reported no gaps for this question. That is not a statement of safety." }
            } @else {
                ul {
                    @for term in unrecognised { li { "Not understood: “" (term) "”" } }
                    @for entry in patient { li { "Patient entry not recognised, so not checked: “" (entry) "”" } }
                    @for gap in gaps {
                        li { strong { (gap.fact) } @if !gap.ingredients.is_empty() { " (" (join(&gap.ingredients)) ")" } ": " (gap.why) }
                    }
                }
            }
        }
    }
}

/// Ingredient keys as a readable list.
pub(crate) fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" + ")
}
