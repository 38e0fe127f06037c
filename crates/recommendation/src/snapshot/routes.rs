//! Which products an OTC use applies to, by route: a monograph member's `route_form_constraint`
//! (`oral`, `topical (intranasal)`, `external (topical) or intrarectal`) against a catalogue
//! product's route (`oral`, `nasal`, `topical, vaginal`, `ophthalmic`). The OTC oxymetazoline of the
//! catalogue is an eye drop: it does not answer "blocked nose", whose use is intranasal.

/// Product route bits, for "is this product a form the category's use applies to".
pub(crate) const ROUTE_ORAL: u8 = 1;
pub(crate) const ROUTE_NASAL: u8 = 2;
pub(crate) const ROUTE_TOPICAL: u8 = 4;
pub(crate) const ROUTE_RECTAL: u8 = 8;

/// Product routes a member's `route_form_constraint` allows (`topical (intranasal)` → nasal).
pub(crate) fn route_bits_of_use(route_form: &str) -> u8 {
    let text = route_form.to_lowercase();
    if text.contains("intranasal") {
        return ROUTE_NASAL;
    }
    let mut bits = 0;
    for (word, bit) in [
        ("oral", ROUTE_ORAL),
        ("topical", ROUTE_TOPICAL),
        ("external", ROUTE_TOPICAL),
        ("intrarectal", ROUTE_RECTAL),
    ] {
        if text.contains(word) {
            bits |= bit;
        }
    }
    bits
}

/// Route bits of a catalogue product's route (`oral`, `topical, vaginal`, `nasal`, …).
pub(crate) fn route_bits_of_product(route: &str) -> u8 {
    route
        .split(|c: char| !c.is_alphabetic())
        .map(|word| match word {
            "oral" => ROUTE_ORAL,
            "nasal" => ROUTE_NASAL,
            "topical" => ROUTE_TOPICAL,
            "rectal" => ROUTE_RECTAL,
            _ => 0,
        })
        .fold(0, |bits, bit| bits | bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_uses_and_products_meet() {
        assert_eq!(route_bits_of_use("topical (intranasal)"), ROUTE_NASAL);
        assert_eq!(route_bits_of_use("oral (331.1 scope)"), ROUTE_ORAL);
        assert_eq!(
            route_bits_of_use("external (topical) or intrarectal, per 346.1 scope"),
            ROUTE_TOPICAL | ROUTE_RECTAL
        );
        assert_eq!(route_bits_of_product("ophthalmic"), 0);
        assert_eq!(
            route_bits_of_product("oral, rectal"),
            ROUTE_ORAL | ROUTE_RECTAL
        );
    }
}
