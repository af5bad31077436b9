//! The mail outbox: every e-mail leaves the platform through here.
//!
//! [`enqueue`] writes the message to `mail_outbox` and adds a "mail.send" job, both in the
//! caller's transaction: an invitation whose transaction rolls back sends nothing, and one that
//! commits is sent even if the server restarts in between. The job ([`register`]) sends it with
//! the [`Mailer`]: over SMTP when `SMTP_URL` is set, otherwise as `.eml` files under
//! `<data_dir>/mail/` so that invitations and password resets work on a laptop.
//!
//! Sent at most once per outbox row, as far as SMTP allows: the handler skips a row already
//! marked `sent`, and marks it `sent` right after the server accepted the message, before the job
//! itself is recorded as done. What remains is the moment between the server's "250 OK" and
//! that update: if the process dies exactly then, the retry sends the message again (with the
//! same Message-ID, so that mail clients can fold the copies). SMTP offers no way to close that
//! window; losing a password-reset mail would be worse than a rare duplicate.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use steden_db::jobs::{self, JobContext, JobError, NewJob, Registry};
use steden_db::{new_id, now_ms, Db, Tx};

/// The job kind that sends one outbox row.
pub const SEND_JOB: &str = "mail.send";

/// An e-mail to send. Build it with `..Default::default()` for the parts a mail does not use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    /// The plain-text body (always present: some people read mail as text only).
    pub text: String,
    /// An optional HTML alternative.
    pub html: Option<String>,
    /// A calendar invitation (iCalendar), shown by mail clients as an invitation.
    pub calendar: Option<CalendarPart>,
    /// Files attached to the message.
    pub attachments: Vec<MailAttachment>,
}

/// An iCalendar object sent as an invitation: a `text/calendar; method=…` alternative of the
/// body (what Outlook and Gmail read as an invitation) and the same object as `invitation.ics`
/// (for clients that only offer attachments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPart {
    /// The iTIP method, equal to the object's `METHOD` line: `REQUEST`, `CANCEL`, `PUBLISH`.
    pub method: String,
    /// The whole `VCALENDAR` object, lines ending in CRLF.
    pub ics: String,
}

/// A file attached to a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub filename: String,
    /// A MIME type such as `application/pdf`.
    pub content_type: String,
    pub content: Vec<u8>,
}

/// The name of the calendar object's attachment.
pub const INVITATION_FILENAME: &str = "invitation.ics";

/// How the parts beyond text and HTML are kept in `mail_outbox.parts` (JSON; NULL for a plain
/// mail). Attachments as base64, since JSON has no bytes.
#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredParts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    calendar: Option<CalendarPart>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<StoredAttachment>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredAttachment {
    filename: String,
    content_type: String,
    content_base64: String,
}

impl StoredParts {
    /// The JSON of the mail's extra parts, None for a plain mail.
    fn of(mail: &OutgoingMail) -> Option<String> {
        if mail.calendar.is_none() && mail.attachments.is_empty() {
            return None;
        }
        let stored = StoredParts {
            calendar: mail.calendar.clone(),
            attachments: mail
                .attachments
                .iter()
                .map(|a| StoredAttachment {
                    filename: a.filename.clone(),
                    content_type: a.content_type.clone(),
                    content_base64: BASE64.encode(&a.content),
                })
                .collect(),
        };
        Some(serde_json::to_string(&stored).expect("parts serialise"))
    }

    /// Puts the parts of a stored row back on `mail`.
    fn restore(json: Option<&str>, mail: &mut OutgoingMail) -> Result<(), sqlx::Error> {
        let Some(json) = json else {
            return Ok(());
        };
        let decode = |err: String| sqlx::Error::Decode(err.into());
        let stored: StoredParts =
            serde_json::from_str(json).map_err(|err| decode(err.to_string()))?;
        mail.calendar = stored.calendar;
        mail.attachments = stored
            .attachments
            .into_iter()
            .map(|a| {
                Ok(MailAttachment {
                    content: BASE64
                        .decode(&a.content_base64)
                        .map_err(|err| decode(err.to_string()))?,
                    filename: a.filename,
                    content_type: a.content_type,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(())
    }
}

/// Puts `mail` in the outbox and schedules its sending, in the caller's transaction. Returns
/// the outbox id.
pub async fn enqueue(tx: &mut Tx<'_>, mail: &OutgoingMail) -> Result<String, sqlx::Error> {
    let id = new_id();
    let job_id = jobs::enqueue_tx(tx, NewJob::new(SEND_JOB, json!({ "outbox_id": id }))).await?;
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, status, \
         created_at, job_id, parts) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8)",
    )
    .bind(&id)
    .bind(mail.to.trim())
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(mail.html.clone())
    .bind(now_ms())
    .bind(&job_id)
    .bind(StoredParts::of(mail))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Where an outbox row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Queued,
    Sent,
    Failed,
}

impl OutboxStatus {
    fn parse(value: &str) -> OutboxStatus {
        match value {
            "sent" => OutboxStatus::Sent,
            "failed" => OutboxStatus::Failed,
            _ => OutboxStatus::Queued,
        }
    }
}

/// A row of the outbox.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: String,
    pub mail: OutgoingMail,
    pub status: OutboxStatus,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub job_id: Option<String>,
}

/// One outbox row.
pub async fn get(db: &Db, id: &str) -> Result<Option<OutboxEntry>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, recipient, subject, text_body, html_body, status, created_at, sent_at, \
         last_error, job_id, parts FROM mail_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let status: String = row.try_get("status")?;
    let mut mail = OutgoingMail {
        to: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        text: row.try_get("text_body")?,
        html: row.try_get("html_body")?,
        ..Default::default()
    };
    let parts: Option<String> = row.try_get("parts")?;
    StoredParts::restore(parts.as_deref(), &mut mail)?;
    Ok(Some(OutboxEntry {
        id: row.try_get("id")?,
        mail,
        status: OutboxStatus::parse(&status),
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
        last_error: row.try_get("last_error")?,
        job_id: row.try_get("job_id")?,
    }))
}

/// Why a [`Mailer`] could not be set up. Never contains the SMTP password.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("ongeldige SMTP_URL ({url}): {reason}")]
    InvalidSmtpUrl { url: String, reason: String },
    #[error("ongeldig afzenderadres MAIL_FROM '{0}'")]
    InvalidFrom(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Sends mail, over SMTP or into `.eml` files.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// How the mailer is set up, without secrets (for the start-up log).
    description: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("transport", &self.description)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// The mailer of a server's configuration: SMTP when `smtp_url` is set (and not empty),
    /// otherwise files under `<data_dir>/mail/`.
    pub fn from_config(
        smtp_url: Option<&str>,
        data_dir: &Path,
        mail_from: &str,
    ) -> Result<Mailer, MailerError> {
        match smtp_url.map(str::trim).filter(|url| !url.is_empty()) {
            Some(url) => Mailer::smtp(url, mail_from),
            None => Mailer::files(data_dir.join("mail"), mail_from),
        }
    }

    /// Sends through the SMTP server of `url`: `smtp://host:port` (plain, for a local relay),
    /// `smtp://…?tls=required` (STARTTLS) or `smtps://host:465` (TLS), with credentials as
    /// `smtps://user:password@host`. Call it inside the Tokio runtime: the connection pool
    /// starts a task.
    pub fn smtp(url: &str, mail_from: &str) -> Result<Mailer, MailerError> {
        let shown = redact(url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| MailerError::InvalidSmtpUrl {
                url: shown.clone(),
                // lettre's messages do not repeat the URL; redact anyway in case one ever does.
                reason: err.to_string().replace(url, &shown),
            })?
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: parse_from(mail_from)?,
            description: format!("SMTP via {shown}"),
        })
    }

    /// Writes every message as an `.eml` file into `dir` (created when the first mail is sent).
    pub fn files(dir: PathBuf, mail_from: &str) -> Result<Mailer, MailerError> {
        Ok(Mailer {
            description: format!(".eml-bestanden in {}", dir.display()),
            transport: Transport::Files(dir),
            from: parse_from(mail_from)?,
        })
    }

    /// How mail leaves, safe to log (no password).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Builds the message of an outbox row. The Message-ID derives from the outbox id, so that
    /// a message sent twice (see the module documentation) carries the same id.
    pub fn build(&self, outbox_id: &str, mail: &OutgoingMail) -> Result<Message, JobError> {
        let to: Mailbox = mail.to.parse().map_err(|err| {
            JobError::permanent(format!("ongeldig e-mailadres '{}': {err}", mail.to))
        })?;
        let domain = self.from.email.domain().to_string();
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{outbox_id}@{domain}>")));
        let built = if mail.calendar.is_none() && mail.attachments.is_empty() {
            // A plain mail keeps the shape it always had.
            match &mail.html {
                Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                    mail.text.clone(),
                    html.clone(),
                )),
                None => builder.singlepart(SinglePart::plain(mail.text.clone())),
            }
        } else {
            builder.multipart(mixed_body(mail)?)
        };
        built.map_err(|err| JobError::permanent(format!("kan bericht niet opbouwen: {err}")))
    }

    /// Sends one message. Errors are retryable: a refusing or unreachable server may be fixed
    /// by its administrator before the attempts run out, and a dead job can be requeued.
    pub async fn send(&self, message: Message) -> Result<(), JobError> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| JobError::retry(format!("SMTP-fout: {err}"))),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|err| {
                    JobError::retry(format!("kan map {} niet aanmaken: {err}", dir.display()))
                })?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|err| JobError::retry(format!("kan .eml niet schrijven: {err}")))
            }
        }
    }
}

/// `multipart/mixed [ body, invitation.ics?, attachments… ]`, where the body is
/// `multipart/alternative [ text/plain, text/html?, text/calendar? ]` (or the plain text alone).
/// The calendar object travels twice because clients differ: Outlook and Gmail show the
/// alternative as an invitation, others only offer the attached file.
fn mixed_body(mail: &OutgoingMail) -> Result<MultiPart, JobError> {
    let invalid = |what: String| JobError::permanent(format!("kan bericht niet opbouwen: {what}"));
    let mut alternatives = vec![SinglePart::plain(mail.text.clone())];
    if let Some(html) = &mail.html {
        alternatives.push(SinglePart::html(html.clone()));
    }
    if let Some(calendar) = &mail.calendar {
        // The method goes into a header parameter: only the letters of an iTIP method.
        let method = calendar.method.as_str();
        if method.is_empty() || !method.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(invalid(format!("ongeldige agendamethode '{method}'")));
        }
        let content_type =
            ContentType::parse(&format!("text/calendar; method={method}; charset=UTF-8"))
                .map_err(|err| invalid(err.to_string()))?;
        alternatives.push(
            SinglePart::builder()
                .header(content_type)
                .body(calendar.ics.clone()),
        );
    }
    let body = if alternatives.len() == 1 {
        MultiPart::mixed().singlepart(alternatives.remove(0))
    } else {
        let mut alternative = MultiPart::alternative().build();
        for part in alternatives {
            alternative = alternative.singlepart(part);
        }
        MultiPart::mixed().multipart(alternative)
    };
    let mut mixed = body;
    if let Some(calendar) = &mail.calendar {
        let ics = ContentType::parse("application/ics").expect("valid content type");
        mixed = mixed.singlepart(
            Attachment::new(INVITATION_FILENAME.to_string()).body(calendar.ics.clone(), ics),
        );
    }
    for attachment in &mail.attachments {
        let name = attachment.filename.as_str();
        if name.trim().is_empty()
            || name
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err(invalid(format!("ongeldige bestandsnaam '{name}'")));
        }
        let content_type = ContentType::parse(&attachment.content_type).map_err(|_| {
            invalid(format!(
                "ongeldig bestandstype '{}'",
                attachment.content_type
            ))
        })?;
        mixed = mixed.singlepart(
            Attachment::new(name.to_string()).body(attachment.content.clone(), content_type),
        );
    }
    Ok(mixed)
}

fn parse_from(mail_from: &str) -> Result<Mailbox, MailerError> {
    mail_from
        .parse()
        .map_err(|_| MailerError::InvalidFrom(mail_from.to_string()))
}

/// `url` with the password of its user info replaced by `***`.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let user = authority[..at].split(':').next().unwrap_or_default();
            format!(
                "{}{user}:***@{}{}",
                &url[..scheme_end + 3],
                &authority[at + 1..],
                &rest[authority_end..]
            )
        }
        None => url.to_string(),
    }
}

#[derive(Deserialize)]
struct SendPayload {
    outbox_id: String,
}

/// Registers the "mail.send" handler.
pub fn register(registry: &mut Registry, mailer: Arc<Mailer>) {
    registry.register(SEND_JOB, move |ctx, payload| {
        let mailer = mailer.clone();
        async move { send_outbox_row(&ctx, &mailer, payload).await }
    });
}

async fn send_outbox_row(
    ctx: &JobContext,
    mailer: &Mailer,
    payload: serde_json::Value,
) -> Result<(), JobError> {
    let SendPayload { outbox_id } = serde_json::from_value(payload)?;
    let db = ctx.db();
    let entry = get(db, &outbox_id).await?.ok_or_else(|| {
        JobError::permanent(format!("bericht {outbox_id} staat niet in de outbox"))
    })?;
    if entry.status == OutboxStatus::Sent {
        // An earlier attempt sent it and marked it, but did not get to finish the job.
        return Ok(());
    }
    let message = match mailer.build(&outbox_id, &entry.mail) {
        Ok(message) => message,
        Err(err) => {
            mark_failed(db, &outbox_id, &err.to_string(), true).await?;
            return Err(err);
        }
    };
    match mailer.send(message).await {
        Ok(()) => {
            sqlx::query(
                "UPDATE mail_outbox SET status = 'sent', sent_at = $1, last_error = NULL \
                 WHERE id = $2",
            )
            .bind(now_ms())
            .bind(&outbox_id)
            .execute(db.pool())
            .await?;
            tracing::info!(outbox = %outbox_id, "e-mail verzonden");
            Ok(())
        }
        Err(err) => {
            mark_failed(db, &outbox_id, &err.to_string(), ctx.is_last_attempt()).await?;
            Err(err)
        }
    }
}

/// Records a failed attempt on the outbox row; `final_attempt` marks it failed for good.
async fn mark_failed(
    db: &Db,
    outbox_id: &str,
    error: &str,
    final_attempt: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET status = $1, last_error = $2 WHERE id = $3")
        .bind(if final_attempt { "failed" } else { "queued" })
        .bind(error)
        .bind(outbox_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_never_show() {
        assert_eq!(
            redact("smtps://noreply%40stad.be:geheim@mail.stad.be:465/ehlo?tls=required"),
            "smtps://noreply%40stad.be:***@mail.stad.be:465/ehlo?tls=required"
        );
        assert_eq!(redact("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
        let mailer = Mailer::smtp("smtps://user:geheim@mail.stad.be", "noreply@stad.be").unwrap();
        assert!(!mailer.description().contains("geheim"));
        assert!(!format!("{mailer:?}").contains("geheim"));
        let err = Mailer::smtp("ftp://user:geheim@mail.stad.be", "noreply@stad.be").unwrap_err();
        assert!(!err.to_string().contains("geheim"), "{err}");
    }

    #[test]
    fn without_smtp_url_mail_goes_to_files_under_the_data_dir() {
        let mailer =
            Mailer::from_config(Some("  "), Path::new("/srv/steden"), "Steden <a@b.be>").unwrap();
        assert!(
            matches!(&mailer.transport, Transport::Files(dir) if dir == Path::new("/srv/steden/mail"))
        );
        assert!(Mailer::from_config(None, Path::new("x"), "geen adres").is_err());
    }
}
