//! Recognising columns from their content first and their header second: a column full of
//! "BD01" is the beleidsdoelstelling whatever its header says; a header only decides where the
//! content cannot (titles, dienst, numeric codes like "1.2").
//!
//! The rules, in the order columns are claimed (a claimed column is not considered again):
//! - BD/AP/AC code: at least 60% of the filled cells start with that prefix and a number
//!   ("BD01", "AP 01.02", "AC010101 Titel"); or purely numeric codes of depth 1/2/3 ("1",
//!   "1.2", "1.2.3") under a header naming the level (beleidsdoelstelling/actieplan/actie,
//!   BD/AP/AC, "niveau 1/2/3").
//! - internal code: 80% like "MJP004937" (letters, then four or more digits, not BD/AP/AC).
//! - entiteit: 80% short cells starting with Stad/OCMW/Gemeente/AGB/…, at most 8 values.
//! - type and direction: 80% exploitatie/investering/financiering (or E/I/F), uitgaven/
//!   ontvangsten (or U/O), at most 8 values.
//! - wide amounts: a header with exactly one year (1990–2100; the group label above the header
//!   counts) over a column of which 90% parses as a Belgian amount, or whose header names
//!   raming/krediet/rekening, a type, a direction or "bedrag". Kind, type and direction come
//!   from the header words; a missing kind is assumed raming and flagged.
//! - long amounts (when no wide columns): a column of 90% years and a column of amounts
//!   (preferably headed bedrag/raming/…), optionally a column of raming/krediet/rekening.
//! - titles: a text column whose header names the level (+0.5), says omschrijving/titel/…
//!   (+0.2), or sits right of the code column (+0.4), a header naming another level −0.6;
//!   when the code cells carry their titles ("BD01 Een veilige stad"), those are used unless
//!   a column is named for it outright.
//! - dienst: by header only (dienst, afdeling, verantwoordelijke, organisatie, team, …).
//!
//! Two candidates within 0.15 of each other are an [`Ambiguity`]; so is a missing BD column
//! (blocking), acties without an AP column (blocking), two amount columns for the same year
//! and kind (blocking), and a file without amounts (not blocking).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::amount::parse_amount;
use super::code::{is_internal_code, split_code, Level};
use super::mapping::{AmountColumn, AmountLayout, ColumnMapping, LongAmounts};
use super::model::{AmountKey, Kind};
use super::table::Table;
use super::words::{
    budget_type_cell, budget_type_in, direction_cell, direction_in, fold, fold_into, has_word,
    has_word_starting, is_entity_folded, kind_in, year_value, years_in,
};

/// What a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Entiteit,
    BdCode,
    BdTitle,
    ApCode,
    ApTitle,
    AcCode,
    AcTitle,
    InternalCode,
    Dienst,
    BudgetType,
    Direction,
    /// Long layout: the year of the line.
    Year,
    /// Long layout: raming / krediet / rekening.
    Kind,
    /// Long layout: the amount.
    Amount,
    /// Wide layout: the year columns.
    AmountColumns,
}

impl Field {
    /// Dutch label for the mapping screen.
    pub fn label(self) -> &'static str {
        match self {
            Field::Entiteit => "Entiteit (stad/OCMW)",
            Field::BdCode => "Beleidsdoelstelling: code",
            Field::BdTitle => "Beleidsdoelstelling: titel",
            Field::ApCode => "Actieplan: code",
            Field::ApTitle => "Actieplan: titel",
            Field::AcCode => "Actie: code",
            Field::AcTitle => "Actie: titel",
            Field::InternalCode => "Interne actiecode",
            Field::Dienst => "Dienst",
            Field::BudgetType => "Type (exploitatie/investering/financiering)",
            Field::Direction => "Uitgaven/ontvangsten",
            Field::Year => "Jaar",
            Field::Kind => "Soort (raming/krediet/rekening)",
            Field::Amount => "Bedrag",
            Field::AmountColumns => "Bedragen per jaar",
        }
    }
}

/// The guess for one field; `confidence` runs from 0 (not found) to 1 (certain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldGuess {
    pub field: Field,
    pub column: Option<usize>,
    pub confidence: f32,
}

/// Something the user must decide on the mapping screen. `blocking`: the file cannot be
/// imported until it is decided (a required column is missing, or two columns claim the same
/// amounts); otherwise the guess stands unless the user changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambiguity {
    pub field: Field,
    pub candidates: Vec<usize>,
    pub blocking: bool,
    pub message: String,
}

/// The proposed mapping with how sure each part is and what is unclear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnGuess {
    pub mapping: ColumnMapping,
    pub fields: Vec<FieldGuess>,
    pub ambiguities: Vec<Ambiguity>,
}

impl ColumnGuess {
    /// True when the mapping can be applied without asking the user.
    pub fn is_certain(&self) -> bool {
        self.ambiguities.is_empty()
    }

    pub fn is_blocked(&self) -> bool {
        self.ambiguities.iter().any(|a| a.blocking)
    }

    pub fn confidence(&self, field: Field) -> f32 {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map_or(0.0, |f| f.confidence)
    }
}

/// Counts per column of what its cells look like.
#[derive(Debug, Default)]
struct Profile {
    header: String,
    filled: usize,
    level: [usize; 3],
    numeric_depth: [usize; 4],
    with_rest: usize,
    internal: usize,
    amount: usize,
    year: usize,
    entity: usize,
    kind: usize,
    budget_type: usize,
    direction: usize,
    text: usize,
    distinct: HashSet<String>,
}

const DISTINCT_CAP: usize = 12;

impl Profile {
    fn frac(&self, n: usize) -> f32 {
        if self.filled == 0 {
            0.0
        } else {
            n as f32 / self.filled as f32
        }
    }

    fn add(&mut self, cell: &str, scratch: &mut String) {
        self.filled += 1;
        if self.distinct.len() <= DISTINCT_CAP && !self.distinct.contains(cell) {
            self.distinct.insert(cell.to_string());
        }
        let code = split_code(cell);
        if let Some(c) = &code {
            match &*c.prefix {
                "BD" => self.level[0] += 1,
                "AP" => self.level[1] += 1,
                "AC" => self.level[2] += 1,
                "" => self.numeric_depth[c.depth.min(3)] += 1,
                _ => {}
            }
            if !c.rest.is_empty() {
                self.with_rest += 1;
            }
        }
        if is_internal_code(cell) {
            self.internal += 1;
        }
        if matches!(parse_amount(cell), Ok(Some(_))) {
            self.amount += 1;
        }
        if year_value(cell).is_some() {
            self.year += 1;
        }
        let has_letters = cell.bytes().any(|b| b.is_ascii_alphabetic()) || !cell.is_ascii();
        if has_letters && cell.len() <= 40 {
            fold_into(scratch, cell);
            let folded = scratch.as_str();
            if is_entity_folded(folded) {
                self.entity += 1;
            }
            if kind_in(folded).is_some() {
                self.kind += 1;
            }
            if budget_type_cell(cell, folded).is_some() {
                self.budget_type += 1;
            }
            if direction_cell(cell, folded).is_some() {
                self.direction += 1;
            }
        }
        if has_letters && code.as_ref().is_none_or(|c| !c.rest.is_empty()) {
            self.text += 1;
        }
    }

    fn header_level(&self) -> Option<Level> {
        let h = &self.header;
        if has_word_starting(h, &["actieplan"]) || has_word(h, &["ap"]) || h.contains("niveau 2") {
            Some(Level::Actieplan)
        } else if has_word_starting(h, &["beleidsdoel", "doelstelling"])
            || has_word(h, &["bd"])
            || h.contains("niveau 1")
        {
            Some(Level::Beleidsdoelstelling)
        } else if has_word(h, &["actie", "acties", "ac", "actiecode"]) || h.contains("niveau 3") {
            Some(Level::Actie)
        } else {
            None
        }
    }

    fn header_says_title(&self) -> bool {
        has_word_starting(
            &self.header,
            &[
                "omschrijving",
                "titel",
                "naam",
                "benaming",
                "tekst",
                "label",
                "beschrijving",
                "korte",
            ],
        )
    }

    fn is_amounts(&self) -> bool {
        self.frac(self.amount) >= 0.9
            && self.frac(self.level[0] + self.level[1] + self.level[2]) < 0.5
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Beleidsdoelstelling => 0,
        Level::Actieplan => 1,
        Level::Actie => 2,
    }
}

/// Proposes a mapping for `table`, with confidences and the points the user must decide.
pub fn detect_columns(table: &Table) -> ColumnGuess {
    let width = table.width();
    let mut profiles: Vec<Profile> = (0..width)
        .map(|c| Profile {
            header: fold(&table.full_header(c)),
            ..Profile::default()
        })
        .collect();
    let mut scratch = String::new();
    for row in table.rows() {
        for (c, cell) in row.cells().enumerate().take(width) {
            if !cell.is_empty() {
                profiles[c].add(cell, &mut scratch);
            }
        }
    }
    Detector {
        table,
        profiles,
        taken: vec![false; width],
        guess: ColumnGuess {
            mapping: ColumnMapping::default(),
            fields: Vec::new(),
            ambiguities: Vec::new(),
        },
    }
    .run()
}

struct Detector<'a> {
    table: &'a Table,
    profiles: Vec<Profile>,
    taken: Vec<bool>,
    guess: ColumnGuess,
}

impl Detector<'_> {
    fn run(mut self) -> ColumnGuess {
        let bd = self.code_column(Level::Beleidsdoelstelling);
        let ap = self.code_column(Level::Actieplan);
        let ac = self.code_column(Level::Actie);
        self.guess.mapping.bd_code = bd;
        self.guess.mapping.ap_code = ap;
        self.guess.mapping.ac_code = ac;
        if bd.is_none() {
            self.ambiguity(
                Field::BdCode,
                Vec::new(),
                true,
                "Geen kolom met beleidsdoelstellingen (BD-codes) gevonden.".into(),
            );
        }
        if ac.is_some() && ap.is_none() {
            self.ambiguity(
                Field::ApCode,
                Vec::new(),
                true,
                "Geen kolom met actieplannen (AP-codes) gevonden, terwijl er acties zijn.".into(),
            );
        }

        self.guess.mapping.internal_code = self.by_content(Field::InternalCode, |p| {
            let f = p.frac(p.internal);
            let header = has_word_starting(&p.header, &["intern", "mjp", "sleutel"]);
            if f >= 0.8 {
                0.6 + 0.3 * f + if header { 0.1 } else { 0.0 }
            } else if f >= 0.5 && header {
                0.6
            } else {
                0.0
            }
        });
        self.guess.mapping.entiteit = self.by_content(Field::Entiteit, |p| {
            let f = p.frac(p.entity);
            let header = has_word_starting(&p.header, &["entiteit", "bestuur", "rechtspersoon"]);
            if f >= 0.8 && p.distinct.len() <= 8 {
                0.7 + 0.2 * f + if header { 0.1 } else { 0.0 }
            } else if header && p.distinct.len() <= 8 && p.frac(p.text) >= 0.8 {
                0.6
            } else {
                0.0
            }
        });
        self.guess.mapping.budget_type = self.by_content(Field::BudgetType, |p| {
            let f = p.frac(p.budget_type);
            if f >= 0.8 && p.distinct.len() <= 8 {
                0.7 + 0.3 * f
            } else {
                0.0
            }
        });
        self.guess.mapping.direction = self.by_content(Field::Direction, |p| {
            let f = p.frac(p.direction);
            if f >= 0.8 && p.distinct.len() <= 8 {
                0.7 + 0.3 * f
            } else {
                0.0
            }
        });
        self.amounts();
        self.titles(Level::Beleidsdoelstelling, bd);
        self.titles(Level::Actieplan, ap);
        self.titles(Level::Actie, ac);
        self.guess.mapping.dienst = self.by_content(Field::Dienst, |p| {
            let header = has_word_starting(
                &p.header,
                &[
                    "dienst",
                    "afdeling",
                    "verantwoordelijk",
                    "beleidsverantwoordelijk",
                    "organisatie",
                    "team",
                    "cluster",
                    "eigenaar",
                ],
            );
            if header && p.frac(p.text) >= 0.5 {
                0.8
            } else {
                0.0
            }
        });
        self.guess
    }

    fn ambiguity(&mut self, field: Field, candidates: Vec<usize>, blocking: bool, message: String) {
        self.guess.ambiguities.push(Ambiguity {
            field,
            candidates,
            blocking,
            message,
        });
    }

    fn record(&mut self, field: Field, column: Option<usize>, confidence: f32) {
        if let Some(c) = column {
            self.taken[c] = true;
        }
        self.guess.fields.push(FieldGuess {
            field,
            column,
            confidence: confidence.clamp(0.0, 1.0),
        });
    }

    /// Scores the free columns, takes the best one and reports a near tie as an ambiguity.
    fn by_content(&mut self, field: Field, score: impl Fn(&Profile) -> f32) -> Option<usize> {
        let mut scored: Vec<(usize, f32)> = self
            .profiles
            .iter()
            .enumerate()
            .filter(|(c, _)| !self.taken[*c])
            .map(|(c, p)| (c, score(p)))
            .filter(|(_, s)| *s >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = scored.first().copied();
        if let (Some(&(first, s1)), Some(&(second, s2))) = (scored.first(), scored.get(1)) {
            if s1 - s2 < 0.15 {
                let names = format!(
                    "'{}' en '{}'",
                    self.table.column_name(first),
                    self.table.column_name(second)
                );
                let message = format!(
                    "Twee kolommen kunnen '{}' bevatten: {names}. Kies de juiste.",
                    field.label()
                );
                self.ambiguity(field, vec![first, second], false, message);
            }
        }
        self.record(field, best.map(|b| b.0), best.map_or(0.0, |b| b.1));
        best.map(|b| b.0)
    }

    fn code_column(&mut self, level: Level) -> Option<usize> {
        let field = match level {
            Level::Beleidsdoelstelling => Field::BdCode,
            Level::Actieplan => Field::ApCode,
            Level::Actie => Field::AcCode,
        };
        let i = level_index(level);
        self.by_content(field, |p| {
            let f = p.frac(p.level[i]);
            let header = p.header_level() == Some(level);
            if f >= 0.6 {
                0.6 + 0.3 * f + if header { 0.1 } else { 0.0 }
            } else if header && p.frac(p.numeric_depth[(i + 1).min(3)]) >= 0.8 {
                // Numeric codes ("1", "1.2", "1.2.3"): only the header can tell the level.
                0.6
            } else {
                0.0
            }
        })
    }

    /// The title of a level: a text column whose header names the level, or the text column
    /// right of the code column; or none when the code column carries the titles itself.
    fn titles(&mut self, level: Level, code_column: Option<usize>) {
        let field = match level {
            Level::Beleidsdoelstelling => Field::BdTitle,
            Level::Actieplan => Field::ApTitle,
            Level::Actie => Field::AcTitle,
        };
        let Some(code) = code_column else {
            self.record(field, None, 0.0);
            return;
        };
        let mut best: Option<(usize, f32)> = None;
        for (c, p) in self.profiles.iter().enumerate() {
            if self.taken[c] || p.frac(p.text) < 0.6 || p.is_amounts() {
                continue;
            }
            let mut s = 0.0;
            match p.header_level() {
                Some(l) if l == level => s += 0.5,
                Some(_) => s -= 0.6,
                None => {}
            }
            if p.header_says_title() {
                s += 0.2;
            }
            if c == code + 1 {
                s += 0.4;
            }
            if s >= 0.4 && best.is_none_or(|(_, b)| s > b) {
                best = Some((c, s));
            }
        }
        let code_profile = &self.profiles[code];
        let combined = code_profile.frac(code_profile.with_rest) >= 0.5;
        let column = match best {
            Some((_, s)) if combined && s < 0.9 => None,
            other => other.map(|(c, _)| c),
        };
        let confidence = match (column, combined) {
            (Some(_), _) => best.map_or(0.0, |(_, s)| s.min(1.0)),
            (None, true) => code_profile.frac(code_profile.with_rest),
            (None, false) => 0.0,
        };
        match level {
            Level::Beleidsdoelstelling => self.guess.mapping.bd_title = column,
            Level::Actieplan => self.guess.mapping.ap_title = column,
            Level::Actie => self.guess.mapping.ac_title = column,
        }
        self.record(field, column, confidence);
    }

    /// Wide layout when headers carry years over columns of amounts; else long layout with a
    /// year column and an amount column.
    fn amounts(&mut self) {
        let mut columns = Vec::new();
        let mut unsure_kind = Vec::new();
        for (c, p) in self.profiles.iter().enumerate() {
            if self.taken[c] {
                continue;
            }
            let years = years_in(&p.header);
            let [year] = years[..] else { continue };
            let kind = kind_in(&p.header);
            // A header like "Raming 2026" names an amount column even when its cells are bad:
            // then every bad cell is reported by line, instead of the column being ignored.
            let named = kind.is_some()
                || budget_type_in(&p.header).is_some()
                || direction_in(&p.header).is_some()
                || has_word_starting(&p.header, &["bedrag"]);
            if !(p.filled == 0 || p.is_amounts() || named) {
                continue;
            }
            if kind.is_none() {
                unsure_kind.push(c);
            }
            columns.push(AmountColumn {
                column: c,
                year,
                kind: kind.unwrap_or(Kind::Raming),
                budget_type: budget_type_in(&p.header),
                direction: direction_in(&p.header),
            });
        }
        if !columns.is_empty() {
            for col in &columns {
                self.taken[col.column] = true;
            }
            self.duplicate_amount_columns(&columns);
            if !unsure_kind.is_empty() {
                let names: Vec<String> = unsure_kind
                    .iter()
                    .map(|&c| format!("'{}'", self.table.column_name(c)))
                    .collect();
                self.ambiguity(
                    Field::AmountColumns,
                    unsure_kind,
                    false,
                    format!(
                        "De kop van {} zegt niet of het om ramingen, kredieten of rekeningen gaat; aangenomen: raming.",
                        names.join(", ")
                    ),
                );
            }
            self.record(Field::AmountColumns, None, 0.9);
            self.guess.mapping.amounts = AmountLayout::Wide { columns };
            return;
        }
        let year = self.by_content(Field::Year, |p| {
            let f = p.frac(p.year);
            if f >= 0.9 && years_in(&p.header).is_empty() {
                0.6 + if has_word_starting(&p.header, &["jaar", "boekjaar"]) {
                    0.3
                } else {
                    0.0
                }
            } else {
                0.0
            }
        });
        let kind = self.by_content(Field::Kind, |p| {
            if p.frac(p.kind) >= 0.8 && p.distinct.len() <= 8 {
                0.8
            } else {
                0.0
            }
        });
        let amount = self.by_content(Field::Amount, |p| {
            if !p.is_amounts() || p.frac(p.year) >= 0.9 {
                return 0.0;
            }
            let header = has_word_starting(
                &p.header,
                &[
                    "bedrag", "raming", "krediet", "rekening", "saldo", "waarde", "euro", "eur",
                    "budget",
                ],
            );
            0.5 + if header { 0.4 } else { 0.0 }
        });
        match (year, amount) {
            (Some(year), Some(amount)) => {
                let default_kind = kind_in(&self.profiles[amount].header).unwrap_or(Kind::Raming);
                self.guess.mapping.amounts = AmountLayout::Long(LongAmounts {
                    year,
                    amount,
                    kind,
                    default_kind,
                });
            }
            _ => {
                self.ambiguity(
                    Field::AmountColumns,
                    Vec::new(),
                    false,
                    "Geen bedragen gevonden (geen kolommen met een jaartal in de kop, en geen kolommen 'Jaar' en 'Bedrag'); alleen doelstellingen, actieplannen en acties worden ingelezen.".into(),
                );
            }
        }
    }

    fn duplicate_amount_columns(&mut self, columns: &[AmountColumn]) {
        for (i, a) in columns.iter().enumerate() {
            let key = |c: &AmountColumn| (c.year, c.kind, c.budget_type, c.direction);
            if let Some(b) = columns[i + 1..].iter().find(|b| key(b) == key(a)) {
                // Applied as they are, the two would be added up silently.
                {
                    let k = AmountKey {
                        year: a.year,
                        kind: a.kind,
                        budget_type: a.budget_type,
                        direction: a.direction,
                    };
                    self.ambiguity(
                        Field::AmountColumns,
                        vec![a.column, b.column],
                        true,
                        format!(
                            "De kolommen '{}' en '{}' lijken allebei {} {} te bevatten; geef aan wat elke kolom bevat.",
                            self.table.column_name(a.column),
                            self.table.column_name(b.column),
                            k.kind.label(),
                            k.year
                        ),
                    );
                }
            }
        }
    }
}
