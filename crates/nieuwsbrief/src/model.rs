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
    /// An editor changed the lists, or blocked the address (source `beheer:<user id>`).
    Beheer,
    /// Imported by an editor (source `import:<file>`, with the legal basis when given).
    Import,
    /// Per-person reading statistics turned on or off by the subscriber (preferences page).
    Tracking,
}

impl ConsentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Aanvraag => "aanvraag",
            ConsentKind::Bevestiging => "bevestiging",
            ConsentKind::Voorkeuren => "voorkeuren",
            ConsentKind::Afmelding => "afmelding",
            ConsentKind::Beheer => "beheer",
            ConsentKind::Import => "import",
            ConsentKind::Tracking => "tracking",
        }
    }
}

/// Where a campaign stands (`nb_campaigns.status`, design §3.3). Issue 14's draft, scheduled,
/// sending, paused, cancelled, sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignStatus {
    /// Being written; the only state in which sections and blocks change.
    Concept,
    /// Frozen and waiting for its `scheduled_at`.
    Gepland,
    /// The sending job is delivering it.
    Bezig,
    /// Sending stopped by an editor; resuming queues the job again.
    Gepauzeerd,
    /// Stopped for good; what was delivered stays recorded.
    Geannuleerd,
    /// Every recipient was handled.
    Verzonden,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 6] = [
        CampaignStatus::Concept,
        CampaignStatus::Gepland,
        CampaignStatus::Bezig,
        CampaignStatus::Gepauzeerd,
        CampaignStatus::Geannuleerd,
        CampaignStatus::Verzonden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Concept => "concept",
            CampaignStatus::Gepland => "gepland",
            CampaignStatus::Bezig => "bezig",
            CampaignStatus::Gepauzeerd => "gepauzeerd",
            CampaignStatus::Geannuleerd => "geannuleerd",
            CampaignStatus::Verzonden => "verzonden",
        }
    }

    pub fn parse(value: &str) -> Result<CampaignStatus, CoreError> {
        CampaignStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> String {
        format!("nb-campaign-status-{}", self.as_str())
    }

    /// Whether the content is frozen (anything but a concept).
    pub fn is_frozen(self) -> bool {
        self != CampaignStatus::Concept
    }
}

/// What became of one recipient's mail (`nb_deliveries.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Not yet accepted by the SMTP server (never tried, or a temporary failure to retry).
    Wachtend,
    /// Accepted by the SMTP server (or written to ./data/mail/).
    Verzonden,
    /// Refused for good (a permanent SMTP failure, or too many temporary ones).
    Mislukt,
    /// Not sent: the subscriber was no longer confirmed when their turn came (unsubscribed or
    /// bounced after the recipients were listed). Not tried again, not counted as failed.
    Overgeslagen,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Wachtend => "wachtend",
            DeliveryStatus::Verzonden => "verzonden",
            DeliveryStatus::Mislukt => "mislukt",
            DeliveryStatus::Overgeslagen => "overgeslagen",
        }
    }

    pub fn parse(value: &str) -> Result<DeliveryStatus, CoreError> {
        [
            DeliveryStatus::Wachtend,
            DeliveryStatus::Verzonden,
            DeliveryStatus::Mislukt,
            DeliveryStatus::Overgeslagen,
        ]
        .into_iter()
        .find(|status| status.as_str() == value)
        .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
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
        for status in CampaignStatus::ALL {
            assert_eq!(CampaignStatus::parse(status.as_str()).unwrap(), status);
        }
        assert!(CampaignStatus::parse("draft").is_err());
    }
}
