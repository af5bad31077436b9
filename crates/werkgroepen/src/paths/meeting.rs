//! The URLs under one meeting's page: its agenda (slice S8) and its minutes (slice S9).

use super::group_meeting;

/// The meeting's agenda: items, proposals and, for those who chair, the forms to order them.
pub fn meeting_agenda(slug: &str, id: &str) -> String {
    format!("{}/agenda", group_meeting(slug, id))
}

/// The form to propose an agenda item.
pub fn meeting_agenda_propose(slug: &str, id: &str) -> String {
    format!("{}/agenda/voorstel", group_meeting(slug, id))
}

/// Where a chair posts an item of their own.
pub fn meeting_agenda_add(slug: &str, id: &str) -> String {
    format!("{}/agenda/punt", group_meeting(slug, id))
}

/// Where a chair posts the proposal deadline.
pub fn meeting_agenda_deadline(slug: &str, id: &str) -> String {
    format!("{}/agenda/termijn", group_meeting(slug, id))
}

/// Where a chair posts an agenda template's parts onto the agenda.
pub fn meeting_agenda_template(slug: &str, id: &str) -> String {
    format!("{}/agenda/sjabloon", group_meeting(slug, id))
}

/// Where a chair publishes the agenda (and so mails it).
pub fn meeting_agenda_publish(slug: &str, id: &str) -> String {
    format!("{}/agenda/publiceren", group_meeting(slug, id))
}

/// Where a chair acts on one item: `action` is one of `aanvaarden`, `omhoog`, `omlaag`,
/// `samenvoegen`, `afwijzen`.
pub fn meeting_agenda_item(slug: &str, id: &str, item_id: &str, action: &str) -> String {
    format!(
        "{}/agenda/punten/{item_id}/{action}",
        group_meeting(slug, id)
    )
}

/// An attachment of an agenda item, for download.
pub fn meeting_agenda_file(slug: &str, id: &str, file_id: &str) -> String {
    format!("{}/agenda/bijlagen/{file_id}", group_meeting(slug, id))
}

/// The meeting's minutes.
pub fn meeting_minutes(slug: &str, id: &str) -> String {
    format!("{}/verslag", group_meeting(slug, id))
}

/// Where a minutes action is posted: `action` is one of `opslaan`, `voorleggen`,
/// `goedkeuren`, `opmerking`, `besluit`, `actiepunt`, `aanwezigheid`, `thema`.
pub fn meeting_minutes_action(slug: &str, id: &str, action: &str) -> String {
    format!("{}/verslag/{action}", group_meeting(slug, id))
}

/// Where the status of an action point is posted.
pub fn action_point_status(slug: &str, point_id: &str) -> String {
    format!("{}/actiepunten/{point_id}/status", super::group(slug))
}

/// A group's action points, open ones first.
pub fn group_action_points(slug: &str) -> String {
    format!("{}/actiepunten", super::group(slug))
}
