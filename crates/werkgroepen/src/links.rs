//! Signed links in mails (design §3.1): `base64url(kind|subject|person|expiry) "." base64url(HMAC-SHA256)`,
//! keyed by the setting `werkgroepen.links`, compared in constant time. A link only opens a
//! page; the page's button writes (mail scanners fetch every URL they see).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use steden_db::Db;

/// The settings key of the signing secret (shared by every server on the database).
pub const SECRET_KEY: &str = "werkgroepen.links";

/// The kind of a reply link from an invitation.
pub const REPLY: &str = "antwoord";

/// What a valid link says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub kind: String,
    pub subject_id: String,
    pub user_id: String,
    pub expires_at: i64,
}

/// Why a link is refused (design §3.9: 400 "Deze link is niet geldig.", 410 "Deze link is verlopen.").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    Forged,
    Expired,
}

/// The signing key of this database.
pub async fn key(db: &Db) -> Result<Vec<u8>, sqlx::Error> {
    Ok(steden_core::settings::secret(db, SECRET_KEY)
        .await?
        .into_bytes())
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; the error cannot happen.
    Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key"))
}

/// The signed token of `claims`.
pub fn sign(key: &[u8], claims: &Claims) -> String {
    let body = format!(
        "{}|{}|{}|{}",
        claims.kind, claims.subject_id, claims.user_id, claims.expires_at
    );
    let mut mac = mac(key);
    mac.update(body.as_bytes());
    let signature = mac.finalize().into_bytes();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// The claims of `token` if its signature holds, it is of `kind` and not expired at `now`.
/// The signature is checked first, so an expired forgery is "not valid", not "expired".
pub fn verify(key: &[u8], kind: &str, token: &str, now: i64) -> Result<Claims, LinkError> {
    let (body, signature) = token.split_once('.').ok_or(LinkError::Forged)?;
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| LinkError::Forged)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| LinkError::Forged)?;
    let mut mac = mac(key);
    mac.update(&body);
    mac.verify_slice(&signature)
        .map_err(|_| LinkError::Forged)?;
    let body = String::from_utf8(body).map_err(|_| LinkError::Forged)?;
    let parts: Vec<&str> = body.split('|').collect();
    let [found_kind, subject_id, user_id, expires_at] = parts[..] else {
        return Err(LinkError::Forged);
    };
    let expires_at: i64 = expires_at.parse().map_err(|_| LinkError::Forged)?;
    if found_kind != kind {
        return Err(LinkError::Forged);
    }
    if now > expires_at {
        return Err(LinkError::Expired);
    }
    Ok(Claims {
        kind: found_kind.to_string(),
        subject_id: subject_id.to_string(),
        user_id: user_id.to_string(),
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            kind: REPLY.into(),
            subject_id: "meeting".into(),
            user_id: "user".into(),
            expires_at: 1_000,
        }
    }

    #[test]
    fn a_signed_link_verifies_until_it_expires() {
        let token = sign(b"key", &claims());
        assert_eq!(verify(b"key", REPLY, &token, 999), Ok(claims()));
        assert_eq!(verify(b"key", REPLY, &token, 1_000), Ok(claims()));
        assert_eq!(
            verify(b"key", REPLY, &token, 1_001),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn forgeries_are_refused() {
        let token = sign(b"key", &claims());
        assert_eq!(
            verify(b"other", REPLY, &token, 0),
            Err(LinkError::Forged),
            "another key"
        );
        assert_eq!(
            verify(b"key", "inschrijving", &token, 0),
            Err(LinkError::Forged),
            "another kind"
        );
        // Another person in the body, the old signature kept.
        let (_, signature) = token.split_once('.').unwrap();
        let body = URL_SAFE_NO_PAD.encode("antwoord|meeting|someone-else|1000");
        assert_eq!(
            verify(b"key", REPLY, &format!("{body}.{signature}"), 0),
            Err(LinkError::Forged)
        );
        for junk in ["", ".", "abc", "abc.def", "é.é"] {
            assert_eq!(verify(b"key", REPLY, junk, 0), Err(LinkError::Forged));
        }
        // An expired forgery is a forgery.
        assert_eq!(
            verify(b"other", REPLY, &token, 5_000),
            Err(LinkError::Forged)
        );
    }
}
