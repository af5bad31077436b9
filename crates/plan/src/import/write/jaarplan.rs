//! Planning a jaarplan import. The tree becomes items, each with the level its marker in the
//! document says (stored per item, so a level may be skipped):
//!
//! - programmes and chapters ("Communicatie", "Andere opdrachten") → top-level items (level
//!   "Programma"), with their introduction as description;
//! - werksporen → under their programme ("Werkspoor");
//! - doelstellingen → under their werkspoor, or directly under a chapter that has no
//!   werksporen — "Doelstelling" either way (the werkspoor level is skipped there);
//! - actions → under their doelstelling ("Actie");
//! - sub-actions → children of their action, a fifth level [`SUB_ACTION_LEVEL`] that the
//!   import adds to the plan's levels when the plan has fewer.
//!
//! Codes: a matched item keeps its code; a new item gets the next free code under its own
//! parent, in the pattern of its level (`P5.W3` for a third werkspoor under `P5`) — never the
//! file's positional code, which shifts when a programme is dropped from next year's text.
//!
//! Long action texts get a short title (see [`super::short_title`]) and the full text as
//! description; a short action text leaves an existing description alone.
//!
//! Nodes are matched to existing items by the path of their normalised titles (the codes of a
//! jaarplan are only positions, which shift when a doelstelling is added); a node whose path
//! is not found falls back to an unmatched item under the same (matched) parent whose code
//! ends in the same part ("A2": a retitled item), never to one elsewhere in the tree.

use std::collections::{HashMap, HashSet};

use steden_core::error::CoreResult;

use super::{
    assign_slugs, left_alone, limit_description, normalise, planned, short_title, unmatched,
    ImportPlan, Incoming, Loaded, PlannedItem,
};
use crate::import::jaarplan::{Action, Doelstelling, Jaarplan};
use crate::model::LevelPreset;

/// The name of the fifth level that sub-actions get.
pub const SUB_ACTION_LEVEL: &str = "Deelactie";

/// The levels the document's markers give (indexes into the Kenniscentrum's levels).
const PROGRAMME: i64 = 0;
const WERKSPOOR: i64 = 1;
const DOELSTELLING: i64 = 2;
const ACTION: i64 = 3;

/// A node of the file before matching.
struct Node {
    incoming: Incoming,
    parent: Option<usize>,
    depth: i64,
    level: i64,
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
    let mut codes = NextCodes::new(&loaded.codes);
    let mut next = loaded.next_positions();
    let warnings = Vec::new();
    let mut items: Vec<PlannedItem> = Vec::with_capacity(nodes.len());
    for (node, found) in nodes.into_iter().zip(matches) {
        let parent = node.parent.map(|p| &items[p]);
        let (parent_id, depth, level) = match parent {
            Some(p) => (Some(p.id.clone()), p.depth + 1, node.level.max(p.level + 1)),
            None => (None, node.depth, node.level),
        };
        let mut incoming = node.incoming;
        if found.is_none() {
            let parent_code = parent.map(|p| p.code.clone());
            incoming.code = codes.next(parent_code.as_deref(), &incoming.code);
        }
        items.push(planned(
            loaded,
            found,
            incoming,
            parent_id,
            (depth, level),
            &mut next,
        ));
    }
    assign_slugs(loaded, &mut items);
    let needed = items.iter().map(|i| i.level + 1).max().unwrap_or(0);
    ImportPlan {
        plan_id: plan_id.to_string(),
        left_alone: left_alone(loaded, &matched),
        unmatched: unmatched(loaded, &matched),
        new_levels: levels_for(&loaded.levels, needed),
        items,
        warnings,
    }
}

/// The next free code under a parent, per level pattern: the highest number in use after
/// `<parent>.<letters>` (or `<letters>` at the top) plus one.
struct NextCodes<'a> {
    taken: &'a HashSet<String>,
    added: HashSet<String>,
    highest: HashMap<String, u64>,
}

/// A code split into the pattern it follows and its number: "P5.W3" → ("P5.W", 3),
/// "P1.W2.D1.A3.1" → ("P1.W2.D1.A3.", 1), "S2" → ("S", 2).
fn pattern_of(code: &str) -> Option<(String, u64)> {
    let digits = code.len() - code.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let (head, number) = code.split_at(code.len() - digits);
    Some((head.to_string(), number.parse().ok()?))
}

impl<'a> NextCodes<'a> {
    fn new(taken: &'a HashSet<String>) -> NextCodes<'a> {
        let mut highest: HashMap<String, u64> = HashMap::new();
        for (head, n) in taken.iter().filter_map(|c| pattern_of(c)) {
            let slot = highest.entry(head).or_insert(0);
            *slot = (*slot).max(n);
        }
        NextCodes {
            taken,
            added: HashSet::new(),
            highest,
        }
    }

    /// A new code under the parent with code `parent` (None: the top), in the pattern of the
    /// file's code for the node (its last part's letters: "W" of "P4.W3").
    fn next(&mut self, parent: Option<&str>, file_code: &str) -> String {
        let last = file_code.rsplit('.').next().unwrap_or(file_code);
        let letters: String = last.chars().take_while(|c| !c.is_ascii_digit()).collect();
        let head = match parent {
            Some(parent) => format!("{parent}.{letters}"),
            None => letters,
        };
        let slot = self.highest.entry(head.clone()).or_insert(0);
        loop {
            *slot += 1;
            let code = format!("{head}{slot}");
            if !self.taken.contains(&code) && self.added.insert(code.clone()) {
                return code;
            }
        }
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
            (None, PROGRAMME),
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
                (Some(s), WERKSPOOR),
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
        (Some(parent), DOELSTELLING),
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
    // An action's level; a sub-action's is one below its action's.
    let level = nodes[parent].level.max(DOELSTELLING) + 1;
    let a = push(
        nodes,
        (Some(parent), level.max(ACTION)),
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
    (parent, level): (Option<usize>, i64),
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
        level,
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
    // A retitled item: the same place in the tree (the parent the node's parent matched) and
    // the same last part of the code ("A2" of "P4.W1.D1.A2": its number among its siblings,
    // which a dropped programme does not shift).
    let mut by_place: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::new();
    for (index, item) in loaded.items.iter().enumerate() {
        by_place
            .entry((item.parent_id.as_deref(), last_part(&item.code)))
            .or_default()
            .push(index);
    }
    // Nodes come parents first, so a node's parent is settled before the node.
    for index in 0..nodes.len() {
        if found[index].is_some() {
            continue;
        }
        let node = &nodes[index];
        let parent_id = match node.parent {
            None => None,
            Some(p) => match found[p] {
                Some(i) => Some(loaded.items[i].id.as_str()),
                // A new parent: nothing of the plan sits under it.
                None => continue,
            },
        };
        let key = (parent_id, last_part(&node.incoming.code));
        let hit = by_place
            .get(&key)
            .and_then(|candidates| candidates.iter().copied().find(|c| !used[*c]));
        if let Some(candidate) = hit {
            used[candidate] = true;
            found[index] = Some(candidate);
        }
    }
    found
}

/// The last part of a code: "A2" of "P4.W1.D1.A2", "P3" of "P3".
fn last_part(code: &str) -> &str {
    code.rsplit('.').next().unwrap_or(code)
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
