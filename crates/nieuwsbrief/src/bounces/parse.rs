//! From a raw message to its reports: `multipart/report` with `report-type=delivery-status`
//! (RFC 3464) or `report-type=feedback-report` (RFC 5965). The MIME structure is read by
//! `mail-parser`; the report's own fields by [`super::fields`].

use std::fmt;

use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::fields::{self, Block};
use super::BounceKind;

/// Messages larger than this are refused (a bounce with its returned message is far smaller).
pub const MAX_MESSAGE_BYTES: usize = 2 * 1024 * 1024;
/// The longest diagnostic kept, in characters.
const MAX_DIAGNOSTIC_CHARS: usize = 500;

/// One recipient's bounce, or one complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: BounceKind,
    /// The address it is about, in lower case, when the report names one.
    pub recipient: Option<String>,
    /// The enhanced status code (`5.1.1`) of a DSN; the feedback type of a complaint.
    pub status_code: Option<String>,
    /// The remote server's words (`Diagnostic-Code`), at most 500 characters.
    pub diagnostic: Option<String>,
    /// The Message-ID of the returned message (ours, when it was a mail of this module).
    pub message_id: Option<String>,
    /// The campaign, from `X-Nb-Campaign` or our Message-ID.
    pub campaign_id: Option<String>,
    /// The subscriber, from our Message-ID.
    pub subscriber_id: Option<String>,
    /// What makes the same report received twice the same: the report's own Message-ID, or
    /// a hash of the whole message when it has none.
    pub report_key: String,
}

/// Why a message was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Larger than [`MAX_MESSAGE_BYTES`].
    TooLarge,
    /// Something that is not a bounce or complaint, or one that is broken; the reason in Dutch.
    Unreadable(&'static str),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooLarge => write!(
                f,
                "Het bericht is groter dan 2 MB; een bouncebericht is nooit zo groot."
            ),
            ParseError::Unreadable(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for ParseError {}

/// The reports in the message `raw`. An empty list when the message is a report that asks
/// for nothing (a DSN of successful delivery, an ARF `not-spam`).
pub fn parse(raw: &[u8]) -> Result<Vec<Report>, ParseError> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(ParseError::TooLarge);
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(ParseError::Unreadable(
            "Dit is geen e-mailbericht: er staan geen kopregels in.",
        ))?;
    let content_type = message.content_type().ok_or(ParseError::Unreadable(
        "Het bericht heeft geen Content-Type; een bounce of klacht is multipart/report.",
    ))?;
    let is_report = content_type.ctype().eq_ignore_ascii_case("multipart")
        && content_type
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"));
    if !is_report {
        return Err(ParseError::Unreadable(
            "Het bericht is geen multipart/report: geen bounce (RFC 3464) en geen klacht (RFC 5965).",
        ));
    }
    let report_type = content_type
        .attribute("report-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let report_key = match message.message_id().and_then(fields::message_id) {
        Some(id) => id,
        None => format!("sha256:{}", hex::encode(Sha256::digest(raw))),
    };

    let mut report_part: Option<String> = None;
    let mut returned: Option<Block> = None;
    for part in message.parts.iter().skip(1) {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let full = format!(
            "{}/{}",
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or_default().to_ascii_lowercase()
        );
        match full.as_str() {
            "message/delivery-status"
            | "message/global-delivery-status"
            | "message/feedback-report"
                if report_part.is_none() =>
            {
                report_part = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            "message/rfc822"
            | "message/global"
            | "text/rfc822-headers"
            | "message/rfc822-headers"
                if returned.is_none() =>
            {
                returned = Some(match part.message() {
                    Some(inner) => inner
                        .headers_raw()
                        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
                        .collect(),
                    None => fields::headers(&String::from_utf8_lossy(part.contents())),
                });
            }
            _ => {}
        }
    }
    let returned = Returned::of(returned.unwrap_or_default());
    match report_type.as_str() {
        "delivery-status" => {
            let text = report_part.ok_or(ParseError::Unreadable(
                "Het bouncebericht mist het deel message/delivery-status.",
            ))?;
            delivery_status(&text, &returned, &report_key)
        }
        "feedback-report" => {
            let text = report_part.ok_or(ParseError::Unreadable(
                "Het klachtbericht mist het deel message/feedback-report.",
            ))?;
            feedback(&text, &returned, &report_key)
        }
        _ => Err(ParseError::Unreadable(
            "Onbekend soort rapport: alleen report-type=delivery-status en feedback-report worden gelezen.",
        )),
    }
}

/// What the returned message (or its headers) tells.
#[derive(Debug, Default)]
struct Returned {
    message_id: Option<String>,
    campaign_id: Option<String>,
    subscriber_id: Option<String>,
    to: Option<String>,
}

impl Returned {
    fn of(headers: Block) -> Returned {
        let message_id = fields::get(&headers, "message-id").and_then(fields::message_id);
        let ours = message_id.as_deref().and_then(fields::ids_of_message_id);
        let campaign_id = fields::get(&headers, "x-nb-campaign")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() <= 64)
            .or_else(|| ours.as_ref().map(|(c, _)| c.clone()));
        Returned {
            message_id,
            campaign_id,
            subscriber_id: ours.map(|(_, s)| s),
            to: fields::get(&headers, "to").and_then(fields::address),
        }
    }

    fn report(&self, kind: BounceKind, recipient: Option<String>, key: &str) -> Report {
        Report {
            kind,
            recipient,
            status_code: None,
            diagnostic: None,
            message_id: self.message_id.clone(),
            campaign_id: self.campaign_id.clone(),
            subscriber_id: self.subscriber_id.clone(),
            report_key: key.to_string(),
        }
    }
}

/// RFC 3464: a per-message block, then one block per recipient.
fn delivery_status(text: &str, returned: &Returned, key: &str) -> Result<Vec<Report>, ParseError> {
    let blocks = fields::blocks(text);
    let recipients: Vec<&Block> = blocks
        .iter()
        .filter(|b| {
            fields::get(b, "final-recipient").is_some() || fields::get(b, "action").is_some()
        })
        .collect();
    if recipients.is_empty() {
        return Err(ParseError::Unreadable(
            "Het bouncebericht noemt geen ontvanger (Final-Recipient of Action ontbreekt).",
        ));
    }
    let mut reports = Vec::new();
    for block in recipients {
        let action = fields::get(block, "action")
            .unwrap_or("failed")
            .to_ascii_lowercase();
        let status = fields::get(block, "status")
            .and_then(|s| s.split_whitespace().next())
            .filter(|s| status_code_like(s))
            .map(str::to_string);
        let kind = match (
            action.as_str(),
            status.as_deref().and_then(|s| s.chars().next()),
        ) {
            ("delayed", _) => BounceKind::Soft,
            ("failed", Some('4')) => BounceKind::Soft,
            ("failed", _) => BounceKind::Hard,
            // delivered, relayed, expanded: nothing went wrong
            _ => continue,
        };
        let recipient = fields::get(block, "original-recipient")
            .and_then(fields::address)
            .or_else(|| fields::get(block, "final-recipient").and_then(fields::address));
        if recipient.is_none() && returned.subscriber_id.is_none() {
            continue;
        }
        let mut report = returned.report(kind, recipient, key);
        report.status_code = status;
        report.diagnostic = fields::get(block, "diagnostic-code").map(truncate);
        reports.push(report);
    }
    Ok(reports)
}

/// RFC 5965: one block; the complained-about address from `Original-Rcpt-To` or the returned
/// message's `To`.
fn feedback(text: &str, returned: &Returned, key: &str) -> Result<Vec<Report>, ParseError> {
    let block = fields::blocks(text).into_iter().next().unwrap_or_default();
    let feedback_type = fields::get(&block, "feedback-type")
        .ok_or(ParseError::Unreadable(
            "Het klachtbericht mist het veld Feedback-Type.",
        ))?
        .to_ascii_lowercase();
    if !matches!(
        feedback_type.as_str(),
        "abuse" | "fraud" | "virus" | "other"
    ) {
        // not-spam, auth-failure: no complaint about us
        return Ok(Vec::new());
    }
    let recipient = fields::get(&block, "original-rcpt-to")
        .and_then(fields::address)
        .or_else(|| returned.to.clone());
    if recipient.is_none() && returned.subscriber_id.is_none() {
        return Err(ParseError::Unreadable(
            "Het klachtbericht noemt het adres niet (geen Original-Rcpt-To, geen To en geen Message-ID van ons).",
        ));
    }
    let mut report = returned.report(BounceKind::Complaint, recipient, key);
    report.status_code = Some(feedback_type);
    Ok(vec![report])
}

/// `5.1.1`-like: a class digit, then two numbers.
fn status_code_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_DIAGNOSTIC_CHARS).collect()
}
