//! The module's URLs, as functions, so that a route and its links cannot drift apart.

/// The public subscription form.
pub const SUBSCRIBE: &str = "/nieuwsbrief";
/// Where the form posts.
pub const SUBSCRIBE_POST: &str = "/nieuwsbrief/inschrijven";
/// The page after the form: "look in your mailbox", whatever the address.
pub const SUBSCRIBE_SENT: &str = "/nieuwsbrief/ingeschreven";

/// The confirmation link of the mail (GET shows a button, POST confirms).
pub fn confirm(token: &str) -> String {
    format!("/nieuwsbrief/bevestigen/{token}")
}

/// A subscriber's preferences, reached by the signed link in every mail.
pub fn preferences(token: &str) -> String {
    format!("/nieuwsbrief/voorkeuren/{token}")
}

/// Unsubscribing from everything, from the preferences page.
pub fn preferences_unsubscribe(token: &str) -> String {
    format!("/nieuwsbrief/voorkeuren/{token}/afmelden")
}

/// The subscriber's own data, as a JSON download.
pub fn preferences_data(token: &str) -> String {
    format!("/nieuwsbrief/voorkeuren/{token}/gegevens")
}

/// Erasing the subscriber's data (GET asks, POST erases).
pub fn preferences_erase(token: &str) -> String {
    format!("/nieuwsbrief/voorkeuren/{token}/wissen")
}

/// The unsubscribe link of a mail's footer (GET asks, POST unsubscribes).
pub fn unsubscribe(token: &str) -> String {
    format!("/nieuwsbrief/afmelden/{token}")
}

/// The `List-Unsubscribe` address (RFC 8058: the mail client POSTs to it without a page); in
/// the API because a mail client sends no CSRF token. A GET is sent to [`unsubscribe`].
pub fn one_click_unsubscribe(token: &str) -> String {
    format!("/api/v1/nieuwsbrief/unsubscribe/{token}")
}

// ---------------------------------------------------------------------------------------------
// Campaigns (the editors' pages)

/// The editors' list of campaigns.
pub const CAMPAIGNS: &str = "/nieuwsbrief/beheer/campagnes";
/// The form for a new campaign.
pub const NEW_CAMPAIGN: &str = "/nieuwsbrief/beheer/campagnes/nieuw";

/// A campaign's editor (read-only once it is frozen).
pub fn campaign(id: &str) -> String {
    format!("{CAMPAIGNS}/{id}")
}

/// Where the editor's form of subject, preheader, language and lists posts.
pub fn campaign_details(id: &str) -> String {
    format!("{}/gegevens", campaign(id))
}

/// Where the editor's form for a new section posts.
pub fn campaign_sections(id: &str) -> String {
    format!("{}/secties", campaign(id))
}

/// A section's rename form.
pub fn section_rename(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/naam", campaign(id))
}

/// Moving a section (POST, `richting` = `omhoog` | `omlaag`).
pub fn section_move(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/verplaatsen", campaign(id))
}

/// Deleting a section (GET asks, POST deletes).
pub fn section_delete(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/verwijderen", campaign(id))
}

/// Searching the platform's items for a section (GET), and adding one (POST).
pub fn section_items(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/items", campaign(id))
}

/// A new Markdown block in a section.
pub fn section_text(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/tekst", campaign(id))
}

/// A Markdown block's form.
pub fn block_edit(id: &str, block_id: &str) -> String {
    format!("{}/blokken/{block_id}", campaign(id))
}

/// Moving a block within its section (POST, `richting`).
pub fn block_move(id: &str, block_id: &str) -> String {
    format!("{}/verplaatsen", block_edit(id, block_id))
}

/// Deleting a block (GET asks, POST deletes).
pub fn block_delete(id: &str, block_id: &str) -> String {
    format!("{}/verwijderen", block_edit(id, block_id))
}

/// A campaign's preview (built by the rendering slice).
pub fn campaign_preview(id: &str) -> String {
    format!("{}/voorbeeld", campaign(id))
}

/// A campaign's test send (built by the rendering slice).
pub fn campaign_test_send(id: &str) -> String {
    format!("{}/testen", campaign(id))
}

/// Scheduling or sending a campaign (built by the rendering slice).
pub fn campaign_schedule(id: &str) -> String {
    format!("{}/plannen", campaign(id))
}

/// A frozen campaign's delivery: progress, pause, resume, cancel (built by the sending slice).
pub fn campaign_delivery(id: &str) -> String {
    format!("{}/verzending", campaign(id))
}
