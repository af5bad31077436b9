//! The module's URLs, as functions, so that a route and its links cannot drift apart.

/// The public subscription form.
pub const SUBSCRIBE: &str = "/nieuwsbrief";
/// Where the form posts.
pub const SUBSCRIBE_POST: &str = "/nieuwsbrief/inschrijven";
/// The page after the form: "look in your mailbox", whatever the address.
pub const SUBSCRIBE_SENT: &str = "/nieuwsbrief/ingeschreven";

/// The editors' import of subscribers: the upload form.
pub const IMPORT: &str = "/nieuwsbrief/beheer/import";

/// One import's page: progress, then the report.
pub fn import(id: &str) -> String {
    format!("/nieuwsbrief/beheer/import/{id}")
}

/// The refused lines of an import, as CSV.
pub fn import_report(id: &str) -> String {
    format!("/nieuwsbrief/beheer/import/{id}/rapport.csv")
}

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

// The editors' pages: dashboard, subscriber administration, settings (S3).

/// The editors' dashboard.
pub const ADMIN: &str = "/nieuwsbrief/beheer";
/// The subscriber list (search, filters, pages by keyset).
pub const ADMIN_SUBSCRIBERS: &str = "/nieuwsbrief/beheer/abonnees";
/// The filtered subscriber list as CSV.
pub const ADMIN_SUBSCRIBERS_CSV: &str = "/nieuwsbrief/beheer/abonnees.csv";
/// The module's settings (managers).
pub const ADMIN_SETTINGS: &str = "/nieuwsbrief/beheer/instellingen";
/// The other editors' pages, linked from the dashboard.
pub const ADMIN_IMPORT: &str = "/nieuwsbrief/beheer/import";

/// A subscriber's page for editors.
pub fn admin_subscriber(id: &str) -> String {
    format!("/nieuwsbrief/beheer/abonnees/{id}")
}

/// Blocking, unblocking or erasing a subscriber (`action` is `blokkeren`, `deblokkeren` or
/// `wissen`).
pub fn admin_subscriber_action(id: &str, action: &str) -> String {
    format!("/nieuwsbrief/beheer/abonnees/{id}/{action}")
}

/// The LinkedIn planner: twelve weeks of posts.
pub const LINKEDIN: &str = "/nieuwsbrief/beheer/linkedin";
/// A new LinkedIn post (`?week=2026-W49`, optionally `&bron=…&item=…` to draft from an item).
pub const LINKEDIN_NEW: &str = "/nieuwsbrief/beheer/linkedin/nieuw";

/// One LinkedIn post; its forms post to addresses under it.
pub fn linkedin_post(id: &str) -> String {
    format!("/nieuwsbrief/beheer/linkedin/posts/{id}")
}

/// The mail templates (editors).
pub const TEMPLATES: &str = "/nieuwsbrief/beheer/sjablonen";
/// A new mail template.
pub const NEW_TEMPLATE: &str = "/nieuwsbrief/beheer/sjablonen/nieuw";
/// Where htmx posts a template's source for its preview.
pub const TEMPLATE_PREVIEW: &str = "/nieuwsbrief/beheer/sjablonen/voorbeeld";

/// A mail template's form.
pub fn template(id: &str) -> String {
    format!("/nieuwsbrief/beheer/sjablonen/{id}")
}

/// A campaign's preview: its HTML and text.
pub fn campaign_preview(id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{id}/voorbeeld")
}

/// A campaign's mail HTML alone, as a page.
pub fn campaign_preview_mail(id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{id}/voorbeeld/mail")
}

/// A campaign's test mail.
pub fn campaign_test(id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{id}/testen")
}

/// Scheduling a campaign (or sending it now).
pub fn campaign_schedule(id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{id}/plannen")
}

/// The sending of a campaign, for editors: progress, pause, resume, cancel.
pub fn campaign_sending(campaign_id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{campaign_id}/verzending")
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

/// A section's form to add a picture.
pub fn section_image(id: &str, section_id: &str) -> String {
    format!("{}/secties/{section_id}/afbeelding", campaign(id))
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

// ---------------------------------------------------------------------------------------------
// Reading statistics (S8)

/// The editors' comparison of the sent campaigns.
pub const STATISTICS: &str = "/nieuwsbrief/beheer/statistieken";
/// The managers' switch for per-person statistics (POST).
pub const STATISTICS_SETTING: &str = "/nieuwsbrief/beheer/statistieken/instelling";

/// One campaign's statistics: per section, per link, over time.
pub fn campaign_statistics(id: &str) -> String {
    format!("{STATISTICS}/{id}")
}

/// The subscriber's own switch for per-person statistics, on the preferences page (POST).
pub fn preferences_tracking(token: &str) -> String {
    format!("/nieuwsbrief/voorkeuren/{token}/statistieken")
}
// The public archive of sent newsletters (S10) and the embeddable form

/// The public archive: sent newsletters, newest first (`?pagina=`).
pub const ARCHIVE: &str = "/nieuwsbrief/archief";

/// One newsletter of the archive, as it was sent but without anything of a recipient.
pub fn archive_newsletter(slug: &str) -> String {
    format!("/nieuwsbrief/archief/{slug}")
}

/// A sent campaign's place in the archive, for editors (GET shows, POST switches).
pub fn campaign_archive(id: &str) -> String {
    format!("/nieuwsbrief/beheer/campagnes/{id}/archief")
}

/// The embeddable subscription form (other sites frame it).
pub const EMBED: &str = "/nieuwsbrief/insluiten";
/// The embedded form's "look in your mailbox" page.
pub const EMBED_SENT: &str = "/nieuwsbrief/insluiten/verstuurd";
/// The editors' page with the snippet that embeds the form.
pub const ADMIN_EMBED: &str = "/nieuwsbrief/beheer/insluiten";
/// The filtered subscribers as an XLSX workbook (beside the CSV export).
pub const ADMIN_SUBSCRIBERS_XLSX: &str = "/nieuwsbrief/beheer/abonnees.xlsx";
