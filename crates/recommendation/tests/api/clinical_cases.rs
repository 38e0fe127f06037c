//! The clinical regression suite: every case of `tests/fixtures/clinical_cases.json` (written from
//! cited public sources, each with its `basis`) run through `recommend` or `check_basket`, with
//! each `expect` key asserted. All failures are collected and reported together, with the case id.
//!
//! How an expectation is read (the fixture's description, made precise):
//! * `not_recommended`: recommend — not among the recommended treatments; basket — flagged by a
//!   finding about it at `moderate` or above.
//! * `excluded`: recommend — listed in `excluded`; basket — a `contraindicated` finding about it.
//! * `warned {ingredient, about}`: a warning (or, stronger, an exclusion or finding) about it whose
//!   kind is the fact named (`age`, `pregnancy`, `breast_feeding`, `allergy`, `interaction`, or a
//!   condition code, which must be the alert's patient fact).
//! * `not_checked`: the answer's `not_checked` names the fact.
//! * `recommended_any`: at least one of them is recommended.
//!
//! Recommend cases run with `warn_interactions_from: minor`: the suite checks that every cited
//! interaction reaches the pharmacist, and the default threshold (`moderate`) hides ANSM's "à
//! prendre en compte" rows by design (counted in `suppressed_interactions`). A `warned` ingredient
//! that the answer does not offer at all (a vocabulary or ranking gap, issue 9) cannot be checked
//! for its warning: that is safe, and it is printed as unverified rather than failed.

use std::sync::OnceLock;

use pharmarec_domain::{KnowledgeBase, Medicine, Severity};
use pharmarec_recommendation::{
    Alert, AlertKind, BasketOptions, BasketReport, Finding, FindingKind, MedicineRef, Patient,
    RecommendOptions, Recommendations, SymptomQuery,
};
use serde::Deserialize;

use crate::{catalogue, dataset};

const FIXTURE: &str = include_str!("../fixtures/clinical_cases.json");

/// Cases the engine cannot pass yet, with why. Each must still fail (so a fix removes it here).
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[derive(Debug, Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    kind: String,
    #[serde(default)]
    symptoms: String,
    #[serde(default)]
    items: Vec<Item>,
    patient: Patient,
    expect: Expect,
    basis: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Item {
    ingredient: String,
    dose_form: Option<String>,
    strength: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Expect {
    not_recommended: Vec<String>,
    excluded: Vec<String>,
    warned: Vec<Warned>,
    not_checked: Vec<String>,
    recommended_any: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Warned {
    ingredient: String,
    about: String,
}

/// The shipped products, to pick a basket item's form and strength.
#[expect(
    clippy::expect_used,
    reason = "test helper: a failure here is a test failure"
)]
fn medicines() -> &'static [Medicine] {
    static KNOWLEDGE: OnceLock<KnowledgeBase> = OnceLock::new();
    &KNOWLEDGE
        .get_or_init(|| dataset::shipped_knowledge().expect("the shipped dataset loads"))
        .medicines
}

/// `key` names the ingredient (exactly, or as its salt form `naproxen sodium`).
fn names(key: &str, ingredient: &str) -> bool {
    key == ingredient || key.starts_with(&format!("{ingredient} "))
}

/// The basket reference of an item: the product of that form and strength when given.
fn reference(item: &Item) -> MedicineRef {
    if item.dose_form.is_none() && item.strength.is_none() {
        return MedicineRef::ingredient(&item.ingredient);
    }
    let fits = |m: &&Medicine| {
        m.ingredients.len() == 1
            && m.ingredient_keys()
                .any(|k| names(k.as_str(), &item.ingredient))
            && item
                .dose_form
                .as_ref()
                .is_none_or(|f| m.dose_form.eq_ignore_ascii_case(f))
            && item
                .strength
                .as_ref()
                .is_none_or(|s| m.strength.eq_ignore_ascii_case(s))
    };
    medicines().iter().find(fits).map_or_else(
        || MedicineRef::ingredient(&item.ingredient),
        |m| MedicineRef::MedicineId(m.id.clone()),
    )
}

/// Whether an alert (kind, patient fact) is about `about`.
fn alert_about(kind: AlertKind, fact: Option<&str>, about: &str) -> bool {
    let fact = fact.unwrap_or("");
    match about {
        "age" => kind == AlertKind::Age || (is_label(kind) && fact.starts_with("age")),
        "pregnancy" => matches!(
            kind,
            AlertKind::Pregnancy
                | AlertKind::PregnancyStage
                | AlertKind::Contraindication
                | AlertKind::LabelPregnancyOrBreastFeeding
        ),
        "breast_feeding" => matches!(
            kind,
            AlertKind::BreastFeeding | AlertKind::LabelPregnancyOrBreastFeeding
        ),
        "allergy" => kind == AlertKind::Allergy,
        "interaction" => kind == AlertKind::Interaction,
        code => kind == AlertKind::Condition && fact == format!("condition {code}"),
    }
}

fn is_label(kind: AlertKind) -> bool {
    matches!(
        kind,
        AlertKind::LabelDoNotUse
            | AlertKind::LabelAskDoctor
            | AlertKind::LabelAskDoctorOrPharmacist
    )
}

fn finding_about(finding: &Finding, about: &str) -> bool {
    let kind = match finding.kind {
        FindingKind::Interaction => AlertKind::Interaction,
        FindingKind::Allergy => AlertKind::Allergy,
        FindingKind::Contraindication | FindingKind::Pregnancy => AlertKind::Pregnancy,
        FindingKind::PregnancyStage => AlertKind::PregnancyStage,
        FindingKind::Age => AlertKind::Age,
        FindingKind::BreastFeeding => AlertKind::BreastFeeding,
        FindingKind::Condition => AlertKind::Condition,
        FindingKind::Withdrawn => AlertKind::Withdrawn,
        FindingKind::Label => AlertKind::LabelAskDoctor,
        FindingKind::DuplicateIngredient | FindingKind::DuplicateClass => {
            AlertKind::DuplicateIngredient
        }
    };
    // A finding carries its patient fact in the description (`[patient: …]`) or message.
    let fact = finding
        .description
        .split("[patient: ")
        .nth(1)
        .map(|f| f.trim_end_matches(']'))
        .or_else(|| {
            finding
                .description
                .find("(condition ")
                .map(|at| &finding.description[at + 1..])
                .and_then(|f| f.split(')').next())
        })
        .or_else(|| finding.description.find("(age ").map(|_| "age"));
    alert_about(kind, fact, about)
}

fn check_recommend(
    case: &Case,
    answer: &Recommendations,
    problems: &mut Vec<String>,
    unverified: &mut Vec<String>,
) {
    let recommended = |key: &str| {
        answer.recommendations.iter().any(|r| {
            r.medicine
                .ingredients
                .iter()
                .any(|k| names(k.as_str(), key))
        })
    };
    let excluded = |key: &str| {
        answer
            .excluded
            .iter()
            .filter(|e| {
                e.medicine
                    .ingredients
                    .iter()
                    .any(|k| names(k.as_str(), key))
            })
            .map(|e| &e.reason)
            .collect::<Vec<&Alert>>()
    };
    for key in &case.expect.not_recommended {
        if recommended(key) {
            problems.push(format!("{key} is recommended"));
        }
    }
    for key in &case.expect.excluded {
        if excluded(key).is_empty() {
            problems.push(format!("{key} is not listed as excluded"));
        }
    }
    for warned in &case.expect.warned {
        let about = |a: &&Alert| alert_about(a.kind, a.patient_fact.as_deref(), &warned.about);
        let in_warnings = answer
            .recommendations
            .iter()
            .filter(|r| {
                r.medicine
                    .ingredients
                    .iter()
                    .any(|k| names(k.as_str(), &warned.ingredient))
            })
            .flat_map(|r| &r.warnings)
            .any(|a| about(&a));
        let offered = recommended(&warned.ingredient) || !excluded(&warned.ingredient).is_empty();
        if !offered {
            unverified.push(format!(
                "{}: {} not offered, so its {} warning is unverified",
                case.id, warned.ingredient, warned.about
            ));
        } else if !in_warnings && !excluded(&warned.ingredient).iter().any(about) {
            problems.push(format!(
                "{} not warned about {}",
                warned.ingredient, warned.about
            ));
        }
    }
    for fact in &case.expect.not_checked {
        if !answer.not_checked.iter().any(|n| &n.fact == fact) {
            problems.push(format!("{fact} not reported as not checked"));
        }
    }
    if !case.expect.recommended_any.is_empty()
        && !case.expect.recommended_any.iter().any(|k| recommended(k))
    {
        problems.push(format!(
            "none of {:?} recommended",
            case.expect.recommended_any
        ));
    }
}

fn check_basket(case: &Case, report: &BasketReport, problems: &mut Vec<String>) {
    let about_key = |key: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.ingredients.iter().any(|k| names(k.as_str(), key)))
            .collect::<Vec<&Finding>>()
    };
    for key in &case.expect.not_recommended {
        if !about_key(key)
            .iter()
            .any(|f| f.severity >= Severity::Moderate)
        {
            problems.push(format!("{key} is not flagged"));
        }
    }
    for key in &case.expect.excluded {
        if !about_key(key)
            .iter()
            .any(|f| f.severity == Severity::Contraindicated)
        {
            problems.push(format!("{key} has no contraindicated finding"));
        }
    }
    for warned in &case.expect.warned {
        if !about_key(&warned.ingredient)
            .iter()
            .any(|f| finding_about(f, &warned.about))
        {
            problems.push(format!(
                "{} not flagged about {}",
                warned.ingredient, warned.about
            ));
        }
    }
    for fact in &case.expect.not_checked {
        if !report.not_checked.iter().any(|n| &n.fact == fact) {
            problems.push(format!("{fact} not reported as not checked"));
        }
    }
}

#[test]
fn every_cited_clinical_case_gets_a_safe_answer() {
    let fixture: Fixture = serde_json::from_str(FIXTURE).unwrap();
    assert!(fixture.cases.len() >= 60, "{} cases", fixture.cases.len());
    let mut failures = Vec::new();
    let mut unverified = Vec::new();
    for case in &fixture.cases {
        assert!(
            case.basis.get("url").is_some(),
            "{}: no cited basis",
            case.id
        );
        let mut problems = Vec::new();
        match case.kind.as_str() {
            "recommend" => {
                let options = RecommendOptions {
                    limit: 10,
                    warn_interactions_from: Severity::Minor,
                    ..RecommendOptions::default()
                };
                let answer = catalogue()
                    .recommend(&SymptomQuery::text(&case.symptoms), &case.patient, &options)
                    .unwrap();
                check_recommend(case, &answer, &mut problems, &mut unverified);
            }
            "basket" => {
                let items: Vec<MedicineRef> = case.items.iter().map(reference).collect();
                let report = catalogue()
                    .check_basket(&items, &case.patient, &BasketOptions::default())
                    .unwrap();
                check_basket(case, &report, &mut problems);
            }
            other => problems.push(format!("unknown kind {other}")),
        }
        let gap = KNOWN_GAPS.iter().any(|(id, _)| *id == case.id);
        match (problems.is_empty(), gap) {
            (false, false) => failures.push(format!("{}: {}", case.id, problems.join("; "))),
            (true, true) => failures.push(format!(
                "{}: passes now, remove it from KNOWN_GAPS",
                case.id
            )),
            _ => {}
        }
    }
    println!("unverified expectations:\n{}", unverified.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
