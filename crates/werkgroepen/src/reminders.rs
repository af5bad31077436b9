//! Reminders (design §3.5, `werkgroepen.remind`), sent by the daily task `reminders`
//! ([`crate::daily`]) rather than by one delayed job per meeting: each day it looks which
//! reminders are due and sends each once, logged in `wg_mail_log`. Reading the state when it
//! runs means a meeting cancelled since needs no check, and a moved one is judged by its new
//! date.
//!
//! - Proposals: from three days before the proposal deadline, to the members who may propose
//!   (`lid`, `voorzitter`), while the agenda is open. Logged as `herinnering-agendapunten`
//!   with the deadline as version.
//! - The meeting: from two days before it, to those invited who have not replied. Logged as
//!   `herinnering-vergadering` with the meeting's SEQUENCE as version, and only while the
//!   invitation of that SEQUENCE went out (so no reminder overtakes an update).

use steden_core::error::CoreResult;
use steden_core::mail::{self, OutgoingMail};
use steden_core::CoreError;
use steden_db::Db;

use crate::invitations::{reply_url, t, Origin};
use crate::store::groups::{self, Profile};
use crate::store::mail_log::{self, Recipient};
use crate::store::meetings::{self, Meeting};
use crate::store::reminders::{self, Due};
use crate::{localtime, paths, signed_link};

pub const PROPOSAL_KIND: &str = "herinnering-agendapunten";
pub const MEETING_KIND: &str = "herinnering-vergadering";
const DAY_MS: i64 = 24 * 3_600_000;
/// How long before the proposal deadline its reminder goes out.
pub const PROPOSAL_AHEAD_MS: i64 = 3 * DAY_MS;
/// How long before the meeting the reply reminder goes out.
pub const MEETING_AHEAD_MS: i64 = 2 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Proposals,
    Meeting,
}

/// Sends every reminder due at `now` that was not sent before; returns how many mails.
pub async fn send_due(db: &Db, origin: &Origin, now: i64) -> CoreResult<usize> {
    let mut sent = 0;
    for due in reminders::proposal_deadlines(db.pool(), now, PROPOSAL_AHEAD_MS).await? {
        sent += send(db, origin, &due, What::Proposals).await?;
    }
    for due in reminders::meetings_soon(db.pool(), now, MEETING_AHEAD_MS).await? {
        sent += send(db, origin, &due, What::Meeting).await?;
    }
    Ok(sent)
}

async fn send(db: &Db, origin: &Origin, due: &Due, what: What) -> CoreResult<usize> {
    let Some(meeting) = meetings::find_by_id(db.pool(), &due.meeting_id).await? else {
        return Ok(0);
    };
    let mut conn = db.pool().acquire().await?;
    let Some(profile) = groups::find(&mut conn, &meeting.group_id).await? else {
        return Ok(0);
    };
    drop(conn);
    let (kind, recipients) = match what {
        What::Proposals => (
            PROPOSAL_KIND,
            reminders::proposers(db.pool(), &meeting.group_id).await?,
        ),
        What::Meeting => (
            MEETING_KIND,
            reminders::not_replied(db.pool(), &meeting.id, &meeting.group_id).await?,
        ),
    };
    let key = signed_link::key(db).await?;
    let mut sent = 0;
    for recipient in &recipients {
        let user = match steden_core::user::get(db.pool(), &recipient.user_id).await {
            Ok(user) if user.active && !user.email.trim().is_empty() => user,
            Ok(_) | Err(CoreError::NotFound(_)) => continue,
            Err(error) => return Err(error),
        };
        let mut tx = db.begin().await?;
        if mail_log::was_sent(&mut tx, kind, &meeting.id, due.version, &user.id).await? {
            continue;
        }
        let built = match what {
            What::Proposals => proposals_mail(&meeting, &profile, origin, recipient, due.version),
            What::Meeting => {
                let reply = reply_url(origin, &key, &meeting, &recipient.user_id);
                meeting_mail(&meeting, &profile, origin, recipient, &reply)
            }
        };
        let built = OutgoingMail {
            to: user.email.clone(),
            ..built
        };
        let outbox_id = mail::enqueue(&mut tx, &built).await?;
        mail_log::record(
            &mut tx,
            kind,
            &meeting.id,
            due.version,
            &user.id,
            &outbox_id,
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

fn date_of(meeting: &Meeting) -> String {
    localtime::parse_date(&meeting.local_date)
        .map(localtime::show_date)
        .unwrap_or_else(|_| meeting.local_date.clone())
}

fn proposals_mail(
    meeting: &Meeting,
    profile: &Profile,
    origin: &Origin,
    recipient: &Recipient,
    deadline: i64,
) -> OutgoingMail {
    // The version of a proposal reminder is its deadline.
    let deadline = localtime::from_utc_ms(deadline)
        .map(|at| at.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default();
    let url = format!(
        "{}{}",
        origin.base_url,
        paths::meeting_agenda_propose(&profile.slug, &meeting.id)
    );
    let date = date_of(meeting);
    OutgoingMail {
        subject: t(
            "wg-mail-remind-proposals-subject",
            &[("title", &meeting.title), ("date", &date)],
        ),
        text: t(
            "wg-mail-remind-proposals-text",
            &[
                ("name", &recipient.name),
                ("group", &profile.name),
                ("date", &date),
                ("deadline", &deadline),
                ("url", &url),
            ],
        ),
        ..OutgoingMail::default()
    }
}

fn meeting_mail(
    meeting: &Meeting,
    profile: &Profile,
    origin: &Origin,
    recipient: &Recipient,
    reply: &str,
) -> OutgoingMail {
    let url = format!(
        "{}{}",
        origin.base_url,
        paths::group_meeting(&profile.slug, &meeting.id)
    );
    let date = date_of(meeting);
    let when = format!("{date}, {}–{}", meeting.local_start, meeting.local_end);
    OutgoingMail {
        subject: t(
            "wg-mail-remind-meeting-subject",
            &[("title", &meeting.title), ("date", &date)],
        ),
        text: t(
            "wg-mail-remind-meeting-text",
            &[
                ("name", &recipient.name),
                ("group", &profile.name),
                ("when", &when),
                ("url", &url),
                ("reply", reply),
            ],
        ),
        ..OutgoingMail::default()
    }
}
