//! The paths of the module's pages, for links from pages, mails and jobs (which have no
//! request to take them from). Handlers and templates build every URL of the plan here, so
//! that a route and its links cannot drift apart (the routes are in `web/<area>.rs`).

/// The list of plans.
pub const PLANS: &str = "/plannen";

/// The list of published plans, for everyone.
pub const PUBLIC_PLANS: &str = "/openbaar/plannen";

/// The form to start a plan.
pub const NEW_PLAN: &str = "/plannen/nieuw";

/// The search across the plans a user may read (GET, `q` and `pagina`).
pub const PLAN_SEARCH: &str = "/plannen/zoeken";

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

/// The form to copy a plan (GET) and the copy (POST).
pub fn plan_copy_path(plan_id: &str) -> String {
    format!("{}/kopieren", plan_path(plan_id))
}

/// A plan's dashboard (tab "dashboard").
pub fn dashboard_path(plan_id: &str) -> String {
    format!("{}/dashboard", plan_path(plan_id))
}

/// The timeline of a plan's projects (tab "tijdlijn").
pub fn timeline_path(plan_id: &str) -> String {
    format!("{}/tijdlijn", plan_path(plan_id))
}

/// A plan's finances (tab "financiën").
pub fn finance_path(plan_id: &str) -> String {
    format!("{}/financien", plan_path(plan_id))
}

/// A plan's export page (tab "export").
pub fn export_path(plan_id: &str) -> String {
    format!("{}/export", plan_path(plan_id))
}

/// The plan's items as a spreadsheet.
pub fn export_xlsx_path(plan_id: &str) -> String {
    format!("{}.xlsx", export_path(plan_id))
}

/// The plan's items as CSV.
pub fn export_csv_path(plan_id: &str) -> String {
    format!("{}.csv", export_path(plan_id))
}

/// The plan's indicators and measurements as a spreadsheet.
pub fn indicators_xlsx_path(plan_id: &str) -> String {
    format!("{}.xlsx", indicators_path(plan_id))
}

/// The plan's indicators and measurements as CSV.
pub fn indicators_csv_path(plan_id: &str) -> String {
    format!("{}.csv", indicators_path(plan_id))
}

/// The children of an item in the tree, loaded when it is opened.
pub fn subtree_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/boom/{item_id}", plan_path(plan_id))
}

/// The form to add a child to an item.
pub fn new_child_item_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/nieuw", item_path(plan_id, item_id))
}

/// The form to move an item (GET) and the move (POST).
pub fn item_move_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/verplaatsen", item_path(plan_id, item_id))
}

/// Moves an item one place up among its siblings (POST).
pub fn item_up_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/omhoog", item_path(plan_id, item_id))
}

/// Moves an item one place down among its siblings (POST).
pub fn item_down_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/omlaag", item_path(plan_id, item_id))
}

/// Where an item's progress is reported (POST).
pub fn item_report_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/rapporteren", item_path(plan_id, item_id))
}

/// Back to the status derived from the children (POST).
pub fn item_derive_status_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/status-afleiden", item_path(plan_id, item_id))
}

/// The timeline of an item's projects.
pub fn item_timeline_path(plan_id: &str, item_id: &str) -> String {
    format!("{}/tijdlijn", item_path(plan_id, item_id))
}

/// Deletes an indicator (POST).
pub fn indicator_delete_path(plan_id: &str, indicator_id: &str) -> String {
    format!("{}/verwijderen", indicator_path(plan_id, indicator_id))
}

/// Where a measurement of an indicator is added (POST).
pub fn measurements_path(plan_id: &str, indicator_id: &str) -> String {
    format!("{}/metingen", indicator_path(plan_id, indicator_id))
}

/// Deletes a measurement (POST).
pub fn measurement_delete_path(plan_id: &str, indicator_id: &str, measurement_id: &str) -> String {
    format!(
        "{}/{measurement_id}/verwijderen",
        measurements_path(plan_id, indicator_id)
    )
}

/// One indicator definition compared across the plans that measure it.
pub fn indicator_compare_path(definition_key: &str) -> String {
    format!("/indicatoren/vergelijk/{definition_key}")
}

/// Closes a reporting round (POST).
pub fn round_close_path(plan_id: &str, round_id: &str) -> String {
    format!("{}/sluiten", round_path(plan_id, round_id))
}

/// Deletes a project (POST).
pub fn project_delete_path(plan_id: &str, project_id: &str) -> String {
    format!("{}/projecten/{project_id}/verwijderen", plan_path(plan_id))
}

/// Where a milestone is added to a project (POST).
pub fn milestones_path(plan_id: &str, project_id: &str) -> String {
    format!("{}/projecten/{project_id}/mijlpalen", plan_path(plan_id))
}

/// Ticks a milestone off (or on again) (POST).
pub fn milestone_toggle_path(plan_id: &str, milestone_id: &str) -> String {
    format!("{}/mijlpalen/{milestone_id}/afvinken", plan_path(plan_id))
}

/// Deletes a milestone (POST).
pub fn milestone_delete_path(plan_id: &str, milestone_id: &str) -> String {
    format!(
        "{}/mijlpalen/{milestone_id}/verwijderen",
        plan_path(plan_id)
    )
}

/// Two releases of a plan compared.
pub fn release_compare_path(plan_id: &str) -> String {
    format!("{}/vergelijk", releases_path(plan_id))
}

/// Whether a release is public, set from the publication page (POST).
pub fn release_publication_path(plan_id: &str, release_id: &str) -> String {
    format!("{}/releases/{release_id}", publication_path(plan_id))
}

/// A public release's report.
pub fn public_release_path(release_id: &str) -> String {
    format!("/openbaar/releases/{release_id}")
}

/// Imports a previewed upload (POST).
pub fn upload_confirm_path(plan_id: &str, import_id: &str) -> String {
    format!("{}/bevestigen", upload_path(plan_id, import_id))
}

/// Archiving the items that an uploaded file no longer contains (from its preview).
pub fn upload_archive_path(plan_id: &str, import_id: &str) -> String {
    format!("{}/archiveren", upload_path(plan_id, import_id))
}
