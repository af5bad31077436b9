//! What one person has in the module, across groups (design §3.1 `/werkgroepen/mijn`, §3.2
//! `GET me`, §3.4 workspace tasks): their groups, the coming meetings of those groups, their
//! registrations, and what waits for them (proposals open, minutes to comment, join requests to
//! decide, evaluations to fill in). Open action points are [`super::action_points::open_for_person`].
//!
//! "Their groups" are those with an active membership other than `gast` (a guest sees only the
//! meetings they are invited to) and those they facilitate.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::{MemberRole, RegistrationStatus};
use crate::store::meetings::MeetingStatus;

/// One of the person's groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyGroup {
    pub group_id: String,
    pub slug: String,
    pub name: String,
    /// The active role, if a member; `None` for a facilitator who is not a member.
    pub role: Option<MemberRole>,
    pub facilitator: bool,
}

/// The groups of `user_id`, by name; archived groups left out.
pub async fn groups<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Vec<MyGroup>> {
    let rows = sqlx::query(
        "SELECT w.id, w.slug, w.name,
                (SELECT m.role FROM wg_memberships m WHERE m.group_id = w.id
                   AND m.user_id = $1 AND m.status = 'actief' AND m.role <> 'gast') AS role,
                (SELECT COUNT(*) FROM wg_facilitators f WHERE f.group_id = w.id
                   AND f.user_id = $1) AS facilitates
         FROM working_groups w
         JOIN wg_groups g ON g.group_id = w.id
         WHERE g.archived_at IS NULL
           AND (EXISTS (SELECT 1 FROM wg_memberships m WHERE m.group_id = w.id
                          AND m.user_id = $1 AND m.status = 'actief' AND m.role <> 'gast')
                OR EXISTS (SELECT 1 FROM wg_facilitators f WHERE f.group_id = w.id
                          AND f.user_id = $1))
         ORDER BY w.name, w.id",
    )
    .bind(user_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| MyGroup {
            group_id: row.get("id"),
            slug: row.get("slug"),
            name: row.get("name"),
            role: row
                .get::<Option<String>, _>("role")
                .as_deref()
                .and_then(MemberRole::parse),
            facilitator: row.get::<i64, _>("facilitates") > 0,
        })
        .collect())
}

/// The person's groups as a SQL condition on `{alias}.group_id`, `$1` being the user.
fn in_my_groups(alias: &str) -> String {
    format!(
        "({alias}.group_id IN (SELECT m.group_id FROM wg_memberships m WHERE m.user_id = $1
              AND m.status = 'actief' AND m.role <> 'gast')
          OR {alias}.group_id IN (SELECT f.group_id FROM wg_facilitators f WHERE f.user_id = $1))"
    )
}

/// A coming meeting of one of the person's groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyMeeting {
    pub id: String,
    pub group_slug: String,
    pub group_name: String,
    pub title: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub status: MeetingStatus,
}

/// The planned meetings of the person's groups that have not ended at `now`, soonest first, at
/// most `limit`.
pub async fn next_meetings<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
    limit: i64,
) -> CoreResult<Vec<MyMeeting>> {
    let rows = sqlx::query(&format!(
        "SELECT x.id, w.slug, w.name, x.title, x.local_date, x.local_start, x.local_end,
                x.starts_at, x.ends_at, x.place, x.status
         FROM wg_meetings x
         JOIN working_groups w ON w.id = x.group_id
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.status = 'gepland' AND x.ends_at > $2 AND g.archived_at IS NULL
           AND {}
         ORDER BY x.starts_at, w.name, x.id
         LIMIT $3",
        in_my_groups("x")
    ))
    .bind(user_id)
    .bind(now)
    .bind(limit)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| MyMeeting {
            id: row.get("id"),
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

/// One of the person's registrations for an event that has not ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyRegistration {
    pub id: String,
    pub event_slug: String,
    pub event_title: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: i64,
    pub status: RegistrationStatus,
    pub waitlist_number: Option<i64>,
}

/// The person's live registrations (confirmed or waiting) for events not ended at `now`.
pub async fn registrations<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
) -> CoreResult<Vec<MyRegistration>> {
    let rows = sqlx::query(
        "SELECT r.id, e.slug, e.title, e.local_date, e.local_start, e.local_end, e.starts_at,
                r.status, r.waitlist_number
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.user_id = $1 AND r.status IN ('bevestigd', 'wachtlijst')
           AND e.status <> 'geannuleerd' AND e.ends_at > $2
         ORDER BY e.starts_at, e.title, r.id",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| MyRegistration {
            id: row.get("id"),
            event_slug: row.get("slug"),
            event_title: row.get("title"),
            local_date: row.get("local_date"),
            local_start: row.get("local_start"),
            local_end: row.get("local_end"),
            starts_at: row.get("starts_at"),
            status: RegistrationStatus::parse(&row.get::<String, _>("status"))
                .unwrap_or(RegistrationStatus::Bevestigd),
            waitlist_number: row.get("waitlist_number"),
        })
        .collect())
}

/// A meeting that waits for the person, with the moment it waits until.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub meeting_id: String,
    pub group_slug: String,
    pub group_name: String,
    pub title: String,
    pub local_date: String,
    /// The deadline (proposals) or end of the comment period (minutes), ms UTC.
    pub until: i64,
}

fn waiting(row: &sqlx::any::AnyRow) -> Waiting {
    Waiting {
        meeting_id: row.get("id"),
        group_slug: row.get("slug"),
        group_name: row.get("name"),
        title: row.get("title"),
        local_date: row.get("local_date"),
        until: row.get("until_at"),
    }
}

/// Members who may propose (`lid`, `voorzitter`), as a condition on `x.group_id`.
const PROPOSERS: &str = "x.group_id IN (SELECT m.group_id FROM wg_memberships m
    WHERE m.user_id = $1 AND m.status = 'actief' AND m.role IN ('lid', 'voorzitter'))";

/// Planned meetings of groups where the person may propose agenda items, whose agenda is open
/// and whose proposal deadline has not passed at `now`.
pub async fn proposals_open<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
) -> CoreResult<Vec<Waiting>> {
    let rows = sqlx::query(&format!(
        "SELECT x.id, w.slug, w.name, x.title, x.local_date, x.proposal_deadline_at AS until_at
         FROM wg_meetings x
         JOIN working_groups w ON w.id = x.group_id
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.status = 'gepland' AND x.agenda_status = 'open'
           AND x.proposal_deadline_at IS NOT NULL AND x.proposal_deadline_at > $2
           AND g.archived_at IS NULL AND {PROPOSERS}
         ORDER BY x.proposal_deadline_at, x.id"
    ))
    .bind(user_id)
    .bind(now)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(waiting).collect())
}

/// Minutes put to the members of the person's groups (`lid`, `voorzitter`), still open for
/// comment at `now`, that the person has not commented on yet.
pub async fn minutes_to_comment<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
) -> CoreResult<Vec<Waiting>> {
    let rows = sqlx::query(&format!(
        "SELECT x.id, w.slug, w.name, x.title, x.local_date, x.comment_until AS until_at
         FROM wg_meetings x
         JOIN working_groups w ON w.id = x.group_id
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.minutes_status = 'voorgelegd'
           AND x.comment_until IS NOT NULL AND x.comment_until > $2
           AND g.archived_at IS NULL AND {PROPOSERS}
           AND NOT EXISTS (SELECT 1 FROM wg_minutes_comments c
                           WHERE c.meeting_id = x.id AND c.user_id = $1)
         ORDER BY x.comment_until, x.id"
    ))
    .bind(user_id)
    .bind(now)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(waiting).collect())
}

/// A join request waiting for a facilitator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub membership_id: String,
    pub group_slug: String,
    pub group_name: String,
    pub person_name: String,
    pub requested_at: Option<i64>,
}

/// The open join requests of the groups the person facilitates, oldest first.
pub async fn join_requests<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Vec<JoinRequest>> {
    let rows = sqlx::query(
        "SELECT m.id, w.slug, w.name, p.name AS person_name, m.requested_at
         FROM wg_memberships m
         JOIN working_groups w ON w.id = m.group_id
         JOIN wg_groups g ON g.group_id = m.group_id
         LEFT JOIN person_names p ON p.id = m.user_id
         WHERE m.status = 'aangevraagd' AND g.archived_at IS NULL
           AND m.group_id IN (SELECT f.group_id FROM wg_facilitators f WHERE f.user_id = $1)
         ORDER BY m.requested_at, m.id",
    )
    .bind(user_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| JoinRequest {
            membership_id: row.get("id"),
            group_slug: row.get("slug"),
            group_name: row.get("name"),
            person_name: row
                .get::<Option<String>, _>("person_name")
                .unwrap_or_default(),
            requested_at: row.get("requested_at"),
        })
        .collect())
}

/// A registration whose evaluation form was mailed and not yet filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDue {
    pub registration_id: String,
    pub event_title: String,
    pub ends_at: i64,
}

/// The person's registrations that were sent the evaluation (`wg_mail_log`), have no response,
/// and whose form is still open at `now` (`open_ms` after the event's end).
pub async fn evaluations_due<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
    open_ms: i64,
) -> CoreResult<Vec<EvaluationDue>> {
    let rows = sqlx::query(
        "SELECT r.id, e.title, e.ends_at
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.user_id = $1 AND r.status = 'bevestigd' AND e.ends_at + $3 > $2
           AND EXISTS (SELECT 1 FROM wg_mail_log l WHERE l.kind = 'evaluatie'
                       AND l.subject_id = e.id AND l.user_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM wg_eval_responses s WHERE s.registration_id = r.id)
         ORDER BY e.ends_at, r.id",
    )
    .bind(user_id)
    .bind(now)
    .bind(open_ms)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| EvaluationDue {
            registration_id: row.get("id"),
            event_title: row.get("title"),
            ends_at: row.get("ends_at"),
        })
        .collect())
}
