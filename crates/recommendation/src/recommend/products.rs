//! The right product of a treatment for this patient and this complaint (issue 9, item 5).
//!
//! * Products a product-level age rule rules out for the patient (an adult extended-release or
//!   adult-only strength for a child: the age rules' dose-form and strength filters, `exclude` and
//!   `children_formulation`) are dropped; when none is left, the treatment is excluded with the
//!   rule as its reason.
//! * Among the rest, the route of the treatment's OTC monograph category comes first (its
//!   `route_form_constraint`: oral, topical, ophthalmic, rectal, …); with no category, oral. For an
//!   oral route, tablets and capsules come before other forms. With a stock, in-stock products
//!   still come first; the order is otherwise the treatment's own (stable sort).
//! * For a child under 12 (the age most children's-product rules of `age_rules.csv` use), an
//!   extended-release product is not offered (issue 9: "never an adult extended-release for a
//!   child"; a structural rule — when only such products exist the treatment is excluded with that
//!   reason), and within the route a children's form (suspension, solution, syrup, elixir, drops,
//!   chewable) and then the lowest labelled strength come first. These are preferences between
//!   products the cited rules allow, not clinical rules or doses.

use pharmarec_domain::Severity;

use crate::model::{Alert, AlertKind, STRUCTURAL_RULE};
use crate::safety::PatientContext;
use crate::snapshot::{IngId, KnowledgeSnapshot, ProductTraits, ROUTES};
use crate::{PharmacyStock, SharedText};

/// Under this age (months) children's forms are preferred (see the module docs).
const CHILD_FORM_MONTHS: u32 = 144;

/// The products of a treatment this patient can be given, best first, with the product-level
/// warnings of the first one; or the reason none can be given.
///
/// # Errors
/// The most severe product-level exclusion when every product is ruled out.
pub(crate) fn for_patient(
    catalogue: &KnowledgeSnapshot,
    ingredients: &[IngId],
    products: &[u32],
    context: &PatientContext<'_>,
    stock: Option<&PharmacyStock>,
) -> Result<(Vec<u32>, Vec<Alert>), Box<Alert>> {
    let child = context
        .age_in_months()
        .is_some_and(|m| m < CHILD_FORM_MONTHS);
    let rules_apply = context.has_product_rules(ingredients);
    let mut first_reason = None;
    let mut kept: Vec<(u32, Vec<Alert>)> = Vec::with_capacity(products.len());
    for &product in products {
        let Some(traits) = catalogue.product_traits.get(product as usize) else {
            continue;
        };
        let extended_for_child = child && traits.extended;
        let product_rules = if rules_apply {
            context.product_rules(ingredients, traits)
        } else {
            (None, Vec::new())
        };
        match product_rules {
            (None, _) if extended_for_child => {
                first_reason.get_or_insert_with(|| extended_release_alert(catalogue, ingredients));
            }
            (Some(reason), _) => {
                first_reason.get_or_insert(reason);
            }
            (None, warnings) => kept.push((product, warnings)),
        }
    }
    if let (true, Some(reason)) = (kept.is_empty(), first_reason) {
        return Err(Box::new(reason));
    }
    let route = preferred_route(catalogue, ingredients);
    // A product with a product-level warning for this patient (an adult strength "ask a doctor"
    // for a child) comes after one without.
    // Keys are computed once per product, not once per comparison.
    kept.sort_by_cached_key(|(p, warnings)| {
        let medicine = &catalogue.medicines[*p as usize];
        let traits = &catalogue.product_traits[*p as usize];
        let missing = stock.is_some_and(|s| !s.in_stock(&medicine.id));
        let route_rank = route_rank(traits, route);
        if child {
            let child_form = !traits.child_form;
            let strength = first_number(&medicine.strength);
            (
                missing,
                !warnings.is_empty(),
                route_rank.min(1) * 2,
                u8::from(child_form),
                strength,
            )
        } else {
            (missing, !warnings.is_empty(), route_rank, 0, 0)
        }
    });
    let warnings = kept.first().map(|(_, w)| w.clone()).unwrap_or_default();
    Ok((kept.into_iter().map(|(p, _)| p).collect(), warnings))
}

/// The first number of a labelled strength in thousandths (`120MG` → 120000), for ordering only.
fn first_number(strength: &str) -> u64 {
    let start = strength.find(|c: char| c.is_ascii_digit());
    let Some(start) = start else { return u64::MAX };
    let text: String = strength[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    text.parse::<f64>().map_or(u64::MAX, |n| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "an ordering key of small positive label numbers"
        )]
        let key = (n * 1000.0) as u64;
        key
    })
}

/// A child is not offered extended-release products; every product of the treatment is one.
fn extended_release_alert(catalogue: &KnowledgeSnapshot, ingredients: &[IngId]) -> Alert {
    Alert {
        kind: AlertKind::Age,
        severity: Some(Severity::Major),
        message: SharedText::Static(
            "only extended-release (adult) products of this treatment are in the catalogue: a children's formulation is needed",
        ),
        source: SharedText::Static(STRUCTURAL_RULE),
        ingredients: ingredients
            .iter()
            .map(|&i| catalogue.ingredients.key(i).clone())
            .collect(),
        source_url: None,
        patient_fact: Some(format!("child under {} years", CHILD_FORM_MONTHS / 12)),
    }
}

/// The route of the treatment's monograph category, or oral when it has none, as an index of
/// [`ROUTES`].
fn preferred_route(catalogue: &KnowledgeSnapshot, ingredients: &[IngId]) -> usize {
    ingredients
        .iter()
        .flat_map(|&id| {
            catalogue
                .monograph
                .categories_of(id)
                .iter()
                .flat_map(move |&c| {
                    catalogue
                        .monograph
                        .get(c)
                        .members
                        .iter()
                        .filter(move |m| m.ingredient == Some(id))
                })
        })
        .find_map(|member| {
            let form = member.route_form.to_lowercase();
            ROUTES.iter().position(|r| form.contains(r))
        })
        .unwrap_or(ORAL)
}

/// The index of `oral` in [`ROUTES`].
const ORAL: usize = ROUTES.len() - 1;

/// 0: the route, as a tablet or capsule when oral; 1: the route in another form; 2: another route.
fn route_rank(product: &ProductTraits, route: usize) -> u8 {
    let matches = product.has_route(route) || (ROUTES[route] == "intranasal" && product.is_nasal());
    if !matches {
        return 2;
    }
    let common = route != ORAL || product.tablet_or_capsule;
    u8::from(!common)
}
