//! Who may read and change what, on top of the core's policy (`steden_core::policy`).
//!
//! - **Editors** are redacteurs (or higher) of the Kenniscentrum for the module `kennisbank`:
//!   they write pages and news, manage documents, collections and the glossary, and see the
//!   usage dashboard. Every write checks [`require_editor`].
//! - **Readers** of a document: anyone for `publiek`; any logged-in member of an organisation
//!   for `leden`; members of one organisation for `organisatie`; members of one working group
//!   for `werkgroep`. Editors may open everything (they manage it).
//!
//! [`Reader`] holds what a request's user is, once, and gives both the check for one document
//! ([`Reader::may_open`]) and the access terms the search index filters on
//! ([`Reader::search_terms`]): the two must agree, and a test checks that they do.

use steden_core::error::CoreResult;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreError;
use steden_db::Db;

use crate::model::Access;

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "kennisbank";

/// The slug of the organisation whose editors run the site (seeded by the core).
pub const KENNISCENTRUM_SLUG: &str = "kenniscentrum";

/// The id of the Kenniscentrum organisation.
pub async fn kenniscentrum_id(db: &Db) -> CoreResult<String> {
    steden_core::org::find_by_slug(db.pool(), KENNISCENTRUM_SLUG)
        .await?
        .map(|org| org.id)
        .ok_or_else(|| {
            CoreError::Internal(anyhow::anyhow!("de organisatie Kenniscentrum ontbreekt"))
        })
}

/// Whether `actor` may edit the site and the Kennisbank.
pub fn is_editor(actor: &Actor, kenniscentrum_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// For the menu: whether `actor` may open the site's management pages (the check of
/// `web::common::require_editor`: an editor of the Kenniscentrum).
pub fn may_manage_site<'a>(db: &'a Db, actor: &'a Actor) -> futures::future::BoxFuture<'a, bool> {
    Box::pin(async move {
        match kenniscentrum_id(db).await {
            Ok(id) => is_editor(actor, &id),
            Err(_) => false,
        }
    })
}

/// `Ok(())` for an editor; otherwise forbidden (or unauthenticated for the anonymous).
pub fn require_editor(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// What a document says about who may open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentAccess {
    pub access: Access,
    pub organisation_id: Option<String>,
    pub group_id: Option<String>,
}

impl DocumentAccess {
    /// The terms stored in the search index for this document. A restricted document without
    /// its organisation or group gets none, so that nobody but editors finds it.
    pub fn index_terms(&self) -> Vec<String> {
        let mut terms = vec![EDITOR_TERM.to_string()];
        match self.access {
            Access::Publiek => terms.push("public".into()),
            Access::Leden => terms.push("members".into()),
            Access::Organisatie => {
                if let Some(org) = &self.organisation_id {
                    terms.push(format!("org:{org}"));
                }
            }
            Access::Werkgroep => {
                if let Some(group) = &self.group_id {
                    terms.push(format!("group:{group}"));
                }
            }
        }
        terms
    }
}

/// The index term every document carries, so that editors find everything.
const EDITOR_TERM: &str = "editors";

/// The person asking, as far as access to documents goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reader {
    pub logged_in: bool,
    pub editor: bool,
    /// Organisations the user has a role in.
    pub organisations: Vec<String>,
    /// Working groups the user belongs to.
    pub groups: Vec<String>,
}

impl Reader {
    /// A visitor who is not logged in.
    pub fn anonymous() -> Reader {
        Reader::default()
    }

    /// The reader for `actor`, with their working groups read from the database.
    pub async fn of(db: &Db, actor: &Actor) -> CoreResult<Reader> {
        let Some(user_id) = actor.user_id() else {
            return Ok(Reader::anonymous());
        };
        let kenniscentrum = kenniscentrum_id(db).await?;
        let organisations = match actor {
            Actor::User(user) => user
                .memberships
                .iter()
                .map(|m| m.organisation_id.clone())
                .collect(),
            Actor::Token(token) => vec![token.organisation_id.clone()],
            _ => Vec::new(),
        };
        let groups = steden_core::working_group::groups_of(db.pool(), user_id).await?;
        Ok(Reader {
            logged_in: true,
            editor: is_editor(actor, &kenniscentrum),
            organisations,
            groups,
        })
    }

    pub fn may_open(&self, doc: &DocumentAccess) -> bool {
        if self.editor {
            return true;
        }
        match doc.access {
            Access::Publiek => true,
            Access::Leden => self.logged_in,
            Access::Organisatie => doc
                .organisation_id
                .as_ref()
                .is_some_and(|org| self.organisations.contains(org)),
            Access::Werkgroep => doc
                .group_id
                .as_ref()
                .is_some_and(|group| self.groups.contains(group)),
        }
    }

    /// The access terms this reader's searches are limited to (see
    /// [`DocumentAccess::index_terms`]).
    pub fn search_terms(&self) -> Vec<String> {
        if self.editor {
            return vec![EDITOR_TERM.to_string()];
        }
        let mut terms = vec!["public".to_string()];
        if self.logged_in {
            terms.push("members".into());
            terms.extend(self.organisations.iter().map(|o| format!("org:{o}")));
            terms.extend(self.groups.iter().map(|g| format!("group:{g}")));
        }
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check for one document and the search filter agree for every kind of access and
    /// every kind of reader.
    #[test]
    fn may_open_agrees_with_search_terms() {
        let docs = [
            DocumentAccess {
                access: Access::Publiek,
                organisation_id: None,
                group_id: None,
            },
            DocumentAccess {
                access: Access::Leden,
                organisation_id: None,
                group_id: None,
            },
            DocumentAccess {
                access: Access::Organisatie,
                organisation_id: Some("gent".into()),
                group_id: None,
            },
            DocumentAccess {
                access: Access::Organisatie,
                organisation_id: None,
                group_id: None,
            },
            DocumentAccess {
                access: Access::Werkgroep,
                organisation_id: None,
                group_id: Some("gdpr".into()),
            },
        ];
        let readers = [
            Reader::anonymous(),
            Reader {
                logged_in: true,
                ..Reader::default()
            },
            Reader {
                logged_in: true,
                organisations: vec!["gent".into()],
                ..Reader::default()
            },
            Reader {
                logged_in: true,
                organisations: vec!["leuven".into()],
                groups: vec!["gdpr".into()],
                ..Reader::default()
            },
            Reader {
                logged_in: true,
                editor: true,
                ..Reader::default()
            },
        ];
        let mut opened = 0;
        for reader in &readers {
            for doc in &docs {
                let by_terms = doc
                    .index_terms()
                    .iter()
                    .any(|t| reader.search_terms().contains(t));
                assert_eq!(reader.may_open(doc), by_terms, "{reader:?} / {doc:?}");
                opened += usize::from(by_terms);
            }
        }
        // anonymous 1, member 2, Gent 3, Leuven+gdpr 3, editor 5
        assert_eq!(opened, 14);
    }
}
