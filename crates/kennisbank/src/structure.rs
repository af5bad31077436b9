//! The plan's structure that documents are filed under: the programmes (depth 0) and
//! werksporen (depth 1, of the level Werkspoor: a doelstelling directly under a programme is
//! none) of the Kenniscentrum's published plans — the jaarplan the site shows
//! and the earlier periods — read through the plan module's facade
//! ([`steden_plan::site::published_structure`]), never its tables.
//!
//! A document names a programme and a werkspoor by item id. What an editor, the API or an
//! import gives (an id, a code or a title) is resolved here ([`Structure::find`]); titles are
//! compared by [`match_key`] (case, accents, spacing and punctuation do not count), codes by
//! [`code_key`]. A programme's documents include those of its predecessors in earlier plans
//! ([`Structure::lineage`]).

use sqlx::AnyConnection;
use steden_core::error::CoreResult;
use steden_plan::site::{code_key, match_key, StructureItem, StructurePlan};

use crate::access::KENNISCENTRUM_SLUG;

/// The depth of a programme in a plan.
pub const PROGRAMME: i64 = 0;
/// The depth of a werkspoor in a plan.
pub const WERKSPOOR: i64 = 1;

/// The published plans of the Kenniscentrum with their programmes and werksporen, newest
/// period first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub plans: Vec<StructurePlan>,
}

impl Structure {
    /// Reads the structure (on `conn`, so that a write can check a choice in its transaction).
    /// Empty when the Kenniscentrum is missing or has published nothing.
    pub async fn load(conn: &mut AnyConnection) -> CoreResult<Structure> {
        let Some(kenniscentrum) =
            steden_core::org::find_by_slug(&mut *conn, KENNISCENTRUM_SLUG).await?
        else {
            return Ok(Structure::default());
        };
        Ok(Structure {
            plans: steden_plan::site::published_structure(conn, &kenniscentrum.id).await?,
        })
    }

    /// [`Structure::load`] on a connection of the pool.
    pub async fn read(db: &steden_db::Db) -> CoreResult<Structure> {
        let mut conn = db.pool().acquire().await?;
        Structure::load(&mut conn).await
    }

    pub fn is_empty(&self) -> bool {
        self.plans.iter().all(|p| p.items.is_empty())
    }

    fn items(&self) -> impl Iterator<Item = &StructureItem> {
        self.plans.iter().flat_map(|p| p.items.iter())
    }

    /// The item with `id`, if it is a programme or werkspoor of a published plan.
    pub fn item(&self, id: &str) -> Option<&StructureItem> {
        self.items().find(|i| i.id == id)
    }

    /// The plan an item belongs to.
    pub fn plan_of(&self, item: &StructureItem) -> Option<&StructurePlan> {
        self.plans.iter().find(|p| p.id == item.plan_id)
    }

    /// Every programme, newest plan first, in plan order.
    pub fn programmes(&self) -> impl Iterator<Item = (&StructurePlan, &StructureItem)> {
        self.plans.iter().flat_map(|plan| {
            plan.items
                .iter()
                .filter(|i| i.depth == PROGRAMME)
                .map(move |i| (plan, i))
        })
    }

    /// The werksporen of a programme, in plan order.
    pub fn werksporen_of(&self, programme_id: &str) -> Vec<&StructureItem> {
        self.items()
            .filter(|i| i.depth == WERKSPOOR && i.parent_id.as_deref() == Some(programme_id))
            .collect()
    }

    /// The item of `depth` that `value` names: its id, else its code, else its title (see
    /// [`match_key`]). With `parent`, only that programme's werksporen are considered. When
    /// several plans have a match, the one whose period holds `date` ('YYYY-MM-DD') wins, else
    /// the newest.
    pub fn find(
        &self,
        value: &str,
        depth: i64,
        parent: Option<&str>,
        date: Option<&str>,
    ) -> Option<&StructureItem> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let candidates: Vec<&StructureItem> = self
            .items()
            .filter(|i| i.depth == depth)
            .filter(|i| parent.is_none_or(|p| i.parent_id.as_deref() == Some(p)))
            .collect();
        if let Some(item) = candidates.iter().find(|i| i.id == value) {
            return Some(item);
        }
        let code = code_key(value);
        let by_code: Vec<&StructureItem> = candidates
            .iter()
            .copied()
            .filter(|i| !code.is_empty() && code_key(&i.code) == code)
            .collect();
        if !by_code.is_empty() {
            return self.prefer_period(by_code, date);
        }
        let key = match_key(value);
        let by_title: Vec<&StructureItem> = candidates
            .iter()
            .copied()
            .filter(|i| !key.is_empty() && match_key(&i.title) == key)
            .collect();
        self.prefer_period(by_title, date)
    }

    /// Every item of `depth` that `value` names by id, code or title (newest plan first): a
    /// title or code can recur in several plans.
    pub fn find_all(&self, value: &str, depth: i64) -> Vec<&StructureItem> {
        let value = value.trim();
        let (code, key) = (code_key(value), match_key(value));
        self.items()
            .filter(|i| i.depth == depth)
            .filter(|i| {
                i.id == value
                    || (!code.is_empty() && code_key(&i.code) == code)
                    || (!key.is_empty() && match_key(&i.title) == key)
            })
            .collect()
    }

    fn prefer_period<'a>(
        &self,
        items: Vec<&'a StructureItem>,
        date: Option<&str>,
    ) -> Option<&'a StructureItem> {
        let covers = |item: &&StructureItem| {
            date.zip(self.plan_of(item)).is_some_and(|(d, plan)| {
                plan.period_start.as_str() <= d && d <= plan.period_end.as_str()
            })
        };
        items.iter().find(|i| covers(i)).or(items.first()).copied()
    }

    /// The plans `plan` was copied from, nearest first (only published ones are known).
    fn copied_chain<'a>(&'a self, plan: &'a StructurePlan) -> Vec<&'a str> {
        let mut chain: Vec<&str> = Vec::new();
        let mut next = plan.copied_from_id.as_deref();
        while let Some(id) = next {
            if chain.contains(&id) || id == plan.id {
                break;
            }
            chain.push(id);
            next = self
                .plans
                .iter()
                .find(|p| p.id == id)
                .and_then(|p| p.copied_from_id.as_deref());
        }
        chain
    }

    /// The item `id` and the same item in each earlier published plan: in a plan it was copied
    /// from, the item with the same code (else the same title); in any other earlier plan, the
    /// item with the same title. A werkspoor is looked for under its programme's predecessor
    /// when that plan has one. Plan items carry no link to the item they were copied from, so
    /// this is how a programme keeps its documents from one period to the next.
    pub fn lineage(&self, id: &str) -> Vec<String> {
        let Some(item) = self.item(id) else {
            return vec![id.to_string()];
        };
        let Some(plan) = self.plan_of(item) else {
            return vec![id.to_string()];
        };
        let chain = self.copied_chain(plan);
        let parents = match &item.parent_id {
            Some(parent) => self.lineage(parent),
            None => Vec::new(),
        };
        let code = code_key(&item.code);
        let key = match_key(&item.title);
        let mut out = vec![item.id.clone()];
        for other in self
            .plans
            .iter()
            .filter(|p| p.id != plan.id && p.period_start < plan.period_start)
        {
            let at_depth = || other.items.iter().filter(|i| i.depth == item.depth);
            let under_parent: Vec<&StructureItem> = at_depth()
                .filter(|i| {
                    i.parent_id
                        .as_ref()
                        .is_some_and(|p| parents.iter().any(|q| q == p))
                })
                .collect();
            let scope: Vec<&StructureItem> = if under_parent.is_empty() {
                at_depth().collect()
            } else {
                under_parent
            };
            let same_code = chain.contains(&other.id.as_str()) && !code.is_empty();
            let found = scope
                .iter()
                .find(|i| same_code && code_key(&i.code) == code)
                .or_else(|| scope.iter().find(|i| match_key(&i.title) == key));
            if let Some(found) = found {
                out.push(found.id.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(plan: &str, id: &str, parent: Option<&str>, code: &str, title: &str) -> StructureItem {
        StructureItem {
            id: id.into(),
            plan_id: plan.into(),
            parent_id: parent.map(str::to_string),
            depth: if parent.is_some() { 1 } else { 0 },
            code: code.into(),
            title: title.into(),
        }
    }

    fn plan(
        id: &str,
        year: &str,
        copied: Option<&str>,
        items: Vec<StructureItem>,
    ) -> StructurePlan {
        StructurePlan {
            id: id.into(),
            kind: "jaarplan",
            title: format!("Jaarplan {year}"),
            period_start: format!("{year}-01-01"),
            period_end: format!("{year}-12-31"),
            copied_from_id: copied.map(str::to_string),
            items,
        }
    }

    fn structure() -> Structure {
        Structure {
            plans: vec![
                plan(
                    "p25",
                    "2025",
                    Some("p24"),
                    vec![
                        item(
                            "p25",
                            "obmi25",
                            None,
                            "2",
                            "O(mgeving) B(eleid) M(anagement)informatie",
                        ),
                        item("p25", "gdpr25", Some("obmi25"), "2.1", "GDPR"),
                        item("p25", "klim25", None, "5", "Klimaat"),
                    ],
                ),
                plan(
                    "p24",
                    "2024",
                    None,
                    vec![
                        // Renamed in the copy: found by its code.
                        item("p24", "obmi24", None, "2", "OBMi"),
                        item("p24", "gdpr24", Some("obmi24"), "2.1", "Privacy"),
                        item("p24", "klim24", None, "4", "Klimaat"),
                    ],
                ),
                plan(
                    "p21",
                    "2021",
                    None,
                    vec![
                        // Not in the copy chain: the same code means something else.
                        item("p21", "other21", None, "2", "Armoede"),
                        item(
                            "p21",
                            "obmi21",
                            None,
                            "7",
                            "O(mgeving)B(eleid)M(anagement) informatie",
                        ),
                        item("p21", "gdpr21", Some("obmi21"), "7.3", "GDPR"),
                    ],
                ),
            ],
        }
    }

    #[test]
    fn finds_by_id_code_and_title_preferring_the_documents_period() {
        let s = structure();
        let id =
            |v: &str, date: Option<&str>| s.find(v, PROGRAMME, None, date).map(|i| i.id.as_str());
        assert_eq!(id("klim24", None), Some("klim24"));
        assert_eq!(id("  klimaat ", None), Some("klim25"), "newest plan first");
        assert_eq!(
            id("Klimaat", Some("2024-06-01")),
            Some("klim24"),
            "the date's plan"
        );
        assert_eq!(
            id("O(mgeving)B(eleid) M(anagement) informatie", None),
            Some("obmi25"),
            "spacing does not count"
        );
        assert_eq!(id("Onbekend", None), None);
        assert_eq!(
            s.find("gdpr", WERKSPOOR, Some("obmi21"), None)
                .map(|i| i.id.as_str()),
            Some("gdpr21")
        );
        assert_eq!(s.find("GDPR", WERKSPOOR, Some("klim25"), None), None);
    }

    #[test]
    fn lineage_follows_codes_in_copies_and_titles_elsewhere() {
        let s = structure();
        assert_eq!(s.lineage("obmi25"), vec!["obmi25", "obmi24", "obmi21"]);
        assert_eq!(s.lineage("gdpr25"), vec!["gdpr25", "gdpr24", "gdpr21"]);
        assert_eq!(s.lineage("klim25"), vec!["klim25", "klim24"]);
        // Earlier periods do not see later ones; outside the copy chain only titles count.
        assert_eq!(s.lineage("obmi24"), vec!["obmi24"]);
        assert_eq!(s.lineage("unknown"), vec!["unknown"]);
    }
}
