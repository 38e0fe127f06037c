//! Issue 9, ingredient-level suggestions: a monograph combination is one suggestion, and a
//! suggestion carries the warnings its OTC category's monograph (or label) gives.

use pharmarec_recommendation::{AlertKind, Recommendations};

use crate::lay_language::ask;

#[test]
fn a_monograph_combination_is_suggested_as_one() {
    let answer = ask("nits");
    let names: Vec<&str> = answer
        .ingredient_suggestions
        .iter()
        .map(|s| s.ingredient.as_str())
        .collect();
    assert_eq!(
        names,
        ["pyrethrum extract + piperonyl butoxide"],
        "one suggestion for the combination row, not one per part"
    );
    let lice = &answer.ingredient_suggestions[0];
    assert_eq!(lice.monograph_name, lice.ingredient);
    assert_eq!(lice.catalogue_ingredient, None);
}

#[test]
fn suggestions_carry_their_categorys_monograph_warnings() {
    let monograph_warnings = |answer: &Recommendations, name: &str| -> Vec<String> {
        answer
            .ingredient_suggestions
            .iter()
            .find(|s| s.ingredient == name)
            .unwrap()
            .warnings
            .iter()
            .filter(|w| w.kind == AlertKind::MonographWarning)
            .inspect(|w| assert!(w.source_url.is_some() && w.severity.is_none()))
            .map(|w| w.message.to_string())
            .collect()
    };
    let sleep = monograph_warnings(&ask("can't sleep"), "diphenhydramine");
    assert!(
        sleep.iter().any(|m| m.contains("drowsiness may occur")),
        "{sleep:?}"
    );
    // A label's warnings go with its own ingredient: the loperamide label's are not bismuth's.
    let bismuth = monograph_warnings(&ask("the runs"), "bismuth subsalicylate");
    assert!(bismuth.iter().any(|m| m.contains("Reye")), "{bismuth:?}");
    assert!(
        bismuth
            .iter()
            .all(|m| !m.to_lowercase().contains("loperamide")),
        "{bismuth:?}"
    );
    // Directions are not warnings.
    assert!(bismuth.iter().all(|m| !m.starts_with("directions")));
}
