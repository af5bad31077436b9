//! Builders for the common table shapes: a two-way table with row totals, column totals and a
//! grand total, and a hierarchy (statistical sectors → wijk → city). Both compute the totals
//! from the inner cells (values, contributor counts and largest contributions add up when
//! every contributor belongs to one inner cell) and produce the general [`Table`].

use std::collections::HashMap;

use crate::disclosure::table::{
    CellInput, DisclosureError, Relation, Table, MAX_CELLS, MAX_CONTRIBUTIONS,
};

/// The data of one inner cell (its key and label come from the builder).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellData {
    pub value: f64,
    pub contributors: u64,
    pub largest: Vec<f64>,
    pub upper_bound: Option<f64>,
    pub forced: bool,
}

impl CellData {
    pub fn new(value: f64, contributors: u64) -> Self {
        CellData {
            value,
            contributors,
            ..Default::default()
        }
    }

    /// A frequency cell: the value is the number of contributors.
    pub fn count(n: u64) -> Self {
        CellData::new(n as f64, n)
    }
}

/// Sums cells into a total: values and counts add up, the largest contributions are the
/// largest of all parts' (each contributor sits in one part), known upper bounds add up when
/// every part has one.
fn sum_cells<'a>(parts: impl Iterator<Item = &'a CellInput>) -> CellData {
    let mut total = CellData {
        upper_bound: Some(0.0),
        ..Default::default()
    };
    for p in parts {
        total.value += p.value;
        total.contributors = total.contributors.saturating_add(p.contributors);
        total.largest.extend(p.largest.iter().copied());
        total.upper_bound = match (total.upper_bound, p.upper_bound) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
    total.largest.sort_by(|a, b| b.total_cmp(a));
    total.largest.truncate(MAX_CONTRIBUTIONS);
    total
}

fn to_cell(key: String, label: String, data: CellData) -> CellInput {
    CellInput {
        key,
        label,
        value: data.value,
        contributors: data.contributors,
        largest: data.largest,
        upper_bound: data.upper_bound,
        forced: data.forced,
    }
}

/// Where the cells of a two-way table sit in the built [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwoWayLayout {
    pub rows: usize,
    pub cols: usize,
}

impl TwoWayLayout {
    pub fn inner(&self, row: usize, col: usize) -> usize {
        row * self.cols + col
    }
    pub fn row_total(&self, row: usize) -> usize {
        self.rows * self.cols + row
    }
    pub fn col_total(&self, col: usize) -> usize {
        self.rows * self.cols + self.rows + col
    }
    pub fn grand_total(&self) -> usize {
        self.rows * self.cols + self.rows + self.cols
    }
}

/// Builds a two-way table (e.g. wijk × age group) from its inner cells, `inner[row][col]`,
/// adding a total per row, per column and a grand total, with the relations between them.
pub fn two_way_table(
    row_labels: &[String],
    col_labels: &[String],
    inner: Vec<Vec<CellData>>,
    tolerance: f64,
) -> Result<(Table, TwoWayLayout), DisclosureError> {
    let (rows, cols) = (row_labels.len(), col_labels.len());
    let size = rows
        .checked_mul(cols)
        .and_then(|n| n.checked_add(rows))
        .and_then(|n| n.checked_add(cols))
        .and_then(|n| n.checked_add(1))
        .unwrap_or(usize::MAX);
    if size > MAX_CELLS {
        return Err(DisclosureError::TooLarge {
            what: "aantal cellen met totalen",
            count: size,
            max: MAX_CELLS,
        });
    }
    let shape_error = |reason: String| DisclosureError::InvalidRelation {
        relation: "tabelvorm".into(),
        reason,
    };
    if inner.len() != rows {
        return Err(shape_error(format!(
            "{} rijen met cellen voor {rows} rijnamen",
            inner.len()
        )));
    }
    let layout = TwoWayLayout { rows, cols };
    if rows == 0 || cols == 0 {
        // No inner cells: nothing to protect and no totals worth publishing.
        return Ok((Table::new(Vec::new(), Vec::new(), tolerance)?, layout));
    }
    let mut cells = Vec::with_capacity(size);
    for (r, (row, row_label)) in inner.into_iter().zip(row_labels).enumerate() {
        if row.len() != cols {
            return Err(shape_error(format!(
                "rij '{row_label}' heeft {} cellen, er zijn {cols} kolommen",
                row.len()
            )));
        }
        for (c, (data, col_label)) in row.into_iter().zip(col_labels).enumerate() {
            cells.push(to_cell(
                format!("r{r}|k{c}"),
                format!("{row_label}, {col_label}"),
                data,
            ));
        }
    }
    let mut relations = Vec::with_capacity(rows + cols + 2);
    for (r, label) in row_labels.iter().enumerate() {
        let total = sum_cells((0..cols).filter_map(|c| cells.get(layout.inner(r, c))));
        relations.push(Relation {
            label: format!("rijtotaal {label}"),
            total: layout.row_total(r),
            parts: (0..cols).map(|c| layout.inner(r, c)).collect(),
        });
        cells.push(to_cell(
            format!("r{r}|totaal"),
            format!("{label}, totaal"),
            total,
        ));
    }
    for (c, label) in col_labels.iter().enumerate() {
        let total = sum_cells((0..rows).filter_map(|r| cells.get(layout.inner(r, c))));
        relations.push(Relation {
            label: format!("kolomtotaal {label}"),
            total: layout.col_total(c),
            parts: (0..rows).map(|r| layout.inner(r, c)).collect(),
        });
        cells.push(to_cell(
            format!("totaal|k{c}"),
            format!("totaal, {label}"),
            total,
        ));
    }
    let grand = sum_cells((0..rows).filter_map(|r| cells.get(layout.row_total(r))));
    cells.push(to_cell("totaal|totaal".into(), "totaal".into(), grand));
    relations.push(Relation {
        label: "totaal van de rijtotalen".into(),
        total: layout.grand_total(),
        parts: (0..rows).map(|r| layout.row_total(r)).collect(),
    });
    relations.push(Relation {
        label: "totaal van de kolomtotalen".into(),
        total: layout.grand_total(),
        parts: (0..cols).map(|c| layout.col_total(c)).collect(),
    });
    Ok((Table::new(cells, relations, tolerance)?, layout))
}

/// One node of a hierarchy: a leaf carries data; a node with children gets the sum of its
/// children unless it carries its own figure (which must then add up within the tolerance).
#[derive(Debug, Clone, PartialEq)]
pub struct HierarchyNode {
    pub key: String,
    pub label: String,
    pub parent: Option<String>,
    pub data: Option<CellData>,
}

/// Builds a table from a hierarchy (e.g. sectors → wijk → city): one cell per node in the
/// given order, one relation "node = sum of its children" per node with children.
pub fn hierarchy_table(
    nodes: Vec<HierarchyNode>,
    tolerance: f64,
) -> Result<Table, DisclosureError> {
    if nodes.len() > MAX_CELLS {
        return Err(DisclosureError::TooLarge {
            what: "aantal knopen",
            count: nodes.len(),
            max: MAX_CELLS,
        });
    }
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.key.as_str(), i))
        .collect();
    if index.len() != nodes.len() {
        let mut seen = std::collections::HashSet::new();
        let dup = nodes
            .iter()
            .find(|n| !seen.insert(n.key.as_str()))
            .map(|n| n.key.clone())
            .unwrap_or_default();
        return Err(DisclosureError::DuplicateKey { key: dup });
    }
    let node_error = |node: &HierarchyNode, reason: &str| DisclosureError::InvalidCell {
        label: node.label.clone(),
        reason: reason.into(),
    };
    let mut parent = Vec::with_capacity(nodes.len());
    for node in &nodes {
        parent.push(match &node.parent {
            None => None,
            Some(p) => Some(
                *index
                    .get(p.as_str())
                    .ok_or_else(|| node_error(node, "de bovenliggende knoop bestaat niet"))?,
            ),
        });
    }
    // Depth of each node; a walk longer than the number of nodes means a cycle.
    let mut depth = vec![0usize; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        let mut at = i;
        let mut steps = 0usize;
        while let Some(Some(p)) = parent.get(at) {
            steps += 1;
            if steps > nodes.len() {
                return Err(node_error(node, "de hiërarchie bevat een kring"));
            }
            at = *p;
        }
        if let Some(d) = depth.get_mut(i) {
            *d = steps;
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(list) = p.and_then(|p| children.get_mut(p)) {
            list.push(i);
        }
    }
    // Compute the totals from the deepest level up, so that every child is known first.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(depth.get(i).copied().unwrap_or(0)));
    let mut built: Vec<Option<CellInput>> = vec![None; nodes.len()];
    for i in order {
        let Some(node) = nodes.get(i) else { continue };
        let kids = children.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let data = match (&node.data, kids.is_empty()) {
            (Some(d), _) => d.clone(),
            (None, true) => {
                return Err(node_error(
                    node,
                    "een knoop zonder onderliggende knopen heeft een waarde nodig",
                ))
            }
            (None, false) => sum_cells(
                kids.iter()
                    .filter_map(|&k| built.get(k).and_then(Option::as_ref)),
            ),
        };
        if let Some(slot) = built.get_mut(i) {
            *slot = Some(to_cell(node.key.clone(), node.label.clone(), data));
        }
    }
    let cells: Vec<CellInput> = built.into_iter().flatten().collect();
    let relations = children
        .iter()
        .enumerate()
        .filter(|(_, kids)| !kids.is_empty())
        .filter_map(|(i, kids)| {
            nodes.get(i).map(|n| Relation {
                label: format!("som onder {}", n.label),
                total: i,
                parts: kids.clone(),
            })
        })
        .collect();
    Table::new(cells, relations, tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn disclosure_two_way_builder_adds_margins_and_relations() {
        let inner = vec![
            vec![CellData::count(1), CellData::count(2)],
            vec![CellData::count(3), CellData::count(4)],
        ];
        let (t, l) = two_way_table(&labels(&["A", "B"]), &labels(&["x", "y"]), inner, 0.0).unwrap();
        assert_eq!(t.len(), 9);
        let value = |i: usize| t.cells()[i].value;
        assert_eq!(value(l.row_total(0)), 3.0);
        assert_eq!(value(l.row_total(1)), 7.0);
        assert_eq!(value(l.col_total(0)), 4.0);
        assert_eq!(value(l.col_total(1)), 6.0);
        assert_eq!(value(l.grand_total()), 10.0);
        assert_eq!(t.cells()[l.grand_total()].contributors, 10);
        assert_eq!(t.relations().len(), 2 + 2 + 2);
        assert_eq!(t.cells()[l.inner(1, 0)].label, "B, x");
    }

    #[test]
    fn disclosure_two_way_builder_refuses_bad_shapes() {
        let ragged = vec![
            vec![CellData::count(1), CellData::count(2)],
            vec![CellData::count(3)],
        ];
        assert!(two_way_table(&labels(&["A", "B"]), &labels(&["x", "y"]), ragged, 0.0).is_err());
        let (empty, _) = two_way_table(&[], &[], vec![], 0.0).unwrap();
        assert!(empty.is_empty());
        let many = labels(&["r"; 100]);
        let err = two_way_table(&many, &many, vec![], 0.0).unwrap_err();
        assert!(matches!(err, DisclosureError::TooLarge { .. }));
    }

    #[test]
    fn disclosure_two_way_totals_merge_largest_contributions() {
        let a = CellData {
            largest: vec![50.0, 10.0],
            ..CellData::new(100.0, 10)
        };
        let b = CellData {
            largest: vec![70.0],
            ..CellData::new(80.0, 10)
        };
        let (t, l) =
            two_way_table(&labels(&["A"]), &labels(&["x", "y"]), vec![vec![a, b]], 0.0).unwrap();
        assert_eq!(t.cells()[l.row_total(0)].largest, vec![70.0, 50.0, 10.0]);
    }

    fn node(key: &str, parent: Option<&str>, data: Option<CellData>) -> HierarchyNode {
        HierarchyNode {
            key: key.into(),
            label: key.into(),
            parent: parent.map(Into::into),
            data,
        }
    }

    #[test]
    fn disclosure_hierarchy_builder_sums_sectors_to_wijk_to_city() {
        let t = hierarchy_table(
            vec![
                node("stad", None, None),
                node("wijk1", Some("stad"), None),
                node("wijk2", Some("stad"), None),
                node("s1", Some("wijk1"), Some(CellData::count(3))),
                node("s2", Some("wijk1"), Some(CellData::count(7))),
                node("s3", Some("wijk2"), Some(CellData::count(20))),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!(t.cells()[t.index_of("wijk1").unwrap()].value, 10.0);
        assert_eq!(t.cells()[t.index_of("stad").unwrap()].value, 30.0);
        assert_eq!(t.relations().len(), 3);
    }

    #[test]
    fn disclosure_hierarchy_builder_refuses_cycles_and_unknown_parents() {
        let cycle = vec![node("a", Some("b"), None), node("b", Some("a"), None)];
        assert!(hierarchy_table(cycle, 0.0)
            .unwrap_err()
            .to_string()
            .contains("kring"));
        let orphan = vec![node("a", Some("zz"), Some(CellData::count(1)))];
        assert!(hierarchy_table(orphan, 0.0)
            .unwrap_err()
            .to_string()
            .contains("bestaat niet"));
        let leaf = vec![node("a", None, None)];
        assert!(hierarchy_table(leaf, 0.0).is_err());
        // A city figure of its own that does not add up is refused.
        let wrong = vec![
            node("stad", None, Some(CellData::count(5))),
            node("s", Some("stad"), Some(CellData::count(4))),
        ];
        assert!(matches!(
            hierarchy_table(wrong, 0.0),
            Err(DisclosureError::NotAdditive { .. })
        ));
    }
}
