//! The module's URLs, as functions: pages link through these, so a route and its links cannot
//! drift apart (design §3.1).

mod meeting;
pub use meeting::*;

/// The list of public working groups, the module's entry page.
pub const GROUPS: &str = "/werkgroepen";

/// Words under `/werkgroepen/` that are pages of the module, never a group's slug (refused when
/// a group is created).
pub const RESERVED_SLUGS: &[&str] = &[
    "mijn",
    "overzicht",
    "activiteiten",
    "agenda",
    "antwoord",
    "inschrijving",
    "evaluatie",
    "beheer",
    "nieuw",
    "mijn-gegevens",
];

/// A group's page, by its (core) slug.
pub fn group(slug: &str) -> String {
    format!("{GROUPS}/{slug}")
}

/// The staff form for a new group.
pub const NEW_GROUP: &str = "/werkgroepen/beheer/nieuw";

/// A group's members (with the join requests for its facilitators).
pub fn group_members(slug: &str) -> String {
    format!("{GROUPS}/{slug}/leden")
}

/// The form to ask to join a group.
pub fn group_join(slug: &str) -> String {
    format!("{GROUPS}/{slug}/lid-worden")
}

/// Where a member posts to leave the group (or withdraw their request).
pub fn group_leave(slug: &str) -> String {
    format!("{GROUPS}/{slug}/verlaten")
}

/// One join request, with the forms to approve or refuse it.
pub fn group_request(slug: &str, membership_id: &str) -> String {
    format!("{GROUPS}/{slug}/aanvragen/{membership_id}")
}

/// Where a facilitator posts the approval of a join request.
pub fn group_request_approve(slug: &str, membership_id: &str) -> String {
    format!("{GROUPS}/{slug}/aanvragen/{membership_id}/goedkeuren")
}

/// Where a facilitator posts the refusal of a join request.
pub fn group_request_refuse(slug: &str, membership_id: &str) -> String {
    format!("{GROUPS}/{slug}/aanvragen/{membership_id}/weigeren")
}

/// The group's settings (profile and facilitators).
pub fn group_settings(slug: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen")
}

/// Where a facilitator is named.
pub fn group_facilitators(slug: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen/begeleiders")
}

/// Where a facilitator is taken off the group.
pub fn group_facilitator_remove(slug: &str, user_id: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen/begeleiders/{user_id}/verwijderen")
}

/// Where an indicator of the group's werkspoor is set to count the group's meetings.
pub fn group_indicator(slug: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen/indicator")
}

/// Where the group's programme or werkspoor in the Kenniscentrum's plan is chosen.
pub fn group_plan_link(slug: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen/koppeling")
}

/// The history of the group's memberships.
pub fn group_history(slug: &str) -> String {
    format!("{GROUPS}/{slug}/geschiedenis")
}

/// A group's meetings, coming and past.
pub fn group_meetings(slug: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen")
}

/// The form to plan one meeting.
pub fn group_meeting_new(slug: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/nieuw")
}

/// The form to record a meeting that already took place.
pub fn group_meeting_record(slug: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/registreren")
}

/// The form to plan a series of meetings from the group's cadence.
pub fn group_series(slug: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/reeks")
}

/// One meeting's page.
pub fn group_meeting(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}")
}

/// The form to move a meeting.
pub fn group_meeting_move(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}/verplaatsen")
}

/// Where a facilitator posts a meeting's cancellation.
pub fn group_meeting_cancel(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}/annuleren")
}

/// Where a facilitator marks a meeting held.
pub fn group_meeting_held(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}/gehouden")
}

/// Where a facilitator marks a meeting not held.
pub fn group_meeting_not_held(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}/niet-gehouden")
}

/// The events and trainings (study days, courses, coaching, learning networks …).
pub const EVENTS: &str = "/werkgroepen/activiteiten";

/// The staff form for a new event.
pub const NEW_EVENT: &str = "/werkgroepen/activiteiten/nieuw";

/// The staff form for a new event series.
pub const NEW_EVENT_SERIES: &str = "/werkgroepen/activiteiten/reeks";

/// An event's page, with its registration form.
pub fn event(slug: &str) -> String {
    format!("{EVENTS}/{slug}")
}

/// Where the registration form posts.
pub fn event_register(slug: &str) -> String {
    format!("{EVENTS}/{slug}/inschrijven")
}

/// The organiser's form to change an event.
pub fn event_edit(slug: &str) -> String {
    format!("{EVENTS}/{slug}/bewerken")
}

/// The organiser's confirm page and action to cancel an event.
pub fn event_cancel(slug: &str) -> String {
    format!("{EVENTS}/{slug}/annuleren")
}

/// An event series' page.
pub fn event_series(id: &str) -> String {
    format!("{EVENTS}/reeksen/{id}")
}

/// An event's participants and waiting list (organiser, staff).
pub fn event_participants(slug: &str) -> String {
    format!("{EVENTS}/{slug}/deelnemers")
}

/// Where the organiser posts a new number of places.
pub fn event_capacity(slug: &str) -> String {
    format!("{EVENTS}/{slug}/plaatsen")
}

/// Where the organiser posts the cancellation of one registration.
pub fn event_registration_cancel(slug: &str, registration_id: &str) -> String {
    format!("{EVENTS}/{slug}/deelnemers/{registration_id}/annuleren")
}

/// A participant's own registration, through the signed link of their mail.
pub fn registration_link(token: &str) -> String {
    format!("/werkgroepen/inschrijving/{token}")
}

/// An event's attendance list (organiser).
pub fn event_attendance(slug: &str) -> String {
    format!("{EVENTS}/{slug}/aanwezigheid")
}

/// The participants as a CSV file.
pub fn event_participants_csv(slug: &str) -> String {
    format!("{EVENTS}/{slug}/deelnemers.csv")
}

/// The participants as an Excel file.
pub fn event_participants_xlsx(slug: &str) -> String {
    format!("{EVENTS}/{slug}/deelnemers.xlsx")
}

/// A participant's certificate of attendance (PDF).
pub fn event_certificate(slug: &str, registration_id: &str) -> String {
    format!("{EVENTS}/{slug}/attest/{registration_id}.pdf")
}

/// The organiser's evaluation form questions, and sending the form.
pub fn event_evaluation(slug: &str) -> String {
    format!("{EVENTS}/{slug}/evaluatie")
}

/// Where the organiser posts to mail the evaluation form to the participants.
pub fn event_evaluation_send(slug: &str) -> String {
    format!("{EVENTS}/{slug}/evaluatie/versturen")
}

/// The evaluation's results per question.
pub fn event_evaluation_results(slug: &str) -> String {
    format!("{EVENTS}/{slug}/evaluatie/resultaten")
}

/// A participant's evaluation form, through the signed link of the evaluation mail.
pub fn evaluation_link(token: &str) -> String {
    format!("/werkgroepen/evaluatie/{token}")
}

/// The page a reply link from an invitation opens (its button posts to the same address).
pub fn reply_link(token: &str) -> String {
    format!("{GROUPS}/antwoord/{token}")
}

/// Where a member posts their reply on the meeting's page.
pub fn group_meeting_reply(slug: &str, id: &str) -> String {
    format!("{GROUPS}/{slug}/vergaderingen/{id}/antwoord")
}

/// The page to create, renew or revoke one's personal calendar feed.
pub const MY_FEED: &str = "/werkgroepen/mijn/agenda-abonnement";

/// Where the personal feed is revoked.
pub const MY_FEED_REVOKE: &str = "/werkgroepen/mijn/agenda-abonnement/intrekken";

/// A personal calendar feed, by its secret token.
pub fn feed(token: &str) -> String {
    format!("{GROUPS}/agenda/{token}.ics")
}

/// Where a registrant without an account asks for a new "my data" link.
pub const DATA_LINK_REQUEST: &str = "/werkgroepen/mijn-gegevens";

/// What is held for a registrant's address, through the signed "my data" link.
pub fn data_link(token: &str) -> String {
    format!("{DATA_LINK_REQUEST}/link/{token}")
}

/// The same as JSON.
pub fn data_link_download(token: &str) -> String {
    format!("{DATA_LINK_REQUEST}/link/{token}/gegevens.json")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_group_lives_under_the_list() {
        assert_eq!(super::group("gdpr"), "/werkgroepen/gdpr");
    }
}

// the pages across groups (S13)
mod views;
pub use views::*;

// Staff pages for agenda templates and the retention setting (issue 13 points 3 and 8).

/// The staff list of agenda templates.
pub const AGENDA_TEMPLATES: &str = "/werkgroepen/beheer/sjablonen";

/// The staff form for a new agenda template.
pub const NEW_AGENDA_TEMPLATE: &str = "/werkgroepen/beheer/sjablonen/nieuw";

/// One agenda template's form.
pub fn agenda_template(id: &str) -> String {
    format!("{AGENDA_TEMPLATES}/{id}")
}

/// Where staff post the deletion of an agenda template.
pub fn agenda_template_delete(id: &str) -> String {
    format!("{AGENDA_TEMPLATES}/{id}/verwijderen")
}

/// The staff page of the retention setting.
pub const RETENTION: &str = "/werkgroepen/beheer/bewaartermijn";

/// Where a group's default agenda template is chosen (a form on its settings page).
pub fn group_agenda_template(slug: &str) -> String {
    format!("{GROUPS}/{slug}/instellingen/sjabloon")
}
