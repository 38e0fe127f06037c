//! Integers in request bodies, also when a client writes them as whole floats (`44.0`, `1e2`).
//!
//! JSON has one number type and JSON Schema counts `44.0` as an integer, so a body the document calls
//! valid must not fail on it. A fraction (`44.5`) or a value outside the field's type stays `400`.

use serde::{Deserialize, Deserializer, de};

/// `#[serde(deserialize_with = "number::whole")]` for an integer field.
pub(crate) fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    in_range(Whole::deserialize(deserializer)?)
}

/// `#[serde(default, deserialize_with = "number::optional")]` for an optional integer field.
pub(crate) fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    Option::<Whole>::deserialize(deserializer)?
        .map(in_range)
        .transpose()
}

fn in_range<T: TryFrom<i128>, E: de::Error>(Whole(value): Whole) -> Result<T, E> {
    T::try_from(value).map_err(|_| {
        E::invalid_value(
            de::Unexpected::Other("an integer out of the field's range"),
            &"a smaller integer",
        )
    })
}

/// A JSON integer, or a float without a fraction.
struct Whole(i128);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WholeVisitor)
    }
}

struct WholeVisitor;

/// Beyond ±2^100 no field of ours could hold the value, and every such float converts exactly.
const LARGEST: f64 = 1.267_650_600_228_229_4e30;

impl de::Visitor<'_> for WholeVisitor {
    type Value = Whole;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Whole, E> {
        Ok(Whole(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Whole, E> {
        Ok(Whole(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Whole, E> {
        if value.fract() == 0.0 && value.abs() <= LARGEST {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "a whole number within ±2^100 converts exactly"
            )]
            Ok(Whole(value as i128))
        } else {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole")]
        count: i64,
        #[serde(default, deserialize_with = "super::optional")]
        limit: Option<u32>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn whole_floats_are_integers() {
        let body = parse(r#"{"count": -818.0, "limit": 44.0}"#).unwrap();
        assert_eq!((body.count, body.limit), (-818, Some(44)));
        let body = parse(r#"{"count": 1e2, "limit": 3}"#).unwrap();
        assert_eq!((body.count, body.limit), (100, Some(3)));
    }

    #[test]
    fn optional_integers_may_be_missing_or_null() {
        assert_eq!(parse(r#"{"count": 1}"#).unwrap().limit, None);
        assert_eq!(parse(r#"{"count": 1, "limit": null}"#).unwrap().limit, None);
    }

    #[test]
    fn fractions_strings_and_out_of_range_values_are_refused() {
        for json in [
            r#"{"count": 44.5}"#,
            r#"{"count": "44"}"#,
            r#"{"count": 1e300}"#,
            r#"{"count": 9223372036854775808}"#,
            r#"{"count": 1, "limit": -1}"#,
            r#"{"count": 1, "limit": 4294967296.0}"#,
            r#"{"count": 1, "limit": 0.5}"#,
        ] {
            assert!(parse(json).is_err(), "{json} accepted");
        }
    }
}
