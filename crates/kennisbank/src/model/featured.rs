//! What the home page features (stored by [`crate::store::featured`]).

/// What a featured item points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Pagina,
    Nieuws,
    Project,
    Document,
    Collectie,
}

impl TargetKind {
    pub const ALL: &'static [TargetKind] = &[
        TargetKind::Pagina,
        TargetKind::Nieuws,
        TargetKind::Project,
        TargetKind::Document,
        TargetKind::Collectie,
    ];

    /// The value stored in `site_featured.target_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Pagina => "pagina",
            TargetKind::Nieuws => "nieuws",
            TargetKind::Project => "project",
            TargetKind::Document => "document",
            TargetKind::Collectie => "collectie",
        }
    }

    pub fn parse(value: &str) -> Option<TargetKind> {
        TargetKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == value)
    }
}

/// A featured item as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Featured {
    pub id: String,
    pub target_kind: String,
    pub target_id: String,
    pub position: i64,
}

/// A featured item for the editors: with what it points at, if that still exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeaturedEntry {
    pub featured: Featured,
    pub kind: Option<TargetKind>,
    /// `None` when the page, document or collection was removed since.
    pub title: Option<String>,
    pub href: Option<String>,
}

/// Something an editor can feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: TargetKind,
    pub id: String,
    pub title: String,
}
