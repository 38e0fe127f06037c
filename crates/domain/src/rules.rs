//! Clinical rule knowledge: the US OTC monographs (use categories, indications, warnings, age rules)
//! and PharmaRec's reviewed rule tables that map them onto patients (`data/rules/`).
//!
//! Every rule carries its source: the citation, the URL and the verbatim words it rests on. The
//! tables version with the code (they are reviewed in tests), not with the catalogue import.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

/// What a rule is about: a whole OTC use category, one ingredient, or an FDA pharmacologic class.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "scope", content = "target", rename_all = "snake_case")]
pub enum RuleScope {
    /// An OTC monograph `category_id` (`nasal_decongestant`).
    Category(String),
    /// An ingredient: a catalogue key, or a monograph name without its salt when the catalogue
    /// has no such ingredient (`bismuth subsalicylate`).
    Ingredient(String),
    /// An FDA Established Pharmacologic Class, spelt as in `ingredients.csv`.
    EpcClass(String),
}

/// What a rule does to a medicine for a patient it applies to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RuleAction {
    /// Shown for information.
    Info,
    /// Ask a doctor / caution: shown with the patient fact that triggered it.
    Warn,
    /// An adult product not intended for the patient's age: a children's formulation is needed.
    ChildrenFormulation,
    /// Do not use / contraindicated: removed and listed as excluded.
    Exclude,
}

/// The source a rule rests on.
///
/// Shared texts: every alert of a rule quotes its citation, and a clone is a reference count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// The source's own words (verbatim, never translated or edited).
    pub verbatim: Arc<str>,
    /// Human citation (`21 CFR 341.80(c)(1)(i)`, `FDA Drug Safety Communication, 15 Oct 2020`).
    pub citation: Arc<str>,
    /// Where it was read.
    pub source_url: Arc<str>,
}

/// A phrase that names a coded patient condition (`high blood pressure` → `hypertension`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionPhrase {
    /// Condition code.
    pub code: String,
    /// English label of the code.
    pub label: String,
    /// Lower-case phrase.
    pub phrase: String,
    /// Source of the phrase ↔ code equivalence.
    pub source_url: String,
    /// Its words.
    pub quote: String,
}

/// A drug–condition rule ("Ask a doctor before use if you have high blood pressure").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionRule {
    /// Medicines it covers.
    pub scope: RuleScope,
    /// Condition code.
    pub condition: String,
    /// Exclude or warn.
    pub action: RuleAction,
    /// Label section (`do_not_use`, `ask_doctor`).
    pub section: String,
    /// Source.
    pub cited: Citation,
}

/// An age rule ("children under 4 years of age: do not use").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRule {
    /// Medicines it covers.
    pub scope: RuleScope,
    /// Only products whose dose form contains this (lower case), if set.
    pub dose_form_contains: Option<String>,
    /// Only products whose strength contains this (lower case), if set.
    pub strength_contains: Option<String>,
    /// Applies below this age, in months.
    pub under_months: u16,
    /// What it does.
    pub action: RuleAction,
    /// A further condition for the rule (`chickenpox_or_flu_like_symptoms`), if any.
    pub condition: Option<String>,
    /// Source.
    pub cited: Citation,
}

/// A label's warning for older adults ("The chance is higher if you are age 60 or older"), read
/// from the label's whole Warnings text: `otc_label_warnings.csv`, column `warnings_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OlderAgeRule {
    /// Medicines it covers (the label's one ingredient).
    pub scope: RuleScope,
    /// Applies from this age, in whole years.
    pub from_years: u16,
    /// What it does.
    pub action: RuleAction,
    /// Source: the label paragraph holding the age line, verbatim.
    pub cited: Citation,
}

/// A pregnancy rule by gestational week ("do not use at 20 weeks or later in pregnancy").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PregnancyRule {
    /// Medicines it covers.
    pub scope: RuleScope,
    /// First gestational week it applies to (0 = all of pregnancy).
    pub from_week: u8,
    /// Last week it applies to; `None` = to term.
    pub to_week: Option<u8>,
    /// What it does.
    pub action: RuleAction,
    /// Source.
    pub cited: Citation,
}

/// A breast-feeding rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LactationRule {
    /// Medicines it covers.
    pub scope: RuleScope,
    /// What it does.
    pub action: RuleAction,
    /// Source.
    pub cited: Citation,
}

/// A word pharmacists use for an allergy (`sulfa`) and the medicines it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllergyWord {
    /// Lower-case word.
    pub word: String,
    /// Medicines it covers.
    pub scope: RuleScope,
    /// Exclude (the allergen itself) or warn (possible cross-sensitivity).
    pub action: RuleAction,
    /// Source.
    pub cited: Citation,
}

/// Another name of a catalogue ingredient (`lithium` → `lithium carbonate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicineName {
    /// Lower-case name.
    pub name: String,
    /// Catalogue ingredient key.
    pub ingredient: String,
    /// Source's words.
    pub quote: String,
    /// Source.
    pub source_url: String,
}

/// A medicine withdrawn from the market: its products are never offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawnRule {
    /// Catalogue ingredient key (or another name of it).
    pub ingredient: String,
    /// Date of the withdrawal request, as the source gives it (`2020-04-01`).
    pub date: String,
    /// Source.
    pub cited: Citation,
}

/// An everyday phrase for a monograph indication (`the runs` → `diarrhea`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayPhrase {
    /// Lower-case phrase.
    pub phrase: String,
    /// An `indication_text` of the monograph indications, exactly; or `condition: ` and a
    /// condition name of `indications.csv` (`condition: Herpes Labialis`), for complaints no
    /// monograph covers.
    pub target: String,
    /// Source name.
    pub source: String,
    /// Source URL.
    pub source_url: String,
    /// Source's words.
    pub quote: String,
}

impl LayPhrase {
    /// Prefix of a target that is a condition name rather than a monograph indication.
    pub const CONDITION_PREFIX: &'static str = "condition: ";

    /// The condition name this phrase stands for, when its target is one.
    #[must_use]
    pub fn condition_target(&self) -> Option<&str> {
        self.target
            .strip_prefix(Self::CONDITION_PREFIX)
            .map(str::trim)
            .filter(|name| !name.is_empty())
    }
}

/// Two OTC use categories with opposite uses: a query for one never returns the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOpposite {
    /// One category id.
    pub category_a: String,
    /// The other.
    pub category_b: String,
    /// Why, in English.
    pub reason: String,
    /// Source name.
    pub source: String,
    /// Source URL.
    pub source_url: String,
    /// Source's words.
    pub quote: String,
}

/// An ingredient of an OTC use category (`otc_monograph_ingredients.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonographIngredient {
    /// Category id.
    pub category_id: String,
    /// Category name.
    pub category_name: String,
    /// Ingredient as the regulation names it, with its salt.
    pub ingredient: String,
    /// Route or form limits.
    pub route_form_constraint: String,
    /// Dose or concentration limits.
    pub max_concentration_or_dose: String,
    /// CFR paragraph.
    pub cfr_section: String,
    /// Source URL.
    pub source_url: String,
    /// Monograph or label text.
    pub source_type: String,
}

/// One selectable indication phrase of a category (`otc_monograph_indications.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonographIndication {
    /// Category id.
    pub category_id: String,
    /// The phrase.
    pub indication_text: String,
    /// CFR paragraph.
    pub cfr_section: String,
    /// Source URL.
    pub source_url: String,
    /// Monograph or label text.
    pub source_type: String,
    /// The whole sentence it came from.
    pub statement_verbatim: String,
}

/// A warning line of a category (`otc_monograph_warnings.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonographWarning {
    /// Category id.
    pub category_id: String,
    /// Editorial kind (`do_not_use`, `ask_doctor_before_use_if_you_have`, …).
    pub warning_kind: String,
    /// The condition or text.
    pub condition_or_text: String,
    /// Whole category, an ingredient or a named product.
    pub applies_to: String,
    /// CFR paragraph.
    pub cfr_section: String,
    /// Source URL.
    pub source_url: String,
    /// Monograph or label text.
    pub source_type: String,
    /// The whole statement.
    pub statement_verbatim: String,
}

/// An age line as the monograph data gives it (`otc_monograph/age_rules.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonographAgeLine {
    /// Ingredient, product or category as written.
    pub ingredient_or_category: String,
    /// The source's age words.
    pub age_condition: String,
    /// `do_not_use`, `ask_doctor` or `use_children_formulation`.
    pub action: String,
    /// Verbatim text.
    pub verbatim_text: String,
    /// CFR paragraph or label.
    pub cfr_section_or_label: String,
    /// Source URL.
    pub source_url: String,
    /// Monograph or label text.
    pub source_type: String,
}

/// The US OTC monograph files (`data/otc_monograph/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtcMonograph {
    /// Category ingredients.
    pub ingredients: Vec<MonographIngredient>,
    /// Category indications.
    pub indications: Vec<MonographIndication>,
    /// Category warnings.
    pub warnings: Vec<MonographWarning>,
    /// Age lines.
    pub age_lines: Vec<MonographAgeLine>,
}

/// All clinical rule knowledge. Empty tables make the engine report the checks as not done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalRules {
    /// The monographs.
    pub monograph: OtcMonograph,
    /// Condition vocabulary.
    pub conditions: Vec<ConditionPhrase>,
    /// Drug–condition rules.
    pub condition_rules: Vec<ConditionRule>,
    /// Age rules.
    pub age_rules: Vec<AgeRule>,
    /// Older-adult lines of the OTC labels.
    pub older_age_rules: Vec<OlderAgeRule>,
    /// Pregnancy rules.
    pub pregnancy_rules: Vec<PregnancyRule>,
    /// Breast-feeding rules.
    pub lactation_rules: Vec<LactationRule>,
    /// Allergy class words.
    pub allergy_words: Vec<AllergyWord>,
    /// Other ingredient names.
    pub medicine_names: Vec<MedicineName>,
    /// Lay vocabulary.
    pub lay_vocabulary: Vec<LayPhrase>,
    /// Opposite categories.
    pub category_opposites: Vec<CategoryOpposite>,
    /// Withdrawn medicines.
    pub withdrawn: Vec<WithdrawnRule>,
}
