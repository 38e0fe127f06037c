//! Drug–drug interactions between two ingredients, one record per (pair, source).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{DomainError, IngredientKey, Severity};

/// An unordered pair of distinct ingredients, stored in alphabetical order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IngredientPair {
    a: IngredientKey,
    b: IngredientKey,
}

impl IngredientPair {
    /// Orders the two keys; an ingredient cannot interact with itself.
    ///
    /// # Errors
    /// [`DomainError::Invalid`] when both keys are the same.
    pub fn new(x: IngredientKey, y: IngredientKey) -> Result<Self, DomainError> {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => Ok(Self { a: x, b: y }),
            std::cmp::Ordering::Greater => Ok(Self { a: y, b: x }),
            std::cmp::Ordering::Equal => Err(DomainError::invalid(
                "ingredient_pair",
                "an ingredient cannot pair with itself",
            )),
        }
    }

    /// The alphabetically first ingredient.
    pub fn first(&self) -> &IngredientKey {
        &self.a
    }

    /// The alphabetically second ingredient.
    pub fn second(&self) -> &IngredientKey {
        &self.b
    }

    /// The same pair, each key replaced by what `shared` returns for it when that is an equal key:
    /// a holder of many pairs keeps one allocation per distinct key this way.
    pub fn share_keys(
        self,
        mut shared: impl FnMut(&IngredientKey) -> Option<IngredientKey>,
    ) -> Self {
        let mut pick = |key: IngredientKey| match shared(&key) {
            Some(same) if same == key => same,
            _ => key,
        };
        Self {
            a: pick(self.a),
            b: pick(self.b),
        }
    }
}

/// Which knowledge source an interaction record comes from; their severities are kept apart.
///
/// The two shipped sources are fixed; a licensed source is one a user imported under their own
/// licence (see `docs/IMPORTING.md`), named and cited as they chose. Never merged with another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionSource {
    /// VA NDF-RT and the ONC high-priority / non-interruptive lists, via Merged-PDDI (Ayvaz et al. 2015).
    MergedPddi,
    /// ANSM, Thésaurus des interactions médicamenteuses, version du 20 octobre 2020.
    // snake_case would give `ansm2020`; the dataset's own tag is `ansm_2020`.
    #[serde(rename = "ansm_2020")]
    Ansm2020,
    /// Knowledge a user licensed and imported; shared by every row of that source.
    Licensed(Arc<LicensedSource>),
}

/// A user-imported interaction source: its unique name and the citation shown with its findings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LicensedSource {
    /// The name it was imported under (`ddinter_2`), unique across sources.
    pub name: String,
    /// The label and URL the importer gave, e.g. `DDInter 2.0 (CC BY-NC-SA 4.0), https://…`.
    pub citation: String,
}

impl InteractionSource {
    /// Tags of the shipped sources, as stored and as written in the dataset.
    pub const SHIPPED_TAGS: [&'static str; 2] = ["merged_pddi", "ansm_2020"];

    /// The citation to show next to a finding from this source.
    pub fn citation(&self) -> &str {
        match self {
            Self::Licensed(source) => &source.citation,
            shipped => shipped.shipped_citation().unwrap_or_default(),
        }
    }

    /// The citation of a shipped source, fixed text (`None` for a licensed source): answers
    /// quote it without copying.
    pub fn shipped_citation(&self) -> Option<&'static str> {
        match self {
            Self::MergedPddi => Some(
                "VA NDF-RT and ONC interaction lists, via Merged-PDDI (Ayvaz et al., J Biomed Inform 2015)",
            ),
            Self::Ansm2020 => Some(
                "Source: ANSM, Thésaurus des interactions médicamenteuses, version du 20 octobre 2020",
            ),
            Self::Licensed(_) => None,
        }
    }

    /// The source's tag: `merged_pddi`, `ansm_2020`, or a licensed source's name.
    pub fn tag(&self) -> &str {
        match self {
            Self::MergedPddi => Self::SHIPPED_TAGS[0],
            Self::Ansm2020 => Self::SHIPPED_TAGS[1],
            Self::Licensed(source) => &source.name,
        }
    }
}

impl fmt::Display for InteractionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Parses a shipped source's tag; licensed sources are never parsed from a tag alone (their
/// citation comes with them).
impl FromStr for InteractionSource {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "merged_pddi" => Ok(Self::MergedPddi),
            "ansm_2020" => Ok(Self::Ansm2020),
            other => Err(DomainError::invalid(
                "source",
                format!("unknown interaction source '{other}'"),
            )),
        }
    }
}

/// One source's statement that two ingredients interact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// The two ingredients.
    pub pair: IngredientPair,
    /// PharmaRec's mapping of the source's level (see `data/README.md`).
    pub severity: Severity,
    /// The source.
    pub source: InteractionSource,
    /// Source-specific ids (NDF-RT concept ids, ANSM entry ids), primary first.
    pub source_ids: Vec<String>,
    /// The source's own level(s) as printed (`critical`, `high_priority`, `Contre-indication`).
    pub original_level: Option<String>,
    /// The class or substance on the first ingredient's side, as the source names it.
    pub class_a: Option<String>,
    /// The class or substance on the second ingredient's side.
    pub class_b: Option<String>,
    /// Risk and mechanism text, verbatim (French for ANSM); `None` where the source has none.
    pub description: Option<String>,
    /// What to do, verbatim (French for ANSM).
    pub management: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> IngredientKey {
        s.parse().unwrap()
    }

    #[test]
    fn pair_is_unordered() {
        let p = IngredientPair::new(key("warfarin"), key("aspirin")).unwrap();
        assert_eq!(
            p,
            IngredientPair::new(key("aspirin"), key("warfarin")).unwrap()
        );
        assert_eq!(p.first().as_str(), "aspirin");
    }

    #[test]
    fn source_tags_match_the_dataset() {
        assert_eq!(InteractionSource::Ansm2020.to_string(), "ansm_2020");
        assert_eq!(
            "ansm_2020".parse::<InteractionSource>().unwrap(),
            InteractionSource::Ansm2020
        );
        assert_eq!(InteractionSource::MergedPddi.to_string(), "merged_pddi");
    }

    #[test]
    fn share_keys_takes_equal_keys_only_and_keeps_the_order() {
        let shared = key("aspirin");
        let pair = IngredientPair::new(key("warfarin"), key("aspirin")).unwrap();

        let same = pair
            .clone()
            .share_keys(|k| Some(shared.clone()).filter(|s| s == k));
        assert!(std::ptr::eq(same.first().as_str(), shared.as_str()));
        assert_eq!(same, pair);

        // A holder handing back another key must not change the pair.
        let kept = pair.clone().share_keys(|_| Some(key("zidovudine")));
        assert_eq!(kept, pair);
        assert_eq!(kept.second().as_str(), "warfarin");
    }

    #[test]
    fn pair_of_one_ingredient_is_rejected() {
        assert!(IngredientPair::new(key("aspirin"), key("aspirin")).is_err());
    }
}
