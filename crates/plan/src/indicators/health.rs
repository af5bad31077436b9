//! Health of an indicator: is the latest value where the plan said it would be by now?
//!
//! The rule, applied to the latest measurement on or before today:
//!
//! 1. The path the plan promises is a piecewise straight line through the baseline
//!    `(baseline_date, baseline_value)` and every target in date order.
//! 2. The segment that judges a measurement ends at the first target dated on or after the
//!    measurement (or at the last target when every target is earlier) and starts at the point
//!    before it (the baseline for the first target). The expected value is the point on that
//!    segment at the measurement's date; before the segment's start it is the start value, after
//!    its end the end value.
//! 3. `gap` is how far the actual value lags behind the expected one in the better direction:
//!    for *hoger* `expected − actual`, for *lager* `actual − expected`.
//! 4. *Op koers* when `gap ≤ 0`; *aandacht* when `gap` is at most 10 % of
//!    `|end value − start value|` of the segment; *niet op koers* otherwise.
//!
//! Without a measurement (on or before today) or without a target there is nothing to judge:
//! `None`.

use chrono::NaiveDate;

use super::{Direction, Health, IndicatorSeries, Measurement};

/// The share of a segment's rise (or fall) an indicator may lag before it is "niet op koers".
pub const ATTENTION_SHARE: f64 = 0.10;

/// The health of the latest measurement on or before `today` ('YYYY-MM-DD'), or `None` when
/// there is no measurement or no target to judge it by.
pub fn health(series: &IndicatorSeries, today: &str) -> Option<Health> {
    let latest = latest_on_or_before(series, today)?;
    let (expected, span) = expected_at(series, &latest.measured_on)?;
    let gap = match series.indicator.direction {
        Direction::Hoger => expected - latest.value,
        Direction::Lager => latest.value - expected,
    };
    Some(judge(gap, span))
}

/// The latest measurement dated on or before `today`.
pub fn latest_on_or_before<'a>(
    series: &'a IndicatorSeries,
    today: &str,
) -> Option<&'a Measurement> {
    series
        .measurements
        .iter()
        .filter(|m| m.measured_on.as_str() <= today)
        .max_by(|a, b| {
            a.measured_on
                .cmp(&b.measured_on)
                .then(a.created_at.cmp(&b.created_at))
        })
}

/// The value the straight line from baseline to target expects on `date`, with the absolute
/// rise of the segment it lies on (see the module documentation).
pub fn expected_at(series: &IndicatorSeries, date: &str) -> Option<(f64, f64)> {
    let mut targets: Vec<_> = series.targets.iter().collect();
    targets.sort_by(|a, b| a.date.cmp(&b.date));
    let index = targets
        .iter()
        .position(|t| t.date.as_str() >= date)
        .unwrap_or(targets.len().checked_sub(1)?);
    let end = targets[index];
    let (start_date, start_value) = match index {
        0 => (
            series.indicator.baseline_date.as_str(),
            series.indicator.baseline_value,
        ),
        i => (targets[i - 1].date.as_str(), targets[i - 1].value),
    };
    let fraction = fraction_between(start_date, &end.date, date);
    let expected = start_value + (end.value - start_value) * fraction;
    Some((expected, (end.value - start_value).abs()))
}

/// Where `date` lies between `start` and `end`, from 0 to 1 (1 when the dates cannot be read or
/// the segment has no length).
fn fraction_between(start: &str, end: &str, date: &str) -> f64 {
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let (Some(start), Some(end), Some(date)) = (parse(start), parse(end), parse(date)) else {
        return 1.0;
    };
    let length = (end - start).num_days();
    if length <= 0 {
        return 1.0;
    }
    ((date - start).num_days() as f64 / length as f64).clamp(0.0, 1.0)
}

fn judge(gap: f64, span: f64) -> Health {
    // A small tolerance so that values typed with decimals are not off by rounding.
    let epsilon = 1e-9 * span.max(1.0);
    if gap <= epsilon {
        Health::OpKoers
    } else if gap <= ATTENTION_SHARE * span + epsilon {
        Health::Aandacht
    } else {
        Health::NietOpKoers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Indicator, Target};

    fn series(
        direction: Direction,
        targets: &[(&str, f64)],
        values: &[(&str, f64)],
    ) -> IndicatorSeries {
        IndicatorSeries {
            indicator: Indicator {
                id: "i".into(),
                plan_id: "p".into(),
                item_id: "it".into(),
                definition_key: String::new(),
                name: "Fietsers".into(),
                unit: "%".into(),
                direction,
                baseline_value: 100.0,
                baseline_date: "2025-01-01".into(),
                source: String::new(),
                frequency: "jaarlijks".into(),
            },
            targets: targets
                .iter()
                .map(|(d, v)| Target {
                    date: d.to_string(),
                    value: *v,
                })
                .collect(),
            measurements: values
                .iter()
                .enumerate()
                .map(|(i, (d, v))| Measurement {
                    id: format!("m{i}"),
                    indicator_id: "i".into(),
                    measured_on: d.to_string(),
                    value: *v,
                    comment: String::new(),
                    author: String::new(),
                    created_at: i as i64,
                })
                .collect(),
        }
    }

    // Baseline 100 on 2025-01-01, target 200 on 2027-01-01 (730 days): halfway on 2026-01-01
    // (365 days) the line expects 150.
    const TARGET: &[(&str, f64)] = &[("2027-01-01", 200.0)];

    #[test]
    fn on_the_line_or_above_is_op_koers() {
        let s = series(Direction::Hoger, TARGET, &[("2026-01-01", 150.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::OpKoers));
        let s = series(Direction::Hoger, TARGET, &[("2026-01-01", 170.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::OpKoers));
    }

    #[test]
    fn a_small_lag_needs_attention_a_large_one_is_off_track() {
        // Span 100: up to 10 behind is aandacht.
        let s = series(Direction::Hoger, TARGET, &[("2026-01-01", 140.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::Aandacht));
        let s = series(Direction::Hoger, TARGET, &[("2026-01-01", 139.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::NietOpKoers));
    }

    #[test]
    fn lower_is_better_mirrors_the_gap() {
        // Baseline 100 → 50: halfway expects 75; span 50, so up to 5 above is aandacht.
        let t = &[("2027-01-01", 50.0)];
        let s = series(Direction::Lager, t, &[("2026-01-01", 70.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::OpKoers));
        let s = series(Direction::Lager, t, &[("2026-01-01", 80.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::Aandacht));
        let s = series(Direction::Lager, t, &[("2026-01-01", 81.0)]);
        assert_eq!(health(&s, "2026-06-01"), Some(Health::NietOpKoers));
    }

    #[test]
    fn the_latest_measurement_up_to_today_counts() {
        let s = series(
            Direction::Hoger,
            TARGET,
            &[
                ("2025-07-01", 100.0),
                ("2026-01-01", 150.0),
                ("2026-12-01", 0.0),
            ],
        );
        // The value of December is in the future and does not count yet.
        assert_eq!(health(&s, "2026-06-01"), Some(Health::OpKoers));
        assert_eq!(health(&s, "2026-12-01"), Some(Health::NietOpKoers));
        // Before any measurement: nothing to judge.
        assert_eq!(health(&s, "2025-01-01"), None);
    }

    #[test]
    fn between_two_targets_the_line_between_them_counts() {
        // 100 → 200 on 2026-01-01, then 200 → 400 on 2027-01-01: mid 2026 expects 300
        // (181 of 365 days: 299,17), span 200, attention down to 279,17.
        let t = &[("2027-01-01", 400.0), ("2026-01-01", 200.0)];
        let s = series(Direction::Hoger, t, &[("2026-07-01", 290.0)]);
        assert_eq!(health(&s, "2026-08-01"), Some(Health::Aandacht));
        let s = series(Direction::Hoger, t, &[("2026-07-01", 270.0)]);
        assert_eq!(health(&s, "2026-08-01"), Some(Health::NietOpKoers));
        let (expected, span) = expected_at(&s, "2026-01-01").unwrap();
        assert!((expected - 200.0).abs() < 1e-9);
        assert!((span - 100.0).abs() < 1e-9);
    }

    #[test]
    fn after_the_last_target_the_target_itself_is_expected() {
        let s = series(Direction::Hoger, TARGET, &[("2028-01-01", 195.0)]);
        assert_eq!(expected_at(&s, "2028-01-01").map(|e| e.0), Some(200.0));
        assert_eq!(health(&s, "2028-02-01"), Some(Health::Aandacht));
    }

    #[test]
    fn no_target_or_no_measurement_has_no_health() {
        let s = series(Direction::Hoger, &[], &[("2026-01-01", 150.0)]);
        assert_eq!(health(&s, "2026-06-01"), None);
        let s = series(Direction::Hoger, TARGET, &[]);
        assert_eq!(health(&s, "2026-06-01"), None);
    }
}
