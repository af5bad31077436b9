//! The module's signed links (design §0): confirm a subscription, open one's preferences,
//! unsubscribe. Made by the core's [`Signer`] under the module's own key and domain, so no link
//! of another module fits here. The id a link signs is the subscriber's id, never the address:
//! a URL in a log or a forwarded mail does not give the address away.

use steden_core::signed_link::{LinkError, Signer};
use steden_db::Db;

/// The setting that holds the key.
pub const SECRET_KEY: &str = "nieuwsbrief.links";

const DAY_MS: i64 = 24 * 3_600_000;

/// What a link may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Confirm the address after the form (double opt-in): 7 days.
    Confirm,
    /// Open one's preferences (lists, language, own data, erase): 400 days, since it is in
    /// every monthly mail and an old mail should still work.
    Preferences,
    /// Unsubscribe from everything (the mail's footer and `List-Unsubscribe`): 400 days.
    Unsubscribe,
}

impl LinkKind {
    fn word(self) -> &'static str {
        match self {
            LinkKind::Confirm => "bevestigen",
            LinkKind::Preferences => "voorkeuren",
            LinkKind::Unsubscribe => "afmelden",
        }
    }

    /// How long a link of this kind holds after it was made.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            LinkKind::Confirm => 7 * DAY_MS,
            LinkKind::Preferences | LinkKind::Unsubscribe => 400 * DAY_MS,
        }
    }
}

/// The module's signer.
pub async fn signer(db: &Db) -> Result<Signer, sqlx::Error> {
    Signer::load(db, SECRET_KEY, "nieuwsbrief").await
}

/// A token of `kind` for `subscriber_id`, made at `now`.
pub fn sign(signer: &Signer, kind: LinkKind, subscriber_id: &str, now: i64) -> String {
    signer.sign(kind.word(), subscriber_id, now + kind.lifetime_ms())
}

/// The subscriber id a token of `kind` stands for.
pub fn verify(signer: &Signer, kind: LinkKind, token: &str, now: i64) -> Result<String, LinkError> {
    signer.verify(kind.word(), token, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_link_is_no_preferences_link_and_expires_after_a_week() {
        let signer = Signer::new(b"key".to_vec(), "nieuwsbrief");
        let token = sign(&signer, LinkKind::Confirm, "s1", 0);
        assert_eq!(
            verify(&signer, LinkKind::Confirm, &token, 7 * DAY_MS),
            Ok("s1".into())
        );
        assert_eq!(
            verify(&signer, LinkKind::Confirm, &token, 7 * DAY_MS + 1),
            Err(LinkError::Expired)
        );
        assert_eq!(
            verify(&signer, LinkKind::Preferences, &token, 0),
            Err(LinkError::Invalid)
        );
    }
}
