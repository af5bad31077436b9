//! The fixed lists of values of the nieuwsbrief module, as stored and as shown.

use steden_core::CoreError;

/// Where a subscriber stands (design §2). Only `Bevestigd` subscribers receive campaigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriberStatus {
    /// Asked to subscribe; has not yet clicked the link in the confirmation mail.
    Onbevestigd,
    /// Confirmed the address (double opt-in) and receives the lists they chose.
    Bevestigd,
    /// Unsubscribed from everything; kept (with the consent record) until erased.
    Afgemeld,
    /// The address bounced (hard, or too many soft bounces).
    Gebounced,
    /// Blocked after a complaint, or by an administrator: never mailed again, not even to
    /// confirm.
    Geblokkeerd,
}

impl SubscriberStatus {
    pub const ALL: [SubscriberStatus; 5] = [
        SubscriberStatus::Onbevestigd,
        SubscriberStatus::Bevestigd,
        SubscriberStatus::Afgemeld,
        SubscriberStatus::Gebounced,
        SubscriberStatus::Geblokkeerd,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Onbevestigd => "onbevestigd",
            SubscriberStatus::Bevestigd => "bevestigd",
            SubscriberStatus::Afgemeld => "afgemeld",
            SubscriberStatus::Gebounced => "gebounced",
            SubscriberStatus::Geblokkeerd => "geblokkeerd",
        }
    }

    pub fn parse(value: &str) -> Result<SubscriberStatus, CoreError> {
        SubscriberStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> String {
        format!("nb-status-{}", self.as_str())
    }
}

/// A subscriber's standing on one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    /// Chosen on the form; becomes `Actief` when the address is confirmed.
    Aangevraagd,
    Actief,
    Afgemeld,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Aangevraagd => "aangevraagd",
            SubscriptionStatus::Actief => "actief",
            SubscriptionStatus::Afgemeld => "afgemeld",
        }
    }

    pub fn parse(value: &str) -> Result<SubscriptionStatus, CoreError> {
        [
            SubscriptionStatus::Aangevraagd,
            SubscriptionStatus::Actief,
            SubscriptionStatus::Afgemeld,
        ]
        .into_iter()
        .find(|status| status.as_str() == value)
        .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
    }
}

/// The language a subscriber reads the newsletter and its mails in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Nl, Language::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// The language of a form field; an unknown value is refused with a Dutch message.
    pub fn parse(value: &str) -> Result<Language, CoreError> {
        match value.trim() {
            "" | "nl" => Ok(Language::Nl),
            "en" => Ok(Language::En),
            _ => Err(CoreError::invalid("language", "Kies Nederlands of Engels.")),
        }
    }

    /// The interface language of the shell's catalogues.
    pub fn lang(self) -> steden_web::i18n::Lang {
        match self {
            Language::Nl => steden_web::i18n::Lang::Nl,
            Language::En => steden_web::i18n::Lang::En,
        }
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Language::Nl => "nb-language-nl",
            Language::En => "nb-language-en",
        }
    }
}

/// What a consent record is about (`nb_consents.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentKind {
    /// The form was sent: the person asked for these lists on this text.
    Aanvraag,
    /// The address was confirmed through the link: the consent holds from here.
    Bevestiging,
    /// Lists or language changed on the preferences page.
    Voorkeuren,
    /// Unsubscribed from everything.
    Afmelding,
}

impl ConsentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Aanvraag => "aanvraag",
            ConsentKind::Bevestiging => "bevestiging",
            ConsentKind::Voorkeuren => "voorkeuren",
            ConsentKind::Afmelding => "afmelding",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for status in SubscriberStatus::ALL {
            assert_eq!(SubscriberStatus::parse(status.as_str()).unwrap(), status);
        }
        assert!(SubscriberStatus::parse("confirmed").is_err());
        assert_eq!(Language::parse("").unwrap(), Language::Nl);
        assert_eq!(Language::parse("en").unwrap(), Language::En);
        assert!(Language::parse("fr").is_err());
    }
}
