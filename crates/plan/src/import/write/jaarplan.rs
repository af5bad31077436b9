//! Planning a jaarplan import. The tree becomes items level by level:
//!
//! - programmes and chapters ("Communicatie", "Andere opdrachten") → top-level items (depth 0,
//!   level "Programma"), with their introduction as description;
//! - werksporen → depth 1 ("Werkspoor");
//! - doelstellingen → under their werkspoor (depth 2, "Doelstelling"), or directly under a
//!   chapter that has no werksporen (depth 1: the tree follows the document, so such a
//!   doelstelling sits at the werkspoor level and its actions one level higher);
//! - actions → under their doelstelling ("Actie");
//! - sub-actions → children of their action, a fifth level [`SUB_ACTION_LEVEL`] that the
//!   import adds to the plan's levels when the plan has fewer.
//!
//! Long action texts get a short title (see [`super::short_title`]) and the full text as
//! description; a short action text leaves an existing description alone.
//!
//! Nodes are matched to existing items by the path of their normalised titles (the codes of a
//! jaarplan are only positions, which shift when a doelstelling is added); a node whose path
//! is not found falls back to an unmatched item with the same code.

use std::collections::{HashMap, HashSet};

use steden_core::error::CoreResult;

use super::{
    left_alone, limit_description, normalise, planned, short_title, unique_code, ImportPlan,
    Incoming, Loaded, PlannedItem,
};
use crate::import::jaarplan::{Action, Doelstelling, Jaarplan};
use crate::model::LevelPreset;

/// The name of the fifth level that sub-actions get.
pub const SUB_ACTION_LEVEL: &str = "Deelactie";

/// A node of the file before matching.
struct Node {
    incoming: Incoming,
    parent: Option<usize>,
    depth: i64,
    key: String,
}

/// Works out what importing `file` into the plan would do, without writing.
pub async fn plan_jaarplan(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    file: &Jaarplan,
) -> CoreResult<ImportPlan> {
    let loaded = Loaded::read(conn, plan_id, false).await?;
    Ok(plan_loaded(&loaded, plan_id, file))
}

fn plan_loaded(loaded: &Loaded, plan_id: &str, file: &Jaarplan) -> ImportPlan {
    let nodes = flatten(file);
    let matches = match_nodes(loaded, &nodes);
    let mut matched = vec![false; loaded.items.len()];
    for index in matches.iter().flatten() {
        matched[*index] = true;
    }
    let mut taken: HashSet<String> = loaded.items.iter().map(|e| e.code.clone()).collect();
    let mut next = loaded.next_positions();
    let mut warnings = Vec::new();
    let mut items: Vec<PlannedItem> = Vec::with_capacity(nodes.len());
    for (node, found) in nodes.into_iter().zip(matches) {
        let parent = node.parent.map(|p| (items[p].id.clone(), items[p].depth));
        let (parent_id, depth) = match parent {
            Some((id, depth)) => (Some(id), depth + 1),
            None => (None, node.depth),
        };
        let mut incoming = node.incoming;
        if found.is_none() {
            incoming.code = unique_code(&incoming.code, &mut taken, &mut warnings);
        }
        items.push(planned(
            loaded, found, incoming, parent_id, depth, &mut next,
        ));
    }
    let needed = items.iter().map(|i| i.depth + 1).max().unwrap_or(0);
    ImportPlan {
        plan_id: plan_id.to_string(),
        left_alone: left_alone(loaded, &matched),
        new_levels: levels_for(&loaded.levels, needed),
        items,
        warnings,
    }
}

/// The plan's levels extended to `needed` levels, or `None` when it has enough.
fn levels_for(levels: &[String], needed: i64) -> Option<Vec<String>> {
    let needed = usize::try_from(needed).unwrap_or(0);
    if levels.len() >= needed {
        return None;
    }
    let mut names: Vec<&str> = LevelPreset::Kenniscentrum.names().to_vec();
    names.push(SUB_ACTION_LEVEL);
    let mut out = levels.to_vec();
    for depth in levels.len()..needed {
        let name = names.get(depth).copied().unwrap_or(SUB_ACTION_LEVEL);
        out.push(name.to_string());
    }
    Some(out)
}

/// The file's nodes in tree order, each with its parent's index and title path.
fn flatten(file: &Jaarplan) -> Vec<Node> {
    let mut nodes = Vec::new();
    for section in &file.sections {
        let s = push(
            &mut nodes,
            None,
            &section.code,
            &section.title,
            Some(&section.intro),
            section.line,
        );
        for doel in &section.doelstellingen {
            push_doelstelling(&mut nodes, s, doel);
        }
        for werkspoor in &section.werksporen {
            let w = push(
                &mut nodes,
                Some(s),
                &werkspoor.code,
                &werkspoor.title,
                Some(&werkspoor.intro),
                werkspoor.line,
            );
            for doel in &werkspoor.doelstellingen {
                push_doelstelling(&mut nodes, w, doel);
            }
        }
    }
    nodes
}

fn push_doelstelling(nodes: &mut Vec<Node>, parent: usize, doel: &Doelstelling) {
    let (_, cut) = short_title(&doel.title);
    let description = if cut {
        if doel.description.is_empty() {
            doel.title.clone()
        } else {
            format!("{}\n\n{}", doel.title, doel.description)
        }
    } else {
        doel.description.clone()
    };
    let d = push(
        nodes,
        Some(parent),
        &doel.code,
        &doel.title,
        Some(&description),
        doel.line,
    );
    for action in &doel.actions {
        push_action(nodes, d, action);
    }
}

fn push_action(nodes: &mut Vec<Node>, parent: usize, action: &Action) {
    let (_, cut) = short_title(&action.text);
    let description = cut.then(|| action.text.clone());
    let a = push(
        nodes,
        Some(parent),
        &action.code,
        &action.text,
        description.as_ref(),
        action.line,
    );
    for child in &action.children {
        push_action(nodes, a, child);
    }
}

fn push(
    nodes: &mut Vec<Node>,
    parent: Option<usize>,
    code: &str,
    text: &str,
    description: Option<&String>,
    line: usize,
) -> usize {
    let (title, _) = short_title(text);
    let key = match parent {
        Some(p) => format!("{}\u{1f}{}", nodes[p].key, normalise(&title)),
        None => normalise(&title),
    };
    let depth = parent.map_or(0, |p| nodes[p].depth + 1);
    nodes.push(Node {
        incoming: Incoming {
            code: code.to_string(),
            title,
            description: description.map(|d| limit_description(d)),
            responsible_service: None,
            internal_code: None,
            amounts: None,
            line,
        },
        parent,
        depth,
        key,
    });
    nodes.len() - 1
}

/// The existing item each node matches: by title path first, then by code.
fn match_nodes(loaded: &Loaded, nodes: &[Node]) -> Vec<Option<usize>> {
    let keys = existing_keys(loaded);
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, key) in keys.iter().enumerate() {
        by_key.entry(key.as_str()).or_default().push(index);
    }
    let mut used = vec![false; loaded.items.len()];
    let mut found: Vec<Option<usize>> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let hit = by_key
            .get(node.key.as_str())
            .and_then(|candidates| candidates.iter().copied().find(|c| !used[*c]));
        if let Some(index) = hit {
            used[index] = true;
        }
        found.push(hit);
    }
    let by_code: HashMap<&str, usize> = loaded
        .items
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.as_str(), i))
        .collect();
    for (node, slot) in nodes.iter().zip(found.iter_mut()) {
        if slot.is_some() {
            continue;
        }
        if let Some(&index) = by_code.get(node.incoming.code.as_str()) {
            if !used[index] {
                used[index] = true;
                *slot = Some(index);
            }
        }
    }
    found
}

/// The title path of every existing item (items are read parents first).
fn existing_keys(loaded: &Loaded) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(loaded.items.len());
    for item in &loaded.items {
        let own = normalise(&item.title);
        let key = match item.parent_id.as_ref().and_then(|p| loaded.by_id.get(p)) {
            Some(&p) if p < keys.len() => format!("{}\u{1f}{own}", keys[p]),
            _ => own,
        };
        keys.push(key);
    }
    keys
}
