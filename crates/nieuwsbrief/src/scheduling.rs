//! Freezing a campaign and its test mail (design §3.2, §3.3).
//!
//! [`schedule`] does in **one** transaction what scheduling (or "nu versturen") means: it reads
//! the concept, refuses it when it reaches nobody, renders it with its template, stores the
//! rendered HTML and text with their numbered links ([`campaigns::freeze`]), queues the sending
//! job at the chosen moment ([`send::queue`]) and writes the audit entry. A failure anywhere
//! leaves the concept as it was.
//!
//! [`send_test`] renders the concept the same way and puts one mail per address in the core's
//! outbox, the subject prefixed "[TEST]" and the recipient slots filled with a harmless link
//! (the public subscription page): a test address is no subscriber.

use sqlx::AnyConnection;
use steden_core::audit::{AuditActor, Changes};
use steden_core::error::CoreResult;
use steden_core::mail::{self, OutgoingMail};
use steden_core::CoreError;
use steden_db::Tx;

use crate::frozen::{self, RecipientLinks};
use crate::model::CampaignStatus;
use crate::render::{self, Rendered};
use crate::store::campaigns::{self, Campaign};
use crate::store::templates::{self, record_audit};
use crate::store::{audience, content};
use crate::{paths, send};

/// At most this many addresses per test mail.
pub const TEST_ADDRESSES_MAX: usize = 5;

/// The Dutch refusal of a campaign without recipients.
pub const NO_RECIPIENTS: &str =
    "Deze campagne heeft geen ontvangers: kies minstens één lijst met bevestigde abonnees.";

/// The campaign rendered as it stands now (its sections, its template), in `tx`.
pub async fn render_concept(
    conn: &mut AnyConnection,
    campaign: &Campaign,
    base_url: &str,
) -> CoreResult<Rendered> {
    let sections = content::load(&mut *conn, &campaign.id).await?;
    let source = templates::source_for(&mut *conn, campaign.template_id.as_deref()).await?;
    render::campaign(campaign, &sections, &source, base_url)
}

fn require_concept(campaign: &Campaign) -> CoreResult<()> {
    if campaign.status == CampaignStatus::Concept {
        Ok(())
    } else {
        Err(CoreError::Conflict(
            "Deze nieuwsbrief is al gepland of verzonden en kan niet meer veranderen.".into(),
        ))
    }
}

/// Freezes the concept `id` and queues its sending at `at` (ms UTC; now or earlier sends at
/// once). Refused: not a concept (conflict), no recipients, a template that fails (invalid).
/// Returns the number of recipients counted.
pub async fn schedule(
    tx: &mut Tx<'_>,
    id: &str,
    at: i64,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<i64> {
    let campaign = campaigns::get(&mut **tx, id).await?;
    require_concept(&campaign)?;
    let recipients = audience::count_recipients(tx, &campaign.lists).await?;
    if recipients == 0 {
        return Err(CoreError::invalid("", NO_RECIPIENTS));
    }
    let rendered = render_concept(tx, &campaign, base_url).await?;
    campaigns::freeze(tx, id, &rendered, CampaignStatus::Gepland, Some(at)).await?;
    send::queue(tx, id, at).await?;
    let when = steden_core::time::format_datetime(at);
    record_audit(
        tx,
        actor,
        ENTITY,
        id,
        "schedule",
        &format!(
            "Nieuwsbrief ‘{}’ gepland voor {when} ({recipients} ontvangers)",
            campaign.subject
        ),
        Changes::new()
            .field(
                "status",
                CampaignStatus::Concept.as_str(),
                CampaignStatus::Gepland.as_str(),
            )
            .created("scheduled_at", at),
    )
    .await?;
    Ok(recipients)
}

/// The audit entity of a campaign.
pub const ENTITY: &str = "nieuwsbrief_campagne";

/// The addresses typed for a test mail (separated by commas, semicolons, spaces or new
/// lines): each valid, at most [`TEST_ADDRESSES_MAX`], each once.
pub fn parse_test_addresses(typed: &str) -> CoreResult<Vec<String>> {
    let mut addresses: Vec<String> = Vec::new();
    for piece in typed
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let address = steden_core::user::validate_email(piece).map_err(|_| {
            CoreError::invalid(
                "addresses",
                &format!("‘{piece}’ is geen geldig e-mailadres."),
            )
        })?;
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    if addresses.is_empty() {
        return Err(CoreError::invalid(
            "addresses",
            "Vul minstens één e-mailadres in.",
        ));
    }
    if addresses.len() > TEST_ADDRESSES_MAX {
        return Err(CoreError::invalid(
            "addresses",
            &format!("Geef hoogstens {TEST_ADDRESSES_MAX} e-mailadressen."),
        ));
    }
    Ok(addresses)
}

/// Queues the test mail of concept `id` to the addresses `typed`; the addresses it went to.
pub async fn send_test(
    tx: &mut Tx<'_>,
    id: &str,
    typed: &str,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<Vec<String>> {
    let addresses = parse_test_addresses(typed)?;
    let campaign = campaigns::get(&mut **tx, id).await?;
    let rendered = render_concept(tx, &campaign, base_url).await?;
    let harmless = format!("{}{}", base_url.trim_end_matches('/'), paths::SUBSCRIBE);
    let links = RecipientLinks {
        preferences_url: harmless.clone(),
        unsubscribe_url: harmless,
    };
    let html = frozen::fill(&rendered.html, &links);
    let text = frozen::fill(&rendered.text, &links);
    for address in &addresses {
        mail::enqueue(
            tx,
            &OutgoingMail {
                to: address.clone(),
                subject: format!("[TEST] {}", campaign.subject),
                text: text.clone(),
                html: Some(html.clone()),
                ..Default::default()
            },
        )
        .await?;
    }
    record_audit(
        tx,
        actor,
        ENTITY,
        id,
        "test",
        &format!(
            "Testmail van nieuwsbrief ‘{}’ naar {}",
            campaign.subject,
            addresses.join(", ")
        ),
        Changes::new(),
    )
    .await?;
    Ok(addresses)
}
