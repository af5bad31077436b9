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
