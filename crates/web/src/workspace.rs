//! The port behind the personal workspace (/start): "what is asked of this person". Each module
//! that asks something of its users (a report due in an open round, a kwestie to answer, a
//! review) provides a [`WorkspaceTasks`] in [`crate::Module::provide_ports`]; the workspace
//! shows what they return and knows no module's internals.

use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_core::CoreResult;
use steden_db::Db;

/// One thing asked of a person, as the workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceTask {
    /// The section it is listed under (the module's name, in the user's language).
    pub module_label: String,
    pub title: String,
    /// Where the person does it; a page they may open.
    pub href: String,
    /// 'YYYY-MM-DD', when there is a deadline.
    pub due: Option<String>,
    /// What kind of request it is ("rapportering", "kwestie"), shown as a tag.
    pub kind: String,
}

/// A module's answer to "what is asked of this person". Only tasks whose page the actor may
/// open: the workspace does not check again.
pub trait WorkspaceTasks: Send + Sync {
    fn tasks<'a>(
        &'a self,
        db: &'a Db,
        actor: &'a Actor,
        lang: crate::i18n::Lang,
        catalog: &'a crate::i18n::Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceTask>>>;
}
