use super::*;

fn factor(id: &str, carrier: Carrier, kg: f64, from: &str, until: Option<&str>) -> Factor {
    Factor {
        id: id.into(),
        carrier,
        kg_co2_per_kwh: kg,
        valid_from: from.into(),
        valid_until: until.map(str::to_string),
        source: format!("bron {id}"),
        source_url: String::new(),
        demo: false,
    }
}

fn target(base: i32, year: i32, pct: f64) -> Target {
    Target {
        id: "t".into(),
        place_code: "44021".into(),
        label: "Proef".into(),
        base_year: base,
        target_year: year,
        reduction_pct: pct,
        source: String::new(),
        demo: false,
    }
}

fn energy(lines: &[(Sector, Carrier, i32, f64)]) -> Energy {
    let mut out = Energy::new();
    for (s, c, y, v) in lines {
        out.entry((*s, *c)).or_default().insert(*y, *v);
    }
    out
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn codes_name_a_sector_and_a_carrier() {
    let code = energy_code(Sector::Tertiair, Carrier::Aardgas);
    assert_eq!(code, "klimaat_energie_tertiair_aardgas");
    assert_eq!(
        parse_energy_code(&code),
        Some((Sector::Tertiair, Carrier::Aardgas))
    );
    assert_eq!(parse_energy_code("klimaat_energie_tertiair_hout"), None);
    assert_eq!(parse_energy_code("demo_co2"), None);
    assert_eq!(mwh_per_unit("kWh"), Some(0.001));
    assert_eq!(mwh_per_unit(" GWh "), Some(1000.0));
    assert_eq!(mwh_per_unit("ton"), None);
    assert_eq!(
        Carrier::Elektriciteit.label_key(),
        "cijfers-climate-carrier-elektriciteit"
    );
}

#[test]
fn the_factor_valid_on_the_first_of_january_applies() {
    let factors = [
        factor(
            "e1",
            Carrier::Elektriciteit,
            0.2,
            "2011-01-01",
            Some("2019-12-31"),
        ),
        factor("e2", Carrier::Elektriciteit, 0.15, "2020-01-01", None),
        // Starts mid-year: not yet valid on 1 January 2021.
        factor("g1", Carrier::Aardgas, 0.2, "2021-07-01", None),
    ];
    assert_eq!(
        factor_for(&factors, Carrier::Elektriciteit, 2019).map(|f| f.id.as_str()),
        Some("e1")
    );
    assert_eq!(
        factor_for(&factors, Carrier::Elektriciteit, 2020).map(|f| f.id.as_str()),
        Some("e2")
    );
    assert_eq!(
        factor_for(&factors, Carrier::Elektriciteit, 2040).map(|f| f.id.as_str()),
        Some("e2")
    );
    assert!(factor_for(&factors, Carrier::Elektriciteit, 2010).is_none());
    assert!(factor_for(&factors, Carrier::Aardgas, 2021).is_none());
    assert_eq!(
        factor_for(&factors, Carrier::Aardgas, 2022).map(|f| f.id.as_str()),
        Some("g1")
    );
    assert!(factor_for(&factors, Carrier::Diesel, 2022).is_none());
}

#[test]
fn validity_periods_overlap_when_they_share_a_day() {
    assert!(overlaps("2020-01-01", None, "2030-01-01", None));
    assert!(overlaps(
        "2020-01-01",
        Some("2020-12-31"),
        "2020-12-31",
        None
    ));
    assert!(!overlaps(
        "2020-01-01",
        Some("2020-12-31"),
        "2021-01-01",
        None
    ));
    assert!(!overlaps(
        "2022-01-01",
        None,
        "2010-01-01",
        Some("2021-12-31")
    ));
}

#[test]
fn emissions_are_energy_times_the_factor_of_the_year() {
    // Households: 1000 MWh electricity and 2000 MWh gas in 2015 and 2020; transport 500 MWh
    // diesel. Electricity 0.2 until 2019, 0.1 from 2020; gas 0.2; diesel 0.26.
    let factors = [
        factor(
            "e1",
            Carrier::Elektriciteit,
            0.2,
            "2010-01-01",
            Some("2019-12-31"),
        ),
        factor("e2", Carrier::Elektriciteit, 0.1, "2020-01-01", None),
        factor("g", Carrier::Aardgas, 0.2, "2010-01-01", None),
        factor("d", Carrier::Diesel, 0.26, "2010-01-01", None),
    ];
    let h = Sector::Huishoudens;
    let t = Sector::Transport;
    let input = energy(&[
        (h, Carrier::Elektriciteit, 2015, 1000.0),
        (h, Carrier::Aardgas, 2015, 2000.0),
        (t, Carrier::Diesel, 2015, 500.0),
        (h, Carrier::Elektriciteit, 2020, 1000.0),
        (h, Carrier::Aardgas, 2020, 1500.0),
        (t, Carrier::Diesel, 2020, 400.0),
    ]);
    let board = dashboard(&input, &factors, &[]);
    assert_eq!(board.rows.len(), 6, "2015 to 2020");
    assert_eq!(board.missing_years, vec![2016, 2017, 2018, 2019]);
    let y2015 = board.row(2015).unwrap();
    // 1000 × 0.2 + 2000 × 0.2 = 600 t; 500 × 0.26 = 130 t.
    assert!(close(y2015.emissions_by_sector[&h], 600.0));
    assert!(close(y2015.emissions_by_sector[&t], 130.0));
    assert!(close(y2015.emissions_total, 730.0));
    assert!(close(y2015.energy_total, 3500.0));
    assert!(close(y2015.energy_by_carrier[&Carrier::Aardgas], 2000.0));
    let y2020 = board.row(2020).unwrap();
    // 1000 × 0.1 + 1500 × 0.2 = 400 t; 400 × 0.26 = 104 t.
    assert!(close(y2020.emissions_total, 504.0));
    assert_eq!(y2020.factor_ids[&Carrier::Elektriciteit], "e2");
    let missing = board.row(2017).unwrap();
    assert!(!missing.has_data);
    assert_eq!(missing.emissions_total, None);
    assert_eq!(missing.energy_by_sector[&h], None);
    let used: Vec<&str> = board.factors_used.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(used, ["e1", "e2", "g", "d"]);
}

#[test]
fn a_missing_figure_or_factor_leaves_the_totals_unknown_and_says_which() {
    let factors = [
        factor("e", Carrier::Elektriciteit, 0.2, "2010-01-01", None),
        factor("g", Carrier::Aardgas, 0.2, "2010-01-01", Some("2020-12-31")),
    ];
    let h = Sector::Huishoudens;
    let i = Sector::Industrie;
    let input = energy(&[
        (h, Carrier::Elektriciteit, 2020, 100.0),
        (h, Carrier::Aardgas, 2020, 100.0),
        (i, Carrier::Elektriciteit, 2020, 50.0),
        // 2021: industry's figure is missing, and gas has no factor any more.
        (h, Carrier::Elektriciteit, 2021, 100.0),
        (h, Carrier::Aardgas, 2021, 100.0),
    ]);
    let board = dashboard(&input, &factors, &[]);
    let row = board.row(2021).unwrap();
    assert_eq!(row.missing_series, vec![(i, Carrier::Elektriciteit)]);
    assert_eq!(row.missing_factors, vec![Carrier::Aardgas]);
    assert!(close(row.energy_by_sector[&h], 200.0));
    assert_eq!(row.energy_by_sector[&i], None);
    assert_eq!(row.energy_total, None);
    assert_eq!(row.emissions_by_sector[&h], None, "gas has no factor");
    assert_eq!(row.emissions_total, None);
    // What can be computed still is: electricity of the households.
    assert!(close(
        row.emissions.get(&(h, Carrier::Elektriciteit)).copied(),
        20.0
    ));
    assert!(close(board.row(2020).unwrap().emissions_total, 50.0));
}

#[test]
fn progress_follows_the_straight_line_from_base_to_goal() {
    // 1000 t in 2010, −40 % by 2030: goal 600 t, 20 t less a year on the line.
    let factors = [factor("g", Carrier::Aardgas, 0.2, "2000-01-01", None)];
    let h = Sector::Huishoudens;
    let input = energy(&[
        (h, Carrier::Aardgas, 2010, 5000.0),
        (h, Carrier::Aardgas, 2020, 4100.0), // 820 t: the line is at 800 t
        (h, Carrier::Aardgas, 2021, 3900.0), // 780 t: the line is at 780 t
    ]);
    let board = dashboard(&input, &factors, &[target(2010, 2030, 40.0)]);
    let p = &board.progress[0];
    assert!(close(p.base, 1000.0));
    assert!(close(p.goal, 600.0));
    assert_eq!(p.rows.first().map(|r| r.year), Some(2010));
    assert_eq!(p.rows.last().map(|r| r.year), Some(2030));
    let row2020 = p.rows.iter().find(|r| r.year == 2020).unwrap();
    assert!(close(row2020.trajectory, 800.0));
    assert!(close(row2020.change_pct, -18.0));
    assert_eq!(row2020.on_track, Some(false));
    let latest = p.latest.as_ref().unwrap();
    assert_eq!(latest.year, 2021);
    assert!(close(latest.trajectory, 780.0));
    assert_eq!(
        latest.on_track,
        Some(true),
        "on the line counts as on track"
    );
    assert_eq!(p.status, TargetStatus::OnTrack);
    let row2015 = p.rows.iter().find(|r| r.year == 2015).unwrap();
    assert_eq!(row2015.actual, None);
    assert!(close(row2015.trajectory, 900.0));
    assert!(close(p.rows.last().unwrap().trajectory, 600.0));

    // Off track with a harder target: −55 % → goal 450 t, line in 2021 at 1000 − 550 × 11/20.
    let hard = progress(&target(2010, 2030, 55.0), &board.rows);
    assert!(close(
        hard.latest.as_ref().unwrap().trajectory,
        1000.0 - 550.0 * 11.0 / 20.0
    ));
    assert_eq!(hard.status, TargetStatus::OffTrack);
}

#[test]
fn a_target_without_a_base_year_total_says_so() {
    let factors = [factor("g", Carrier::Aardgas, 0.2, "2000-01-01", None)];
    let input = energy(&[(Sector::Huishoudens, Carrier::Aardgas, 2020, 100.0)]);
    let board = dashboard(&input, &factors, &[target(2011, 2030, 40.0)]);
    let p = &board.progress[0];
    assert_eq!(p.base, None);
    assert_eq!(p.goal, None);
    assert_eq!(p.status, TargetStatus::BaseMissing);
    assert!(p.rows.iter().all(|r| r.trajectory.is_none()));
    // Only the base year: nothing later to compare.
    let only_base = dashboard(&input, &factors, &[target(2020, 2030, 40.0)]);
    assert_eq!(only_base.progress[0].status, TargetStatus::NoLaterData);
    // No figures at all.
    let empty = dashboard(&Energy::new(), &factors, &[target(2020, 2030, 40.0)]);
    assert!(empty.rows.is_empty());
    assert_eq!(empty.progress[0].status, TargetStatus::BaseMissing);
}
