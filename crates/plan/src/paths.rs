//! The paths of the module's pages, for links from pages, mails and jobs (which have no
//! request to take them from). Handlers and templates build every URL of the plan here, so
//! that a route and its links cannot drift apart (the routes are in `web/<area>.rs`).

/// The list of plans.
pub const PLANS: &str = "/plannen";

/// The list of published plans, for everyone.
pub const PUBLIC_PLANS: &str = "/openbaar/plannen";

/// The form to start a plan.
pub const NEW_PLAN: &str = "/plannen/nieuw";

/// The path of a plan's pages.
pub fn plan_path(plan_id: &str) -> String {
    format!("/plannen/{plan_id}")
}

/// The form to change a plan.
pub fn plan_edit_path(plan_id: &str) -> String {
    format!("{}/bewerken", plan_path(plan_id))
}

/// The path of an item's page.
pub fn item_path(plan_id: &str, item_id: &str) -> String {
    format!("/plannen/{plan_id}/items/{item_id}")
}

/// The confirmation page (GET) and the deletion (POST) of an item.
pub fn item_delete_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/verwijderen", item_path(plan_id, item_id))
}

/// The form to add an item at the top level of a plan.
pub fn new_item_path(plan_id: &str) -> String {
    format!("{}/items/nieuw", plan_path(plan_id))
}

/// The form to change an item.
pub fn item_edit_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/bewerken", item_path(plan_id, item_id))
}

/// A plan's indicators (tab "indicatoren").
pub fn indicators_path(plan_id: &str) -> String {
    format!("{}/indicatoren", plan_path(plan_id))
}

/// One indicator's page.
pub fn indicator_path(plan_id: &str, indicator_id: &str) -> String {
    format!("{}/{indicator_id}", indicators_path(plan_id))
}

/// The form to add an indicator to an item.
pub fn new_indicator_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/indicatoren/nieuw", item_path(plan_id, item_id))
}

/// The form to change an indicator.
pub fn indicator_edit_path(plan_id: &str, indicator_id: &str) -> String {
    format!("{}/bewerken", indicator_path(plan_id, indicator_id))
}

/// Where an indicator's measurement source is linked.
pub fn indicator_source_path(plan_id: &str, indicator_id: &str) -> String {
    format!("{}/bron", indicator_path(plan_id, indicator_id))
}

/// A plan's reporting rounds.
pub fn rounds_path(plan_id: &str) -> String {
    format!("{}/rondes", plan_path(plan_id))
}

/// One reporting round.
pub fn round_path(plan_id: &str, round_id: &str) -> String {
    format!("{}/{round_id}", rounds_path(plan_id))
}

/// A plan's kwesties.
pub fn kwesties_path(plan_id: &str) -> String {
    format!("{}/kwesties", plan_path(plan_id))
}

/// The form to change a kwestie.
pub fn kwestie_edit_path(plan_id: &str, kwestie_id: &str) -> String {
    format!("{}/{kwestie_id}/bewerken", kwesties_path(plan_id))
}

/// The form to raise a kwestie on an item.
pub fn new_kwestie_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/kwesties/nieuw", item_path(plan_id, item_id))
}

/// The form to add a project to an item.
pub fn new_project_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/projecten/nieuw", item_path(plan_id, item_id))
}

/// The form to change a project (and its milestones).
pub fn project_edit_path(plan_id: &str, project_id: &str) -> String {
    format!("{}/projecten/{project_id}/bewerken", plan_path(plan_id))
}

/// A plan's releases.
pub fn releases_path(plan_id: &str) -> String {
    format!("{}/releases", plan_path(plan_id))
}

/// One release's report.
pub fn release_path(plan_id: &str, release_id: &str) -> String {
    format!("{}/{release_id}", releases_path(plan_id))
}

/// What of a plan is published, and its public releases.
pub fn publication_path(plan_id: &str) -> String {
    format!("{}/publicatie", plan_path(plan_id))
}

/// A published plan's public page.
pub fn public_plan_path(plan_id: &str) -> String {
    format!("{PUBLIC_PLANS}/{plan_id}")
}

/// The start of a published item's public address (the item's id follows).
pub fn public_items_prefix(plan_id: &str) -> String {
    format!("{}/items/", public_plan_path(plan_id))
}

/// The import page of a plan (upload a BBC or jaarplan file).
pub fn import_path(plan_id: &str) -> String {
    format!("{}/import", plan_path(plan_id))
}

/// One uploaded file's preview.
pub fn upload_path(plan_id: &str, import_id: &str) -> String {
    format!("{}/{import_id}", import_path(plan_id))
}

/// The progress fragment of an upload's import job.
pub fn upload_progress_path(plan_id: &str, import_id: &str) -> String {
    format!("{}/voortgang", upload_path(plan_id, import_id))
}

/// The column mapping of an uploaded BBC file.
pub fn upload_columns_path(plan_id: &str, import_id: &str) -> String {
    format!("{}/kolommen", upload_path(plan_id, import_id))
}
