//! What changed between two releases of a plan: a pure function over two snapshots, so that
//! it can be tested without a database and shown on any page.
//!
//! Items, indicators and kwesties are matched by id (codes and titles may change between
//! releases); what is shown is the code and title of the newer release.

use std::collections::HashMap;

use super::snapshot::{IndicatorSnapshot, ItemSnapshot, KwestieSnapshot, ReleaseSnapshot};
use crate::model::ItemStatus;

/// An item named in a difference.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRef {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub item: ItemRef,
    pub old: ItemStatus,
    pub new: ItemStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressChange {
    pub item: ItemRef,
    pub old: i64,
    pub new: i64,
}

/// The latest value of an indicator at each release (`None`: no measurement yet, or the
/// indicator did not exist).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorChange {
    pub item_code: String,
    pub name: String,
    pub unit: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KwestieRef {
    pub item_code: String,
    pub kind: String,
    pub title: String,
    pub severity: String,
}

/// The differences from release `a` (older) to release `b` (newer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseDiff {
    pub added: Vec<ItemRef>,
    pub removed: Vec<ItemRef>,
    pub status_changed: Vec<StatusChange>,
    pub progress_changed: Vec<ProgressChange>,
    pub indicators_changed: Vec<IndicatorChange>,
    /// Open in `b` and not open in `a` (new, or reopened).
    pub kwesties_opened: Vec<KwestieRef>,
    /// Open in `a` and solved (or gone) in `b`.
    pub kwesties_closed: Vec<KwestieRef>,
}

impl ReleaseDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.status_changed.is_empty()
            && self.progress_changed.is_empty()
            && self.indicators_changed.is_empty()
            && self.kwesties_opened.is_empty()
            && self.kwesties_closed.is_empty()
    }
}

fn item_ref(item: &ItemSnapshot) -> ItemRef {
    ItemRef {
        code: item.code.clone(),
        title: item.title.clone(),
    }
}

fn kwestie_ref(k: &KwestieSnapshot) -> KwestieRef {
    KwestieRef {
        item_code: k.item_code.clone(),
        kind: k.kind.clone(),
        title: k.title.clone(),
        severity: k.severity.clone(),
    }
}

/// Compares two snapshots of the same plan; `a` is the older one.
pub fn compare(a: &ReleaseSnapshot, b: &ReleaseSnapshot) -> ReleaseDiff {
    let mut diff = ReleaseDiff::default();
    compare_items(a, b, &mut diff);
    compare_indicators(&a.indicators, &b.indicators, &mut diff);
    compare_kwesties(&a.kwesties, &b.kwesties, &mut diff);
    diff
}

fn compare_items(a: &ReleaseSnapshot, b: &ReleaseSnapshot, diff: &mut ReleaseDiff) {
    let old: HashMap<&str, &ItemSnapshot> = a.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let new: HashMap<&str, &ItemSnapshot> = b.items.iter().map(|i| (i.id.as_str(), i)).collect();
    for item in &b.items {
        match old.get(item.id.as_str()) {
            None => diff.added.push(item_ref(item)),
            Some(before) => {
                if before.status != item.status {
                    diff.status_changed.push(StatusChange {
                        item: item_ref(item),
                        old: before.status,
                        new: item.status,
                    });
                }
                if before.progress != item.progress {
                    diff.progress_changed.push(ProgressChange {
                        item: item_ref(item),
                        old: before.progress,
                        new: item.progress,
                    });
                }
            }
        }
    }
    diff.removed = a
        .items
        .iter()
        .filter(|i| !new.contains_key(i.id.as_str()))
        .map(item_ref)
        .collect();
}

fn compare_indicators(a: &[IndicatorSnapshot], b: &[IndicatorSnapshot], diff: &mut ReleaseDiff) {
    let old: HashMap<&str, &IndicatorSnapshot> = a.iter().map(|i| (i.id.as_str(), i)).collect();
    let new_ids: Vec<&str> = b.iter().map(|i| i.id.as_str()).collect();
    for indicator in b {
        let before = old.get(indicator.id.as_str()).and_then(|i| i.latest());
        let after = indicator.latest();
        if before != after {
            diff.indicators_changed.push(IndicatorChange {
                item_code: indicator.item_code.clone(),
                name: indicator.name.clone(),
                unit: indicator.unit.clone(),
                old: before,
                new: after,
            });
        }
    }
    for indicator in a.iter().filter(|i| !new_ids.contains(&i.id.as_str())) {
        if let Some(value) = indicator.latest() {
            diff.indicators_changed.push(IndicatorChange {
                item_code: indicator.item_code.clone(),
                name: indicator.name.clone(),
                unit: indicator.unit.clone(),
                old: Some(value),
                new: None,
            });
        }
    }
}

fn compare_kwesties(a: &[KwestieSnapshot], b: &[KwestieSnapshot], diff: &mut ReleaseDiff) {
    let old: HashMap<&str, &KwestieSnapshot> = a.iter().map(|k| (k.id.as_str(), k)).collect();
    let new: HashMap<&str, &KwestieSnapshot> = b.iter().map(|k| (k.id.as_str(), k)).collect();
    for kwestie in b {
        let was_open = old.get(kwestie.id.as_str()).is_some_and(|k| k.is_open());
        if kwestie.is_open() && !was_open {
            diff.kwesties_opened.push(kwestie_ref(kwestie));
        }
    }
    for kwestie in a.iter().filter(|k| k.is_open()) {
        let still_open = new.get(kwestie.id.as_str()).is_some_and(|k| k.is_open());
        if !still_open {
            let shown = new.get(kwestie.id.as_str()).copied().unwrap_or(kwestie);
            diff.kwesties_closed.push(kwestie_ref(shown));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::snapshot::{MeasurementSnapshot, PlanSnapshot, SNAPSHOT_VERSION};
    use super::*;

    fn item(id: &str, status: ItemStatus, progress: i64) -> ItemSnapshot {
        ItemSnapshot {
            id: id.into(),
            parent_id: None,
            depth: 0,
            level: None,
            code: id.to_uppercase(),
            title: format!("Titel {id}"),
            description: String::new(),
            owner_name: String::new(),
            responsible_service: String::new(),
            start_date: None,
            end_date: None,
            prioritair: false,
            themes: vec![],
            status,
            progress,
        }
    }

    fn indicator(id: &str, values: &[f64]) -> IndicatorSnapshot {
        IndicatorSnapshot {
            id: id.into(),
            item_id: "a".into(),
            item_code: "A".into(),
            name: format!("Indicator {id}"),
            unit: "%".into(),
            direction: "hoger".into(),
            baseline_value: 0.0,
            baseline_date: "2026-01-01".into(),
            source: String::new(),
            frequency: "jaarlijks".into(),
            targets: vec![],
            measurements: values
                .iter()
                .enumerate()
                .map(|(n, v)| MeasurementSnapshot {
                    measured_on: format!("2026-0{}-01", n + 1),
                    value: *v,
                    comment: String::new(),
                    author: String::new(),
                })
                .collect(),
            health: None,
        }
    }

    fn kwestie(id: &str, status: &str) -> KwestieSnapshot {
        KwestieSnapshot {
            id: id.into(),
            item_id: "a".into(),
            item_code: "A".into(),
            kind: "risico".into(),
            title: format!("Kwestie {id}"),
            description: String::new(),
            severity: "hoog".into(),
            owner_name: String::new(),
            due_date: None,
            status: status.into(),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn snapshot(
        items: Vec<ItemSnapshot>,
        indicators: Vec<IndicatorSnapshot>,
        kwesties: Vec<KwestieSnapshot>,
    ) -> ReleaseSnapshot {
        ReleaseSnapshot {
            version: SNAPSHOT_VERSION,
            as_of: "2026-06-30".into(),
            plan: PlanSnapshot {
                id: "p".into(),
                title: "Plan".into(),
                description: String::new(),
                kind: "jaarplan".into(),
                period_start: "2026-01-01".into(),
                period_end: "2026-12-31".into(),
                levels: vec!["Actie".into()],
                organisation_id: "o".into(),
                organisation_name: "Gent".into(),
            },
            items,
            indicators,
            kwesties,
            amounts: vec![],
        }
    }

    #[test]
    fn same_snapshot_has_no_differences() {
        let a = snapshot(
            vec![item("a", ItemStatus::Lopend, 10)],
            vec![indicator("x", &[1.0])],
            vec![kwestie("k", "open")],
        );
        assert!(compare(&a, &a).is_empty());
    }

    #[test]
    fn items_added_removed_and_changed() {
        let a = snapshot(
            vec![
                item("a", ItemStatus::NietGestart, 0),
                item("b", ItemStatus::Lopend, 40),
                item("gone", ItemStatus::Lopend, 5),
            ],
            vec![],
            vec![],
        );
        let mut renamed = item("b", ItemStatus::Lopend, 60);
        renamed.code = "B2".into();
        let b = snapshot(
            vec![
                item("a", ItemStatus::Lopend, 0),
                renamed,
                item("new", ItemStatus::NietGestart, 0),
            ],
            vec![],
            vec![],
        );
        let diff = compare(&a, &b);
        assert_eq!(diff.added.len(), 1);
        assert_eq!(diff.added[0].code, "NEW");
        assert_eq!(diff.removed.len(), 1);
        assert_eq!(diff.removed[0].code, "GONE");
        assert_eq!(diff.status_changed.len(), 1);
        assert_eq!(diff.status_changed[0].old, ItemStatus::NietGestart);
        assert_eq!(diff.status_changed[0].new, ItemStatus::Lopend);
        assert_eq!(diff.progress_changed.len(), 1);
        let change = &diff.progress_changed[0];
        assert_eq!(
            (change.item.code.as_str(), change.old, change.new),
            ("B2", 40, 60)
        );
    }

    #[test]
    fn indicator_latest_values_compared() {
        let a = snapshot(
            vec![],
            vec![
                indicator("x", &[1.0]),
                indicator("same", &[3.0]),
                indicator("dropped", &[9.0]),
            ],
            vec![],
        );
        let b = snapshot(
            vec![],
            vec![
                indicator("x", &[1.0, 2.5]),
                indicator("same", &[3.0]),
                indicator("fresh", &[7.0]),
                indicator("empty", &[]),
            ],
            vec![],
        );
        let diff = compare(&a, &b);
        let pairs: Vec<(String, Option<f64>, Option<f64>)> = diff
            .indicators_changed
            .iter()
            .map(|c| (c.name.clone(), c.old, c.new))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("Indicator x".to_string(), Some(1.0), Some(2.5)),
                ("Indicator fresh".to_string(), None, Some(7.0)),
                ("Indicator dropped".to_string(), Some(9.0), None),
            ]
        );
    }

    #[test]
    fn kwesties_opened_and_closed() {
        let a = snapshot(
            vec![],
            vec![],
            vec![
                kwestie("stays", "open"),
                kwestie("solved", "in_behandeling"),
                kwestie("reopened", "opgelost"),
                kwestie("deleted", "open"),
            ],
        );
        let b = snapshot(
            vec![],
            vec![],
            vec![
                kwestie("stays", "in_behandeling"),
                kwestie("solved", "opgelost"),
                kwestie("reopened", "open"),
                kwestie("new", "open"),
                kwestie("new-solved", "opgelost"),
            ],
        );
        let diff = compare(&a, &b);
        let opened: Vec<&str> = diff
            .kwesties_opened
            .iter()
            .map(|k| k.title.as_str())
            .collect();
        let closed: Vec<&str> = diff
            .kwesties_closed
            .iter()
            .map(|k| k.title.as_str())
            .collect();
        assert_eq!(opened, vec!["Kwestie reopened", "Kwestie new"]);
        assert_eq!(closed, vec!["Kwestie solved", "Kwestie deleted"]);
    }

    #[test]
    fn old_snapshots_without_optional_parts_still_read() {
        let json = r#"{"version":1,"as_of":"2026-06-30","plan":{"id":"p","title":"Plan",
            "kind":"jaarplan","period_start":"2026-01-01","period_end":"2026-12-31",
            "levels":["Actie"],"organisation_id":"o","organisation_name":"Gent"}}"#;
        let snapshot = ReleaseSnapshot::from_json(json).unwrap();
        assert!(snapshot.items.is_empty());
        let newer = json.replace("\"version\":1", "\"version\":99");
        assert!(ReleaseSnapshot::from_json(&newer).is_err());
    }
}
