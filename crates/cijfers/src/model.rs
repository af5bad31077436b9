//! The module's domain types and their fixed lists of values. Each fixed value has its stored
//! text (`as_str`, `parse`) and a label id in the translations (`label_key`).

use serde::{Deserialize, Serialize};

/// The REFNIS code of the Vlaams Gewest (the Flemish figure on the indicator pages).
pub const FLANDERS_CODE: &str = "02000";

/// The 13 centrumsteden and Brussel (for the VGC), by REFNIS code and name: the places the
/// comparison, the fact sheets and the open data are about (Hasselt under its code since the
/// 2025 merger with Kortessem).
pub const CITIES: [(&str, &str); 14] = [
    ("41002", "Aalst"),
    ("11002", "Antwerpen"),
    ("31005", "Brugge"),
    ("71016", "Genk"),
    ("44021", "Gent"),
    ("71072", "Hasselt"),
    ("34022", "Kortrijk"),
    ("24062", "Leuven"),
    ("12025", "Mechelen"),
    ("35013", "Oostende"),
    ("36015", "Roeselare"),
    ("46021", "Sint-Niklaas"),
    ("13040", "Turnhout"),
    ("21004", "Brussel"),
];

macro_rules! fixed_list {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value for a stored text, if it is one.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The id of its label in the translations.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, "-{}"), self.as_str().replace('_', "-"))
            }
        }
    };
}

fixed_list!(
    /// How an indicator's values for small areas make the value of a larger one.
    Aggregation, "cijfers-aggregation", {
        Sum => "sum",
        WeightedMean => "weighted_mean",
        Ratio => "ratio",
    }
);

fixed_list!(
    /// The fixed list of geographic levels, from large to small.
    GeoLevel, "cijfers-level", {
        Gewest => "gewest",
        Provincie => "provincie",
        Gemeente => "gemeente",
        Wijk => "wijk",
        Sector => "sector",
    }
);

fixed_list!(
    /// The kinds of period a value can be for.
    PeriodKind, "cijfers-period", {
        Year => "year",
        Quarter => "quarter",
        Month => "month",
        Date => "date",
    }
);

fixed_list!(
    /// The standing of a value. `Suppressed` values are never shown publicly.
    ValueStatus, "cijfers-status", {
        Definitive => "definitive",
        Provisional => "provisional",
        Estimated => "estimated",
        Suppressed => "suppressed",
    }
);

fixed_list!(
    /// The file formats the importer reads.
    ImportKind, "cijfers-import-kind", {
        LongCsv => "long_csv",
        WideCsv => "wide_csv",
        Swing => "swing",
        SwingMeta => "swing_meta",
        StatbelPopulation => "statbel_population",
        Fluvius => "fluvius",
    }
);

fixed_list!(
    /// Where an upload stands.
    ImportStatus, "cijfers-import-status", {
        Preview => "preview",
        Queued => "queued",
        Done => "done",
        Failed => "failed",
    }
);

/// A period parsed from its code: `2024`, `2024-Q1`, `2024-03` or `2024-03-15`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    pub code: String,
    /// The first day, `YYYY-MM-DD` (for ordering and for the crosswalk's dates).
    pub starts_on: String,
}

impl Period {
    /// Reads a period code; `None` when it is none of the four forms.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let year_ok =
            |y: &str| digits(y, 4) && y.parse::<u32>().is_ok_and(|y| (1800..=2200).contains(&y));
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [year] if year_ok(year) => Some(Period {
                kind: PeriodKind::Year,
                code: text.to_string(),
                starts_on: format!("{year}-01-01"),
            }),
            [year, q]
                if year_ok(year)
                    && (q.len() == 2)
                    && (q.starts_with('Q') || q.starts_with('q')) =>
            {
                let n: u32 = q.get(1..)?.parse().ok()?;
                (1..=4).contains(&n).then(|| Period {
                    kind: PeriodKind::Quarter,
                    code: format!("{year}-Q{n}"),
                    starts_on: format!("{year}-{:02}-01", (n - 1) * 3 + 1),
                })
            }
            [year, month] if year_ok(year) && digits(month, 2) => {
                let m: u32 = month.parse().ok()?;
                (1..=12).contains(&m).then(|| Period {
                    kind: PeriodKind::Month,
                    code: text.to_string(),
                    starts_on: format!("{year}-{month}-01"),
                })
            }
            [year, _, _] if year_ok(year) => {
                let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
                Some(Period {
                    kind: PeriodKind::Date,
                    code: date.format("%Y-%m-%d").to_string(),
                    starts_on: date.format("%Y-%m-%d").to_string(),
                })
            }
            _ => None,
        }
    }
}

/// An indicator as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub code: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub source: String,
    pub theme: String,
    pub decimals: i64,
    pub aggregation: Aggregation,
    pub weight_code: Option<String>,
    pub numerator_code: Option<String>,
    pub denominator_code: Option<String>,
    /// `None`: shared, kept by the Kenniscentrum.
    pub owner_org_id: Option<String>,
    pub published: bool,
    pub demo: bool,
    pub min_count: Option<i64>,
    pub dominance_pct: Option<i64>,
    /// The width a suppressed cell's interval must have, in percent of its value (`None`: 30).
    pub protection_pct: Option<i64>,
    /// Whether the platform adds secondary suppressions itself (else it only audits).
    pub auto_secondary: bool,
    /// Whether the last disclosure check passed (the public needs this and `published`).
    pub disclosure_passed: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Indicator {
    /// Whether the public may see it: published by its data team and its last disclosure
    /// check passed (src/gate).
    pub fn is_public(&self) -> bool {
        self.published && self.disclosure_passed
    }
}

/// A place at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoItem {
    pub id: String,
    pub level: GeoLevel,
    pub code: String,
    pub name: String,
    pub municipality_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub owner_org_id: Option<String>,
}

/// One value as read for a page or the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    pub geo_code: String,
    pub geo_name: String,
    pub level: GeoLevel,
    pub period: String,
    pub value: Option<f64>,
    pub status: ValueStatus,
}

/// A number with a decimal comma and at most two decimals (the gate's report, the plan link's
/// comments).
pub fn number_nl(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_the_four_kinds_are_read_and_others_refused() {
        let p = Period::parse("2024").unwrap();
        assert_eq!(
            (p.kind, p.starts_on.as_str()),
            (PeriodKind::Year, "2024-01-01")
        );
        let q = Period::parse("2024-q3").unwrap();
        assert_eq!(
            (q.kind, q.code.as_str(), q.starts_on.as_str()),
            (PeriodKind::Quarter, "2024-Q3", "2024-07-01")
        );
        let m = Period::parse("2024-03").unwrap();
        assert_eq!(
            (m.kind, m.starts_on.as_str()),
            (PeriodKind::Month, "2024-03-01")
        );
        let d = Period::parse("2024-02-29").unwrap();
        assert_eq!(d.kind, PeriodKind::Date);
        for bad in [
            "",
            "24",
            "2024-Q5",
            "2024-13",
            "2023-02-29",
            "abcd",
            "2024-03-15-1",
            "99999",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad} should be refused");
        }
    }

    #[test]
    fn fixed_values_round_trip_through_their_text() {
        for a in Aggregation::ALL {
            assert_eq!(Aggregation::parse(a.as_str()), Some(*a));
        }
        assert_eq!(GeoLevel::parse("wijk"), Some(GeoLevel::Wijk));
        assert_eq!(
            ValueStatus::Suppressed.label_key(),
            "cijfers-status-suppressed"
        );
        assert_eq!(
            ImportKind::StatbelPopulation.label_key(),
            "cijfers-import-kind-statbel-population"
        );
    }
}
