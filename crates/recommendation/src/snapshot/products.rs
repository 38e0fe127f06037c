//! What the engine tests of every product it offers, read once per snapshot: the lower-cased dose
//! form and strength the age rules filter on, and the route and form words the product choice
//! ranks by (`recommend::products`). Testing them per request, for every product of every
//! candidate treatment, was a fifth of a recommendation.

use pharmarec_domain::Medicine;

use crate::safety::contains_ignore_case;

/// Route words, in the order they are tested against a category's `route_form_constraint`.
pub(crate) const ROUTES: &[&str] = &[
    "ophthalmic",
    "intranasal",
    "rectal",
    "vaginal",
    "topical",
    "oral",
];

/// Dose-form words of children's products.
const CHILD_FORMS: &[&str] = &[
    "suspension",
    "solution",
    "syrup",
    "elixir",
    "drops",
    "chewable",
];

/// One product's tested words.
#[derive(Debug)]
pub(crate) struct ProductTraits {
    /// The dose form, lower case (`tablet, extended release`).
    pub(crate) dose_form: Box<str>,
    /// The strength, lower case (`200mg`).
    pub(crate) strength: Box<str>,
    /// Bit `i`: the route contains `ROUTES[i]`; bit `ROUTES.len()`: it contains `nasal`.
    route_words: u8,
    /// A tablet or capsule.
    pub(crate) tablet_or_capsule: bool,
    /// An extended-release form.
    pub(crate) extended: bool,
    /// A children's form ([`CHILD_FORMS`]).
    pub(crate) child_form: bool,
}

impl ProductTraits {
    pub(crate) fn of(medicine: &Medicine) -> Self {
        let dose_form = medicine.dose_form.to_lowercase();
        let route_words = ROUTES
            .iter()
            .chain(&["nasal"])
            .zip(0..)
            .filter(|(word, _)| contains_ignore_case(&medicine.route, word))
            .fold(0, |bits, (_, bit)| bits | 1 << bit);
        Self {
            tablet_or_capsule: dose_form.contains("tablet") || dose_form.contains("capsule"),
            extended: dose_form.contains("extended"),
            child_form: CHILD_FORMS.iter().any(|f| dose_form.contains(f)),
            strength: medicine.strength.to_lowercase().into(),
            dose_form: dose_form.into(),
            route_words,
        }
    }

    /// Whether the product's route contains `ROUTES[route]`.
    pub(crate) fn has_route(&self, route: usize) -> bool {
        self.route_words & (1 << route) != 0
    }

    /// Whether the product's route contains `nasal`.
    pub(crate) fn is_nasal(&self) -> bool {
        self.has_route(ROUTES.len())
    }
}
