//! The generated dataset: deterministic and plausible, not real. About 10,000 places (the
//! Vlaams Gewest, 5 provinces, 300 municipalities among which the 13 centrumsteden and Brussel
//! for the VGC, 140 wijken, 9,600 statistical sectors of which 3,000 in Gent), 500 indicators
//! over 10 years: 87 at every level (sector up to region) and 413 at municipality, province
//! and region level only, which makes 10.0 million values. Plus 10 indicators for the import
//! of a million values, and the display geometry of Gent's 3,000 sectors.

use steden_cijfers::demo::{CITIES, FLANDERS_CODE};
use steden_cijfers::model::GeoLevel;

pub const FIRST_YEAR: i32 = 2016;
pub const YEARS: usize = 10;
/// Indicators with a value for every place, sectors included.
pub const SECTOR_INDICATORS: usize = 87;
/// Indicators with a value for municipalities, provinces and the region only.
pub const MUNICIPAL_INDICATORS: usize = 413;
/// The indicators of the import of a million values.
pub const IMPORT_INDICATORS: usize = 10;
pub const GENT: &str = "44021";
pub const GENT_SECTORS: usize = 3_000;

#[derive(Debug, Clone)]
pub struct Place {
    pub level: GeoLevel,
    pub code: String,
    pub name: String,
    pub municipality: Option<String>,
}

/// The places in the order they are stored (region, provinces, municipalities, wijken,
/// sectors).
pub fn places() -> Vec<Place> {
    let mut out = vec![Place {
        level: GeoLevel::Gewest,
        code: FLANDERS_CODE.into(),
        name: "Vlaams Gewest".into(),
        municipality: None,
    }];
    for (code, name) in [
        ("10000", "Provincie Antwerpen"),
        ("20001", "Provincie Vlaams-Brabant"),
        ("30000", "Provincie West-Vlaanderen"),
        ("40000", "Provincie Oost-Vlaanderen"),
        ("70000", "Provincie Limburg"),
    ] {
        out.push(Place {
            level: GeoLevel::Provincie,
            code: code.into(),
            name: name.into(),
            municipality: None,
        });
    }
    let mut municipalities: Vec<(String, String)> = CITIES
        .iter()
        .map(|(code, name, _)| (code.to_string(), name.to_string()))
        .collect();
    for i in 0..286 {
        let province = [1, 2, 3, 4, 7][i % 5];
        municipalities.push((
            format!("{province}{:04}", 8000 + i),
            format!("Gemeente {}", i + 1),
        ));
    }
    for (code, name) in &municipalities {
        out.push(Place {
            level: GeoLevel::Gemeente,
            code: code.clone(),
            name: name.clone(),
            municipality: None,
        });
    }
    for (code, name, _) in CITIES {
        for w in 0..10 {
            out.push(Place {
                level: GeoLevel::Wijk,
                code: format!("{code}W{w:02}"),
                name: format!("{name} wijk {}", w + 1),
                municipality: Some(code.to_string()),
            });
        }
    }
    for (n, (code, name)) in municipalities.iter().enumerate() {
        let count = match code.as_str() {
            GENT => GENT_SECTORS,
            "11002" => 1_200,
            _ if n < CITIES.len() => 150,
            // 3,600 sectors over the other 286 municipalities
            _ if n - CITIES.len() < 168 => 13,
            _ => 12,
        };
        for k in 0..count {
            let letter = char::from(b'A' + u8::try_from((k / 100) % 26).unwrap_or(0));
            let suffix = match k / 2600 {
                0 => "-".to_string(),
                s => s.to_string(),
            };
            out.push(Place {
                level: GeoLevel::Sector,
                code: format!("{code}{letter}{:02}{suffix}", k % 100),
                name: format!("{name} sector {}", k + 1),
                municipality: Some(code.clone()),
            });
        }
    }
    out
}

/// Whether the place has values of the municipal-level indicators.
pub fn municipal_level(level: GeoLevel) -> bool {
    matches!(
        level,
        GeoLevel::Gewest | GeoLevel::Provincie | GeoLevel::Gemeente
    )
}

/// An indicator: code, whether it reaches down to sectors.
pub fn indicators() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for i in 1..=SECTOR_INDICATORS {
        out.push((format!("bench_s{i:03}"), true));
    }
    for i in 1..=MUNICIPAL_INDICATORS {
        out.push((format!("bench_g{i:03}"), false));
    }
    out
}

pub fn import_codes() -> Vec<String> {
    (1..=IMPORT_INDICATORS)
        .map(|i| format!("bench_imp{i:02}"))
        .collect()
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The value of indicator `ind` for place `place` in year index `year` (0 = FIRST_YEAR), and
/// whether the source delivered it suppressed (about 1 % of sector values: no number).
pub fn value(ind: usize, place: usize, level: GeoLevel, year: usize) -> (Option<f64>, bool) {
    let h = mix((ind as u64) << 32 | place as u64);
    let scale = match level {
        GeoLevel::Gewest => 6_800_000.0,
        GeoLevel::Provincie => 1_300_000.0,
        GeoLevel::Gemeente => 25_000.0,
        GeoLevel::Wijk => 8_000.0,
        GeoLevel::Sector => 700.0,
    };
    let share = 0.02 + (h % 1000) as f64 / 1000.0 * 0.5;
    let trend = 1.0 + ((h >> 20) % 40) as f64 / 1000.0 - 0.02;
    let v = scale * share * trend.powi(year as i32);
    let suppressed = level == GeoLevel::Sector && mix(h ^ year as u64) % 100 == 0;
    if suppressed {
        (None, true)
    } else {
        (Some((v * 10.0).round() / 10.0), false)
    }
}

/// The display geometry (GeoJSON Polygon, WGS84, as the store keeps it after an upload) of
/// Gent's sector `k`: a cell of a 60 × 50 grid around the city, its borders pushed a little
/// off the straight line (29 positions a ring).
pub fn gent_sector_geometry(k: usize) -> String {
    let (col, row) = ((k % 60) as f64, (k / 60) as f64);
    let (x0, y0, dx, dy) = (3.66, 51.02, 0.0025, 0.0016);
    let corner = |c: f64, r: f64| (x0 + c * dx, y0 + r * dy);
    let corners = [
        corner(col, row),
        corner(col + 1.0, row),
        corner(col + 1.0, row + 1.0),
        corner(col, row + 1.0),
    ];
    let mut ring = Vec::new();
    for i in 0..4 {
        let (ax, ay) = corners[i];
        let (bx, by) = corners[(i + 1) % 4];
        for step in 0..7 {
            let t = f64::from(step) / 7.0;
            let (x, y) = (ax + (bx - ax) * t, ay + (by - ay) * t);
            // the same push for the same point, so neighbours share their border
            let wobble = (((x * 1e5).round() as i64 * 7 + (y * 1e5).round() as i64 * 13)
                .rem_euclid(40) as f64
                - 20.0)
                * 1e-6;
            let (x, y) = if step == 0 {
                (x, y)
            } else if ay == by {
                (x, y + wobble)
            } else {
                (x + wobble, y)
            };
            ring.push(format!("[{x:.6},{y:.6}]"));
        }
    }
    ring.push(ring[0].clone());
    format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
        ring.join(",")
    )
}

/// The Swing bulk file of the import: `period;geolevel;geoitem;<10 codes>`, a line per place
/// and year (100,460 lines, 1,004,600 values), with a decimal point.
pub fn import_file(places: &[Place]) -> Vec<u8> {
    let codes = import_codes();
    // BENCH_IMPORT_STARS=0: the suppressed cells as numbers (no '*'), see bench/README.md
    let stars = std::env::var("BENCH_IMPORT_STARS").map_or(true, |v| v != "0");
    let mut out = String::with_capacity(12 * 1024 * 1024);
    out.push_str("period;geolevel;geoitem");
    for code in &codes {
        out.push(';');
        out.push_str(code);
    }
    out.push('\n');
    for year in 0..YEARS {
        for (p, place) in places.iter().enumerate() {
            out.push_str(&format!(
                "{};{};{}",
                FIRST_YEAR + year as i32,
                place.level.as_str(),
                place.code
            ));
            for i in 0..codes.len() {
                match value(10_000 + i, p, place.level, year) {
                    (Some(v), _) => out.push_str(&format!(";{v}")),
                    (None, _) if stars => out.push_str(";*"),
                    (None, _) => out.push_str(";1.0"),
                }
            }
            out.push('\n');
        }
    }
    out.into_bytes()
}
