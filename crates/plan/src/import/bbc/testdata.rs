//! Realistic BBC overview exports of any size, for tests and benchmarks (feature `testdata`).
//!
//! A generated file has the BD → AP → AC tree of a large city (about 30 BDs, 300 APs and 2,700
//! acties for 12,000 lines), several budget lines per actie (exploitatie/investering,
//! uitgaven/ontvangsten), raming amounts for 2026–2031 written in all the Belgian ways the
//! parser accepts, some OCMW acties, long and special-character titles, optional title lines
//! above the header; and it says what a correct import must find ([`Expected`]).

use std::collections::BTreeMap;

use super::amount::{format_amount, Cents};
use super::model::{AmountKey, BudgetType, Direction, Kind};

/// One amount per year in the wide layout, one line per year in the long layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenLayout {
    Wide,
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Data lines (title lines, blank line and header not counted).
    pub lines: usize,
    pub layout: GenLayout,
    /// Two title lines and a blank line above the header, as some exports have.
    pub title_lines: bool,
    /// "AP01.01" instead of "AP0101".
    pub dotted_codes: bool,
    pub seed: u64,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            lines: 500,
            layout: GenLayout::Wide,
            title_lines: false,
            dotted_codes: false,
            seed: 2026,
        }
    }
}

/// A cell as generated: text, or an amount with its text and exact value (written as a number
/// to XLSX), or a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Amount { text: String, cents: Option<Cents> },
    Year(i32),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) | Cell::Amount { text: t, .. } => t.clone(),
            Cell::Year(y) => y.to_string(),
        }
    }
}

/// What a correct import of the generated file finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    pub beleidsdoelstellingen: usize,
    pub actieplannen: usize,
    pub acties: usize,
    /// Acties of entiteit OCMW.
    pub ocmw_acties: usize,
    /// The sum of the amounts on lines of an actieplan without actie.
    pub actieplan_own_total: Cents,
    /// Acties whose title is longer than BBC's 100 characters.
    pub long_titles: usize,
    /// The sum of all amounts per key.
    pub totals: BTreeMap<AmountKey, Cents>,
    /// Title of every generated item by code, to compare texts (accents, quotes, separators).
    pub titles: BTreeMap<String, String>,
    /// Internal code of every actie by actie code.
    pub internal_codes: BTreeMap<String, String>,
    /// Line (1-based, as Excel shows it) of the first data line.
    pub first_data_line: usize,
}

/// A generated export: all rows (title lines, blank line, header, data) and what to expect.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every row as it appears in the file; a blank line is an empty row.
    pub rows: Vec<Vec<Cell>>,
    /// 1-based line of the header.
    pub header_line: usize,
    pub expected: Expected,
}

pub const YEARS: std::ops::RangeInclusive<i32> = 2026..=2031;

const BD_TITLES: &[&str] = &[
    "Een veilige en leefbare stad",
    "Een stad die zorgt voor wie het moeilijk heeft",
    "Een klimaatneutrale stad in 2050",
    "Een bruisende stad voor cultuur, sport en vrije tijd",
    "Kinderen en jongeren krijgen alle kansen",
    "Een stad met een sterke economie en werk voor iedereen",
    "Een bereikbare stad: fiets, tram en trein eerst",
    "Betaalbaar en kwaliteitsvol wonen",
    "Een financieel gezonde en efficiënte organisatie",
    "Samenleven in diversiteit — één stad voor iedereen",
    "Groene en blauwe ruimte in elke wijk",
    "Een digitale stad die niemand achterlaat",
];

const AP_SUBJECTS: &[&str] = &[
    "de wijkwerking",
    "het cultuurbeleid",
    "de sociale dienstverlening",
    "de energierenovatie van woningen",
    "het fietsnetwerk",
    "de kinderopvang",
    "de lokale economie",
    "het onderhoud van het patrimonium",
    "de financiële rapportering",
    "de integratie van nieuwkomers",
    "het groenbeheer",
    "de dienstverlening aan het loket",
    "de coöperatieve energieprojecten",
    "het café- en terrassenbeleid",
];

const AP_VERBS: &[&str] = &[
    "We versterken",
    "We vernieuwen",
    "We ondersteunen",
    "We breiden uit:",
    "We verbeteren",
    "We stemmen af:",
];

const AC_ACTIONS: &[&str] = &[
    "Renovatie van",
    "Aanleg van",
    "Subsidiereglement voor",
    "Werking van",
    "Onderhoud van",
    "Studie naar",
    "Aankoop van materiaal voor",
    "Personeelsinzet voor",
];

const AC_OBJECTS: &[&str] = &[
    "sporthal De Kring",
    "het stadspark",
    "buurthuis 't Pleintje",
    "de jeugdlokalen",
    "het zwembad",
    "de stedelijke bibliotheek",
    "het woonzorgcentrum Ter Linde",
    "de fietsostrade naar het station",
    "het dienstencentrum",
    "de kunstacademie",
    "het archief",
    "de speelpleinwerking",
];

const DIENSTEN: &[&str] = &[
    "Dienst Stedenbouw",
    "Financiën",
    "Jeugddienst",
    "Sociale dienst",
    "Cultuur en Erfgoed",
    "Sportdienst",
    "Mobiliteit",
    "Facility management",
    "Wonen",
    "Milieu & Klimaat",
    "Economie en Werk",
    "ICT",
    "Personeel en Organisatie",
    "Groendienst",
    "Burgerzaken",
];

const BUDGET_LINES: &[(BudgetType, Direction)] = &[
    (BudgetType::Exploitatie, Direction::Uitgaven),
    (BudgetType::Exploitatie, Direction::Uitgaven),
    (BudgetType::Exploitatie, Direction::Ontvangsten),
    (BudgetType::Investering, Direction::Uitgaven),
    (BudgetType::Investering, Direction::Ontvangsten),
    (BudgetType::Financiering, Direction::Uitgaven),
];

/// A small, fast, deterministic random source (xorshift64*), so no dependency is needed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Generates an export with `options.lines` data lines.
pub fn generate(options: &GenOptions) -> Generated {
    Generator::new(options).run()
}

struct Generator<'o> {
    options: &'o GenOptions,
    rng: Rng,
    rows: Vec<Vec<Cell>>,
    expected: Expected,
    data_lines: usize,
}

/// The item a line belongs to; `emitted` once a line of it is written.
struct Node {
    code: String,
    title: String,
    emitted: bool,
}

impl<'o> Generator<'o> {
    fn new(options: &'o GenOptions) -> Self {
        Generator {
            options,
            rng: Rng::new(options.seed),
            rows: Vec::new(),
            expected: Expected::default(),
            data_lines: 0,
        }
    }

    fn done(&self) -> bool {
        self.data_lines >= self.options.lines
    }

    fn run(mut self) -> Generated {
        if self.options.title_lines {
            self.rows.push(vec![Cell::Text(
                "Overzicht van alle beleidsdoelstellingen, actieplannen en acties met ramingen"
                    .into(),
            )]);
            self.rows.push(vec![Cell::Text(
                "Voorbeeldstad — meerjarenplan 2026-2031 (gegenereerd testbestand)".into(),
            )]);
            self.rows.push(Vec::new());
        }
        self.rows.push(self.header());
        let header_line = self.rows.len();
        self.expected.first_data_line = header_line + 1;

        let mut bd_n = 0u64;
        let mut action_seq = 0u64;
        while !self.done() {
            bd_n += 1;
            let mut bd = Node {
                code: format!("BD{bd_n:02}"),
                title: BD_TITLES[(bd_n as usize - 1) % BD_TITLES.len()].to_string(),
                emitted: false,
            };
            let aps = self.rng.range(5, 15);
            for ap_n in 1..=aps {
                if self.done() {
                    break;
                }
                let mut ap = Node {
                    code: if self.options.dotted_codes {
                        format!("AP{bd_n:02}.{ap_n:02}")
                    } else {
                        format!("AP{bd_n:02}{ap_n:02}")
                    },
                    title: format!("{} {}", self.rng.pick(AP_VERBS), self.rng.pick(AP_SUBJECTS)),
                    emitted: false,
                };
                // Some actieplannen carry amounts of their own, on a line without actie.
                if self.rng.chance(3) {
                    self.budget_line(
                        &mut bd,
                        &mut ap,
                        None,
                        "Stad",
                        (BudgetType::Exploitatie, Direction::Uitgaven),
                    );
                }
                let acs = self.rng.range(2, 15);
                for ac_n in 1..=acs {
                    if self.done() {
                        break;
                    }
                    action_seq += 1;
                    let mut title = format!(
                        "{} {}",
                        self.rng.pick(AC_ACTIONS),
                        self.rng.pick(AC_OBJECTS)
                    );
                    if action_seq.is_multiple_of(53) {
                        title.push_str(
                            " in samenwerking met de buurtbewoners, de scholen, de lokale handelaars en de vzw's uit de wijk, gespreid over de volledige legislatuur",
                        );
                    } else if action_seq.is_multiple_of(41) {
                        title.push_str("; fase 2 (\"kernversterking\")");
                    }
                    let ac = Action {
                        node: Node {
                            code: if self.options.dotted_codes {
                                format!("AC{bd_n:02}.{ap_n:02}.{ac_n:02}")
                            } else {
                                format!("AC{bd_n:02}{ap_n:02}{ac_n:02}")
                            },
                            title,
                            emitted: false,
                        },
                        internal: format!("MJP{:06}", 4000 + action_seq),
                        dienst: self.rng.pick(DIENSTEN).to_string(),
                        ocmw: self.rng.chance(10),
                    };
                    self.action(&mut bd, &mut ap, ac);
                }
            }
        }
        Generated {
            rows: self.rows,
            header_line,
            expected: self.expected,
        }
    }

    fn header(&self) -> Vec<Cell> {
        let t = |s: &str| Cell::Text(s.to_string());
        match self.options.layout {
            GenLayout::Wide => {
                let mut h = vec![
                    t("Entiteit"),
                    t("Beleidsdoelstelling"),
                    t("Omschrijving beleidsdoelstelling"),
                    t("Actieplan"),
                    t("Omschrijving actieplan"),
                    t("Actie"),
                    t("Omschrijving actie"),
                    t("Intern nummer"),
                    t("Dienst"),
                    t("Type"),
                    t("Uitgaven/ontvangsten"),
                ];
                h.extend(YEARS.map(|y| t(&format!("Raming {y}"))));
                h
            }
            GenLayout::Long => vec![
                t("Entiteit"),
                t("Beleidsdoelstelling"),
                t("Actieplan"),
                t("Actie"),
                t("Actiecode intern"),
                t("Dienst"),
                t("Type"),
                t("U/O"),
                t("Jaar"),
                t("Soort"),
                t("Bedrag"),
            ],
        }
    }

    fn action(&mut self, bd: &mut Node, ap: &mut Node, mut ac: Action) {
        let lines = match self.options.layout {
            GenLayout::Wide => self.rng.range(1, 6),
            GenLayout::Long => self.rng.range(1, 2),
        };
        let entity = if ac.ocmw { "OCMW" } else { "Stad" };
        for _ in 0..lines {
            if self.done() {
                break;
            }
            let budget_line = BUDGET_LINES[self.rng.below(BUDGET_LINES.len() as u64) as usize];
            self.budget_line(bd, ap, Some(&mut ac), entity, budget_line);
        }
    }

    /// Writes one budget line (wide: one row; long: one row per year).
    fn budget_line(
        &mut self,
        bd: &mut Node,
        ap: &mut Node,
        mut ac: Option<&mut Action>,
        entity: &str,
        (budget_type, direction): (BudgetType, Direction),
    ) {
        let t = |s: &str| Cell::Text(s.to_string());
        let type_text = match budget_type {
            BudgetType::Exploitatie => "Exploitatie",
            BudgetType::Investering => "Investering",
            BudgetType::Financiering => "Financiering",
        };
        let years: Vec<i32> = YEARS.collect();
        let mut amounts: Vec<(i32, Cell)> = Vec::new();
        for &year in &years {
            let cell = self.amount(direction);
            amounts.push((year, cell));
        }
        let (ac_code, ac_title, internal, dienst) = match ac.as_deref() {
            Some(a) => (
                a.node.code.clone(),
                a.node.title.clone(),
                a.internal.clone(),
                a.dienst.clone(),
            ),
            None => (String::new(), String::new(), String::new(), String::new()),
        };
        match self.options.layout {
            GenLayout::Wide => {
                let mut row = vec![
                    t(entity),
                    t(&bd.code),
                    t(&bd.title),
                    t(&ap.code),
                    t(&ap.title),
                    t(&ac_code),
                    t(&ac_title),
                    t(&internal),
                    t(&dienst),
                    t(type_text),
                    t(match direction {
                        Direction::Uitgaven => "Uitgaven",
                        Direction::Ontvangsten => "Ontvangsten",
                    }),
                ];
                for (year, cell) in amounts {
                    self.count_amount(year, budget_type, direction, &cell, ac.is_none());
                    row.push(cell);
                }
                self.push_data(row);
            }
            GenLayout::Long => {
                let combine = |code: &str, title: &str| {
                    if code.is_empty() {
                        String::new()
                    } else {
                        format!("{code} {title}")
                    }
                };
                for (year, cell) in amounts {
                    if self.done() {
                        break;
                    }
                    // Long exports leave out years without an amount.
                    if matches!(cell, Cell::Amount { cents: None, .. }) {
                        continue;
                    }
                    self.count_amount(year, budget_type, direction, &cell, ac.is_none());
                    let row = vec![
                        t(entity),
                        t(&combine(&bd.code, &bd.title)),
                        t(&combine(&ap.code, &ap.title)),
                        t(&combine(&ac_code, &ac_title)),
                        t(&internal),
                        t(&dienst),
                        t(type_text),
                        t(match direction {
                            Direction::Uitgaven => "U",
                            Direction::Ontvangsten => "O",
                        }),
                        Cell::Year(year),
                        t("Raming"),
                        cell,
                    ];
                    self.push_data(row);
                    self.mark(bd, ap, ac.as_deref_mut(), entity);
                }
                return;
            }
        }
        self.mark(bd, ap, ac, entity);
    }

    fn push_data(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
        self.data_lines += 1;
    }

    /// Counts the items of a line that was just written.
    fn mark(&mut self, bd: &mut Node, ap: &mut Node, ac: Option<&mut Action>, entity: &str) {
        if !bd.emitted {
            bd.emitted = true;
            self.expected.beleidsdoelstellingen += 1;
            self.expected
                .titles
                .insert(bd.code.clone(), bd.title.clone());
        }
        if !ap.emitted {
            ap.emitted = true;
            self.expected.actieplannen += 1;
            self.expected
                .titles
                .insert(ap.code.clone(), ap.title.clone());
        }
        if let Some(ac) = ac {
            if !ac.node.emitted {
                ac.node.emitted = true;
                self.expected.acties += 1;
                if entity == "OCMW" {
                    self.expected.ocmw_acties += 1;
                }
                if ac.node.title.chars().count() > 100 {
                    self.expected.long_titles += 1;
                }
                self.expected
                    .titles
                    .insert(ac.node.code.clone(), ac.node.title.clone());
                self.expected
                    .internal_codes
                    .insert(ac.node.code.clone(), ac.internal.clone());
            }
        }
    }

    fn count_amount(
        &mut self,
        year: i32,
        budget_type: BudgetType,
        direction: Direction,
        cell: &Cell,
        on_actieplan: bool,
    ) {
        if let Cell::Amount { cents: Some(c), .. } = cell {
            if on_actieplan {
                self.expected.actieplan_own_total += c;
            }
            let key = AmountKey {
                year,
                kind: Kind::Raming,
                budget_type: Some(budget_type),
                direction: Some(direction),
            };
            *self.expected.totals.entry(key).or_default() += c;
        }
    }

    /// An amount in one of the Belgian notations, or an empty cell.
    fn amount(&mut self, direction: Direction) -> Cell {
        let rng = &mut self.rng;
        if rng.chance(20) {
            return Cell::Amount {
                text: String::new(),
                cents: None,
            };
        }
        if rng.chance(5) {
            let text = if rng.chance(50) { "0" } else { "0,00" };
            return Cell::Amount {
                text: text.into(),
                cents: Some(0),
            };
        }
        let euros = match rng.below(10) {
            0..=5 => rng.range(500, 50_000),
            6..=8 => rng.range(50_000, 1_000_000),
            _ => rng.range(1_000_000, 25_000_000),
        } as i64;
        let cents_part = if rng.chance(50) {
            0
        } else {
            rng.below(100) as i64
        };
        let mut cents = euros * 100 + cents_part;
        // Corrections: a few negative amounts, more often on receipts.
        if rng.chance(if direction == Direction::Ontvangsten {
            6
        } else {
            2
        }) {
            cents = -cents;
        }
        let plain = format_amount(cents.abs());
        let body = match rng.below(20) {
            0 | 1 => plain.replace('.', ""),
            2 => format!("€ {plain}"),
            3 if cents_part == 0 => plain.trim_end_matches(",00").to_string(),
            _ => plain,
        };
        let text = if cents < 0 {
            if rng.chance(50) {
                format!("-{body}")
            } else {
                format!("({body})")
            }
        } else {
            body
        };
        Cell::Amount {
            text,
            cents: Some(cents),
        }
    }
}

struct Action {
    node: Node,
    internal: String,
    dienst: String,
    ocmw: bool,
}

impl Generated {
    /// The file as CSV with `delimiter`, CRLF line ends (as Excel writes them).
    pub fn to_csv(&self, delimiter: u8, encoding: GenEncoding) -> Vec<u8> {
        let mut out = Vec::new();
        // csv writes an empty record as `""`; Excel writes a blank line. So write the runs of
        // non-empty rows with csv and the blank lines by hand.
        for run in self.rows.split(Vec::is_empty).enumerate() {
            let (i, rows) = run;
            if i > 0 {
                out.extend_from_slice(b"\r\n");
            }
            let mut writer = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            for row in rows {
                writer
                    .write_record(row.iter().map(Cell::text))
                    .expect("writing to memory");
            }
            out.extend_from_slice(&writer.into_inner().expect("writing to memory"));
        }
        let text = String::from_utf8(out).expect("generated text is UTF-8");
        match encoding {
            GenEncoding::Utf8 => text.into_bytes(),
            GenEncoding::Utf8Bom => {
                let mut bytes = b"\xEF\xBB\xBF".to_vec();
                bytes.extend_from_slice(text.as_bytes());
                bytes
            }
            GenEncoding::Windows1252 => {
                let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
                assert!(!unmappable, "generated text fits Windows-1252");
                bytes.into_owned()
            }
        }
    }

    /// The file as XLSX: amounts as numbers (one in ten as Belgian text, as some exports mix
    /// them), years as numbers, blank line as an empty row.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Overzicht")?;
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        sheet.write_string(r, c, t)?;
                    }
                    Cell::Amount { text, cents } => match cents {
                        None => {}
                        Some(_) if (r as usize + c as usize).is_multiple_of(10) => {
                            sheet.write_string(r, c, text)?;
                        }
                        Some(v) => {
                            sheet.write_number(r, c, *v as f64 / 100.0)?;
                        }
                    },
                    Cell::Year(y) => {
                        sheet.write_number(r, c, f64::from(*y))?;
                    }
                }
            }
        }
        workbook.save_to_buffer()
    }
}
