//! The plan module's public API for other modules: what a **published** plan shows, and
//! nothing more. The Kennisbank's public site builds its programme and werkspoor pages from
//! it. Only the fields the plan's editors chose to publish are filled in; a plan that is not
//! published is not returned at all.

use steden_core::error::CoreResult;
use steden_db::Db;

use crate::model::{ItemStatus, PlanKind, PublishedField};
use crate::store;

/// A published plan, as anyone may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPlan {
    pub id: String,
    pub organisation_id: String,
    /// "jaarplan", "meerjarenplan", "bestuursakkoord".
    pub kind: &'static str,
    pub title: String,
    pub period_start: String,
    pub period_end: String,
    /// The level names, depth 0 first ("Programma", "Werkspoor", ...).
    pub levels: Vec<String>,
    /// Every item in tree order.
    pub items: Vec<PublishedItem>,
    /// The plan's public page in the plan module.
    pub public_path: String,
}

/// One item of a published plan; the optional fields are `None` unless published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedItem {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    /// The item's level, an index into [`PublishedPlan::levels`] (levels may be skipped).
    pub level: i64,
    pub code: String,
    /// Stable from one year to the next (unlike the code): the public site's URLs use it.
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// The status's stored value ("lopend", "afgerond", ...).
    pub status: Option<&'static str>,
    pub progress: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub themes: Vec<String>,
    /// Finished or stopped (only when the status is published).
    pub closed: Option<bool>,
}

/// The published plans of `organisation_id` of `kind`, newest period first, without items.
pub async fn published_plans(
    db: &Db,
    organisation_id: &str,
    kind: &str,
) -> CoreResult<Vec<PublishedPlan>> {
    Ok(store::plans::list_published(db)
        .await?
        .into_iter()
        .filter(|p| p.organisation_id == organisation_id && p.kind.as_str() == kind)
        .map(|plan| PublishedPlan {
            public_path: crate::web::public::public_plan_path(&plan.id),
            id: plan.id,
            organisation_id: plan.organisation_id,
            kind: kind_str(plan.kind),
            title: plan.title,
            period_start: plan.period_start,
            period_end: plan.period_end,
            levels: plan.levels,
            items: Vec::new(),
        })
        .collect())
}

fn kind_str(kind: PlanKind) -> &'static str {
    kind.as_str()
}

/// The published plan `plan_id` with its items, or `None` when it does not exist or is not
/// published.
pub async fn published_plan(db: &Db, plan_id: &str) -> CoreResult<Option<PublishedPlan>> {
    let Some(plan) = store::plans::find(db.pool(), plan_id).await? else {
        return Ok(None);
    };
    if !plan.published {
        return Ok(None);
    }
    let items = store::items::list_for_plan(db.pool(), &plan.id).await?;
    let slugs = slugs(&items);
    let show = |field| plan.publishes(field);
    let items = store::items::tree_order(items)
        .into_iter()
        .map(|item| PublishedItem {
            slug: slugs.get(&item.id).cloned().unwrap_or_default(),
            level: item.level,
            description: show(PublishedField::Description).then(|| item.description.clone()),
            status: show(PublishedField::Status).then(|| item.status.as_str()),
            closed: show(PublishedField::Status).then(|| item.status.is_closed()),
            progress: show(PublishedField::Progress).then_some(item.progress),
            start_date: show(PublishedField::Dates)
                .then(|| item.start_date.clone())
                .flatten(),
            end_date: show(PublishedField::Dates)
                .then(|| item.end_date.clone())
                .flatten(),
            themes: item.themes.clone(),
            id: item.id,
            parent_id: item.parent_id,
            depth: item.depth,
            code: item.code,
            title: item.title,
        })
        .collect();
    Ok(Some(PublishedPlan {
        public_path: crate::web::public::public_plan_path(&plan.id),
        id: plan.id,
        organisation_id: plan.organisation_id,
        kind: kind_str(plan.kind),
        title: plan.title,
        period_start: plan.period_start,
        period_end: plan.period_end,
        levels: plan.levels,
        items,
    }))
}

/// Each item's slug: the stored one, else one from its title (see `crate::slug`).
fn slugs(items: &[crate::model::Item]) -> std::collections::HashMap<String, String> {
    let mut groups: std::collections::HashMap<Option<&str>, Vec<&crate::model::Item>> =
        std::collections::HashMap::new();
    for item in items {
        groups
            .entry(item.parent_id.as_deref())
            .or_default()
            .push(item);
    }
    let mut out = std::collections::HashMap::new();
    for mut siblings in groups.into_values() {
        siblings.sort_by_key(|i| i.position);
        let slugs =
            crate::slug::effective(siblings.iter().map(|i| (i.slug.as_str(), i.title.as_str())));
        for (item, slug) in siblings.into_iter().zip(slugs) {
            out.insert(item.id.clone(), slug);
        }
    }
    out
}

/// The version of the plan data in the database: bumped by triggers (migration 0007) in the
/// same transaction as every insert, update or delete of a plan, its levels or its items. A
/// cache of anything built from plans (the public site's plan) is current exactly when the
/// version it was built at is the one read now; `token` is random per database, so two
/// databases never share a key. Reading it is one primary-key lookup.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataVersion {
    pub token: String,
    pub version: i64,
}

/// Reads the current [`DataVersion`].
pub async fn data_version(db: &Db) -> CoreResult<DataVersion> {
    use sqlx::Row;
    let row = sqlx::query("SELECT token, version FROM plan_data_version WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    Ok(DataVersion {
        token: row.try_get("token")?,
        version: row.try_get("version")?,
    })
}

/// The Dutch label of a status value ("lopend" → "Lopend").
pub fn status_label(value: &str) -> &'static str {
    match ItemStatus::parse(value) {
        Some(ItemStatus::NietGestart) => "Niet gestart",
        Some(ItemStatus::Lopend) => "Lopend",
        Some(ItemStatus::Vertraagd) => "Vertraagd",
        Some(ItemStatus::Afgerond) => "Afgerond",
        Some(ItemStatus::Stopgezet) => "Stopgezet",
        None => "",
    }
}

// ---------------------------------------------------------------------------------------------
// The structure other modules link to
// ---------------------------------------------------------------------------------------------

/// A published plan's top two levels (for the Kenniscentrum: programmes and werksporen), for
/// modules that file their own records under them (the Kennisbank's documents).
#[derive(Debug, Clone, PartialEq)]
pub struct StructurePlan {
    pub id: String,
    /// "jaarplan", "meerjarenplan", "bestuursakkoord".
    pub kind: &'static str,
    pub title: String,
    pub period_start: String,
    pub period_end: String,
    /// The plan this one was started from as a copy (the previous period), if any. Items keep
    /// their codes in a copy, so an item's predecessor is the item with the same code there.
    pub copied_from_id: Option<String>,
    /// The programmes and werksporen in tree order: items of depth 0 and 1 whose stored level is
    /// their depth (a doelstelling directly under a programme, a skipped werkspoor level, is
    /// not a werkspoor).
    pub items: Vec<StructureItem>,
}

/// An item of depth 0 (programme) or 1 (werkspoor) of a published plan.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureItem {
    pub id: String,
    pub plan_id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub code: String,
    pub title: String,
}

/// The published plans of `organisation_id`, newest period first, each with its items of depth
/// 0 and 1 (code and title are always public once a plan is published). Takes a connection, so
/// that a caller can check a choice inside the transaction that stores it.
pub async fn published_structure(
    conn: &mut sqlx::AnyConnection,
    organisation_id: &str,
) -> CoreResult<Vec<StructurePlan>> {
    let plans = store::plans::list_published_of(&mut *conn, organisation_id).await?;
    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let items = store::items::list_to_depth(&mut *conn, &plan.id, 1)
            .await?
            .into_iter()
            .filter(|item| item.level == item.depth)
            .map(|item| StructureItem {
                id: item.id,
                plan_id: item.plan_id,
                parent_id: item.parent_id,
                depth: item.depth,
                code: item.code,
                title: item.title,
            })
            .collect();
        out.push(StructurePlan {
            id: plan.id,
            kind: kind_str(plan.kind),
            title: plan.title,
            period_start: plan.period_start,
            period_end: plan.period_end,
            copied_from_id: plan.copied_from_id,
            items,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Indicators other modules feed
// ---------------------------------------------------------------------------------------------

/// An indicator of an item of a published plan, as a module above the plan offers it for
/// linking to one of its measurement series (a werkgroep's settings page: "which indicator of
/// our werkspoor counts our meetings").
#[derive(Debug, Clone, PartialEq)]
pub struct ItemIndicator {
    pub id: String,
    pub name: String,
    /// '' for none.
    pub unit: String,
    /// The targets by date.
    pub targets: Vec<IndicatorTarget>,
    /// The series the indicator's measurements come from, when it is linked to a source.
    pub linked: Option<LinkedSeries>,
}

/// A target value at a date (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTarget {
    pub date: String,
    pub value: f64,
}

/// Which source and series an indicator is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedSeries {
    /// The key of the `MeasurementSource` ("werkgroepen.meetings").
    pub source_key: String,
    pub series_ref: String,
    /// The series' label when it was linked.
    pub series_label: String,
}

/// The indicators of item `item_id`, by name; none when the item does not exist or its plan
/// is not published (this facade shows published plans only, like the rest of it). Takes a
/// connection, so that a caller can check a choice inside the transaction that stores it.
pub async fn item_indicators(
    conn: &mut sqlx::AnyConnection,
    item_id: &str,
) -> CoreResult<Vec<ItemIndicator>> {
    let series = store::indicators::for_item_on(&mut *conn, item_id).await?;
    let Some(first) = series.first() else {
        return Ok(Vec::new());
    };
    let published = store::plans::find_on(&mut *conn, &first.indicator.plan_id)
        .await?
        .is_some_and(|plan| plan.published);
    if !published {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        let linked = store::indicator_sources::find(&mut *conn, &s.indicator.id)
            .await?
            .map(|link| LinkedSeries {
                source_key: link.source_key,
                series_ref: link.series_ref,
                series_label: link.series_label,
            });
        out.push(ItemIndicator {
            id: s.indicator.id,
            name: s.indicator.name,
            unit: s.indicator.unit,
            targets: s
                .targets
                .into_iter()
                .map(|t| IndicatorTarget {
                    date: t.date,
                    value: t.value,
                })
                .collect(),
            linked,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// A title as compared when matching names typed elsewhere to a plan's items: lower case,
/// accents folded, and only letters and digits kept, so that spacing, punctuation and quotes
/// do not count ("O(mgeving)B(eleid) M(anagement)informatie" and "O(mgeving) B(eleid)
/// M(anagement) informatie" are the same programme; titles are long enough that dropping the
/// spaces merges nothing that differs).
pub fn match_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// An item code as compared: lower case, letters and digits, any run of other characters one
/// dot, no dot at either end ("P1.W1", "p1 w1" and "P1.W1." are the same code).
pub fn code_key(code: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in code.chars().flat_map(char::to_lowercase).map(fold_accent) {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('.');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// The letter without its accent, for the Latin letters Dutch, French and German titles use.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĳ' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_spacing_case_accents_and_punctuation() {
        assert_eq!(
            match_key("O(mgeving) B(eleid) M(anagement)informatie"),
            match_key("o(mgeving)b(eleid)  M(anagement) Informatie")
        );
        assert_eq!(
            match_key("Privacy & Gegevens\u{AD}bescherming"),
            "privacygegevensbescherming"
        );
        assert_eq!(match_key("Financiën"), match_key("financien"));
        assert_eq!(match_key("Programma’s"), "programmas");
        assert_ne!(match_key("Klimaat"), match_key("Klimaatgovernance"));
        assert_eq!(code_key(" P1.W1. "), "p1.w1");
        assert_eq!(code_key("p1 w1"), "p1.w1");
        assert_eq!(code_key("3"), "3");
        assert_ne!(code_key("1.2"), code_key("12"));
    }
}
