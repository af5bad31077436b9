//! The SVG chart of an indicator. (Being written.)

use super::IndicatorSeries;

/// An accessible SVG line chart (role="img", title and description, and a data table beside
/// it in the page) of baseline, targets and measurements. `id` makes the ids inside unique
/// when several charts share a page.
pub fn svg(series: &IndicatorSeries, id: &str) -> String {
    let _ = (series, id);
    String::new()
}
