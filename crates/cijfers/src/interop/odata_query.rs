//! The small part of OData's query options the read supports, over entities serialised as JSON
//! objects (the property names of [`crate::opendata::odata`]):
//!
//! - `$filter`: comparisons `Property eq 'text'`, `Property eq 12.5`, `Property eq null` (and
//!   `ne`), joined with `and`, e.g. `ExternalCode eq '44021' and Period eq '2024'`;
//! - `$select`: a comma-separated list of properties to keep;
//! - `$top` and `$skip`: a window of the result, paged by [`crate::opendata::odata::PAGE_SIZE`].
//!
//! Anything else (another operator, `or`, functions, an unknown property) is refused with a
//! Dutch reason rather than ignored: a client that filters must never get unfiltered data.

use serde_json::{Map, Value};

/// The longest `$filter` or `$select` accepted.
pub const MAX_OPTION_LENGTH: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Text(String),
    Number(f64),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    property: String,
    equal: bool,
    literal: Literal,
}

/// A parsed `$filter` and `$select`, checked against an entity type's properties.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    conditions: Vec<Condition>,
    select: Option<Vec<String>>,
}

fn known<'a>(name: &str, properties: &[&'a str]) -> Result<&'a str, String> {
    properties
        .iter()
        .find(|p| **p == name)
        .copied()
        .ok_or_else(|| {
            format!(
                "Onbekende eigenschap '{}'; mogelijk zijn: {}.",
                name.chars().take(60).collect::<String>(),
                properties.join(", ")
            )
        })
}

/// Splits `text` on ` and ` outside quoted strings (case-insensitive).
fn split_and(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c == ' ' {
            let rest: String = chars[i..].iter().take(5).collect();
            if rest.eq_ignore_ascii_case(" and ") {
                parts.push(std::mem::take(&mut current));
                i += 5;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    parts.push(current);
    parts
}

fn literal(text: &str) -> Result<Literal, String> {
    let text = text.trim();
    if text == "null" {
        return Ok(Literal::Null);
    }
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        // Inside an OData string a quote is written twice.
        if inner.replace("''", "").contains('\'') {
            return Err("Een tekst tussen aanhalingstekens schrijft ' als ''.".into());
        }
        return Ok(Literal::Text(inner.replace("''", "'")));
    }
    text.parse::<f64>()
        .ok()
        .filter(|n| {
            n.is_finite() && !text.starts_with('+') && !text.contains(['e', 'E', 'i', 'n', 'N'])
        })
        .map(Literal::Number)
        .ok_or_else(|| {
            format!(
                "'{}' is geen tekst tussen aanhalingstekens, getal of null.",
                text.chars().take(60).collect::<String>()
            )
        })
}

impl Options {
    /// Reads `$filter` and `$select` for an entity type with these properties.
    pub fn parse(
        filter: Option<&str>,
        select: Option<&str>,
        properties: &[&str],
    ) -> Result<Options, String> {
        let mut options = Options::default();
        if let Some(filter) = filter {
            if filter.len() > MAX_OPTION_LENGTH {
                return Err("$filter is te lang.".into());
            }
            for part in split_and(filter) {
                let words: Vec<&str> = part.trim().splitn(3, ' ').collect();
                let [property, operator, value] = words.as_slice() else {
                    return Err(
                        "$filter verwacht vergelijkingen als ExternalCode eq '44021', verbonden met and."
                            .into(),
                    );
                };
                let equal = match *operator {
                    "eq" => true,
                    "ne" => false,
                    _ => {
                        return Err(format!(
                            "Alleen de operatoren eq en ne worden ondersteund, niet '{}'.",
                            operator.chars().take(20).collect::<String>()
                        ))
                    }
                };
                options.conditions.push(Condition {
                    property: known(property, properties)?.to_string(),
                    equal,
                    literal: literal(value)?,
                });
            }
        }
        if let Some(select) = select {
            if select.len() > MAX_OPTION_LENGTH {
                return Err("$select is te lang.".into());
            }
            let mut names = Vec::new();
            for name in select.split(',').map(str::trim) {
                if name == "*" {
                    return Ok(Options {
                        select: None,
                        ..options
                    });
                }
                let name = known(name, properties)?.to_string();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            options.select = Some(names);
        }
        Ok(options)
    }

    fn matches(&self, entity: &Map<String, Value>) -> bool {
        self.conditions.iter().all(|c| {
            let value = entity.get(&c.property).unwrap_or(&Value::Null);
            let same = match (&c.literal, value) {
                (Literal::Null, Value::Null) => true,
                (Literal::Text(t), Value::String(s)) => t == s,
                (Literal::Number(n), Value::Number(v)) => v.as_f64() == Some(*n),
                _ => false,
            };
            same == c.equal
        })
    }

    /// The entities that pass the filter, each with only the selected properties.
    pub fn apply(&self, entities: Vec<Value>) -> Vec<Value> {
        entities
            .into_iter()
            .filter_map(|entity| match entity {
                Value::Object(map) if self.matches(&map) => Some(match &self.select {
                    None => Value::Object(map),
                    Some(names) => Value::Object(
                        map.into_iter()
                            .filter(|(key, _)| names.contains(key))
                            .collect(),
                    ),
                }),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PROPS: [&str; 4] = ["ExternalCode", "Period", "Value", "Name"];

    fn rows() -> Vec<Value> {
        vec![
            json!({"ExternalCode": "44021", "Period": "2024", "Value": 1.5, "Name": "Gent"}),
            json!({"ExternalCode": "44021", "Period": "2023", "Value": null, "Name": "Gent"}),
            json!({"ExternalCode": "11002", "Period": "2024", "Value": 2.0, "Name": "Antwerpen's"}),
        ]
    }

    #[test]
    fn filters_and_selects() {
        let o = Options::parse(
            Some("ExternalCode eq '44021' and Period eq '2024'"),
            Some("Period,Value"),
            &PROPS,
        )
        .unwrap();
        assert_eq!(
            o.apply(rows()),
            vec![json!({"Period": "2024", "Value": 1.5})]
        );
        let o = Options::parse(Some("Value eq null"), None, &PROPS).unwrap();
        assert_eq!(o.apply(rows()).len(), 1);
        let o = Options::parse(Some("Value ne null AND Value eq 2"), None, &PROPS).unwrap();
        assert_eq!(o.apply(rows())[0]["ExternalCode"], "11002");
        let o = Options::parse(Some("Name eq 'Antwerpen''s'"), Some("*"), &PROPS).unwrap();
        assert_eq!(o.apply(rows()).len(), 1);
        let o = Options::parse(Some("Name eq 'a and b'"), None, &PROPS).unwrap();
        assert!(o.apply(rows()).is_empty());
        assert_eq!(
            Options::parse(None, None, &PROPS)
                .unwrap()
                .apply(rows())
                .len(),
            3
        );
    }

    #[test]
    fn what_is_not_supported_is_refused() {
        for (filter, select) in [
            (Some("Geheim eq 1"), None),
            (Some("Value gt 1"), None),
            (Some("ExternalCode eq '44021' or Period eq '2024'"), None),
            (Some("contains(Name,'G')"), None),
            (Some("Name eq 'open"), None),
            (Some("Name eq 'a'b'"), None),
            (Some("Value eq NaN"), None),
            (Some("Value eq 1e400"), None),
            (Some(""), None),
            (None, Some("Value,Geheim")),
            (None, Some("")),
        ] {
            assert!(
                Options::parse(filter, select, &PROPS).is_err(),
                "{filter:?} {select:?}"
            );
        }
    }
}
