//! Links in the module's mails that act without a login (design §3.1): registration,
//! evaluation, reply and "my data" links, all made here. The form is `payload.signature`,
//! where the payload is base64url of `kind|id|expiry` and the signature an HMAC-SHA256 of it
//! under the secret `werkgroepen.links` (`steden_core::settings::secret`, shared by every
//! server on the database). The signature is checked in constant time (`verify_slice`) before
//! anything in the payload is believed, so a forged link tells nothing, not even whether it
//! has expired.
//!
//! A link only opens a page; the page's button POSTs (mail scanners fetch every URL).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use steden_db::Db;

/// The setting that holds the key.
pub const SECRET_KEY: &str = "werkgroepen.links";

/// What a link may do: the kind is signed, so a link of one kind is never valid as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// See or cancel one's registration for an event.
    Registration,
    /// Fill in the evaluation form of an event one attended.
    Evaluation,
    /// Answer an invitation to a meeting (see [`reply_id`]).
    Reply,
    /// See what the module holds for a registration's e-mail address (the id is a
    /// registration's: the address never stands in the URL).
    Data,
}

impl LinkKind {
    fn word(self) -> &'static str {
        match self {
            LinkKind::Registration => "inschrijving",
            LinkKind::Evaluation => "evaluatie",
            LinkKind::Reply => "antwoord",
            LinkKind::Data => "gegevens",
        }
    }
}

/// The id a reply link signs: the meeting and the person it speaks for (ids never hold ':').
pub fn reply_id(meeting_id: &str, user_id: &str) -> String {
    format!("{meeting_id}:{user_id}")
}

/// The meeting and the person of a reply link's id.
pub fn split_reply_id(id: &str) -> Option<(&str, &str)> {
    id.split_once(':')
        .filter(|(meeting, user)| !meeting.is_empty() && !user.is_empty())
}

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Damaged, forged or of another kind: "Deze link is niet geldig." (400).
    Invalid,
    /// Sound but past its expiry: "Deze link is verlopen." (410).
    Expired,
}

/// The key of the module's links.
pub async fn key(db: &Db) -> Result<Vec<u8>, sqlx::Error> {
    Ok(steden_core::settings::secret(db, SECRET_KEY)
        .await?
        .into_bytes())
}

fn mac(key: &[u8], payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    // A prefix of its own, so that no other signature made with a shared secret fits.
    mac.update(b"werkgroepen-link.");
    mac.update(payload.as_bytes());
    mac
}

/// The signed token for `id`, valid until `expires_at` (UTC ms).
pub fn sign(key: &[u8], kind: LinkKind, id: &str, expires_at: i64) -> String {
    let payload = URL_SAFE_NO_PAD.encode(format!("{}|{id}|{expires_at}", kind.word()));
    let signature = URL_SAFE_NO_PAD.encode(mac(key, &payload).finalize().into_bytes());
    format!("{payload}.{signature}")
}

/// The id a token of `kind` stands for, if its signature holds and it has not expired at `now`.
pub fn verify(key: &[u8], kind: LinkKind, token: &str, now: i64) -> Result<String, LinkError> {
    let (payload, signature) = token.split_once('.').ok_or(LinkError::Invalid)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| LinkError::Invalid)?;
    mac(key, payload)
        .verify_slice(&signature)
        .map_err(|_| LinkError::Invalid)?;
    let decoded = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| LinkError::Invalid)?;
    let text = String::from_utf8(decoded).map_err(|_| LinkError::Invalid)?;
    let mut parts = text.splitn(3, '|');
    let (Some(word), Some(id), Some(expiry)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(LinkError::Invalid);
    };
    if word != kind.word() {
        return Err(LinkError::Invalid);
    }
    let expiry: i64 = expiry.parse().map_err(|_| LinkError::Invalid)?;
    if now > expiry {
        return Err(LinkError::Expired);
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_signed_link_holds_until_it_expires() {
        let token = sign(KEY, LinkKind::Registration, "reg-1", 1_000);
        assert_eq!(
            verify(KEY, LinkKind::Registration, &token, 999),
            Ok("reg-1".to_string())
        );
        assert_eq!(
            verify(KEY, LinkKind::Registration, &token, 1_001),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn a_changed_or_foreign_link_is_invalid() {
        let token = sign(KEY, LinkKind::Registration, "reg-1", 1_000);
        let (_, signature) = token.split_once('.').unwrap();
        // Another id with the old signature.
        let forged = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode("inschrijving|reg-2|1000")
        );
        assert_eq!(
            verify(KEY, LinkKind::Registration, &forged, 0),
            Err(LinkError::Invalid)
        );
        // A longer life with the old signature is not "expired" but forged.
        let extended = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode("inschrijving|reg-1|9999")
        );
        assert_eq!(
            verify(KEY, LinkKind::Registration, &extended, 5_000),
            Err(LinkError::Invalid)
        );
        // A registration link is no evaluation link, nor a data link.
        assert_eq!(
            verify(KEY, LinkKind::Evaluation, &token, 0),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            verify(KEY, LinkKind::Data, &token, 0),
            Err(LinkError::Invalid)
        );
        let other_key = sign(b"another key", LinkKind::Registration, "reg-1", 1_000);
        assert_eq!(
            verify(KEY, LinkKind::Registration, &other_key, 0),
            Err(LinkError::Invalid)
        );
        for junk in ["", ".", "abc", "a.b", "é.é"] {
            assert_eq!(
                verify(KEY, LinkKind::Registration, junk, 0),
                Err(LinkError::Invalid)
            );
        }
    }
}
