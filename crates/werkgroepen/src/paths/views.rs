//! The pages across groups (design §3.1): the person's own overview and the staff overview.

/// The person's groups, next meetings, open action points and registrations.
pub const MINE: &str = "/werkgroepen/mijn";

/// The person's open action points across groups.
pub const MY_ACTION_POINTS: &str = "/werkgroepen/mijn/actiepunten";

/// The staff overview: meetings of the coming weeks and groups past their cadence.
pub const OVERVIEW: &str = "/werkgroepen/overzicht";

/// The staff overview for the coming `weeks`.
pub fn overview_weeks(weeks: i64) -> String {
    format!("{OVERVIEW}?weken={weeks}")
}
