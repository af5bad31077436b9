//! The mails of the agenda and the minutes: one mail per member through the core's outbox
//! (`steden_core::mail::enqueue`), in the transaction of the publication or approval, so a
//! rolled-back change mails nothing and a committed one is sent even after a restart. Each
//! (kind, meeting, version, person) is logged in `wg_mail_log` first, so that publishing one
//! version can never mail a person twice.
//!
//! Recipients: the active members (every role but guest, who sees only the meetings they are
//! invited to) and the named facilitators, each once, skipping deactivated accounts.

use std::collections::BTreeSet;

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_core::mail::{self, OutgoingMail};
use steden_db::{now_ms, Tx};

use crate::paths;
use crate::store::action_points;
use crate::store::agenda_state::{self as agenda, AgendaState};

/// The people a meeting's mails go to: their ids, by id.
async fn recipients(tx: &mut Tx<'_>, group_id: &str) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT user_id FROM wg_memberships
         WHERE group_id = $1 AND status = 'actief' AND role <> 'gast'
         UNION
         SELECT user_id FROM wg_facilitators WHERE group_id = $1",
    )
    .bind(group_id)
    .fetch_all(&mut **tx)
    .await?;
    let ids: BTreeSet<String> = rows.iter().map(|row| row.get(0)).collect();
    Ok(ids.into_iter().collect())
}

/// Queues `build(name)` to every recipient not yet mailed for (kind, meeting, version).
/// Returns the number of mails queued.
async fn to_members(
    tx: &mut Tx<'_>,
    group_id: &str,
    kind: &str,
    meeting_id: &str,
    version: i64,
    subject: &str,
    build: impl Fn(&str) -> String,
) -> CoreResult<usize> {
    let mut queued = 0;
    for user_id in recipients(tx, group_id).await? {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM wg_mail_log
             WHERE kind = $1 AND subject_id = $2 AND version = $3 AND user_id = $4",
        )
        .bind(kind)
        .bind(meeting_id)
        .bind(version)
        .bind(&user_id)
        .fetch_one(&mut **tx)
        .await?;
        if done > 0 {
            continue;
        }
        let person = steden_core::user::get(&mut **tx, &user_id).await?;
        if !person.active {
            continue;
        }
        let outbox_id = mail::enqueue(
            tx,
            &OutgoingMail {
                to: person.email.clone(),
                subject: subject.to_string(),
                text: build(&person.name),
                ..Default::default()
            },
        )
        .await?;
        sqlx::query(
            "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(kind)
        .bind(meeting_id)
        .bind(version)
        .bind(&user_id)
        .bind(&outbox_id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
        queued += 1;
    }
    Ok(queued)
}

async fn slug_of(tx: &mut Tx<'_>, group_id: &str) -> CoreResult<(String, String)> {
    let group = steden_core::working_group::get(&mut **tx, group_id)
        .await?
        .ok_or(steden_core::CoreError::NotFound("werkgroep"))?;
    Ok((group.slug, group.name))
}

/// "15/06/2055": the meeting's date as mails show it.
fn short_date(local_date: &str) -> String {
    crate::localtime::parse_date(local_date)
        .map(crate::localtime::show_date)
        .unwrap_or_else(|_| local_date.to_string())
}

/// Mails version `version` of the published agenda: the accepted items in order, and the
/// open action points of earlier meetings.
pub(crate) async fn agenda_published(
    tx: &mut Tx<'_>,
    state: &AgendaState,
    version: i64,
    base_url: &str,
) -> CoreResult<usize> {
    let (slug, group_name) = slug_of(tx, &state.group_id).await?;
    let items = agenda::items(&mut **tx, &state.meeting_id).await?;
    let points = action_points::open_before(
        &mut **tx,
        &state.group_id,
        &state.meeting_id,
        state.starts_at,
    )
    .await?;
    let theme =
        crate::store::themes::previous_theme(&mut **tx, &state.group_id, state.starts_at).await?;
    let mut body = String::new();
    for (number, item) in items.iter().filter(|i| i.status == "aanvaard").enumerate() {
        body.push_str(&format!("{}. {}", number + 1, item.title));
        if let Some(minutes) = item.duration_min {
            body.push_str(&format!(" ({minutes} min.)"));
        }
        body.push('\n');
        if !item.explanation_md.is_empty() {
            for line in item.explanation_md.lines() {
                body.push_str(&format!("   {line}\n"));
            }
        }
    }
    if let Some(theme) = theme {
        body.push_str(&format!("\nEvaluatie van het thema {}\n", theme.theme));
    }
    if !points.is_empty() {
        body.push_str("\nOpen actiepunten van vorige vergaderingen:\n");
        for point in &points {
            body.push_str(&format!("- {}", point.description));
            if !point.owner_name.is_empty() {
                body.push_str(&format!(" ({})", point.owner_name));
            }
            if let Some(due) = &point.due_date {
                body.push_str(&format!(", tegen {}", short_date(due)));
            }
            body.push('\n');
        }
    }
    let link = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        paths::meeting_agenda(&slug, &state.meeting_id)
    );
    let when = format!("{} om {}", short_date(&state.local_date), state.local_start);
    let subject = format!(
        "Agenda: {} ({})",
        state.title,
        short_date(&state.local_date)
    );
    to_members(
        tx,
        &state.group_id,
        "agenda",
        &state.meeting_id,
        version,
        &subject,
        |name| {
            format!(
                "Beste {name},\n\nDe agenda van de vergadering {} van {group_name} op {when} \
                 is gepubliceerd.\n\n{body}\nDe agenda met de bijlagen: {link}\n",
                state.title
            )
        },
    )
    .await
}

/// What a minutes mail says: proposed for comments until a date, or approved.
pub(crate) enum MinutesMail<'a> {
    Proposed { comment_until: i64 },
    Approved { minutes_md: &'a str },
}

/// Mails the minutes of meeting `state` to the members: proposed (with the comment period)
/// or approved (with the text). The version is the minutes' approval or proposal moment, so
/// proposing again after a change mails again.
pub(crate) async fn minutes(
    tx: &mut Tx<'_>,
    state: &AgendaState,
    what: MinutesMail<'_>,
    version: i64,
    base_url: &str,
) -> CoreResult<usize> {
    let (slug, group_name) = slug_of(tx, &state.group_id).await?;
    let link = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        paths::meeting_minutes(&slug, &state.meeting_id)
    );
    let date = short_date(&state.local_date);
    let (kind, subject, text) = match what {
        MinutesMail::Proposed { comment_until } => (
            "verslag-voorgelegd",
            format!("Verslag ter goedkeuring: {} ({date})", state.title),
            format!(
                "Het verslag van de vergadering {} van {group_name} op {date} ligt ter \
                 goedkeuring voor. Opmerkingen kan je geven tot {}.\n\nHet verslag: {link}\n",
                state.title,
                agenda::show_moment(comment_until)
            ),
        ),
        MinutesMail::Approved { minutes_md } => (
            "verslag",
            format!("Verslag: {} ({date})", state.title),
            format!(
                "Het verslag van de vergadering {} van {group_name} op {date} is \
                 goedgekeurd.\n\n{minutes_md}\n\nHet verslag met besluiten en actiepunten: \
                 {link}\n",
                state.title
            ),
        ),
    };
    to_members(
        tx,
        &state.group_id,
        kind,
        &state.meeting_id,
        version,
        &subject,
        |name| format!("Beste {name},\n\n{text}"),
    )
    .await
}
