//! One recipient's message of a campaign (design §3.3): the frozen HTML and text with the
//! recipient's own links in their slots, and the headers a bulk mail needs — a Message-ID
//! derived from campaign and subscriber (a message sent twice after a crash carries the same
//! one), `Date`, `List-Unsubscribe` with an https and a mailto address and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), `List-Id`,
//! `Precedence: bulk` — as `multipart/alternative`, DKIM-signed when a key is configured.

use std::sync::OnceLock;
use std::time::SystemTime;

use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use steden_core::signed_link::Signer;

use crate::frozen::RecipientLinks;
use crate::links::{self, LinkKind};
use crate::paths;

use super::encoded::EncodedBody;
use super::setup::SendSetup;

/// What every message of a campaign shares.
#[derive(Debug, Clone)]
pub struct CampaignMail {
    pub id: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// The text and HTML encoded once, on the first message built from this value.
    encoded: OnceLock<(EncodedBody, EncodedBody)>,
}

impl CampaignMail {
    pub fn new(id: String, subject: String, html: String, text: String) -> CampaignMail {
        CampaignMail {
            id,
            subject,
            html,
            text,
            encoded: OnceLock::new(),
        }
    }

    fn encoded(&self) -> &(EncodedBody, EncodedBody) {
        self.encoded
            .get_or_init(|| (EncodedBody::new(&self.text), EncodedBody::new(&self.html)))
    }
}

/// One part of `multipart/alternative`, already quoted-printable encoded.
fn encoded_part(body: &EncodedBody, links: &RecipientLinks) -> Body {
    Body::dangerous_pre_encoded(
        body.fill(links).into_bytes(),
        ContentTransferEncoding::QuotedPrintable,
    )
}

/// The recipient of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub subscriber_id: String,
    pub email: String,
    pub name: String,
}

/// `<{campaign}.{subscriber}@{host}>`: the same for every copy of one recipient's message.
pub fn message_id(campaign_id: &str, subscriber_id: &str, host: &str) -> String {
    format!("<{campaign_id}.{subscriber_id}@{host}>")
}

/// The recipient's signed links, absolute: preferences, the unsubscribe page of the footer and
/// the one-click address of `List-Unsubscribe`.
pub struct Links {
    pub recipient: RecipientLinks,
    pub one_click: String,
    pub token: String,
}

pub fn links(setup: &SendSetup, signer: &Signer, subscriber_id: &str, now: i64) -> Links {
    let preferences = links::sign(signer, LinkKind::Preferences, subscriber_id, now);
    let token = links::sign(signer, LinkKind::Unsubscribe, subscriber_id, now);
    let base = &setup.base_url;
    Links {
        recipient: RecipientLinks {
            preferences_url: format!("{base}{}", paths::preferences(&preferences)),
            unsubscribe_url: format!("{base}{}", paths::unsubscribe(&token)),
        },
        one_click: format!("{base}{}", paths::one_click_unsubscribe(&token)),
        token,
    }
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

/// The message for `recipient`; an address that is not one is a permanent failure (its text).
pub fn build(
    setup: &SendSetup,
    campaign: &CampaignMail,
    recipient: &Recipient,
    links: &Links,
) -> Result<Message, String> {
    let to: Mailbox = recipient
        .email
        .parse()
        .map_err(|e| format!("ongeldig e-mailadres '{}': {e}", recipient.email))?;
    let to = if recipient.name.trim().is_empty() {
        to
    } else {
        Mailbox::new(Some(recipient.name.trim().to_string()), to.email)
    };
    let host = setup.host();
    let (text, html) = campaign.encoded();
    let list_unsubscribe = format!(
        "<{}>, <mailto:{}?subject=afmelden%20{}>",
        links.one_click, setup.unsubscribe_mailto, links.token
    );
    let mut message = Message::builder()
        .from(setup.from.clone())
        .to(to)
        .subject(campaign.subject.clone())
        .date(SystemTime::now())
        .message_id(Some(message_id(
            &campaign.id,
            &recipient.subscriber_id,
            host,
        )))
        .raw_header(header("List-Unsubscribe", list_unsubscribe))
        .raw_header(header(
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".into(),
        ))
        .raw_header(header(
            "List-Id",
            format!("Nieuwsbrief <nieuwsbrief.{host}>"),
        ))
        .raw_header(header("Precedence", "bulk".into()))
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(encoded_part(text, &links.recipient)))
                .singlepart(SinglePart::html(encoded_part(html, &links.recipient))),
        )
        .map_err(|e| format!("kan bericht niet opbouwen: {e}"))?;
    if let Some(dkim) = &setup.dkim {
        message.sign(dkim);
    }
    Ok(message)
}
