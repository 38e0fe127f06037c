//! The older-adult lines of the OTC labels ("The chance is higher if you are age 60 or older"),
//! read from each label's whole Warnings text (`otc_label_warnings.csv`, column `warnings_text`).
//!
//! The dataset import cuts labels at the Drug Facts headings only, and the stomach-bleeding
//! paragraph that holds the NSAID age line comes before those headings (ibuprofen, diclofenac) or
//! inside "When using" (aspirin). Each line becomes an [`OlderAgeRule`] quoting its paragraph
//! verbatim: from the warning heading before it (`Stomach bleeding warning:`) to the next heading
//! or Drug Facts section. Grading: `warn` (the same labels say "Ask a doctor before use if stomach
//! bleeding warning applies to you"). Only single-ingredient labels give rules: a combination's
//! warning is not one of its ingredients' (no shipped combination label has such a line).

use super::rows::LabelRow;
use super::rule_rows::citation;
use crate::rules::{OlderAgeRule, RuleAction, RuleScope};

/// The label file the rules read besides [`super::RULE_FILES`] (it is a dataset file too).
pub const LABEL_FILE: &str = "otc_label_warnings.csv";

/// Where the label texts were read (data/README.md, `otc_label_warnings.csv`).
const LABEL_SOURCE_URL: &str = "https://github.com/ryoungl/health-information-harmonizer/blob/2399b309f220cb400f7c2c7abef7edab54f8e3e8/data/otc_db.json";

/// Words that end a warning heading (`Stomach bleeding warning:`, `Allergy alert :`).
const HEADING_WORDS: [&str; 2] = ["warning", "alert"];

impl LabelRow {
    /// The label's older-adult rules (none for most labels).
    pub(super) fn into_older_age_rules(self) -> Result<Vec<OlderAgeRule>, String> {
        let mut keys = self.ingredients.split('|').map(str::trim);
        let (Some(key), None) = (keys.next(), keys.next()) else {
            return Ok(Vec::new());
        };
        let text = self.warnings_text.as_str();
        let sections = [
            &self.do_not_use,
            &self.ask_doctor,
            &self.ask_doctor_or_pharmacist,
            &self.when_using,
            &self.stop_use,
            &self.pregnancy_or_breast_feeding,
            &self.keep_out_of_reach_of_children,
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| text.find(s.as_str()))
        .collect::<Vec<_>>();
        older_age_lines(text, &sections)
            .into_iter()
            .map(|(from_years, paragraph)| {
                Ok(OlderAgeRule {
                    scope: RuleScope::Ingredient(key.to_lowercase()),
                    from_years,
                    action: RuleAction::Warn,
                    cited: citation(
                        paragraph.to_string(),
                        format!(
                            "OTC Drug Facts label \"{}\", Warnings ({})",
                            self.label_generic_name, self.source
                        ),
                        LABEL_SOURCE_URL.to_string(),
                    )?,
                })
            })
            .collect()
    }
}

/// Each "N or older" line of `text` with its paragraph; `sections` are where the Drug Facts
/// sections start in `text`.
fn older_age_lines<'t>(text: &'t str, sections: &[usize]) -> Vec<(u16, &'t str)> {
    let headings = heading_starts(text);
    let mut out: Vec<(u16, &str)> = Vec::new();
    for (at, _) in text.match_indices(" or older") {
        let Some(years) = age_before(&text[..at]) else {
            continue;
        };
        let start = headings
            .iter()
            .chain(sections)
            .filter(|&&s| s <= at)
            .max()
            .copied()
            .unwrap_or(0);
        let end = headings
            .iter()
            .chain(sections)
            .filter(|&&s| s > at)
            .min()
            .copied()
            .unwrap_or(text.len());
        let paragraph = text[start..end].trim();
        if !out.contains(&(years, paragraph)) {
            out.push((years, paragraph));
        }
    }
    out
}

/// The age (a number within the four words) before " or older": `are age 60`, `65 years of age`.
fn age_before(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .rev()
        .filter(|w| !w.is_empty())
        .take(4)
        .find_map(|w| w.parse().ok())
}

/// Where each warning heading starts: the capitalised word that begins `Stomach bleeding
/// warning:` or `Allergy alert :`.
fn heading_starts(text: &str) -> Vec<usize> {
    let lower = text.to_lowercase();
    let mut starts = Vec::new();
    if lower.len() != text.len() {
        // Lower-casing changed byte offsets: no heading offsets can be trusted.
        return starts;
    }
    for word in HEADING_WORDS {
        for (at, _) in lower.match_indices(&format!(" {word}")) {
            let after = lower[at + word.len() + 1..].trim_start_matches(' ');
            if !after.starts_with(':') {
                continue;
            }
            // Walk back to the capitalised first word of the heading (at most five words).
            let mut start = at + 1;
            for (taken, (offset, w)) in word_starts(&text[..at]).into_iter().rev().enumerate() {
                start = offset;
                if taken >= 4 || w.starts_with(char::is_uppercase) {
                    break;
                }
            }
            starts.push(start);
        }
    }
    starts.sort_unstable();
    starts
}

/// The words of `text` with their byte offsets.
fn word_starts(text: &str) -> Vec<(usize, &str)> {
    text.split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_line_is_quoted_with_its_whole_paragraph() {
        // Shaped like the ibuprofen label's Warnings text (synthetic words).
        let text = "Warnings Allergy alert: may cause a reaction. Stomach bleeding warning: The chance is higher if you: take more are age 60 or older take other drugs Heart attack and stroke warning: risk. Do not use if allergic";
        let do_not_use = text.find("Do not use").unwrap();
        let lines = older_age_lines(text, &[do_not_use]);
        assert_eq!(
            lines,
            vec![(
                60,
                "Stomach bleeding warning: The chance is higher if you: take more are age 60 or older take other drugs"
            )]
        );
    }

    #[test]
    fn a_section_ends_the_paragraph_and_a_line_without_an_age_gives_nothing() {
        let text = "Stomach bleeding warning: higher if you are age 65 or older Ask a doctor before use if x";
        let ask = text.find("Ask a doctor").unwrap();
        assert_eq!(
            older_age_lines(text, &[ask]),
            vec![(
                65,
                "Stomach bleeding warning: higher if you are age 65 or older"
            )]
        );
        assert!(older_age_lines("adults or older children", &[]).is_empty());
    }

    #[test]
    fn an_age_is_a_number_just_before_or_older() {
        assert_eq!(age_before("you are age 60"), Some(60));
        assert_eq!(age_before("adults 65 years of age"), Some(65));
        assert_eq!(age_before("take with food"), None);
    }
}
