//! Plain-English wording of the engine's codes (severities, kinds), and money.

use pharmarec_domain::{MarketingStatus, Money, Severity};
use serde::Serialize;

/// A snake_case code as words with a capital: `duplicate_ingredient` → `Duplicate ingredient`.
pub(crate) fn words<T: Serialize>(code: &T) -> String {
    let raw = serde_json::to_value(code)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
        .replace('_', " ");
    let mut chars = raw.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Icon and word of a severity: shown together, so colour is never the only signal.
pub(crate) fn severity(severity: Severity) -> (&'static str, &'static str, &'static str) {
    // (css class, icon, label)
    match severity {
        Severity::Contraindicated => ("sev-contraindicated", "⛔", "Contraindicated"),
        Severity::Major => ("sev-major", "▲", "Major"),
        Severity::Moderate => ("sev-moderate", "◆", "Moderate"),
        Severity::Minor => ("sev-minor", "●", "Minor"),
    }
}

/// A marketing status as a pharmacist says it.
pub(crate) fn status(status: MarketingStatus) -> &'static str {
    match status {
        MarketingStatus::Otc => "over the counter",
        MarketingStatus::Rx => "prescription only",
    }
}

/// `12.50 EUR` from minor units.
pub(crate) fn money(money: &Money) -> String {
    let sign = if money.minor < 0 { "-" } else { "" };
    let minor = money.minor.unsigned_abs();
    format!(
        "{sign}{}.{:02} {}",
        minor / 100,
        minor % 100,
        money.currency
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharmarec_recommendation::FindingKind;

    #[test]
    fn codes_read_as_words_and_money_as_decimals() {
        assert_eq!(
            words(&FindingKind::DuplicateIngredient),
            "Duplicate ingredient"
        );
        let price = Money {
            minor: 1205,
            currency: "EUR".to_owned(),
        };
        assert_eq!(money(&price), "12.05 EUR");
    }
}
