//! Schemas for values the API reads as text but checks against a fixed list (a status, a kind,
//! a sort order), so that the OpenAPI document names the values the code accepts instead of
//! "any string". The list comes from the same constant the code checks against, so the two
//! cannot drift apart.
//!
//! ```text
//! pub struct StatusName;
//! steden_web::api::schema::string_enum!(StatusName, ItemStatus::ALL.iter().map(|s| s.as_str()));
//! // then on a field or parameter: #[schema(value_type = Option<StatusName>)]
//! ```

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// A string schema whose value must be one of `values`.
pub fn string_enum<'a>(values: impl IntoIterator<Item = &'a str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_string)))
        .into()
}

/// Makes `$name` (a unit struct) the schema of a string with the values `$values` (an
/// iterator of `&str`), usable as `value_type` of a field or parameter.
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $values:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::api::schema::string_enum($values)
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}
pub use crate::string_enum;

/// A calendar date `YYYY-MM-DD`, for parameters read as text.
pub struct Date;

impl utoipa::PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Date {}

/// Reads an optional integer field as JSON Schema counts integers: `35` and `35.0` alike (a
/// schema's `"type": "integer"` admits both, and some clients write every number with a
/// decimal point); `35.5` is refused. Use with `#[serde(default, deserialize_with = ...)]`.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    let Some(number) =
        <Option<serde_json::Number> as serde::Deserialize>::deserialize(deserializer)?
    else {
        return Ok(None);
    };
    if let Some(n) = number.as_i64() {
        return Ok(Some(n));
    }
    match number.as_f64() {
        // Exactly representable whole numbers only; the range check keeps the cast exact.
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        _ => Err(D::Error::custom("een geheel getal verwacht")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Input {
        #[serde(default, deserialize_with = "whole_number")]
        n: Option<i64>,
    }

    fn read(json: &str) -> Result<Option<i64>, serde_json::Error> {
        serde_json::from_str::<Input>(json).map(|i| i.n)
    }

    #[test]
    fn whole_numbers_with_or_without_a_decimal_point() {
        assert_eq!(read(r#"{"n": 35}"#).unwrap(), Some(35));
        assert_eq!(read(r#"{"n": 35.0}"#).unwrap(), Some(35));
        assert_eq!(read(r#"{"n": -2}"#).unwrap(), Some(-2));
        assert_eq!(read(r#"{"n": null}"#).unwrap(), None);
        assert_eq!(read(r#"{}"#).unwrap(), None);
        assert!(read(r#"{"n": 35.5}"#).is_err());
        assert!(read(r#"{"n": "35"}"#).is_err());
        assert!(read(r#"{"n": 1e300}"#).is_err());
    }

    #[test]
    fn an_enum_lists_exactly_its_values() {
        let json = serde_json::to_value(string_enum(["a", "b"])).unwrap();
        assert_eq!(json["type"], "string");
        assert_eq!(json["enum"], serde_json::json!(["a", "b"]));
    }
}
