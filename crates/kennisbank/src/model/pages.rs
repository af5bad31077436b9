//! Pages of the website (static pages, news, projects), their versions and what an editor
//! fills in for one (stored by [`crate::store::pages`]).

use crate::model::{PageKind, PageStatus, ProjectState};

/// A page as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub id: String,
    pub kind: PageKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub project_state: Option<ProjectState>,
    pub programme: Option<String>,
    pub image_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Page {
    /// Whether visitors can see it at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        match self.status {
            PageStatus::Gepubliceerd => true,
            PageStatus::Gepland => self.publish_at.is_some_and(|at| at <= now),
            PageStatus::Concept | PageStatus::Gearchiveerd => false,
        }
    }

    /// The public address of the page.
    pub fn href(&self) -> String {
        public_href(self.kind, &self.slug)
    }

    /// The moment it went (or goes) online, else its last change.
    pub fn shown_at(&self) -> i64 {
        self.publish_at.unwrap_or(self.updated_at)
    }
}

/// The public address of a page of `kind` with `slug`.
pub fn public_href(kind: PageKind, slug: &str) -> String {
    match kind {
        PageKind::Pagina => format!("/pagina/{slug}"),
        PageKind::Nieuws => format!("/nieuws/{slug}"),
        PageKind::Project => format!("/projecten/{slug}"),
    }
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub page_id: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: i64,
}

/// What an editor submitted in the page form, as typed. `publish_at` is the value of a
/// `datetime-local` input: Belgian local time.
#[derive(Debug, Clone, Default)]
pub struct PageDraft {
    pub kind: String,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body_md: String,
    pub status: String,
    pub publish_at: String,
    pub project_state: String,
    pub programme: String,
    pub image_id: String,
}
