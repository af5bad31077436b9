//! Classes for a choropleth: breaks by quantiles or at round numbers, which class a value
//! falls in, the colour of each class, and numbers written the Dutch way.

/// How the class breaks are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClassMethod {
    /// Each class holds about as many areas (ties keep classes apart, so there may be fewer).
    #[default]
    Quantiles,
    /// Equal steps of a round size (1, 2, 2.5 or 5 times a power of ten).
    NiceBreaks,
}

/// One class: values above `lower` (or equal to it, for the first class) up to `upper`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Class {
    pub lower: f64,
    pub upper: f64,
}

/// A sequential ramp from light to dark petrol blue (ColorBrewer's PuBu, colour-blind safe),
/// used when the caller passes none: the design system has no sequential ramp.
pub const DEFAULT_RAMP: [&str; 7] = [
    "#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b",
];

/// At most `wanted` classes over the finite values (fewer when the values do not allow more;
/// none without values).
pub fn class_breaks(values: &[f64], wanted: usize, method: ClassMethod) -> Vec<Class> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let wanted = wanted.clamp(1, 12);
    if min == max || wanted == 1 {
        return vec![Class {
            lower: min,
            upper: max,
        }];
    }
    let uppers = match method {
        ClassMethod::Quantiles => quantile_uppers(&sorted, wanted),
        ClassMethod::NiceBreaks => nice_uppers(min, max, wanted),
    };
    let mut classes = Vec::with_capacity(uppers.len());
    let mut lower = match method {
        ClassMethod::Quantiles => min,
        ClassMethod::NiceBreaks => nice_start(min, max, wanted),
    };
    for upper in uppers {
        if classes.is_empty() || upper > lower {
            classes.push(Class { lower, upper });
            lower = upper;
        }
    }
    classes
}

fn quantile_uppers(sorted: &[f64], wanted: usize) -> Vec<f64> {
    let n = sorted.len();
    let mut uppers: Vec<f64> = (1..wanted)
        .filter_map(|i| sorted.get((i * n / wanted).saturating_sub(1)).copied())
        .collect();
    uppers.extend(sorted.last().copied());
    uppers.dedup();
    uppers
}

/// The first round step at which `wanted` classes cover min to max.
fn nice_step(min: f64, max: f64, wanted: usize) -> f64 {
    let raw = (max - min) / wanted as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    for factor in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0] {
        let step = factor * magnitude;
        let start = (min / step).floor() * step;
        if start + step * wanted as f64 >= max {
            return step;
        }
    }
    raw
}

fn nice_start(min: f64, max: f64, wanted: usize) -> f64 {
    let step = nice_step(min, max, wanted);
    (min / step).floor() * step
}

fn nice_uppers(min: f64, max: f64, wanted: usize) -> Vec<f64> {
    let step = nice_step(min, max, wanted);
    let start = (min / step).floor() * step;
    let mut uppers = Vec::new();
    for i in 1..=wanted {
        // Multiplying rather than adding keeps 0.1 steps from drifting (0.30000000000000004).
        let upper = start + step * i as f64;
        uppers.push(upper);
        if upper >= max {
            break;
        }
    }
    uppers
}

/// The class a value falls in (None for a value outside every class or not finite).
pub fn class_of(classes: &[Class], value: f64) -> Option<usize> {
    if !value.is_finite() {
        return None;
    }
    let first = classes.first()?;
    if value < first.lower {
        return None;
    }
    classes.iter().position(|c| value <= c.upper)
}

/// `count` colours spread evenly over a ramp from light to dark (all of it when the counts
/// agree).
pub fn pick_colours(ramp: &[String], count: usize) -> Vec<String> {
    match (ramp.len(), count) {
        (0, _) | (_, 0) => Vec::new(),
        (_, 1) => ramp.get(ramp.len() / 2).cloned().into_iter().collect(),
        (len, count) => (0..count)
            .filter_map(|i| {
                ramp.get((i * (len - 1) + (count - 1) / 2) / (count - 1))
                    .cloned()
            })
            .collect(),
    }
}

/// A number with a decimal comma and dots between thousands: 1.234,5.
pub fn format_number(value: f64, decimals: usize) -> String {
    steden_core::time::format_decimal(value, decimals.min(10))
}

/// A class as a legend writes it: "12,5 – 20,0".
pub fn class_label(class: &Class, decimals: usize) -> String {
    if class.lower == class.upper {
        format_number(class.lower, decimals)
    } else {
        format!(
            "{} – {}",
            format_number(class.lower, decimals),
            format_number(class.upper, decimals)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_put_about_as_many_values_in_each_class() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let classes = class_breaks(&values, 4, ClassMethod::Quantiles);
        assert_eq!(classes.len(), 4);
        let counts: Vec<usize> = (0..4)
            .map(|c| {
                values
                    .iter()
                    .filter(|v| class_of(&classes, **v) == Some(c))
                    .count()
            })
            .collect();
        assert_eq!(counts, vec![25, 25, 25, 25]);
        assert_eq!(classes[0].lower, 1.0);
        assert_eq!(classes[3].upper, 100.0);
        // Ties leave fewer classes rather than empty ones.
        let tied = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0];
        assert_eq!(class_breaks(&tied, 5, ClassMethod::Quantiles).len(), 2);
        assert!(class_breaks(&[f64::NAN], 5, ClassMethod::Quantiles).is_empty());
        assert_eq!(
            class_breaks(&[3.0, 3.0], 5, ClassMethod::Quantiles).len(),
            1
        );
    }

    #[test]
    fn nice_breaks_fall_on_round_numbers_and_cover_every_value() {
        let values = [3.2, 17.9, 44.0, 61.5, 98.7];
        let classes = class_breaks(&values, 5, ClassMethod::NiceBreaks);
        assert!(classes.len() <= 5 && classes.len() >= 3, "{classes:?}");
        for c in &classes {
            assert_eq!(c.upper % 10.0, 0.0, "{classes:?}");
        }
        for v in values {
            assert!(class_of(&classes, v).is_some(), "{v} in {classes:?}");
        }
        let small = class_breaks(&[0.12, 0.47], 3, ClassMethod::NiceBreaks);
        assert_eq!(class_label(&small[0], 1), "0,0 – 0,2", "{small:?}");
    }

    #[test]
    fn colours_are_spread_over_the_ramp() {
        let ramp: Vec<String> = DEFAULT_RAMP.iter().map(|c| c.to_string()).collect();
        let three = pick_colours(&ramp, 3);
        assert_eq!(three, vec!["#f1eef6", "#74a9cf", "#034e7b"]);
        assert_eq!(pick_colours(&ramp, 7), ramp);
        assert_eq!(pick_colours(&ramp, 1).len(), 1);
    }

    #[test]
    fn numbers_are_written_the_dutch_way() {
        assert_eq!(format_number(1234.5, 1), "1.234,5");
        assert_eq!(
            class_label(
                &Class {
                    lower: 0.5,
                    upper: 12.25
                },
                2
            ),
            "0,50 – 12,25"
        );
    }
}
