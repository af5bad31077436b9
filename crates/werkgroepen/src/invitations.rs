//! Invitations by mail (design §3.5, §3.7): every change to a meeting that its invitees should
//! know of (planned, moved, cancelled) queues the job `werkgroepen.mail_meeting` in the
//! change's own transaction; the job mails each recipient one message with the meeting as an
//! iCalendar object (`METHOD:REQUEST` or `METHOD:CANCEL`, one ATTENDEE: them) and a signed link
//! to reply.
//!
//! Idempotent on retry: each recipient's mail and its `wg_mail_log` row are written in one
//! transaction, and a mail already logged is skipped. A job whose version is no longer the
//! meeting's SEQUENCE does nothing: a later change queued its own job, which mails the newer
//! state.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use steden_core::error::CoreResult;
use steden_core::mail::{self, CalendarPart, OutgoingMail};
use steden_core::CoreError;
use steden_db::jobs::{self, JobError, NewJob, Registry};
use steden_db::{now_ms, Db, Tx};
use steden_web::i18n::{Catalog, Lang};

use crate::ical::{self, Calendar, Event, Method, Person};
use crate::signed_link::{self, LinkKind};
use crate::store::groups::{self, Profile};
use crate::store::mail_log::{self, Recipient};
use crate::store::meetings::{self, Meeting, MeetingStatus};
use crate::{localtime, paths};

/// The job that mails a meeting's invitation, update or cancellation.
pub const MAIL_JOB: &str = "werkgroepen.mail_meeting";

/// What a mail is, as `wg_mail_log.kind` and the job's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailKind {
    Uitnodiging,
    Wijziging,
    Annulering,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Uitnodiging => "uitnodiging",
            MailKind::Wijziging => "wijziging",
            MailKind::Annulering => "annulering",
        }
    }
}

/// Where the mails point and who sends them: the server's address and sender, carried in the
/// job since a job has no server configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub base_url: String,
    pub sender: String,
}

impl Origin {
    pub fn of(config: &steden_web::app::Config) -> Origin {
        Origin {
            base_url: config.base_url.trim_end_matches('/').to_string(),
            sender: config.mail_from.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    meeting_id: String,
    kind: MailKind,
    version: i64,
    #[serde(flatten)]
    origin: Origin,
}

/// Queues the mails for the meeting's current state, in the transaction that changed it: an
/// invitation for a new meeting, an update for a moved one, a cancellation for a cancelled
/// one. A meeting marked held needs no mail.
pub async fn queue(tx: &mut Tx<'_>, origin: &Origin, meeting_id: &str) -> CoreResult<()> {
    let meeting = meetings::find_by_id(&mut **tx, meeting_id)
        .await?
        .ok_or(CoreError::NotFound("vergadering"))?;
    let kind = match meeting.status {
        MeetingStatus::Gehouden => return Ok(()),
        MeetingStatus::Geannuleerd => MailKind::Annulering,
        MeetingStatus::Gepland if meeting.moved => MailKind::Wijziging,
        MeetingStatus::Gepland => MailKind::Uitnodiging,
    };
    let payload = Payload {
        meeting_id: meeting.id,
        kind,
        version: meeting.ical_sequence,
        origin: origin.clone(),
    };
    let payload = serde_json::to_value(&payload).map_err(|e| CoreError::Internal(e.into()))?;
    jobs::enqueue_tx(tx, NewJob::new(MAIL_JOB, payload)).await?;
    Ok(())
}

/// Queues the mails of `kind` for the meeting as it is now (its SEQUENCE is the job's
/// version), for callers that decide the kind themselves (crate::series_mail).
pub async fn queue_kind(
    tx: &mut Tx<'_>,
    origin: &Origin,
    meeting: &Meeting,
    kind: MailKind,
) -> CoreResult<()> {
    let payload = Payload {
        meeting_id: meeting.id.clone(),
        kind,
        version: meeting.ical_sequence,
        origin: origin.clone(),
    };
    let payload = serde_json::to_value(&payload).map_err(|e| CoreError::Internal(e.into()))?;
    jobs::enqueue_tx(tx, NewJob::new(MAIL_JOB, payload)).await?;
    Ok(())
}

/// Registers the job.
pub fn register_jobs(registry: &mut Registry) {
    registry.register(MAIL_JOB, |ctx: jobs::JobContext, payload| async move {
        handle(ctx.db(), payload).await
    });
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The module's own files are checked by its translations test; an error is a bug.
        Catalog::build(&crate::translations()).unwrap_or_else(|_| {
            Catalog::build(&[]).unwrap_or_else(|e| panic!("empty catalog: {e}"))
        })
    })
}

pub(crate) fn t(key: &str, args: &[(&str, &str)]) -> String {
    catalog().text_with(Lang::Nl, key, args)
}

fn retry(error: CoreError) -> JobError {
    JobError::retry(error)
}

/// The job: one mail per recipient, skipping those already sent.
pub async fn handle(db: &Db, payload: serde_json::Value) -> Result<(), JobError> {
    let payload: Payload =
        serde_json::from_value(payload).map_err(|e| JobError::permanent(e.to_string()))?;
    let Some(meeting) = meetings::find_by_id(db.pool(), &payload.meeting_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    let cancel = payload.kind == MailKind::Annulering;
    let current = match meeting.status {
        MeetingStatus::Geannuleerd => cancel,
        MeetingStatus::Gepland => !cancel,
        MeetingStatus::Gehouden => false,
    };
    if meeting.ical_sequence != payload.version || !current {
        return Ok(());
    }
    let mut conn = db.pool().acquire().await?;
    let Some(profile) = groups::find(&mut conn, &meeting.group_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    drop(conn);
    let recipients = if cancel {
        mail_log::invited(db.pool(), &meeting.id).await
    } else {
        mail_log::recipients(db.pool(), &meeting.group_id).await
    }
    .map_err(retry)?;
    let key = signed_link::key(db).await?;
    for recipient in &recipients {
        let user = match steden_core::user::get(db.pool(), &recipient.user_id).await {
            Ok(user) if user.active && !user.email.trim().is_empty() => user,
            Ok(_) | Err(CoreError::NotFound(_)) => continue,
            Err(error) => return Err(retry(error)),
        };
        let mut tx = db.begin().await?;
        let kind = payload.kind.as_str();
        if mail_log::was_sent(&mut tx, kind, &meeting.id, payload.version, &user.id)
            .await
            .map_err(retry)?
        {
            continue;
        }
        let built = build_mail(
            &Mailing {
                meeting: &meeting,
                profile: &profile,
                kind: payload.kind,
                origin: &payload.origin,
                key: &key,
            },
            recipient,
            &user.email,
        );
        let outbox_id = mail::enqueue(&mut tx, &built).await?;
        mail_log::record(
            &mut tx,
            kind,
            &meeting.id,
            payload.version,
            &user.id,
            &outbox_id,
        )
        .await
        .map_err(retry)?;
        tx.commit().await?;
    }
    if !cancel {
        let mut tx = db.begin().await?;
        mail_log::mark_invited(&mut tx, &meeting.id, payload.version)
            .await
            .map_err(retry)?;
        tx.commit().await?;
    }
    Ok(())
}

/// What every mail of one job shares.
pub struct Mailing<'a> {
    pub meeting: &'a Meeting,
    pub profile: &'a Profile,
    pub kind: MailKind,
    pub origin: &'a Origin,
    /// The key that signs the reply links.
    pub key: &'a [u8],
}

/// The calendar event of a meeting (shared with the feed, which names no attendee).
pub fn event(
    meeting: &Meeting,
    profile: &Profile,
    origin: &Origin,
    attendee: Option<Person>,
) -> Event {
    let url = format!(
        "{}{}",
        origin.base_url,
        paths::group_meeting(&profile.slug, &meeting.id)
    );
    let mut description = vec![t("wg-ical-description-page", &[("url", &url)])];
    if !meeting.online_url.is_empty() {
        description.push(t(
            "wg-ical-description-online",
            &[("url", &meeting.online_url)],
        ));
    }
    let location = match (meeting.place.is_empty(), meeting.online_url.is_empty()) {
        (true, false) => meeting.online_url.clone(),
        _ => meeting.place.clone(),
    };
    Event {
        uid: meeting.ical_uid.clone(),
        sequence: meeting.ical_sequence,
        local_date: meeting.local_date.clone(),
        local_start: meeting.local_start.clone(),
        local_end: meeting.local_end.clone(),
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        summary: summary(meeting, profile),
        location,
        description: description.join("\n"),
        url,
        cancelled: meeting.status == MeetingStatus::Geannuleerd,
        updated_at: meeting.updated_at,
        organizer: Some(Person {
            name: ical::ORGANIZER_NAME.to_string(),
            email: ical::address_of(&origin.sender),
        }),
        attendee,
    }
}

/// "Werkgroep GDPR: vergadering" when the meeting bears the group's name, else its own title.
fn summary(meeting: &Meeting, profile: &Profile) -> String {
    if meeting.title == profile.name {
        t("wg-ical-summary", &[("group", &profile.name)])
    } else {
        meeting.title.clone()
    }
}

/// The reply link of `user_id` for the meeting, valid until the meeting ends.
pub fn reply_url(origin: &Origin, key: &[u8], meeting: &Meeting, user_id: &str) -> String {
    let token = signed_link::sign(
        key,
        LinkKind::Reply,
        &signed_link::reply_id(&meeting.id, user_id),
        meeting.ends_at,
    );
    format!("{}{}", origin.base_url, paths::reply_link(&token))
}

/// The mail for one recipient.
pub fn build_mail(mailing: &Mailing<'_>, recipient: &Recipient, email: &str) -> OutgoingMail {
    let Mailing {
        meeting,
        profile,
        kind,
        origin,
        key,
    } = *mailing;
    let attendee = Person {
        name: recipient.name.clone(),
        email: email.to_string(),
    };
    let method = if kind == MailKind::Annulering {
        Method::Cancel
    } else {
        Method::Request
    };
    let ics = ical::write(&Calendar {
        method,
        feed_name: None,
        stamp: now_ms(),
        events: vec![event(meeting, profile, origin, Some(attendee))],
    });
    let date = localtime::parse_date(&meeting.local_date)
        .map(localtime::show_date)
        .unwrap_or_else(|_| meeting.local_date.clone());
    let when = format!(
        "{}, {}–{}",
        localtime::parse_date(&meeting.local_date)
            .map(localtime::long_date_nl)
            .unwrap_or_else(|_| meeting.local_date.clone()),
        meeting.local_start,
        meeting.local_end
    );
    let mut place = Vec::new();
    if !meeting.place.is_empty() {
        place.push(t("wg-mail-where", &[("place", &meeting.place)]));
    }
    if !meeting.online_url.is_empty() {
        place.push(t("wg-mail-online", &[("url", &meeting.online_url)]));
    }
    let place = place.join("\n");
    let url = format!(
        "{}{}",
        origin.base_url,
        paths::group_meeting(&profile.slug, &meeting.id)
    );
    let reply = reply_url(origin, key, meeting, &recipient.user_id);
    let title = meeting.title.as_str();
    let (subject_key, text) = match kind {
        MailKind::Uitnodiging | MailKind::Wijziging => {
            let (subject_key, text_key) = if kind == MailKind::Uitnodiging {
                ("wg-mail-invite-subject", "wg-mail-invite-text")
            } else {
                ("wg-mail-update-subject", "wg-mail-update-text")
            };
            let text = t(
                text_key,
                &[
                    ("name", &recipient.name),
                    ("group", &profile.name),
                    ("when", &when),
                    ("where", &place),
                    ("url", &url),
                    ("reply", &reply),
                ],
            );
            (subject_key, text)
        }
        MailKind::Annulering => {
            let reason = if meeting.cancel_reason.is_empty() {
                String::new()
            } else {
                t("wg-mail-reason", &[("reason", &meeting.cancel_reason)])
            };
            let text = t(
                "wg-mail-cancel-text",
                &[
                    ("name", &recipient.name),
                    ("group", &profile.name),
                    ("when", &when),
                    ("reason", &reason),
                ],
            );
            ("wg-mail-cancel-subject", text)
        }
    };
    OutgoingMail {
        to: email.to_string(),
        subject: t(subject_key, &[("title", title), ("date", &date)]),
        text,
        html: None,
        // The core adds the same object as invitation.ics for clients that only show files.
        attachments: Vec::new(),
        calendar: Some(CalendarPart {
            method: method.as_str().to_string(),
            ics,
        }),
    }
}
