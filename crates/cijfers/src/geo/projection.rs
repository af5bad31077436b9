//! The three projections Belgian geometry comes in, how a file says which one it uses (the
//! GeoJSON `crs` member, the shapefile's .prj text), the extent of Belgium in each, and the
//! reprojection to WGS84 with proj4rs (a pure-Rust port of PROJ).

use proj4rs::proj::Proj;

/// A projection the platform reads. Anything else is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Belgian Lambert 72 on the Belgian Datum 72 (EPSG:31370), metres.
    Lambert72,
    /// Belgian Lambert 2008 on ETRS89 (EPSG:3812), metres.
    Lambert2008,
    /// WGS84 longitude and latitude in degrees (EPSG:4326, GeoJSON's default).
    Wgs84,
}

/// The names of the accepted projections, for messages.
pub const ACCEPTED: &str = "Lambert 72 (EPSG:31370), Lambert 2008 (EPSG:3812) of WGS84 (EPSG:4326)";

impl Projection {
    pub const ALL: [Projection; 3] = [
        Projection::Lambert72,
        Projection::Lambert2008,
        Projection::Wgs84,
    ];

    /// The EPSG code.
    pub fn epsg(self) -> u32 {
        match self {
            Projection::Lambert72 => 31370,
            Projection::Lambert2008 => 3812,
            Projection::Wgs84 => 4326,
        }
    }

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Projection::Lambert72 => "Lambert 72 (EPSG:31370)",
            Projection::Lambert2008 => "Lambert 2008 (EPSG:3812)",
            Projection::Wgs84 => "WGS84 (EPSG:4326)",
        }
    }

    /// The projection with this EPSG code, if it is one we read.
    pub fn from_epsg(code: u32) -> Option<Projection> {
        Self::ALL.into_iter().find(|p| p.epsg() == code)
    }

    /// A projection as a user states it: `EPSG:31370`, `31370`, `urn:ogc:def:crs:EPSG::3812`
    /// or `CRS84`.
    pub fn from_code(text: &str) -> Result<Projection, String> {
        let lower = text.trim().to_ascii_lowercase();
        if lower.ends_with("crs84") || lower == "wgs84" {
            return Ok(Projection::Wgs84);
        }
        let digits: String = lower
            .rsplit(':')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match digits.parse::<u32>().ok().and_then(Projection::from_epsg) {
            Some(p) => Ok(p),
            None => Err(format!(
                "De projectie '{}' wordt niet ondersteund. Aanvaard: {ACCEPTED}.",
                shorten(text.trim())
            )),
        }
    }

    /// The projection a GeoJSON `crs` member names (the 2008 GeoJSON specification; RFC 7946
    /// dropped the member and always means WGS84).
    pub fn from_geojson_crs(crs: &serde_json::Value) -> Result<Projection, String> {
        let properties = crs.get("properties");
        let kind = crs.get("type").and_then(|t| t.as_str()).unwrap_or("");
        match kind.to_ascii_lowercase().as_str() {
            "name" => match properties.and_then(|p| p.get("name")).and_then(|n| n.as_str()) {
                Some(name) => Projection::from_code(name),
                None => Err("Het 'crs'-lid van het GeoJSON-bestand heeft geen naam.".to_string()),
            },
            "epsg" => match properties.and_then(|p| p.get("code")).and_then(|c| c.as_u64()) {
                Some(code) => u32::try_from(code)
                    .ok()
                    .and_then(Projection::from_epsg)
                    .ok_or_else(|| {
                        format!("De projectie EPSG:{code} wordt niet ondersteund. Aanvaard: {ACCEPTED}.")
                    }),
                None => Err("Het 'crs'-lid van het GeoJSON-bestand heeft geen EPSG-code.".to_string()),
            },
            _ => Err(format!(
                "Het 'crs'-lid van het GeoJSON-bestand wordt niet begrepen. Aanvaard: {ACCEPTED}."
            )),
        }
    }

    /// The projection a shapefile's .prj file (ESRI or OGC WKT) describes.
    pub fn from_prj(text: &str) -> Result<Projection, String> {
        let trimmed = text.trim().trim_start_matches('\u{feff}');
        let lower = trimmed.to_ascii_lowercase();
        let compact: String = lower
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let projected = lower.starts_with("projcs") || lower.starts_with("projcrs");
        let geographic = lower.starts_with("geogcs") || lower.starts_with("geogcrs");
        let found = if projected {
            if compact.contains("lambert2008") {
                Some(Projection::Lambert2008)
            } else if compact.contains("lambert72") || compact.contains("lambert1972") {
                Some(Projection::Lambert72)
            } else {
                last_epsg_authority(&lower).and_then(Projection::from_epsg)
            }
        } else if geographic && (compact.contains("wgs84") || compact.contains("wgs1984")) {
            Some(Projection::Wgs84)
        } else {
            None
        };
        found.filter(|p| !(projected && *p == Projection::Wgs84)).ok_or_else(|| {
            let name = wkt_name(trimmed).unwrap_or("onbekend");
            format!(
                "De projectie in het .prj-bestand ('{}') wordt niet ondersteund. Aanvaard: {ACCEPTED}.",
                shorten(name)
            )
        })
    }

    /// A generous box around Belgium in this projection: (min x, min y, max x, max y).
    /// Coordinates outside it mean the file is in another projection than stated.
    pub fn belgium_extent(self) -> (f64, f64, f64, f64) {
        match self {
            // Belgium spans about x 17 to 297 km and y 20 to 245 km in Lambert 72; the lower
            // bound also keeps degrees (WGS84 read as Lambert) out.
            Projection::Lambert72 => (10_000.0, 10_000.0, 320_000.0, 270_000.0),
            // Lambert 2008's false origin lies about 500 km further on both axes.
            Projection::Lambert2008 => (480_000.0, 480_000.0, 820_000.0, 780_000.0),
            // 2.5 to 6.4 degrees east, 49.5 to 51.5 degrees north.
            Projection::Wgs84 => (2.3, 49.3, 6.6, 51.7),
        }
    }

    /// Whether a box (min x, min y, max x, max y) lies within Belgium's extent.
    pub fn fits(self, bbox: (f64, f64, f64, f64)) -> bool {
        let (x0, y0, x1, y1) = self.belgium_extent();
        bbox.0 >= x0 && bbox.1 >= y0 && bbox.2 <= x1 && bbox.3 <= y1
    }

    /// The projection in whose Belgian extent a box lies (the three extents do not overlap).
    pub fn guess(bbox: (f64, f64, f64, f64)) -> Option<Projection> {
        Self::ALL.into_iter().find(|p| p.fits(bbox))
    }

    fn proj_string(self) -> &'static str {
        match self {
            // EPSG:31370 with the BD72 to WGS 84 (3) transformation (EPSG:15929) that PROJ
            // chooses by default, as +towgs84 in the position-vector convention (PROJ's
            // coordinate-frame rotations with the opposite sign).
            Projection::Lambert72 => concat!(
                "+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 ",
                "+lat_2=49.8333339 +x_0=150000.013 +y_0=5400088.438 +ellps=intl ",
                "+towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 ",
                "+units=m +no_defs"
            ),
            // ETRS89 and WGS84 agree within a metre in Belgium; PROJ uses a null shift too.
            Projection::Lambert2008 => concat!(
                "+proj=lcc +lat_0=50.797815 +lon_0=4.35921583333333 +lat_1=49.8333333333333 ",
                "+lat_2=51.1666666666667 +x_0=649328 +y_0=665262 +ellps=GRS80 ",
                "+towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            ),
            Projection::Wgs84 => "+proj=longlat +datum=WGS84 +no_defs",
        }
    }
}

/// Turns coordinates of one projection into WGS84 longitude and latitude in degrees.
pub struct Reprojector {
    source: Option<Proj>,
    target: Proj,
}

impl Reprojector {
    pub fn new(from: Projection) -> Result<Reprojector, String> {
        let parse = |p: Projection| {
            Proj::from_proj_string(p.proj_string())
                .map_err(|e| format!("De projectie {} kon niet worden opgezet: {e}", p.label()))
        };
        let source = if from == Projection::Wgs84 {
            None
        } else {
            Some(parse(from)?)
        };
        Ok(Reprojector {
            source,
            target: parse(Projection::Wgs84)?,
        })
    }

    /// (longitude, latitude) in degrees for a point (x, y) of the source projection.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        let Some(source) = &self.source else {
            return Ok((x, y));
        };
        let mut point = (x, y, 0.0);
        proj4rs::transform::transform(source, &self.target, &mut point)
            .map_err(|e| format!("Het punt ({x}, {y}) kon niet worden omgezet naar WGS84: {e}"))?;
        let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
        if lon.is_finite() && lat.is_finite() {
            Ok((lon, lat))
        } else {
            Err(format!(
                "Het punt ({x}, {y}) kon niet worden omgezet naar WGS84."
            ))
        }
    }
}

/// The code of the last AUTHORITY["EPSG","…"] in a WKT text: in WKT1 the outermost object's
/// authority comes last.
fn last_epsg_authority(lower: &str) -> Option<u32> {
    let at = lower.rfind("authority[\"epsg\"")?;
    let rest = lower.get(at + "authority[\"epsg\"".len()..)?;
    let digits: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The name of the outermost WKT object: PROJCS["this name", …].
fn wkt_name(text: &str) -> Option<&str> {
    let start = text.find("[\"")? + 2;
    let rest = text.get(start..)?;
    rest.find('"').and_then(|end| rest.get(..end))
}

fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference pairs computed with pyproj 3.7.2 on PROJ 9.5.1 (`pip install pyproj`):
    //   Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True).transform(x, y)
    //   (PROJ's default operation, "BD72 to WGS 84 (3)"), and the same from "EPSG:3812".
    const LAMBERT72: [Pair; 5] = [
        ((150_000.0, 170_000.0), (4.368752141, 50.840411283)),
        ((104_000.0, 190_000.0), (3.713182645, 51.018375548)),
        ((255_000.0, 140_000.0), (5.850779352, 50.561286913)),
        ((22_000.0, 200_000.0), (2.541368407, 51.095938040)),
        ((250_000.0, 50_000.0), (5.756473330, 49.753161208)),
    ];
    const LAMBERT2008: [Pair; 5] = [
        ((649_328.0, 665_262.0), (4.359215833, 50.797815000)),
        ((650_000.0, 670_000.0), (4.368756586, 50.840407583)),
        ((600_000.0, 700_000.0), (3.654859795, 51.107981873)),
        ((700_000.0, 600_000.0), (5.069110462, 50.208916205)),
        ((560_000.0, 720_000.0), (3.078862188, 51.282932973)),
    ];

    /// Distance in metres between two nearby WGS84 points (local flat approximation, good to
    /// far better than a centimetre at these distances).
    fn metres((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
        let lat = ((lat1 + lat2) / 2.0).to_radians();
        let dx = (lon1 - lon2) * 111_320.0 * lat.cos();
        let dy = (lat1 - lat2) * 110_574.0;
        (dx * dx + dy * dy).sqrt()
    }

    /// ((x, y) in the projection, (longitude, latitude) from PROJ).
    type Pair = ((f64, f64), (f64, f64));

    fn check(projection: Projection, pairs: &[Pair]) {
        let reprojector = Reprojector::new(projection).unwrap();
        for &((x, y), expected) in pairs {
            let got = reprojector.to_wgs84(x, y).unwrap();
            let off = metres(got, expected);
            assert!(
                off < 1.0,
                "{projection:?} ({x}, {y}) -> {got:?}, expected {expected:?}: {off:.3} m off"
            );
        }
    }

    #[test]
    fn lambert72_agrees_with_proj_within_a_metre() {
        check(Projection::Lambert72, &LAMBERT72);
    }

    #[test]
    fn lambert2008_agrees_with_proj_within_a_metre() {
        check(Projection::Lambert2008, &LAMBERT2008);
    }

    #[test]
    fn wgs84_is_left_as_it_is() {
        let r = Reprojector::new(Projection::Wgs84).unwrap();
        assert_eq!(r.to_wgs84(4.4, 51.2).unwrap(), (4.4, 51.2));
    }

    #[test]
    fn codes_as_users_and_geojson_write_them() {
        assert_eq!(
            Projection::from_code("EPSG:31370"),
            Ok(Projection::Lambert72)
        );
        assert_eq!(Projection::from_code(" 3812 "), Ok(Projection::Lambert2008));
        assert_eq!(
            Projection::from_code("urn:ogc:def:crs:EPSG::31370"),
            Ok(Projection::Lambert72)
        );
        assert_eq!(
            Projection::from_code("urn:ogc:def:crs:OGC:1.3:CRS84"),
            Ok(Projection::Wgs84)
        );
        let refused = Projection::from_code("EPSG:25831").unwrap_err();
        assert!(refused.contains("niet ondersteund"), "{refused}");
        let crs = serde_json::json!({"type": "name", "properties": {"name": "EPSG:3812"}});
        assert_eq!(
            Projection::from_geojson_crs(&crs),
            Ok(Projection::Lambert2008)
        );
        let old = serde_json::json!({"type": "EPSG", "properties": {"code": 31370}});
        assert_eq!(
            Projection::from_geojson_crs(&old),
            Ok(Projection::Lambert72)
        );
        let link = serde_json::json!({"type": "link", "properties": {"href": "x"}});
        assert!(Projection::from_geojson_crs(&link).is_err());
    }

    #[test]
    fn prj_texts_of_esri_and_ogc() {
        let esri72 = r#"PROJCS["Belge_Lambert_1972",GEOGCS["GCS_Belge_1972",DATUM["D_Belge_1972",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",150000.013],PARAMETER["False_Northing",5400088.438],PARAMETER["Central_Meridian",4.367486666666666],PARAMETER["Standard_Parallel_1",49.8333339],PARAMETER["Standard_Parallel_2",51.16666723333333],PARAMETER["Latitude_Of_Origin",90.0],UNIT["Meter",1.0]]"#;
        assert_eq!(Projection::from_prj(esri72), Ok(Projection::Lambert72));
        let ogc08 = r#"PROJCS["ETRS89 / Belgian Lambert 2008",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],UNIT["metre",1],AUTHORITY["EPSG","3812"]]"#;
        assert_eq!(Projection::from_prj(ogc08), Ok(Projection::Lambert2008));
        let by_code = r#"PROJCS["Some name",GEOGCS["x"],AUTHORITY["EPSG","31370"]]"#;
        assert_eq!(Projection::from_prj(by_code), Ok(Projection::Lambert72));
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(Projection::from_prj(wgs), Ok(Projection::Wgs84));
        let utm = r#"PROJCS["ETRS_1989_UTM_Zone_31N",GEOGCS["GCS_ETRS_1989"]]"#;
        let refused = Projection::from_prj(utm).unwrap_err();
        assert!(
            refused.contains("ETRS_1989_UTM_Zone_31N") && refused.contains("niet ondersteund"),
            "{refused}"
        );
    }

    #[test]
    fn extents_tell_the_projections_apart() {
        assert_eq!(
            Projection::guess((100_000.0, 150_000.0, 120_000.0, 160_000.0)),
            Some(Projection::Lambert72)
        );
        assert_eq!(
            Projection::guess((600_000.0, 650_000.0, 620_000.0, 660_000.0)),
            Some(Projection::Lambert2008)
        );
        assert_eq!(
            Projection::guess((4.3, 50.8, 4.5, 50.9)),
            Some(Projection::Wgs84)
        );
        // Latitude and longitude swapped.
        assert_eq!(Projection::guess((50.8, 4.3, 50.9, 4.5)), None);
    }
}
