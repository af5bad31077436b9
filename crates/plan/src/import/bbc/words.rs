//! The words that give a header or a cell its meaning, compared without case and accents.

use super::model::{BudgetType, Direction, Kind};

/// Lower case, accents folded, everything but letters and digits turned into spaces.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`] into a reused buffer (column detection folds every short cell).
pub(crate) fn fold_into(out: &mut String, s: &str) {
    out.clear();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            });
            continue;
        }
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.extend(c.to_lowercase());
    }
}

/// The folded words of `s`.
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split_whitespace()
}

pub(crate) fn has_word(folded: &str, any_of: &[&str]) -> bool {
    words(folded).any(|w| any_of.contains(&w))
}

pub(crate) fn has_word_starting(folded: &str, any_of: &[&str]) -> bool {
    words(folded).any(|w| any_of.iter().any(|p| w.starts_with(p)))
}

/// Raming, krediet or rekening, from a header ("Raming 2026", "Budget 2027") or a cell.
pub(crate) fn kind_in(folded: &str) -> Option<Kind> {
    words(folded).find_map(|w| match w {
        "raming" | "ramingen" | "geraamd" | "mjp" | "meerjarenplan" | "meerjarenraming" => {
            Some(Kind::Raming)
        }
        "krediet" | "kredieten" | "budget" | "budgetten" | "kredietbedrag" => Some(Kind::Krediet),
        "rekening" | "jaarrekening" | "realisatie" | "realisaties" | "gerealiseerd"
        | "aanrekening" | "aanrekeningen" | "werkelijk" => Some(Kind::Rekening),
        _ => None,
    })
}

/// Exploitatie, investering or financiering; also in compounds ("investeringsuitgaven").
pub(crate) fn budget_type_in(folded: &str) -> Option<BudgetType> {
    words(folded).find_map(|w| {
        if w.starts_with("exploitatie") || w == "expl" {
            Some(BudgetType::Exploitatie)
        } else if w.starts_with("investering") || w == "inv" {
            Some(BudgetType::Investering)
        } else if w.starts_with("financiering") || w == "fin" {
            Some(BudgetType::Financiering)
        } else {
            None
        }
    })
}

/// Uitgaven or ontvangsten; also in compounds ("exploitatieuitgaven").
pub(crate) fn direction_in(folded: &str) -> Option<Direction> {
    words(folded).find_map(|w| {
        if w.contains("uitgave") {
            Some(Direction::Uitgaven)
        } else if w.contains("ontvangst") {
            Some(Direction::Ontvangsten)
        } else {
            None
        }
    })
}

/// A budget type written as a whole cell, single letters included ("E", "I", "F").
pub(crate) fn budget_type_value(cell: &str) -> Option<BudgetType> {
    if cell.len() > 40 {
        return None;
    }
    budget_type_cell(cell.trim(), &fold(cell))
}

pub(crate) fn budget_type_cell(cell: &str, folded: &str) -> Option<BudgetType> {
    match cell {
        "E" | "e" => Some(BudgetType::Exploitatie),
        "I" | "i" => Some(BudgetType::Investering),
        "F" | "f" => Some(BudgetType::Financiering),
        _ => budget_type_in(folded),
    }
}

/// A direction written as a whole cell, single letters included ("U", "O").
pub(crate) fn direction_value(cell: &str) -> Option<Direction> {
    if cell.len() > 40 {
        return None;
    }
    direction_cell(cell.trim(), &fold(cell))
}

pub(crate) fn direction_cell(cell: &str, folded: &str) -> Option<Direction> {
    match cell {
        "U" | "u" => Some(Direction::Uitgaven),
        "O" | "o" => Some(Direction::Ontvangsten),
        _ => direction_in(folded),
    }
}

pub(crate) fn kind_value(cell: &str) -> Option<Kind> {
    if cell.len() > 40 {
        return None;
    }
    kind_in(&fold(cell))
}

/// The entity of a line: "Stad", "OCMW", "Stad Gent", "Gemeente Zele", "AGB Sport" — a short
/// cell that starts with the kind of entity (so that a title like "Een veilige stad" is none).
pub(crate) fn is_entity_folded(folded: &str) -> bool {
    let mut words = folded.split_whitespace();
    let first = words.next();
    words.count() <= 2
        && first.is_some_and(|w| {
            matches!(
                w,
                "stad"
                    | "ocmw"
                    | "gemeente"
                    | "politiezone"
                    | "agb"
                    | "apb"
                    | "ocmwvereniging"
                    | "vgc"
            )
        })
}

/// Years 1990–2100 written as their own word in a header ("Raming 2026", "2026 krediet").
pub(crate) fn years_in(folded: &str) -> Vec<i32> {
    words(folded)
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect()
}

/// A cell that is a year on its own ("2026").
pub(crate) fn year_value(cell: &str) -> Option<i32> {
    let cell = cell.trim();
    let cell = cell.strip_suffix(",0").unwrap_or(cell);
    if cell.len() != 4 {
        return None;
    }
    cell.parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_entity_value(cell: &str) -> bool {
        is_entity_folded(&fold(cell))
    }

    #[test]
    fn header_words() {
        assert_eq!(
            fold("Omschrijving Beleidsdoelstelling (BD)"),
            "omschrijving beleidsdoelstelling  bd "
        );
        assert_eq!(kind_in(&fold("Raming 2026")), Some(Kind::Raming));
        assert_eq!(kind_in(&fold("2027 krediet")), Some(Kind::Krediet));
        assert_eq!(kind_in(&fold("Realisatie 2025")), Some(Kind::Rekening));
        assert_eq!(
            budget_type_in(&fold("Investeringsuitgaven 2026")),
            Some(BudgetType::Investering)
        );
        assert_eq!(
            direction_in(&fold("Investeringsuitgaven 2026")),
            Some(Direction::Uitgaven)
        );
        assert_eq!(
            direction_in(&fold("Ontvangsten")),
            Some(Direction::Ontvangsten)
        );
        assert_eq!(years_in(&fold("Raming 2026")), vec![2026]);
        assert_eq!(years_in(&fold("MJP 2026-2031")), vec![2026, 2031]);
        assert!(years_in(&fold("Bedrag 12345")).is_empty());
    }

    #[test]
    fn cell_values() {
        assert!(is_entity_value("Stad"));
        assert!(is_entity_value("OCMW Gent"));
        assert!(!is_entity_value("Dienst Stedenbouw"));
        assert!(!is_entity_value("Een veilige stad"));
        assert!(!is_entity_value("Stad van de toekomst voor iedereen"));
        assert_eq!(direction_value("U"), Some(Direction::Uitgaven));
        assert_eq!(
            budget_type_value("Exploitatie"),
            Some(BudgetType::Exploitatie)
        );
        assert_eq!(kind_value("Krediet"), Some(Kind::Krediet));
        assert_eq!(year_value("2026"), Some(2026));
        assert_eq!(year_value("1234"), None);
    }
}
