//! The port behind the personal workspace (/start): "what is asked of this person" and "what
//! changed in what they follow". Each module that asks something of its users (a report due in
//! an open round, a kwestie to answer, a review) provides a [`WorkspaceTasks`] in
//! [`crate::Module::provide_ports`]; the workspace shows what they return and knows no module's
//! internals.

use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_core::CoreResult;
use steden_db::Db;

/// One thing asked of a person, as the workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceTask {
    /// The section it is listed under (the module's name, in the user's language).
    pub module_label: String,
    /// What it is about, as its users typed it (Dutch; the page marks it `lang="nl"`).
    pub title: String,
    /// Where the person does it; a page they may open.
    pub href: String,
    /// 'YYYY-MM-DD', when there is a deadline.
    pub due: Option<String>,
    /// What kind of request it is ("rapportering", "kwestie"), shown as a tag.
    pub kind: String,
}

/// One recent change in something the person follows (an item they own, a plan of their
/// organisation), as the workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceChange {
    /// The module's name, in the user's language.
    pub module_label: String,
    /// What changed, as its users typed it (Dutch; marked `lang="nl"`).
    pub title: String,
    /// Where to read it; a page the person may open.
    pub href: String,
    /// What happened, in the user's language ("Status: Lopend → Vertraagd").
    pub what: String,
    /// The comment that came with it, as typed (Dutch), or empty.
    pub comment: String,
    /// Who made the change.
    pub author: String,
    /// When, in milliseconds since the Unix epoch (UTC): the workspace merges modules' lists
    /// by it, newest first.
    pub at: i64,
}

/// How far back "recent" reaches: two weeks, long enough to cover a holiday week.
pub const RECENT_DAYS: i64 = 14;

/// How many recent changes the workspace shows: a glance, not a history.
pub const RECENT_LIMIT: usize = 10;

/// A module's answer to "what is asked of this person" and "what changed in what they follow".
/// Only tasks and changes whose page the actor may open: the workspace does not check again.
pub trait WorkspaceTasks: Send + Sync {
    fn tasks<'a>(
        &'a self,
        db: &'a Db,
        actor: &'a Actor,
        lang: crate::i18n::Lang,
        catalog: &'a crate::i18n::Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceTask>>>;

    /// Changes made since `since` (ms UTC) by others, newest first, at most `limit`. A module
    /// with nothing to follow need not implement it.
    fn recent_changes<'a>(
        &'a self,
        _db: &'a Db,
        _actor: &'a Actor,
        _since: i64,
        _limit: usize,
        _lang: crate::i18n::Lang,
        _catalog: &'a crate::i18n::Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceChange>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}
