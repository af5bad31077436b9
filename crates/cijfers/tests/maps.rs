//! Geometry uploads and the public map (cj-map), on both backends, with files made here in the
//! real formats (a zipped shapefile written by the shapefile crate, GeoJSON): upload → preview →
//! confirm stores the geometry; a ring that does not close, an unknown projection, an unknown
//! code and a sector of another municipality are refused per feature in Dutch with nothing
//! written; a Lambert 72 point lands on its known WGS84 coordinates; the map page never shows a
//! suppressed value.

use std::io::{Cursor, Write};

use shapefile::dbase::{self, FieldName, FieldValue, TableWriterBuilder};
use shapefile::record::polygon::PolygonRing;
use shapefile::{Point, Polygon, ShapeWriter};
use steden_cijfers::geo::{self, Projection};
use steden_cijfers::maps::upload::{self, GeometryUpload, UploadReport};
use steden_cijfers::model::{GeoLevel, Period, ValueStatus};
use steden_cijfers::store::{geo as places, geo_uploads, indicators, values};
use steden_core::policy::Actor;
use steden_core::role::Role;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_testkit::each_app_with;

use crate::common::{count, geography, login, migrations, modules, org_id, person};

const LAMBERT72_PRJ: &str = r#"PROJCS["Belge_Lambert_1972",GEOGCS["GCS_Belge_1972",DATUM["D_Belge_1972",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",150000.013],PARAMETER["False_Northing",5400088.438],PARAMETER["Central_Meridian",4.367486666666666],PARAMETER["Standard_Parallel_1",49.8333339],PARAMETER["Standard_Parallel_2",51.16666723333333],PARAMETER["Latitude_Of_Origin",90.0],UNIT["Meter",1.0]]"#;

/// A zipped shapefile (.shp, .shx, .dbf, .prj) of 1 km squares in Lambert 72, written with the
/// shapefile and dbase crates' writers: (code, name, x, y of the south-west corner).
fn zipped_shapefile(areas: &[(&str, &str, f64, f64)]) -> Vec<u8> {
    let mut shp = Cursor::new(Vec::new());
    let mut dbf = Cursor::new(Vec::new());
    {
        let mut shapes = ShapeWriter::new(&mut shp);
        let mut table = TableWriterBuilder::new()
            .add_character_field(FieldName::try_from("CD_SECTOR").unwrap(), 12)
            .add_character_field(FieldName::try_from("T_SEC_NL").unwrap(), 40)
            .build_with_dest(&mut dbf);
        for &(code, name, x, y) in areas {
            let ring = vec![
                Point::new(x, y),
                Point::new(x, y + 1000.0),
                Point::new(x + 1000.0, y + 1000.0),
                Point::new(x + 1000.0, y),
                Point::new(x, y),
            ];
            shapes
                .write_shape(&Polygon::with_rings(vec![PolygonRing::Outer(ring)]))
                .unwrap();
            let mut record = dbase::Record::default();
            record.insert("CD_SECTOR".into(), FieldValue::Character(Some(code.into())));
            record.insert("T_SEC_NL".into(), FieldValue::Character(Some(name.into())));
            table.write_record(&record).unwrap();
        }
        shapes.finalize().unwrap();
        table.finalize().unwrap();
    }
    let mut buffer = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in [
            ("sectoren.shp", shp.into_inner()),
            ("sectoren.dbf", dbf.into_inner()),
            ("sectoren.prj", LAMBERT72_PRJ.as_bytes().to_vec()),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    buffer.into_inner()
}

/// A GeoJSON FeatureCollection of polygons (code, ring), with a `crs` member when given.
fn geojson(crs: Option<&str>, features: &[(&str, Vec<[f64; 2]>)]) -> Vec<u8> {
    let features: Vec<serde_json::Value> = features
        .iter()
        .map(|(code, ring)| {
            serde_json::json!({
                "type": "Feature",
                "properties": {"CD_SECTOR": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]}
            })
        })
        .collect();
    let mut file = serde_json::json!({"type": "FeatureCollection", "features": features});
    if let Some(name) = crs {
        file["crs"] = serde_json::json!({"type": "name", "properties": {"name": name}});
    }
    file.to_string().into_bytes()
}

fn square(x: f64, y: f64, side: f64) -> Vec<[f64; 2]> {
    vec![
        [x, y],
        [x + side, y],
        [x + side, y + side],
        [x, y + side],
        [x, y],
    ]
}

/// Reads and previews a file as Kenniscentrum staff would (the system actor).
async fn preview(
    db: &Db,
    level: GeoLevel,
    municipality: &str,
    filename: &str,
    bytes: &[u8],
) -> (String, UploadReport) {
    let kenniscentrum = org_id(db, "kenniscentrum").await;
    let options = upload::read_options(level, "", "", "", "").unwrap();
    let prepared = upload::prepare(filename, bytes, &options);
    upload::preview(
        db,
        &Actor::System,
        &GeometryUpload {
            level,
            municipality_code: municipality,
            filename,
            bytes,
            organisation_id: &kenniscentrum,
            created_by: None,
        },
        prepared,
    )
    .await
    .unwrap()
}

async fn confirm(db: &Db, id: &str) -> Result<usize, steden_core::CoreError> {
    let stored = geo_uploads::find(db.pool(), id).await.unwrap().unwrap();
    upload::confirm(db, &stored, &Actor::System).await
}

async fn with_geometry(db: &Db) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM cijfers_geo_items WHERE geometry IS NOT NULL",
    )
    .await
}

#[tokio::test]
async fn a_zipped_shapefile_is_previewed_confirmed_and_stored() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let file = zipped_shapefile(&[
            ("44021A00-", "Centrum", 104_000.0, 194_000.0),
            ("44021A01-", "Sint-Michiels", 105_000.0, 194_000.0),
        ]);
        let (id, report) = preview(&db, GeoLevel::Sector, "44021", "sectoren.zip", &file).await;
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.features, 2);
        assert_eq!(report.sample[1].code, "44021A01-");
        // The sector of Gent the file lacks is named in the preview.
        assert_eq!(report.missing, ["44021B00-"]);
        // A preview writes no geometry.
        assert_eq!(with_geometry(&db).await, 0);
        let upload_row = geo_uploads::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(upload_row.source_epsg, 31370);

        assert_eq!(confirm(&db, &id).await.unwrap(), 2);
        assert_eq!(with_geometry(&db).await, 2);
        let text: String = sqlx::query_scalar(
            "SELECT geometry FROM cijfers_geo_items WHERE level = 'sector' AND code = '44021A00-'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let stored = geo::parse_geojson_text(&text).unwrap();
        let corner = stored.0[0].exterior().0[0];
        // In Gent, in degrees: reprojected, not Lambert metres.
        assert!(
            (3.6..3.8).contains(&corner.x) && (51.0..51.1).contains(&corner.y),
            "{corner:?}"
        );
        // A second confirmation is refused and changes nothing.
        assert!(matches!(
            confirm(&db, &id).await,
            Err(steden_core::CoreError::Conflict(_))
        ));
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'cijfers_geo_upload'"
            )
            .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn bad_geometry_is_refused_per_feature_in_dutch_and_nothing_is_written() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        // A ring that does not close (the second feature), in WGS84 around Gent.
        let mut open = square(3.72, 51.05, 0.01);
        open.pop();
        open.push([3.7201, 51.0501]);
        let file = geojson(
            None,
            &[("44021A00-", square(3.70, 51.05, 0.01)), ("44021A01-", open)],
        );
        let (id, report) = preview(&db, GeoLevel::Sector, "44021", "ring.geojson", &file).await;
        let all = report.errors.join("\n");
        assert!(all.contains("Object 2 (code 44021A01-)"), "{all}");
        assert!(all.contains("is niet gesloten"), "{all}");
        assert!(confirm(&db, &id).await.is_err());

        // An unknown projection: refused with its name and the accepted ones.
        let file = geojson(
            Some("urn:ogc:def:crs:EPSG::2154"),
            &[("44021A00-", square(600_000.0, 6_900_000.0, 1000.0))],
        );
        let (id, report) = preview(&db, GeoLevel::Sector, "44021", "frankrijk.geojson", &file).await;
        let all = report.errors.join("\n");
        assert!(all.contains("2154") && all.contains("Lambert 72"), "{all}");
        assert!(confirm(&db, &id).await.is_err());

        // An unknown code and a sector of another municipality, each on its own line; a good
        // feature in the same file is not stored either.
        let file = geojson(
            None,
            &[
                ("44021A00-", square(3.70, 51.05, 0.01)),
                ("44021Z99-", square(3.72, 51.05, 0.01)),
                ("11002A00-", square(4.40, 51.21, 0.01)),
            ],
        );
        let (id, report) = preview(&db, GeoLevel::Sector, "44021", "codes.geojson", &file).await;
        assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
        assert!(report.errors[0].starts_with("Object 2 (code 44021Z99-): onbekende code"), "{:?}", report.errors);
        assert!(
            report.errors[1].contains("Object 3 (code 11002A00-): deze statistische sector ligt in gemeente 11002, niet in gemeente 44021"),
            "{:?}",
            report.errors
        );
        assert!(matches!(
            confirm(&db, &id).await,
            Err(steden_core::CoreError::Invalid(_))
        ));

        // A hostile file: not geometry at all, and a zip that is no zip.
        let (_, report) = preview(&db, GeoLevel::Sector, "44021", "x.geojson", b"{\"type\": 12").await;
        assert!(!report.errors.is_empty());
        let (_, report) = preview(&db, GeoLevel::Sector, "44021", "x.zip", b"PK\x03\x04nonsense").await;
        assert!(!report.errors.is_empty());

        assert_eq!(with_geometry(&db).await, 0);
        // Refused uploads keep no geometry either.
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM cijfers_geo_uploads WHERE features <> '[]'").await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_lambert72_point_lands_on_its_known_wgs84_coordinates() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        // (104000, 190000) in Lambert 72 is (3.713182645, 51.018375548) according to pyproj
        // 3.7.2 on PROJ 9.5.1 (EPSG:31370 → EPSG:4326, BD72 to WGS 84 (3)).
        let file = geojson(
            Some("EPSG:31370"),
            &[("44021B00-", square(104_000.0, 190_000.0, 800.0))],
        );
        let (id, report) = preview(&db, GeoLevel::Sector, "44021", "punt.geojson", &file).await;
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        confirm(&db, &id).await.unwrap();
        let item = places::find(db.pool(), GeoLevel::Sector, "44021B00-")
            .await
            .unwrap()
            .unwrap();
        let text: String =
            sqlx::query_scalar("SELECT geometry FROM cijfers_geo_items WHERE id = $1")
                .bind(&item.id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let stored = geo::parse_geojson_text(&text).unwrap();
        let (lon, lat) = (3.713182645_f64, 51.018375548_f64);
        let nearest = stored.0[0]
            .exterior()
            .0
            .iter()
            .map(|c| {
                let dx = (c.x - lon) * 111_320.0 * lat.to_radians().cos();
                let dy = (c.y - lat) * 110_574.0;
                (dx * dx + dy * dy).sqrt()
            })
            .fold(f64::INFINITY, f64::min);
        assert!(nearest < 1.0, "{nearest} m from the reference point");
        // And the projection itself, without the store.
        let (x, y) = geo::Reprojector::new(Projection::Lambert72)
            .unwrap()
            .to_wgs84(104_000.0, 190_000.0)
            .unwrap();
        assert!((x - lon).abs() < 1e-5 && (y - lat).abs() < 1e-5, "{x} {y}");
    })
    .await;
}

#[tokio::test]
async fn the_map_never_shows_a_suppressed_value() {
    each_app_with(modules, |app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        // A distinctive number behind the demo's suppressed sector.
        let population = indicators::get_by_code(app.db.pool(), "demo_bevolking")
            .await
            .unwrap();
        let sector = places::find(app.db.pool(), GeoLevel::Sector, "44021C03-")
            .await
            .unwrap()
            .unwrap();
        let mut tx = app.db.begin().await.unwrap();
        let period = values::ensure_period(&mut tx, &Period::parse("2024").unwrap())
            .await
            .unwrap();
        values::upsert(
            &mut tx,
            &values::NewValue {
                indicator_id: &population.id,
                geo_item_id: &sector.id,
                period_id: &period,
                value: Some(98_765.4),
                status: ValueStatus::Suppressed,
                import_id: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let page = app
            .page("/cijfers/indicator/demo_bevolking/kaart/44021?niveau=sector&periode=2024")
            .await;
        for name in ["Gent-Centrum", "Dampoort", "Macharius"] {
            assert!(page.contains(name), "{name} missing");
        }
        assert!(page.contains("<svg"));
        // A title per area (8 sectors) besides the map's own.
        assert!(page.matches("<title>").count() >= 9, "{page}");
        assert!(page.contains("<caption"));
        let row = page
            .split("Macharius</th>")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap();
        assert!(row.contains("geheim"), "{row}");
        for hidden in ["98765", "98.765", "98 765"] {
            assert!(!page.contains(hidden), "{hidden} on the map page");
        }
        // The wijken, and the indicator page's own map.
        let page = app
            .page("/cijfers/indicator/demo_bevolking/kaart/44021?niveau=wijk")
            .await;
        assert!(
            page.contains("Brugse Poort") && page.contains("10.100"),
            "{page}"
        );
        let page = app.page("/cijfers/indicator/demo_bevolking").await;
        assert!(page.contains("/cijfers/indicator/demo_bevolking/kaart/44021"));
        assert!(!page.contains("98.765") && !page.contains("98765"));
        // No map of an unpublished indicator, or of a place without geometry.
        assert_eq!(
            app.get("/cijfers/indicator/demo_kinderopvang/kaart/44021")
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get("/cijfers/indicator/demo_bevolking/kaart/11002")
                .await
                .status(),
            404
        );
    })
    .await;
}

#[tokio::test]
async fn the_upload_page_checks_rights_per_feature() {
    each_app_with(modules, |app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        let gent = org_id(&app.db, "gent").await;
        let editor = person(&app.db, "data@gent.test", "Daan Data", &gent, Role::Redacteur).await;
        login(&app, &editor).await;
        let html = app.page("/cijfers/beheer/geometrie").await;
        let token = steden_testkit::csrf_token(&html).unwrap();
        let post = |level: &'static str, file: Vec<u8>| {
            let boundary = "----geogrens";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"niveau\"\r\n\r\n{level}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"gemeente\"\r\n\r\n44021\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"projectie\"\r\n\r\nauto\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"gent.geojson\"\r\n\
                 Content-Type: application/geo+json\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(&file);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            app.client
                .post(app.url(&format!("/cijfers/beheer/geometrie?_csrf={token}")))
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(body)
                .send()
        };
        // Gent's data team may not change the shared sectors ...
        let file = geojson(None, &[("44021A00-", square(3.70, 51.05, 0.01))]);
        let response = post("sector", file).await.unwrap();
        assert_eq!(response.status(), 303);
        let path = response.headers()["location"].to_str().unwrap().to_string();
        let preview = app.page(&path).await;
        assert!(preview.contains("u mag de geometrie van deze statistische sector niet wijzigen"), "{preview}");
        assert!(!preview.contains("/bevestigen"));
        // ... but may store its own wijken.
        let file = geojson(None, &[("GENT-BINNENSTAD", square(3.70, 51.05, 0.01))]);
        let file = String::from_utf8(file).unwrap().replace("CD_SECTOR", "CODE").into_bytes();
        let response = post("wijk", file).await.unwrap();
        let path = response.headers()["location"].to_str().unwrap().to_string();
        let preview = app.page(&path).await;
        assert!(preview.contains("GENT-BINNENSTAD") && preview.contains("/bevestigen"), "{preview}");
        let response = app.post_form(&path, &format!("{path}/bevestigen"), &[]).await;
        assert_eq!(response.status(), 303);
        let id = path.rsplit('/').next().unwrap();
        assert_eq!(geo_uploads::find(app.db.pool(), id).await.unwrap().unwrap().status, "done");
    })
    .await;
}
