//! The domain types of a plan: the plan itself, its levels and its items, with the fixed lists
//! of values their columns take. Each enum is stored as its `as_str()` and has a Fluent label
//! `plan-<list>-<value>` (see locales/nl-BE/plan.ftl).

use serde::{Deserialize, Serialize};

pub mod finance;
pub mod imports;
pub mod indicators;
pub mod kwesties;
pub mod projects;
pub mod releases;
pub mod rounds;

/// Declares a stored enum: variants with their stored text, `as_str`, `parse`, `ALL` and the
/// Fluent key of its label.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident, $list:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The Fluent id of the Dutch/English label.
            pub fn label_key(self) -> String {
                format!("plan-{}-{}", $list, self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored_enum!(
    /// What kind of plan.
    PlanKind, "kind" {
        Jaarplan => "jaarplan",
        Meerjarenplan => "meerjarenplan",
        Bestuursakkoord => "bestuursakkoord",
    }
);

stored_enum!(
    /// Where a plan is in its life.
    PlanStatus, "planstatus" {
        Ontwerp => "ontwerp",
        Vastgesteld => "vastgesteld",
        Gearchiveerd => "gearchiveerd",
    }
);

stored_enum!(
    /// The realisation status of an item (or project).
    ItemStatus, "status" {
        NietGestart => "niet_gestart",
        Lopend => "lopend",
        Vertraagd => "vertraagd",
        Afgerond => "afgerond",
        Stopgezet => "stopgezet",
    }
);

impl ItemStatus {
    /// The icon (in the shell's sprite) shown beside the status text, so that status is never
    /// told by colour alone.
    pub fn icon(self) -> &'static str {
        match self {
            ItemStatus::NietGestart => "circle",
            ItemStatus::Lopend => "play",
            ItemStatus::Vertraagd => "clock",
            ItemStatus::Afgerond => "check",
            ItemStatus::Stopgezet => "stop",
        }
    }

    /// Finished one way or another: no longer late, no longer expected to report.
    pub fn is_closed(self) -> bool {
        matches!(self, ItemStatus::Afgerond | ItemStatus::Stopgezet)
    }
}

/// The level names a new plan can start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelPreset {
    /// BBC: beleidsdoelstelling → actieplan → actie.
    Bbc,
    /// The Kenniscentrum's jaarplan: programma → werkspoor → doelstelling → actie.
    Kenniscentrum,
}

impl LevelPreset {
    pub fn names(self) -> &'static [&'static str] {
        match self {
            LevelPreset::Bbc => &["Beleidsdoelstelling", "Actieplan", "Actie"],
            LevelPreset::Kenniscentrum => &["Programma", "Werkspoor", "Doelstelling", "Actie"],
        }
    }

    pub fn parse(text: &str) -> Option<LevelPreset> {
        match text {
            "bbc" => Some(LevelPreset::Bbc),
            "kenniscentrum" => Some(LevelPreset::Kenniscentrum),
            _ => None,
        }
    }
}

/// A plan as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub id: String,
    pub organisation_id: String,
    pub kind: PlanKind,
    pub title: String,
    pub description: String,
    /// 'YYYY-MM-DD'.
    pub period_start: String,
    pub period_end: String,
    pub status: PlanStatus,
    /// Made up for the demo.
    pub is_demo: bool,
    pub copied_from_id: Option<String>,
    pub published: bool,
    pub published_fields: Vec<PublishedField>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The level names, depth 0 first.
    pub levels: Vec<String>,
}

impl Plan {
    /// The name of the level with index `level` (an item's stored [`Item::level`]; the deepest
    /// name for anything below it).
    pub fn level_name(&self, level: i64) -> &str {
        let index = usize::try_from(level).unwrap_or(0);
        self.levels
            .get(index)
            .or(self.levels.last())
            .map(String::as_str)
            .unwrap_or("Item")
    }

    pub fn publishes(&self, field: PublishedField) -> bool {
        self.published && self.published_fields.contains(&field)
    }
}

stored_enum!(
    /// What a published plan shows besides codes and titles.
    PublishedField, "pubfield" {
        Description => "beschrijving",
        Status => "status",
        Progress => "voortgang",
        Dates => "data",
        Owner => "eigenaar",
        Indicators => "indicatoren",
        Finance => "financien",
        Kwesties => "kwesties",
    }
);

/// An item at any level of a plan's tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub plan_id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    /// The item's level: an index into the plan's levels, deeper than its parent's (levels may
    /// be skipped, so it is not always the depth).
    pub level: i64,
    pub position: i64,
    pub code: String,
    /// A stable name for URLs ('' until one was given; see `crate::slug`).
    pub slug: String,
    pub title: String,
    pub description: String,
    pub owner_user_id: Option<String>,
    /// The owner's display name: the user's name, else the imported name.
    pub owner_name: String,
    pub responsible_service: String,
    pub partners: Vec<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub prioritair_own: bool,
    pub prioritair: bool,
    pub beleidsveld: String,
    pub themes: Vec<String>,
    pub status: ItemStatus,
    /// The status was set by hand on a parent (else a parent's status is derived from its
    /// children, see `store::rollup::derive_status`); only meaningful when it has children.
    pub status_manual: bool,
    pub progress: i64,
    pub weight: i64,
    pub internal_code: String,
    pub child_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the item was archived (stopped and left out of the current views), if it was.
    pub archived_at: Option<i64>,
}

impl Item {
    pub fn is_leaf(&self) -> bool {
        self.child_count == 0
    }

    /// A parent whose status was set by hand (shown as such, with a way back to the derived
    /// status).
    pub fn status_is_manual(&self) -> bool {
        self.status_manual && !self.is_leaf()
    }

    /// Late: past its end date and not closed, or explicitly delayed.
    pub fn is_late(&self, today: &str) -> bool {
        self.status == ItemStatus::Vertraagd
            || (!self.status.is_closed() && self.end_date.as_deref().is_some_and(|end| end < today))
    }
}

/// A plan's items of one status, with how many of them are prioritair and how many late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
    pub prioritair: i64,
    pub late: i64,
}

/// The most an item's short title may hold.
pub const TITLE_MAX: usize = 100;
/// The most an item's description may hold.
pub const DESCRIPTION_MAX: usize = 4000;

/// The 17 Sustainable Development Goals, as theme codes `sdg-1` … `sdg-17` with Dutch names.
pub const SDGS: [&str; 17] = [
    "Geen armoede",
    "Geen honger",
    "Goede gezondheid en welzijn",
    "Kwaliteitsonderwijs",
    "Gendergelijkheid",
    "Schoon water en sanitair",
    "Betaalbare en duurzame energie",
    "Waardig werk en economische groei",
    "Industrie, innovatie en infrastructuur",
    "Ongelijkheid verminderen",
    "Duurzame steden en gemeenschappen",
    "Verantwoorde consumptie en productie",
    "Klimaatactie",
    "Leven in het water",
    "Leven op het land",
    "Vrede, justitie en sterke publieke diensten",
    "Partnerschap om doelstellingen te bereiken",
];

/// The display name of a theme code: "SDG 13 Klimaatactie" for `sdg-13`, else the code itself
/// (free themes are stored as typed).
pub fn theme_label(code: &str) -> String {
    if let Some(number) = code
        .strip_prefix("sdg-")
        .and_then(|n| n.parse::<usize>().ok())
    {
        if let Some(name) = SDGS.get(number.wrapping_sub(1)) {
            return format!("SDG {number} {name}");
        }
    }
    code.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for status in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(ItemStatus::parse("klaar"), None);
        assert_eq!(
            PlanKind::parse("meerjarenplan"),
            Some(PlanKind::Meerjarenplan)
        );
    }

    #[test]
    fn theme_labels() {
        assert_eq!(theme_label("sdg-13"), "SDG 13 Klimaatactie");
        assert_eq!(theme_label("sdg-18"), "sdg-18");
        assert_eq!(theme_label("sdg-0"), "sdg-0");
        assert_eq!(theme_label("armoede"), "armoede");
    }

    #[test]
    fn lateness() {
        let mut item = Item {
            id: "i".into(),
            plan_id: "p".into(),
            parent_id: None,
            depth: 0,
            level: 0,
            position: 0,
            code: "A".into(),
            slug: "a".into(),
            title: "t".into(),
            description: String::new(),
            owner_user_id: None,
            owner_name: String::new(),
            responsible_service: String::new(),
            partners: vec![],
            start_date: None,
            end_date: Some("2025-06-30".into()),
            prioritair_own: false,
            prioritair: false,
            beleidsveld: String::new(),
            themes: vec![],
            status: ItemStatus::Lopend,
            status_manual: false,
            progress: 0,
            weight: 1,
            internal_code: String::new(),
            child_count: 0,
            created_at: 0,
            updated_at: 0,
            archived_at: None,
        };
        assert!(item.is_late("2025-07-01"));
        assert!(!item.is_late("2025-06-30"));
        item.status = ItemStatus::Afgerond;
        assert!(!item.is_late("2025-07-01"));
        item.status = ItemStatus::Vertraagd;
        assert!(item.is_late("2025-01-01"));
    }
}
