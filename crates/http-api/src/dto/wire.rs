//! Where serde's derived readers and JSON Schema disagree on a JSON shape, the schema's reading:
//! the document is the contract.
//!
//! * JSON has one number type and JSON Schema counts `44.0` as an integer, so a body the document
//!   calls valid must not fail on it. A fraction (`44.5`) or a value outside the field's type stays
//!   `400`.
//! * serde reads a struct from an array of its fields in order (`"patient": [null, 3]`), which
//!   `type: object` refuses.

use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, de};

/// `#[serde(default, deserialize_with = "wire::object")]` for a nested struct: a JSON object only.
pub(crate) fn object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

/// `#[serde(deserialize_with = "wire::whole")]` for an integer field.
pub(crate) fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    in_range(Whole::deserialize(deserializer)?)
}

/// `#[serde(default, deserialize_with = "wire::optional")]` for an optional integer field.
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

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Inner {
        #[serde(deserialize_with = "super::optional")]
        age: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole")]
        count: i64,
        #[serde(default, deserialize_with = "super::optional")]
        limit: Option<u32>,
        #[serde(default, deserialize_with = "super::object")]
        inner: Inner,
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
    fn nested_structs_are_objects_not_arrays() {
        let body = parse(r#"{"count": 1, "inner": {"age": 3.0}}"#).unwrap();
        assert_eq!(body.inner.age, Some(3));
        assert_eq!(parse(r#"{"count": 1}"#).unwrap().inner.age, None);
        for json in [
            r#"{"count": 1, "inner": [4]}"#,
            r#"{"count": 1, "inner": null}"#,
        ] {
            assert!(parse(json).is_err(), "{json} accepted");
        }
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
