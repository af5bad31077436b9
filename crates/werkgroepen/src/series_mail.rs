//! Mails for meetings a series makes, changes or withdraws (design §3.5): the series pages
//! and the daily task queue `werkgroepen.mail_meeting` (crate::invitations) for each of them,
//! in the transaction that changed them.
//!
//! Volume rule: a series may be planned two years ahead, and a weekly one would then mail
//! every member ~100 invitations at once. So a meeting is invited only once it starts within
//! [`INVITE_HORIZON_MS`] (a year); the daily task `extend_series` invites the ones that come
//! within the horizon later ([`invite_due`]), which also covers the meetings it makes itself.
//! Meetings already over are never mailed (a series may be planned from a past date).

use steden_core::error::CoreResult;
use steden_db::{Db, Tx};

use crate::invitations::{self, MailKind, Origin};
use crate::store::meetings::{self, MeetingStatus};
use crate::store::series::Generated;
use crate::store::{mail_log, series_mail};

/// How far ahead series meetings are invited (366 days, so the daily extension's new
/// meetings, a year ahead, fall inside).
pub const INVITE_HORIZON_MS: i64 = 366 * 24 * 60 * 60 * 1000;

/// Queues the mails of every meeting a (re)generation touched; returns how many jobs.
pub async fn queue_generated(
    tx: &mut Tx<'_>,
    origin: &Origin,
    generated: &Generated,
    now: i64,
) -> CoreResult<usize> {
    let mut queued = 0;
    for id in &generated.touched {
        if queue_one(tx, origin, id, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues the mail for one series meeting's current state: a cancellation when it was
/// cancelled after an invitation, an update when it changed after one, else an invitation;
/// nothing when it is over, held, beyond the horizon, or cancelled without ever being invited.
pub async fn queue_one(tx: &mut Tx<'_>, origin: &Origin, id: &str, now: i64) -> CoreResult<bool> {
    let Some(meeting) = meetings::find_by_id(&mut **tx, id).await? else {
        return Ok(false);
    };
    let invited = mail_log::invited_sequence(&mut **tx, id).await?;
    let kind = match meeting.status {
        MeetingStatus::Gehouden => return Ok(false),
        MeetingStatus::Geannuleerd if invited.is_none() => return Ok(false),
        MeetingStatus::Geannuleerd => MailKind::Annulering,
        _ if meeting.ends_at <= now || meeting.starts_at > now + INVITE_HORIZON_MS => {
            return Ok(false)
        }
        MeetingStatus::Gepland if meeting.moved || invited.is_some() => MailKind::Wijziging,
        MeetingStatus::Gepland => MailKind::Uitnodiging,
    };
    invitations::queue_kind(tx, origin, &meeting, kind).await?;
    Ok(true)
}

/// Invites the planned series meetings that came within the horizon uninvited, each in its
/// own transaction; returns how many were queued. A job queued twice (the earlier one not
/// yet run) sends nothing twice: `wg_mail_log` keeps the job idempotent.
pub async fn invite_due(db: &Db, origin: &Origin, now: i64) -> CoreResult<usize> {
    let ids = series_mail::uninvited(db.pool(), now, now + INVITE_HORIZON_MS).await?;
    let mut queued = 0;
    for id in ids {
        let mut tx = db.begin().await?;
        if queue_one(&mut tx, origin, &id, now).await? {
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}
