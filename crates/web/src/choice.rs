//! The options of a `<select>` or a group of radio buttons, with the one the form holds marked.
//!
//! ```text
//! let kinds = Choice::list(PlanKind::ALL, &form.kind, |k| k.as_str(), |k| ctx.t(&k.label_key()));
//! ```
//!
//! and in the template: `{% for c in kinds %}<option value="{{ c.value }}"
//! {% if c.selected %}selected{% endif %}>{{ c.label }}</option>{% endfor %}`.

/// One option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the form sends.
    pub value: String,
    /// What the user reads (already translated).
    pub label: String,
    /// Whether this is the current value.
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }

    /// One option per element of `all`, in order; the one whose value equals `current` is
    /// selected.
    pub fn list<T: Copy>(
        all: &[T],
        current: &str,
        value: impl Fn(T) -> &'static str,
        label: impl Fn(T) -> String,
    ) -> Vec<Choice> {
        all.iter()
            .map(|&item| {
                let value = value(item);
                Choice::new(value, label(item), value == current)
            })
            .collect()
    }

    /// An empty first option ("— kies —"), selected when nothing is chosen yet.
    pub fn none(label: impl Into<String>, current: &str) -> Choice {
        Choice::new("", label, current.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy)]
    enum Kind {
        Jaarplan,
        Meerjarenplan,
    }

    #[test]
    fn the_current_value_is_selected() {
        let choices = Choice::list(
            &[Kind::Jaarplan, Kind::Meerjarenplan],
            "meerjarenplan",
            |k| match k {
                Kind::Jaarplan => "jaarplan",
                Kind::Meerjarenplan => "meerjarenplan",
            },
            |k| match k {
                Kind::Jaarplan => "Jaarplan".to_string(),
                Kind::Meerjarenplan => "Meerjarenplan".to_string(),
            },
        );
        assert_eq!(
            choices,
            vec![
                Choice::new("jaarplan", "Jaarplan", false),
                Choice::new("meerjarenplan", "Meerjarenplan", true),
            ]
        );
        assert!(Choice::none("— kies —", "").selected);
        assert!(!Choice::none("— kies —", "jaarplan").selected);
    }
}
