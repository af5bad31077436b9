//! Links in mails that act without a login (confirm a subscription, open one's preferences,
//! cancel a registration, answer an invitation): `payload.signature`, where the payload is
//! base64url of `kind|id|expiry` and the signature an HMAC-SHA256 of it under a secret of the
//! module (`settings::secret`, shared by every server on the database).
//!
//! The signature is checked in constant time (`verify_slice`) before anything in the payload is
//! believed, so a forged link tells nothing, not even whether it has expired. The kind is
//! signed, so a link of one kind is never valid as another; each module signs under its own
//! domain and key, so no module's link fits another's. A link only opens a page; the page's
//! button POSTs (mail scanners fetch every URL), except where a standard asks otherwise
//! (RFC 8058 one-click unsubscribe is a POST by the mail client itself).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use steden_db::Db;

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Damaged, forged or of another kind: "Deze link is niet geldig." (400).
    Invalid,
    /// Sound but past its expiry: "Deze link is verlopen." (410).
    Expired,
}

/// The signer of one module's links: its key and the domain its signatures are made in.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
    domain: &'static str,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Signer")
            .field("domain", &self.domain)
            .finish()
    }
}

impl Signer {
    /// A signer with a key in hand (tests, or a key read once).
    pub fn new(key: impl Into<Vec<u8>>, domain: &'static str) -> Signer {
        Signer {
            key: key.into(),
            domain,
        }
    }

    /// The signer of `domain` whose key is the secret setting `setting` (created on first use).
    pub async fn load(db: &Db, setting: &str, domain: &'static str) -> Result<Signer, sqlx::Error> {
        let key = crate::settings::secret(db, setting).await?.into_bytes();
        Ok(Signer::new(key, domain))
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        // A prefix of the domain, so that no other signature made with a shared secret fits.
        mac.update(self.domain.as_bytes());
        mac.update(b"-link.");
        mac.update(payload.as_bytes());
        mac
    }

    /// The signed token for `id` of `kind` (a word without `|`), valid until `expires_at` (UTC ms).
    pub fn sign(&self, kind: &str, id: &str, expires_at: i64) -> String {
        let payload = URL_SAFE_NO_PAD.encode(format!("{kind}|{id}|{expires_at}"));
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The id a token of `kind` stands for, if its signature holds and it has not expired at
    /// `now`.
    pub fn verify(&self, kind: &str, token: &str, now: i64) -> Result<String, LinkError> {
        let (payload, signature) = token.split_once('.').ok_or(LinkError::Invalid)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkError::Invalid)?;
        self.mac(payload)
            .verify_slice(&signature)
            .map_err(|_| LinkError::Invalid)?;
        let decoded = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| LinkError::Invalid)?;
        let text = String::from_utf8(decoded).map_err(|_| LinkError::Invalid)?;
        let mut parts = text.splitn(3, '|');
        let (Some(word), Some(id), Some(expiry)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(LinkError::Invalid);
        };
        if word != kind {
            return Err(LinkError::Invalid);
        }
        let expiry: i64 = expiry.parse().map_err(|_| LinkError::Invalid)?;
        if now > expiry {
            return Err(LinkError::Expired);
        }
        Ok(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(b"0123456789abcdef0123456789abcdef".to_vec(), "test")
    }

    #[test]
    fn a_signed_link_holds_until_it_expires() {
        let token = signer().sign("bevestigen", "sub-1", 1_000);
        assert_eq!(
            signer().verify("bevestigen", &token, 999),
            Ok("sub-1".to_string())
        );
        assert_eq!(
            signer().verify("bevestigen", &token, 1_001),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn a_changed_or_foreign_link_is_invalid() {
        let token = signer().sign("bevestigen", "sub-1", 1_000);
        let (_, signature) = token.split_once('.').unwrap();
        let forged = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode("bevestigen|sub-2|1000")
        );
        assert_eq!(
            signer().verify("bevestigen", &forged, 0),
            Err(LinkError::Invalid)
        );
        // A longer life with the old signature is not "expired" but forged.
        let extended = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode("bevestigen|sub-1|9999")
        );
        assert_eq!(
            signer().verify("bevestigen", &extended, 5_000),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            signer().verify("voorkeuren", &token, 0),
            Err(LinkError::Invalid)
        );
        let other_domain = Signer::new(b"0123456789abcdef0123456789abcdef".to_vec(), "other");
        assert_eq!(
            other_domain.verify("bevestigen", &token, 0),
            Err(LinkError::Invalid)
        );
        let other_key =
            Signer::new(b"another key".to_vec(), "test").sign("bevestigen", "sub-1", 1_000);
        assert_eq!(
            signer().verify("bevestigen", &other_key, 0),
            Err(LinkError::Invalid)
        );
        for junk in ["", ".", "abc", "a.b", "é.é"] {
            assert_eq!(
                signer().verify("bevestigen", junk, 0),
                Err(LinkError::Invalid)
            );
        }
    }

    #[test]
    fn the_werkgroepen_format_is_kept() {
        // werkgroepen signed its links with the domain prefix "werkgroepen-link." before this
        // module existed; links already mailed must stay valid when it moves here.
        use hmac::Mac;
        let key = b"k".to_vec();
        let payload = URL_SAFE_NO_PAD.encode("antwoord|m:u|5");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(b"werkgroepen-link.");
        mac.update(payload.as_bytes());
        let token = format!(
            "{payload}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(
            Signer::new(key, "werkgroepen").verify("antwoord", &token, 1),
            Ok("m:u".to_string())
        );
    }
}
