//! Planning a BBC import: beleidsdoelstelling → actieplan → actie at depths (and levels) 0, 1,
//! 2 — the levels the codes say (BD…, AP…, AC…) — matched by code. Title, internal code and dienst come from the file; the amounts of an item replace
//! its rows in plan_amounts.

use std::collections::{HashMap, HashSet};

use steden_core::error::CoreResult;

use super::{
    assign_slugs, left_alone, limit_description, merge_amounts, planned, short_title, unique_code,
    unmatched, AmountRow, ImportPlan, Incoming, Loaded,
};
use crate::import::bbc::{BbcImport, Item as BbcItem};

/// Works out what importing `file` into the plan would do, without writing.
pub async fn plan_bbc(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    file: &BbcImport,
) -> CoreResult<ImportPlan> {
    let loaded = Loaded::read(conn, plan_id, true).await?;
    Ok(plan_bbc_loaded(&loaded, plan_id, file))
}

fn plan_bbc_loaded(loaded: &Loaded, plan_id: &str, file: &BbcImport) -> ImportPlan {
    let by_code: HashMap<&str, usize> = loaded
        .items
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.as_str(), i))
        .collect();
    let mut matched = vec![false; loaded.items.len()];
    let mut taken: HashSet<String> = loaded.codes.clone();
    let mut next = loaded.next_positions();
    let mut warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
    let mut items = Vec::new();

    let mut add = |node: &BbcItem,
                   parent: Option<(String, i64)>,
                   items: &mut Vec<super::PlannedItem>,
                   warnings: &mut Vec<String>|
     -> (String, i64) {
        let found = by_code.get(node.code.as_str()).copied();
        if let Some(index) = found {
            matched[index] = true;
        }
        let (title, cut) = short_title(&node.title);
        let code = match found {
            Some(_) => node.code.clone(),
            None => unique_code(&node.code, &mut taken, warnings),
        };
        let incoming = Incoming {
            code,
            title,
            description: cut.then(|| limit_description(&node.title)),
            responsible_service: node.dienst.clone(),
            internal_code: node.internal_code.clone(),
            amounts: Some(amount_rows(node)),
            line: node.line,
        };
        let (parent_id, depth) = match parent {
            Some((id, depth)) => (Some(id), depth + 1),
            None => (None, 0),
        };
        // The structure is the code pattern's: BD at level 0, AP at 1, AC at 2.
        let item = planned(
            loaded,
            found,
            incoming,
            parent_id,
            (depth, depth),
            &mut next,
        );
        let here = (item.id.clone(), item.depth);
        items.push(item);
        here
    };

    for bd in &file.beleidsdoelstellingen {
        let bd_ref = add(&bd.item, None, &mut items, &mut warnings);
        for ap in &bd.actieplannen {
            let ap_ref = add(&ap.item, Some(bd_ref.clone()), &mut items, &mut warnings);
            for ac in &ap.acties {
                add(ac, Some(ap_ref.clone()), &mut items, &mut warnings);
            }
        }
    }
    assign_slugs(loaded, &mut items);
    ImportPlan {
        plan_id: plan_id.to_string(),
        items,
        unmatched: unmatched(loaded, &matched),
        left_alone: left_alone(loaded, &matched),
        new_levels: None,
        warnings,
    }
}

/// The item's own amounts as plan_amounts rows.
fn amount_rows(node: &BbcItem) -> Vec<AmountRow> {
    merge_amounts(
        node.amounts
            .iter()
            .map(|a| AmountRow {
                year: i64::from(a.key.year),
                kind: a.key.kind.label().to_string(),
                budget_type: a.key.budget_type.map_or("", |t| t.label()).to_string(),
                direction: a.key.direction.map_or("", |d| d.label()).to_string(),
                cents: a.cents,
            })
            .collect(),
    )
}
