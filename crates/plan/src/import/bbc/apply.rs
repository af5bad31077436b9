//! Applying a [`ColumnMapping`] to a [`Table`]: every line checked, the tree built.
//!
//! Decisions (also in the module docs of `bbc`):
//! - Several lines for the same actie are normal (one per budget line: exploitatie/investering,
//!   uitgaven/ontvangsten, economic account); their amounts are added up per key. A line that
//!   is identical to an earlier one is added too, with a warning, since hidden columns (an
//!   account number) may be what tells them apart.
//! - What must agree between such lines is refused with both line numbers: the parent (an AC
//!   under two APs, an AP under two BDs), the title, the internal code, the entiteit of an
//!   actie, and an internal code used by two items. A different dienst only warns (the first is
//!   kept): services are sometimes recorded per budget line.
//! - A line without actie puts its amounts on the actieplan (or on the beleidsdoelstelling).
//! - Total lines ("Totaal BD01", empty code cells on a "totaal" line) are skipped and listed.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::amount::{parse_amount, Cents};
use super::code::{split_code, CodeCell, Level};
use super::mapping::{AmountLayout, ColumnMapping};
use super::model::{Actieplan, AmountKey, BbcImport, Beleidsdoelstelling, Item, RowError, Warning};
use super::table::{Row, Table};
use super::words::{budget_type_value, direction_value, fold, kind_value, year_value};

/// Beyond this many errors the user has enough to fix; later lines are not checked.
const MAX_ERRORS: usize = 200;

/// BBC's limit for the short description.
const MAX_TITLE_CHARS: usize = 100;

/// Checks every line of `table` against `mapping` and builds the tree; on any error, returns
/// all errors found (up to 200) and nothing else.
pub fn apply(table: &Table, mapping: &ColumnMapping) -> Result<BbcImport, Vec<RowError>> {
    let columns = Columns::new(table, mapping)?;
    let mut builder = Builder::default();
    let mut amounts: Vec<(AmountKey, Cents)> = Vec::new();
    for row in table.rows() {
        builder.lines_read += 1;
        if builder.errors.len() >= MAX_ERRORS {
            builder.errors.push(RowError {
                line: Some(row.line()),
                message: "te veel fouten; de regels vanaf hier zijn niet meer nagekeken.".into(),
            });
            break;
        }
        let errors_before = builder.errors.len();
        let Some(parsed) = columns.parse_row(row, &mut amounts, &mut builder.errors) else {
            continue;
        };
        if parsed.skip {
            builder.lines_skipped.push(row.line());
            continue;
        }
        if builder.errors.len() > errors_before {
            continue;
        }
        builder.duplicate_line(row);
        builder.add(row.line(), &parsed, &amounts);
    }
    builder.finish()
}

/// The mapping checked against the table, with the column names for messages.
struct Columns<'a> {
    table: &'a Table,
    mapping: &'a ColumnMapping,
    bd_code: usize,
}

/// One line, read.
struct ParsedRow<'r> {
    skip: bool,
    entiteit: Option<&'r str>,
    bd: Option<CodeCell<'r>>,
    bd_title: Cow<'r, str>,
    ap: Option<CodeCell<'r>>,
    ap_title: Cow<'r, str>,
    ac: Option<CodeCell<'r>>,
    ac_title: Cow<'r, str>,
    internal_code: Option<&'r str>,
    dienst: Option<&'r str>,
}

impl<'a> Columns<'a> {
    fn new(table: &'a Table, mapping: &'a ColumnMapping) -> Result<Self, Vec<RowError>> {
        let mut errors = Vec::new();
        let general = |message: String| RowError {
            line: None,
            message,
        };
        let Some(bd_code) = mapping.bd_code else {
            return Err(vec![general(
                "Geen kolom met beleidsdoelstellingen (BD-codes) gevonden.".into(),
            )]);
        };
        if mapping.ac_code.is_some() && mapping.ap_code.is_none() {
            errors.push(general(
                "Geen kolom met actieplannen (AP-codes) gekozen, terwijl er een kolom met acties is.".into(),
            ));
        }
        let mut used: Vec<(usize, &str)> = mapping.used_columns();
        // A title mapped onto its own code column means "the title follows the code".
        used.retain(|(c, what)| {
            !(what.ends_with("(titel)")
                && [mapping.bd_code, mapping.ap_code, mapping.ac_code].contains(&Some(*c)))
        });
        for (i, (c, what)) in used.iter().enumerate() {
            if *c >= table.width() {
                errors.push(general(format!(
                    "De kolom voor {what} (nummer {}) bestaat niet in het bestand.",
                    c + 1
                )));
            } else if let Some((_, other)) = used[..i].iter().find(|(o, _)| o == c) {
                if !(*other == "bedragen" && *what == "bedragen") {
                    errors.push(general(format!(
                        "Kolom '{}' is gekozen voor zowel {other} als {what}.",
                        table.column_name(*c)
                    )));
                } else {
                    errors.push(general(format!(
                        "Kolom '{}' is twee keer gekozen voor bedragen.",
                        table.column_name(*c)
                    )));
                }
            }
        }
        if let AmountLayout::Wide { columns } = &mapping.amounts {
            for (i, a) in columns.iter().enumerate() {
                let key =
                    |c: &super::mapping::AmountColumn| (c.year, c.kind, c.budget_type, c.direction);
                if let Some(b) = columns[..i]
                    .iter()
                    .find(|b| key(b) == key(a) && b.column != a.column)
                {
                    errors.push(general(format!(
                        "De kolommen '{}' en '{}' zijn allebei gekozen voor {} {}; zo zouden ze ongemerkt worden opgeteld.",
                        table.column_name(b.column),
                        table.column_name(a.column),
                        a.kind.label(),
                        a.year
                    )));
                }
            }
        }
        if errors.is_empty() {
            Ok(Columns {
                table,
                mapping,
                bd_code,
            })
        } else {
            Err(errors)
        }
    }

    fn name(&self, column: usize) -> String {
        self.table.column_name(column)
    }

    fn cell<'r>(&self, row: &'r Row, column: Option<usize>) -> Option<&'r str> {
        column.map(|c| row.get(c)).filter(|s| !s.is_empty())
    }

    /// Reads one line into `parsed` and `amounts`; pushes its errors. `None` on an error that
    /// makes the rest of the line meaningless.
    fn parse_row<'r>(
        &self,
        row: &'r Row,
        amounts: &mut Vec<(AmountKey, Cents)>,
        errors: &mut Vec<RowError>,
    ) -> Option<ParsedRow<'r>> {
        let line = row.line();
        let m = self.mapping;
        let mut err = |message: String| {
            errors.push(RowError {
                line: Some(line),
                message,
            })
        };
        let bd_cell = row.get(self.bd_code);
        let skip_row = ParsedRow {
            skip: true,
            entiteit: None,
            bd: None,
            bd_title: Cow::Borrowed(""),
            ap: None,
            ap_title: Cow::Borrowed(""),
            ac: None,
            ac_title: Cow::Borrowed(""),
            internal_code: None,
            dienst: None,
        };
        if is_total_line(row, bd_cell) {
            return Some(skip_row);
        }
        if bd_cell.is_empty() {
            err(format!(
                "geen beleidsdoelstelling (BD-code) in kolom '{}'.",
                self.name(self.bd_code)
            ));
            return None;
        }
        let code = |col: Option<usize>, level: Level, err: &mut dyn FnMut(String)| {
            let col = col?;
            let cell = row.get(col);
            if cell.is_empty() {
                return None;
            }
            match split_code(cell) {
                Some(c) if c.prefix.is_empty() || c.prefix == level.prefix() => Some(c),
                Some(c) if ["BD", "AP", "AC"].contains(&&*c.prefix) => {
                    err(format!(
                        "'{cell}' in kolom '{}' is een {}-code; hier wordt een {}-code ({}) verwacht.",
                        self.name(col),
                        c.prefix,
                        level.prefix(),
                        level.noun()
                    ));
                    None
                }
                _ => {
                    err(format!(
                        "'{}' in kolom '{}' is geen geldige {}-code ({}).",
                        shorten(cell),
                        self.name(col),
                        level.prefix(),
                        level.noun()
                    ));
                    None
                }
            }
        };
        let bd = code(m.bd_code, Level::Beleidsdoelstelling, &mut err);
        let ap = code(m.ap_code, Level::Actieplan, &mut err);
        let ac = code(m.ac_code, Level::Actie, &mut err);
        if m.ap_code.is_some() && ac.is_some() && self.cell(row, m.ap_code).is_none() {
            err(format!(
                "actie {} zonder actieplan: kolom '{}' is leeg.",
                ac.as_ref().map_or("", |c| &c.code),
                self.name(m.ap_code.unwrap_or_default())
            ));
        }
        let title = |code: &Option<CodeCell<'r>>, col: Option<usize>| -> Cow<'r, str> {
            let own = col.filter(|c| {
                Some(*c) != m.bd_code && Some(*c) != m.ap_code && Some(*c) != m.ac_code
            });
            match own {
                Some(c) => collapse_whitespace(row.get(c)),
                None => collapse_whitespace(code.as_ref().map_or("", |c| c.rest)),
            }
        };
        let parsed = ParsedRow {
            skip: false,
            entiteit: self.cell(row, m.entiteit),
            bd_title: title(&bd, m.bd_title),
            ap_title: title(&ap, m.ap_title),
            ac_title: title(&ac, m.ac_title),
            bd,
            ap,
            ac,
            internal_code: self.cell(row, m.internal_code),
            dienst: self.cell(row, m.dienst),
        };
        self.parse_amounts(row, amounts, &mut err);
        Some(parsed)
    }

    fn parse_amounts(
        &self,
        row: &Row,
        amounts: &mut Vec<(AmountKey, Cents)>,
        err: &mut dyn FnMut(String),
    ) {
        amounts.clear();
        let m = self.mapping;
        let budget_type = self.cell(row, m.budget_type).and_then(|cell| {
            let value = budget_type_value(cell);
            if value.is_none() {
                err(format!(
                    "'{}' in kolom '{}' is geen type (exploitatie, investering of financiering).",
                    shorten(cell),
                    self.name(m.budget_type.unwrap_or_default())
                ));
            }
            value
        });
        let direction = self.cell(row, m.direction).and_then(|cell| {
            let value = direction_value(cell);
            if value.is_none() {
                err(format!(
                    "'{}' in kolom '{}' is geen uitgaven of ontvangsten.",
                    shorten(cell),
                    self.name(m.direction.unwrap_or_default())
                ));
            }
            value
        });
        let amount = |col: usize, err: &mut dyn FnMut(String)| -> Option<Cents> {
            let cell = row.get(col);
            match parse_amount(cell) {
                Ok(v) => v,
                Err(e) => {
                    err(format!(
                        "bedrag '{}' in kolom '{}' is geen geldig bedrag: {e}.",
                        shorten(cell),
                        self.name(col)
                    ));
                    None
                }
            }
        };
        match &m.amounts {
            AmountLayout::None => {}
            AmountLayout::Wide { columns } => {
                for col in columns {
                    if let Some(cents) = amount(col.column, err) {
                        amounts.push((
                            AmountKey {
                                year: col.year,
                                kind: col.kind,
                                budget_type: col.budget_type.or(budget_type),
                                direction: col.direction.or(direction),
                            },
                            cents,
                        ));
                    }
                }
            }
            AmountLayout::Long(long) => {
                let Some(cents) = amount(long.amount, err) else {
                    return;
                };
                let year_cell = row.get(long.year);
                let Some(year) = year_value(year_cell) else {
                    err(format!(
                        "'{}' in kolom '{}' is geen jaartal.",
                        shorten(year_cell),
                        self.name(long.year)
                    ));
                    return;
                };
                let kind = match self.cell(row, long.kind) {
                    None => long.default_kind,
                    Some(cell) => match kind_value(cell) {
                        Some(k) => k,
                        None => {
                            err(format!(
                                "'{}' in kolom '{}' is geen raming, krediet of rekening.",
                                shorten(cell),
                                self.name(long.kind.unwrap_or_default())
                            ));
                            return;
                        }
                    },
                };
                amounts.push((
                    AmountKey {
                        year,
                        kind,
                        budget_type,
                        direction,
                    },
                    cents,
                ));
            }
        }
    }
}

/// "Totaal", "Subtotaal BD01", "Algemeen totaal": report lines, not plan lines. Only when the
/// BD cell is empty or itself such a label, so that a title starting with "Totaal" is kept.
fn is_total_line(row: &Row, bd_cell: &str) -> bool {
    let is_label = |cell: &str| {
        let starts = cell.get(..3).is_some_and(|p| {
            ["tot", "sub", "ein", "alg"]
                .iter()
                .any(|w| p.eq_ignore_ascii_case(w))
        });
        starts && cell.len() < 80 && {
            let folded = fold(cell);
            let mut words = folded.split_whitespace();
            match words.next() {
                Some("totaal" | "subtotaal" | "eindtotaal" | "totalen") => true,
                Some("algemeen") => words.next() == Some("totaal"),
                _ => false,
            }
        }
    };
    if bd_cell.is_empty() {
        row.cells().any(is_label)
    } else {
        is_label(bd_cell)
    }
}

/// Titles spread over lines in a cell become one line; the text itself is kept.
fn collapse_whitespace(s: &str) -> Cow<'_, str> {
    let needs = s.contains(['\n', '\r', '\t']) || s.contains("  ");
    if !needs {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A cell quoted in a message, cut so that a stray paragraph does not flood the error list.
fn shorten(cell: &str) -> Cow<'_, str> {
    if cell.chars().count() <= 60 {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(format!("{}…", cell.chars().take(57).collect::<String>()))
    }
}

#[derive(Default)]
struct Builder {
    bds: Vec<Beleidsdoelstelling>,
    bd_index: HashMap<String, usize>,
    ap_index: HashMap<String, (usize, usize)>,
    ac_index: HashMap<String, (usize, usize, usize)>,
    /// Internal code → (item code, line).
    internal_codes: HashMap<String, (String, usize)>,
    line_hashes: HashMap<u64, usize>,
    errors: Vec<RowError>,
    warnings: Vec<Warning>,
    lines_read: usize,
    lines_skipped: Vec<usize>,
}

impl Builder {
    fn error(&mut self, line: usize, message: String) {
        self.errors.push(RowError {
            line: Some(line),
            message,
        });
    }

    fn duplicate_line(&mut self, row: &Row) {
        let mut hasher = DefaultHasher::new();
        for cell in row.cells() {
            cell.hash(&mut hasher);
        }
        let hash = hasher.finish();
        if let Some(&first) = self.line_hashes.get(&hash) {
            self.warnings.push(Warning {
                line: row.line(),
                message: format!(
                    "deze regel is gelijk aan regel {first}; de bedragen van beide regels zijn opgeteld."
                ),
            });
        } else {
            self.line_hashes.insert(hash, row.line());
        }
    }

    fn add(&mut self, line: usize, row: &ParsedRow<'_>, amounts: &[(AmountKey, Cents)]) {
        let Some(bd) = &row.bd else { return };
        let bd_i = match self.bd_index.get(&*bd.code) {
            Some(&i) => i,
            None => {
                self.bds.push(Beleidsdoelstelling {
                    item: Item::new(bd.code.to_string(), line),
                    actieplannen: Vec::new(),
                });
                self.bd_index
                    .insert(bd.code.to_string(), self.bds.len() - 1);
                self.bds.len() - 1
            }
        };
        let mut path = vec![(Level::Beleidsdoelstelling, bd_i, 0, 0)];
        if let Some(ap) = &row.ap {
            let ap_i = match self.ap_index.get(&*ap.code) {
                Some(&(b, a)) if b == bd_i => a,
                Some(&(b, a)) => {
                    let first = &self.bds[b].actieplannen[a].item;
                    let message = format!(
                        "actieplan {} staat hier onder {}, maar op regel {} onder {}.",
                        ap.code, bd.code, first.line, self.bds[b].item.code
                    );
                    self.error(line, message);
                    return;
                }
                None => {
                    let aps = &mut self.bds[bd_i].actieplannen;
                    aps.push(Actieplan {
                        item: Item::new(ap.code.to_string(), line),
                        acties: Vec::new(),
                    });
                    self.ap_index
                        .insert(ap.code.to_string(), (bd_i, aps.len() - 1));
                    aps.len() - 1
                }
            };
            path.push((Level::Actieplan, bd_i, ap_i, 0));
            if let Some(ac) = &row.ac {
                let ac_i = match self.ac_index.get(&*ac.code) {
                    Some(&(b, a, c)) if b == bd_i && a == ap_i => c,
                    Some(&(b, a, c)) => {
                        let first = &self.bds[b].actieplannen[a];
                        let message = format!(
                            "actie {} staat hier onder {}, maar op regel {} onder {}.",
                            ac.code, ap.code, first.acties[c].line, first.item.code
                        );
                        self.error(line, message);
                        return;
                    }
                    None => {
                        let acs = &mut self.bds[bd_i].actieplannen[ap_i].acties;
                        acs.push(Item::new(ac.code.to_string(), line));
                        self.ac_index
                            .insert(ac.code.to_string(), (bd_i, ap_i, acs.len() - 1));
                        acs.len() - 1
                    }
                };
                path.push((Level::Actie, bd_i, ap_i, ac_i));
            }
        }
        let deepest = path.len() - 1;
        for (depth, &(level, b, a, c)) in path.iter().enumerate() {
            let title = match level {
                Level::Beleidsdoelstelling => &row.bd_title,
                Level::Actieplan => &row.ap_title,
                Level::Actie => &row.ac_title,
            };
            let own = depth == deepest;
            let mut problems: Vec<(bool, String)> = Vec::new();
            let item = self.item_mut(level, b, a, c);
            merge_title(item, level, title, &mut problems);
            if let Some(e) = row.entiteit {
                if !item.entiteiten.iter().any(|x| x == e) {
                    if level == Level::Actie && !item.entiteiten.is_empty() {
                        problems.push((
                            true,
                            format!(
                                "actie {} hoort hier bij '{e}', maar op regel {} bij '{}'.",
                                item.code, item.line, item.entiteiten[0]
                            ),
                        ));
                    } else {
                        item.entiteiten.push(e.to_string());
                    }
                }
            }
            if own {
                if let Some(d) = row.dienst {
                    match &item.dienst {
                        None => item.dienst = Some(d.to_string()),
                        Some(old) if old != d => problems.push((
                            false,
                            format!(
                                "{} {} heeft hier dienst '{d}', eerder '{old}'; '{old}' wordt behouden.",
                                level.noun(),
                                item.code
                            ),
                        )),
                        Some(_) => {}
                    }
                }
                if let Some(ic) = row.internal_code {
                    match &item.internal_code {
                        None => item.internal_code = Some(ic.to_string()),
                        Some(old) if old != ic => problems.push((
                            true,
                            format!(
                                "{} {} heeft hier interne code {ic}, maar op regel {} {old}.",
                                level.noun(),
                                item.code,
                                item.line
                            ),
                        )),
                        Some(_) => {}
                    }
                }
                for &(key, cents) in amounts {
                    if item.add_amount(key, cents).is_none() {
                        problems.push((
                            true,
                            format!("de som van de bedragen van {} is te groot.", item.code),
                        ));
                        break;
                    }
                }
            }
            let item_code = item.code.clone();
            for (is_error, message) in problems {
                if is_error {
                    self.error(line, message);
                } else {
                    self.warnings.push(Warning { line, message });
                }
            }
            if own {
                if let Some(ic) = row.internal_code {
                    match self.internal_codes.get(ic) {
                        Some((other, first)) if *other != item_code => {
                            let message = format!(
                                "interne code {ic} hoort hier bij {item_code}, maar op regel {first} bij {other}."
                            );
                            self.error(line, message);
                        }
                        Some(_) => {}
                        None => {
                            self.internal_codes
                                .insert(ic.to_string(), (item_code.clone(), line));
                        }
                    }
                }
            }
        }
    }

    fn item_mut(&mut self, level: Level, b: usize, a: usize, c: usize) -> &mut Item {
        let bd = &mut self.bds[b];
        match level {
            Level::Beleidsdoelstelling => &mut bd.item,
            Level::Actieplan => &mut bd.actieplannen[a].item,
            Level::Actie => &mut bd.actieplannen[a].acties[c],
        }
    }

    fn finish(mut self) -> Result<BbcImport, Vec<RowError>> {
        if self.errors.is_empty() && self.bds.is_empty() {
            self.errors.push(RowError {
                line: None,
                message: "Het bestand bevat geen enkele beleidsdoelstelling.".into(),
            });
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        for bd in &mut self.bds {
            bd.item.amounts.sort_by_key(|a| a.key);
            for ap in &mut bd.actieplannen {
                ap.item.amounts.sort_by_key(|a| a.key);
                for ac in &mut ap.acties {
                    ac.amounts.sort_by_key(|a| a.key);
                }
            }
        }
        Ok(BbcImport {
            beleidsdoelstellingen: self.bds,
            warnings: self.warnings,
            lines_read: self.lines_read,
            lines_skipped: self.lines_skipped,
        })
    }
}

/// Sets the title the first time it is seen; a different title later is an error, a title
/// longer than BBC allows a warning.
fn merge_title(item: &mut Item, level: Level, title: &str, problems: &mut Vec<(bool, String)>) {
    if title.is_empty() {
        return;
    }
    if item.title.is_empty() {
        item.title = title.to_string();
        let chars = title.chars().count();
        if chars > MAX_TITLE_CHARS {
            problems.push((
                false,
                format!(
                    "de titel van {} {} telt {chars} tekens; BBC laat voor de korte omschrijving {MAX_TITLE_CHARS} tekens toe (de volledige tekst wordt bewaard).",
                    level.noun(),
                    item.code
                ),
            ));
        }
    } else if item.title != title {
        problems.push((
            true,
            format!(
                "{} {} heeft hier de titel '{}', maar op regel {} '{}'.",
                level.noun(),
                item.code,
                shorten(title),
                item.line,
                shorten(&item.title)
            ),
        ));
    }
}
