//! Aggregating values over geography, without a database: statistical sectors to a city's
//! wijken, and old municipalities to the merged one through the REFNIS crosswalk, each by the
//! indicator's rule.
//!
//! A larger area's value is only given when every part has what the rule needs: a sum over
//! half the sectors is not the wijk's figure, so a missing part gives no value at all.

use std::collections::HashMap;

/// How parts combine, the indicator's [`crate::model::Aggregation`] with what it needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// The parts' values added up (counts, kWh).
    Sum,
    /// The mean of the parts' values weighted by another indicator (e.g. mean age by population).
    WeightedMean,
    /// The sum of a numerator indicator over the sum of a denominator indicator, times `factor`
    /// (100 for a percentage).
    Ratio { factor: f64 },
}

/// The values of one period by geographic code: the indicator's own, and those the rule leans
/// on (the weight, or numerator and denominator).
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub own: HashMap<String, f64>,
    pub weight: HashMap<String, f64>,
    pub numerator: HashMap<String, f64>,
    pub denominator: HashMap<String, f64>,
}

/// The value of an area made of `parts` (geographic codes), or `None` when a part lacks what
/// the rule needs, there are no parts, or the result is not a finite number.
pub fn combine(rule: Rule, parts: &[&str], series: &Series) -> Option<f64> {
    if parts.is_empty() {
        return None;
    }
    let sum_of = |map: &HashMap<String, f64>| -> Option<f64> {
        parts
            .iter()
            .map(|code| map.get(*code).copied())
            .sum::<Option<f64>>()
    };
    let result = match rule {
        Rule::Sum => sum_of(&series.own)?,
        Rule::WeightedMean => {
            let mut weighted = 0.0;
            let mut weights = 0.0;
            for code in parts {
                let value = series.own.get(*code)?;
                let weight = series.weight.get(*code)?;
                weighted += value * weight;
                weights += weight;
            }
            if weights == 0.0 {
                return None;
            }
            weighted / weights
        }
        Rule::Ratio { factor } => {
            let denominator = sum_of(&series.denominator)?;
            if denominator == 0.0 {
                return None;
            }
            sum_of(&series.numerator)? / denominator * factor
        }
    };
    result.is_finite().then_some(result)
}

/// One line of the REFNIS crosswalk: `old_code` is part of `new_code` from `valid_from`
/// (`YYYY-MM-DD`) on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkLine {
    pub old_code: String,
    pub new_code: String,
    pub valid_from: String,
}

/// The codes whose values make municipality `code` for a period starting on `starts_on`:
/// before a merger the old municipalities it absorbed (which may include its own code, as
/// Antwerpen 11002 absorbing Borsbeek 11007); otherwise itself.
pub fn municipality_parts<'a>(
    crosswalk: &'a [CrosswalkLine],
    code: &'a str,
    starts_on: &str,
) -> Vec<&'a str> {
    let before: Vec<&str> = crosswalk
        .iter()
        .filter(|line| line.new_code == code && starts_on < line.valid_from.as_str())
        .map(|line| line.old_code.as_str())
        .collect();
    if before.is_empty() {
        vec![code]
    } else {
        before
    }
}

/// The code a value of municipality `code` counts for on the current geography: its merged
/// municipality when the crosswalk names one, else itself.
pub fn current_code<'a>(crosswalk: &'a [CrosswalkLine], code: &'a str) -> &'a str {
    crosswalk
        .iter()
        .find(|line| line.old_code == code)
        .map_or(code, |line| line.new_code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_sum_adds_every_part_and_a_missing_part_gives_nothing() {
        let series = Series {
            own: map(&[("A", 120.0), ("B", 30.5), ("C", 7.0)]),
            ..Series::default()
        };
        assert_eq!(combine(Rule::Sum, &["A", "B"], &series), Some(150.5));
        assert_eq!(combine(Rule::Sum, &["A", "B", "C"], &series), Some(157.5));
        assert_eq!(combine(Rule::Sum, &["A", "X"], &series), None);
        assert_eq!(combine(Rule::Sum, &[], &series), None);
    }

    #[test]
    fn a_weighted_mean_weighs_each_part_by_the_weight_indicator() {
        // Mean age 40 over 1000 people and 20 over 3000 people: 25 over 4000, not the plain 30.
        let series = Series {
            own: map(&[("A", 40.0), ("B", 20.0)]),
            weight: map(&[("A", 1000.0), ("B", 3000.0)]),
            ..Series::default()
        };
        assert_eq!(
            combine(Rule::WeightedMean, &["A", "B"], &series),
            Some(25.0)
        );
        let no_weight = Series {
            own: series.own.clone(),
            weight: map(&[("A", 0.0), ("B", 0.0)]),
            ..Series::default()
        };
        assert_eq!(combine(Rule::WeightedMean, &["A", "B"], &no_weight), None);
        let missing_weight = Series {
            own: series.own.clone(),
            weight: map(&[("A", 1000.0)]),
            ..Series::default()
        };
        assert_eq!(
            combine(Rule::WeightedMean, &["A", "B"], &missing_weight),
            None
        );
    }

    #[test]
    fn a_ratio_is_the_ratio_of_the_sums_not_the_mean_of_ratios() {
        // 10 of 100 and 90 of 300: 100 of 400 = 25 %, while the mean of 10 % and 30 % is 20 %.
        let series = Series {
            numerator: map(&[("A", 10.0), ("B", 90.0)]),
            denominator: map(&[("A", 100.0), ("B", 300.0)]),
            ..Series::default()
        };
        assert_eq!(
            combine(Rule::Ratio { factor: 100.0 }, &["A", "B"], &series),
            Some(25.0)
        );
        let zero = Series {
            numerator: map(&[("A", 1.0)]),
            denominator: map(&[("A", 0.0)]),
            ..Series::default()
        };
        assert_eq!(combine(Rule::Ratio { factor: 1.0 }, &["A"], &zero), None);
    }

    fn crosswalk() -> Vec<CrosswalkLine> {
        [
            ("71022", "71072"),
            ("71034", "71072"),
            ("11002", "11002"),
            ("11007", "11002"),
        ]
        .iter()
        .map(|(old, new)| CrosswalkLine {
            old_code: old.to_string(),
            new_code: new.to_string(),
            valid_from: "2025-01-01".into(),
        })
        .collect()
    }

    #[test]
    fn a_merged_municipality_before_its_merger_is_the_sum_of_the_old_ones() {
        let lines = crosswalk();
        assert_eq!(
            municipality_parts(&lines, "71072", "2024-01-01"),
            ["71022", "71034"]
        );
        assert_eq!(municipality_parts(&lines, "71072", "2025-01-01"), ["71072"]);
        // Antwerpen keeps its code and absorbs Borsbeek: before 2025 both old codes.
        assert_eq!(
            municipality_parts(&lines, "11002", "2020-01-01"),
            ["11002", "11007"]
        );
        // A municipality untouched by the mergers is itself.
        assert_eq!(municipality_parts(&lines, "44021", "2020-01-01"), ["44021"]);
        assert_eq!(current_code(&lines, "71034"), "71072");
        assert_eq!(current_code(&lines, "44021"), "44021");

        // The series is comparable: 2024 Hasselt + Kortessem against 2025 Hasselt.
        let y2024 = Series {
            own: map(&[("71022", 80_000.0), ("71034", 8_500.0)]),
            ..Series::default()
        };
        let parts = municipality_parts(&lines, "71072", "2024-01-01");
        assert_eq!(combine(Rule::Sum, &parts, &y2024), Some(88_500.0));
    }
}
