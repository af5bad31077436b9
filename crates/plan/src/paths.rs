//! The paths of the module's pages, for links from pages, mails and jobs (which have no
//! request to take them from).

/// The path of a plan's pages.
pub fn plan_path(plan_id: &str) -> String {
    format!("/plannen/{plan_id}")
}

/// The path of an item's page.
pub fn item_path(plan_id: &str, item_id: &str) -> String {
    format!("/plannen/{plan_id}/items/{item_id}")
}
