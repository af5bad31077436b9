//! Belgian public holidays and the Flemish community day: a series may skip them (the meeting
//! moves one week later). Easter by the Gregorian computus, so no table needs updating.

use chrono::{Datelike, Days, NaiveDate};

/// A day on which the cities do not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    Nieuwjaar,
    Paasmaandag,
    DagVanDeArbeid,
    OnzeLieveHeerHemelvaart,
    Pinkstermaandag,
    VlaamseFeestdag,
    NationaleFeestdag,
    OnzeLieveVrouwHemelvaart,
    Allerheiligen,
    Wapenstilstand,
    Kerstmis,
}

impl Holiday {
    /// Its Dutch name, as the series preview says why a date moved.
    pub fn name(self) -> &'static str {
        match self {
            Holiday::Nieuwjaar => "Nieuwjaar",
            Holiday::Paasmaandag => "Paasmaandag",
            Holiday::DagVanDeArbeid => "Dag van de Arbeid",
            Holiday::OnzeLieveHeerHemelvaart => "Onze-Lieve-Heer-Hemelvaart",
            Holiday::Pinkstermaandag => "Pinkstermaandag",
            Holiday::VlaamseFeestdag => "Feestdag van de Vlaamse Gemeenschap",
            Holiday::NationaleFeestdag => "Nationale feestdag",
            Holiday::OnzeLieveVrouwHemelvaart => "Onze-Lieve-Vrouw-Hemelvaart",
            Holiday::Allerheiligen => "Allerheiligen",
            Holiday::Wapenstilstand => "Wapenstilstand",
            Holiday::Kerstmis => "Kerstmis",
        }
    }
}

/// Easter Sunday of `year` (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("the computus gives a date")
}

/// The holiday on `date`, if it is one.
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some(Holiday::Nieuwjaar),
        (5, 1) => Some(Holiday::DagVanDeArbeid),
        (7, 11) => Some(Holiday::VlaamseFeestdag),
        (7, 21) => Some(Holiday::NationaleFeestdag),
        (8, 15) => Some(Holiday::OnzeLieveVrouwHemelvaart),
        (11, 1) => Some(Holiday::Allerheiligen),
        (11, 11) => Some(Holiday::Wapenstilstand),
        (12, 25) => Some(Holiday::Kerstmis),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter(date.year());
    let after_easter = |days: u64| easter.checked_add_days(Days::new(days));
    if Some(date) == after_easter(1) {
        Some(Holiday::Paasmaandag)
    } else if Some(date) == after_easter(39) {
        Some(Holiday::OnzeLieveHeerHemelvaart)
    } else if Some(date) == after_easter(50) {
        Some(Holiday::Pinkstermaandag)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_and_its_movable_feasts_fall_on_the_known_dates() {
        assert_eq!(easter(2024), date(2024, 3, 31));
        assert_eq!(easter(2025), date(2025, 4, 20));
        assert_eq!(easter(2026), date(2026, 4, 5));
        assert_eq!(easter(2027), date(2027, 3, 28));
        assert_eq!(holiday_on(date(2026, 4, 6)), Some(Holiday::Paasmaandag));
        assert_eq!(
            holiday_on(date(2026, 5, 14)),
            Some(Holiday::OnzeLieveHeerHemelvaart)
        );
        assert_eq!(
            holiday_on(date(2026, 5, 25)),
            Some(Holiday::Pinkstermaandag)
        );
        assert_eq!(
            holiday_on(date(2026, 7, 11)),
            Some(Holiday::VlaamseFeestdag)
        );
        assert_eq!(holiday_on(date(2026, 7, 12)), None);
        assert_eq!(
            holiday_on(date(2026, 4, 5)),
            None,
            "Easter Sunday is a Sunday anyway"
        );
    }
}
