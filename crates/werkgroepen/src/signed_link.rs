//! Links in the module's mails that act without a login (design §3.1): registration,
//! evaluation, reply and "my data" links, all made here, by the core's
//! [`steden_core::signed_link::Signer`] (`payload.signature`, HMAC-SHA256 checked in constant
//! time before anything in the payload is believed) in the domain `werkgroepen` under the
//! secret `werkgroepen.links` (`steden_core::settings::secret`, shared by every server on the
//! database). Links mailed before the signer moved to the core stay valid: the format is the
//! same.
//!
//! A link only opens a page; the page's button POSTs (mail scanners fetch every URL).

use steden_core::signed_link::Signer;
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

/// Why a link is refused (the core's: forged 400, expired 410).
pub use steden_core::signed_link::LinkError;

/// The domain the module's links are signed in (its prefix in every signature).
const DOMAIN: &str = "werkgroepen";

/// The key of the module's links.
pub async fn key(db: &Db) -> Result<Vec<u8>, sqlx::Error> {
    Ok(steden_core::settings::secret(db, SECRET_KEY)
        .await?
        .into_bytes())
}

/// The signed token for `id`, valid until `expires_at` (UTC ms).
pub fn sign(key: &[u8], kind: LinkKind, id: &str, expires_at: i64) -> String {
    Signer::new(key, DOMAIN).sign(kind.word(), id, expires_at)
}

/// The id a token of `kind` stands for, if its signature holds and it has not expired at `now`.
pub fn verify(key: &[u8], kind: LinkKind, token: &str, now: i64) -> Result<String, LinkError> {
    Signer::new(key, DOMAIN).verify(kind.word(), token, now)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

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
