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
