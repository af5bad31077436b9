//! The Kenniscentrum's overview across groups (design §3.1 `/werkgroepen/overzicht`): the
//! meetings of the coming weeks, and the groups that have not met for longer than their cadence
//! (§3.6). Reads only; who may see it is the page's and the API's check (staff).

use chrono::NaiveDate;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::Cadence;
use crate::store::meetings::MeetingStatus;

/// Extra days past the cadence interval before a group counts as not meeting: a meeting a week
/// or two late (holidays, a moved date) is not yet a worry (§3.6).
pub const GRACE_DAYS: i64 = 14;

/// The days between meetings a cadence promises; `None` for `op_afroep`, which is never late.
pub fn interval_days(cadence: Cadence) -> Option<i64> {
    match cadence {
        Cadence::Zeswekelijks => Some(42),
        Cadence::Maandelijks => Some(31),
        Cadence::VijfmaalPerJaar => Some(73),
        Cadence::ViermaalPerJaar => Some(91),
        Cadence::DriemaalPerJaar => Some(122),
        Cadence::TweemaalPerJaar => Some(183),
        Cadence::OpAfroep => None,
    }
}

/// Whether a group that last met (or, never having met, was created) on `since` is overdue on
/// `today`: more than interval + grace days ago. On the last day of grace it is not yet.
pub fn is_overdue(cadence: Cadence, since: NaiveDate, today: NaiveDate) -> bool {
    match interval_days(cadence) {
        Some(days) => (today - since).num_days() > days + GRACE_DAYS,
        None => false,
    }
}

/// A meeting in the overview, with its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComingMeeting {
    pub id: String,
    pub group_id: String,
    pub group_slug: String,
    pub group_name: String,
    pub title: String,
    /// Wall date and times in Brussels.
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub status: MeetingStatus,
}

/// The meetings of the non-archived groups that start in `[from, to)` (ms UTC), cancelled ones
/// included (staff want to see a gap), by start and group name.
pub async fn coming<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    from: i64,
    to: i64,
) -> CoreResult<Vec<ComingMeeting>> {
    let rows = sqlx::query(
        "SELECT m.id, m.group_id, w.slug, w.name, m.title, m.local_date, m.local_start,
                m.local_end, m.starts_at, m.ends_at, m.place, m.status
         FROM wg_meetings m
         JOIN wg_groups g ON g.group_id = m.group_id
         JOIN working_groups w ON w.id = m.group_id
         WHERE m.starts_at >= $1 AND m.starts_at < $2 AND g.archived_at IS NULL
         ORDER BY m.starts_at, w.name, m.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| ComingMeeting {
            id: row.get("id"),
            group_id: row.get("group_id"),
            group_slug: row.get("slug"),
            group_name: row.get("name"),
            title: row.get("title"),
            local_date: row.get("local_date"),
            local_start: row.get("local_start"),
            local_end: row.get("local_end"),
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
            place: row.get("place"),
            status: MeetingStatus::parse(&row.get::<String, _>("status"))
                .unwrap_or(MeetingStatus::Gepland),
        })
        .collect())
}

/// A group past its cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueGroup {
    pub group_id: String,
    pub slug: String,
    pub name: String,
    pub cadence: Cadence,
    /// The date of its last meeting (`YYYY-MM-DD`); `None` when it never met.
    pub last_met: Option<String>,
    /// Whole days since the last meeting, or since the group was made.
    pub days_since: i64,
}

/// The non-archived groups with a cadence that have not met for longer than it allows (+ grace)
/// on `today` (Brussels), longest waiting first. A meeting counts once it has started and was
/// not cancelled: marking it held often comes later, and the meeting did take place.
pub async fn overdue<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    now: i64,
    today: NaiveDate,
) -> CoreResult<Vec<OverdueGroup>> {
    let rows = sqlx::query(
        "SELECT g.group_id, w.slug, w.name, g.cadence, g.created_at,
                MAX(m.local_date) AS last_met
         FROM wg_groups g
         JOIN working_groups w ON w.id = g.group_id
         LEFT JOIN wg_meetings m ON m.group_id = g.group_id AND m.status <> 'geannuleerd'
              AND m.starts_at <= $1
         WHERE g.archived_at IS NULL AND g.cadence <> 'op_afroep'
         GROUP BY g.group_id, w.slug, w.name, g.cadence, g.created_at",
    )
    .bind(now)
    .fetch_all(exec)
    .await?;
    let mut groups = Vec::new();
    for row in &rows {
        let Some(cadence) = Cadence::parse(&row.get::<String, _>("cadence")) else {
            continue;
        };
        let last_met: Option<String> = row.get("last_met");
        let since = match last_met.as_deref() {
            Some(date) => NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            None => crate::localtime::from_utc_ms(row.get("created_at")).map(|at| at.date()),
        };
        let Some(since) = since else { continue };
        if is_overdue(cadence, since, today) {
            groups.push(OverdueGroup {
                group_id: row.get("group_id"),
                slug: row.get("slug"),
                name: row.get("name"),
                cadence,
                last_met,
                days_since: (today - since).num_days(),
            });
        }
    }
    groups.sort_by(|a, b| {
        b.days_since
            .cmp(&a.days_since)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn overdue_starts_the_day_after_interval_and_grace() {
        let met = date("2026-01-01");
        // 42 + 14 = 56 days: 2026-02-26 is the last day of grace.
        assert!(!is_overdue(Cadence::Zeswekelijks, met, date("2026-02-26")));
        assert!(is_overdue(Cadence::Zeswekelijks, met, date("2026-02-27")));
        // 183 + 14 = 197 days.
        assert!(!is_overdue(
            Cadence::TweemaalPerJaar,
            met,
            date("2026-07-17")
        ));
        assert!(is_overdue(
            Cadence::TweemaalPerJaar,
            met,
            date("2026-07-18")
        ));
        assert!(!is_overdue(Cadence::OpAfroep, met, date("2030-01-01")));
    }

    #[test]
    fn every_cadence_but_op_afroep_has_an_interval() {
        let days: Vec<Option<i64>> = Cadence::ALL.iter().map(|c| interval_days(*c)).collect();
        assert_eq!(
            days,
            vec![
                Some(42),
                Some(31),
                Some(73),
                Some(91),
                Some(122),
                Some(183),
                None
            ]
        );
    }
}
