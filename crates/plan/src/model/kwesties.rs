//! Kwesties: issues and risks per item (see [`crate::kwesties`]).

use serde::Deserialize;

macro_rules! simple_enum {
    ($(#[$meta:meta])* $name:ident, $list:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The Fluent id of the label.
            pub fn label_key(self) -> String {
                format!("plan-fu-{}-{}", $list, self.as_str())
            }
        }
    };
}

simple_enum!(
    /// An issue that is there, or a risk that might come.
    KwestieKind, "kind" { Kwestie => "kwestie", Risico => "risico" }
);

simple_enum!(
    /// How bad it is.
    Severity, "severity" {
        Laag => "laag",
        Middel => "middel",
        Hoog => "hoog",
        Kritiek => "kritiek",
    }
);

impl Severity {
    /// The icon beside the severity text (never told by colour alone).
    pub fn icon(self) -> &'static str {
        match self {
            Severity::Laag => "info",
            Severity::Middel => "flag",
            Severity::Hoog => "warning",
            Severity::Kritiek => "error",
        }
    }
}

simple_enum!(
    /// Where a kwestie stands.
    KwestieStatus, "kstatus" {
        Open => "open",
        InBehandeling => "in_behandeling",
        Opgelost => "opgelost",
    }
);

impl KwestieStatus {
    pub fn icon(self) -> &'static str {
        match self {
            KwestieStatus::Open => "circle",
            KwestieStatus::InBehandeling => "play",
            KwestieStatus::Opgelost => "check",
        }
    }
}

/// A kwestie as stored, with the names of its item and owner.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Kwestie {
    pub id: String,
    pub plan_id: String,
    pub item_id: String,
    pub item_code: String,
    pub item_title: String,
    pub kind: KwestieKind,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    /// 'YYYY-MM-DD'.
    pub due_date: Option<String>,
    pub status: KwestieStatus,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Kwestie {
    /// The due date as 28/11/2026, or empty.
    pub fn due_display(&self) -> String {
        self.due_date
            .as_deref()
            .and_then(steden_core::time::parse_date)
            .map(steden_core::time::format_naive_date)
            .unwrap_or_default()
    }
}

/// What a user types for a kwestie.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KwestieFields {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub severity: String,
    /// A user id, or empty for nobody.
    pub owner_user_id: String,
    pub due_date: String,
    pub status: String,
}

impl KwestieFields {
    pub fn from_kwestie(k: &Kwestie) -> KwestieFields {
        KwestieFields {
            kind: k.kind.as_str().into(),
            title: k.title.clone(),
            description: k.description.clone(),
            severity: k.severity.as_str().into(),
            owner_user_id: k.owner_user_id.clone().unwrap_or_default(),
            due_date: k.due_date.clone().unwrap_or_default(),
            status: k.status.as_str().into(),
        }
    }
}

/// A filter on a plan's kwesties; `None` is "all".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<KwestieStatus>,
    pub severity: Option<Severity>,
    pub owner_user_id: Option<String>,
}

/// A kwestie in someone's own list, with its plan.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedKwestie {
    pub organisation_id: String,
    pub plan_title: String,
    pub kwestie: Kwestie,
}
