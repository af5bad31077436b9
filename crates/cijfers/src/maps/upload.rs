//! A geometry upload, from the file to the places: [`prepare`] reads, validates, reprojects to
//! WGS84 and simplifies a file (pure, CPU-bound, no database); [`preview`] checks each feature
//! against the places (unknown code, another municipality, another organisation's wijk) and
//! keeps the display geometry with a report in Dutch; [`confirm`] writes the geometry onto the
//! places in one transaction, or nothing.
//!
//! Why in the request and not in a job (as `import::jobs` does for values): the expensive step,
//! the simplification, runs once at the preview, and the confirmation only writes a few hundred
//! short texts. A city's sector or wijk file (hundreds of areas, some 100,000 vertices) is read
//! and simplified in well under a second in a release build; [`request_limits`] bounds a file
//! to 2 million vertices (a few seconds at most), and the web layer runs [`prepare`] on a
//! blocking thread so that the server keeps answering. A national sector file (millions of
//! vertices) is refused by those limits with a Dutch message and would need a job.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::Db;

use crate::access;
use crate::geo::{self, GeoReport, Limits, Projection, ReadOptions};
use crate::model::GeoLevel;
use crate::store::geo_uploads::{self, GeoUpload, NewGeoUpload};

/// The most bytes of one uploaded geometry file (GeoJSON or zip).
pub const MAX_UPLOAD_BYTES: usize = 30 * 1024 * 1024;

/// How many features a preview lists.
pub const PREVIEW_FEATURES: usize = 50;

/// The geo library's limits, tightened for a file read within a request (see the module
/// comment).
pub fn request_limits() -> Limits {
    Limits {
        max_file_bytes: 100 * 1024 * 1024,
        max_vertices_total: 2_000_000,
        max_zip_total_bytes: 150 * 1024 * 1024,
        ..Limits::default()
    }
}

/// The levels that can carry geometry through an upload.
pub const LEVELS: [GeoLevel; 3] = [GeoLevel::Sector, GeoLevel::Wijk, GeoLevel::Gemeente];

/// One area as kept between preview and confirmation: its display geometry (GeoJSON text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptFeature {
    pub code: String,
    pub name: Option<String>,
    pub geometry: String,
    /// Vertices before and after simplification.
    pub vertices: usize,
    pub kept_vertices: usize,
}

/// A file read and simplified, not yet checked against the places.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub source: Projection,
    pub features: Vec<KeptFeature>,
}

/// Reads, validates, reprojects to WGS84 and simplifies a file. CPU-bound: a web handler runs
/// it on a blocking thread.
pub fn prepare(filename: &str, bytes: &[u8], options: &ReadOptions) -> Result<Prepared, GeoReport> {
    let file = geo::read_upload(filename, bytes, options)?;
    let features = file
        .features
        .iter()
        .map(|feature| {
            let simplified = geo::simplify_for_display(&feature.geometry, geo::DEFAULT_TOLERANCE_M);
            KeptFeature {
                code: feature.code.clone(),
                name: feature.name.clone(),
                geometry: geo::to_geojson_text(&simplified),
                vertices: geo::vertex_count(&feature.geometry),
                kept_vertices: geo::vertex_count(&simplified),
            }
        })
        .collect();
    Ok(Prepared {
        source: file.source_projection,
        features,
    })
}

/// A feature line of the preview.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureLine {
    pub code: String,
    pub name: String,
    pub vertices: usize,
    pub kept_vertices: usize,
}

/// What a preview says (kept as the upload's report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadReport {
    /// Every problem, in Dutch, per feature where it concerns one. Any problem: nothing is
    /// stored, and the upload cannot be confirmed.
    pub errors: Vec<String>,
    /// Problems beyond the ones listed.
    pub more_errors: usize,
    pub features: usize,
    /// The first features.
    pub sample: Vec<FeatureLine>,
    /// Places at this level (in this municipality) the file has no geometry for.
    pub missing: Vec<String>,
}

impl UploadReport {
    pub fn from_json(text: &str) -> UploadReport {
        serde_json::from_str(text).unwrap_or_default()
    }

    fn refused(report: &GeoReport) -> UploadReport {
        UploadReport {
            errors: report.problems.iter().map(ToString::to_string).collect(),
            more_errors: report.more,
            ..UploadReport::default()
        }
    }
}

/// An upload to preview.
pub struct GeometryUpload<'a> {
    pub level: GeoLevel,
    /// The municipality whose sectors or wijken the file holds (ignored for municipalities).
    pub municipality_code: &'a str,
    pub filename: &'a str,
    pub bytes: &'a [u8],
    pub organisation_id: &'a str,
    pub created_by: Option<&'a str>,
}

/// The per-feature checks against the places: the code must be a place at `level`, lie in
/// the chosen municipality (sectors and wijken), and be one the uploader may change.
async fn check_places(
    db: &Db,
    level: GeoLevel,
    municipality_code: &str,
    features: &[KeptFeature],
    actor_may: &(dyn Fn(Option<&str>) -> bool + Sync),
) -> CoreResult<(Vec<String>, Vec<String>)> {
    let places = geo_uploads::places(db.pool(), level).await?;
    let by_code: HashMap<&str, &geo_uploads::PlaceRef> =
        places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut errors = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let at = format!("Object {} (code {})", index + 1, feature.code);
        match by_code.get(feature.code.as_str()) {
            None => errors.push(format!(
                "{at}: onbekende code; er is geen {} met deze code.",
                level_noun(level)
            )),
            Some(place) => {
                let municipality = place.municipality_code.as_deref().unwrap_or("");
                if level != GeoLevel::Gemeente && municipality != municipality_code {
                    errors.push(format!(
                        "{at}: deze {} ligt in gemeente {}, niet in gemeente {municipality_code}.",
                        level_noun(level),
                        if municipality.is_empty() {
                            "(onbekend)"
                        } else {
                            municipality
                        }
                    ));
                } else if !actor_may(place.owner_org_id.as_deref()) {
                    errors.push(format!(
                        "{at}: u mag de geometrie van deze {} niet wijzigen.",
                        level_noun(level)
                    ));
                }
            }
        }
    }
    let in_file: HashSet<&str> = features.iter().map(|f| f.code.as_str()).collect();
    let missing = places
        .iter()
        .filter(|p| {
            (level == GeoLevel::Gemeente
                || p.municipality_code.as_deref() == Some(municipality_code))
                && !in_file.contains(p.code.as_str())
        })
        .map(|p| p.code.clone())
        .take(PREVIEW_FEATURES)
        .collect();
    Ok((errors, missing))
}

fn level_noun(level: GeoLevel) -> &'static str {
    match level {
        GeoLevel::Sector => "statistische sector",
        GeoLevel::Wijk => "wijk",
        GeoLevel::Gemeente => "gemeente",
        GeoLevel::Provincie => "provincie",
        GeoLevel::Gewest => "gewest",
    }
}

/// Checks a prepared file (or the report of one that could not be read) against the places
/// and keeps it in status preview; returns the upload's id and report. Nothing but the upload
/// itself is written.
pub async fn preview(
    db: &Db,
    actor: &Actor,
    upload: &GeometryUpload<'_>,
    prepared: Result<Prepared, GeoReport>,
) -> CoreResult<(String, UploadReport)> {
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let sha256 = hex::encode(Sha256::digest(upload.bytes));
    let municipality = if upload.level == GeoLevel::Gemeente {
        ""
    } else {
        upload.municipality_code.trim()
    };
    let (report, kept, epsg) = match prepared {
        Err(refused) => (UploadReport::refused(&refused), Vec::new(), 0),
        Ok(prepared) => {
            let may = |owner: Option<&str>| {
                access::can_store_geometry(actor, upload.level, owner, &kenniscentrum)
            };
            let (mut errors, missing) =
                check_places(db, upload.level, municipality, &prepared.features, &may).await?;
            if upload.level != GeoLevel::Gemeente && municipality.is_empty() {
                errors.insert(
                    0,
                    "Kies de gemeente waarvan het bestand de gebieden bevat.".into(),
                );
            }
            if prepared.features.is_empty() {
                errors.push("Het bestand bevat geen gebieden.".into());
            }
            let more_errors = errors.len().saturating_sub(GeoReport::MAX_PROBLEMS);
            errors.truncate(GeoReport::MAX_PROBLEMS);
            let report = UploadReport {
                errors,
                more_errors,
                features: prepared.features.len(),
                sample: prepared
                    .features
                    .iter()
                    .take(PREVIEW_FEATURES)
                    .map(|f| FeatureLine {
                        code: f.code.clone(),
                        name: f.name.clone().unwrap_or_default(),
                        vertices: f.vertices,
                        kept_vertices: f.kept_vertices,
                    })
                    .collect(),
                missing,
            };
            (report, prepared.features, i64::from(prepared.source.epsg()))
        }
    };
    // A refused file keeps no geometry at all.
    let kept = if report.errors.is_empty() {
        kept
    } else {
        Vec::new()
    };
    let features = serde_json::to_string(&kept).map_err(|e| CoreError::Internal(e.into()))?;
    let report_json = serde_json::to_string(&report).map_err(|e| CoreError::Internal(e.into()))?;
    let id = geo_uploads::create(
        db.pool(),
        &NewGeoUpload {
            level: upload.level,
            municipality_code: municipality,
            filename: upload.filename,
            sha256: &sha256,
            source_epsg: epsg,
            owner_org_id: upload.organisation_id,
            features: &features,
            report: &report_json,
            created_by: upload.created_by,
        },
    )
    .await?;
    Ok((id, report))
}

/// Writes a previewed upload without errors onto its places, in one transaction: every
/// feature is checked again (places and rights may have changed since the preview), and on
/// any problem nothing is written. Returns how many places got geometry.
pub async fn confirm(db: &Db, upload: &GeoUpload, actor: &Actor) -> CoreResult<usize> {
    if upload.status != "preview" {
        return Err(CoreError::Conflict("Dit bestand is al bevestigd.".into()));
    }
    if !UploadReport::from_json(&upload.report).errors.is_empty() {
        return Err(CoreError::invalid(
            "bestand",
            "Dit bestand heeft fouten en kan niet bevestigd worden.",
        ));
    }
    let kept: Vec<KeptFeature> =
        serde_json::from_str(&geo_uploads::features(db.pool(), &upload.id).await?)
            .map_err(|e| CoreError::Internal(e.into()))?;
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let may = |owner: Option<&str>| {
        access::can_store_geometry(actor, upload.level, owner, &kenniscentrum)
    };
    let (errors, _) =
        check_places(db, upload.level, &upload.municipality_code, &kept, &may).await?;
    if !errors.is_empty() {
        return Err(CoreError::invalid("bestand", &errors.join(" ")));
    }
    if kept.is_empty() {
        return Err(CoreError::invalid(
            "bestand",
            "Het bestand bevat geen gebieden.",
        ));
    }
    let geometry: Vec<(String, String)> = kept.into_iter().map(|f| (f.code, f.geometry)).collect();
    let mut tx = db.begin().await?;
    let written = geo_uploads::apply(&mut tx, upload, &geometry, &actor.audit_actor()).await?;
    tx.commit().await?;
    Ok(written)
}

/// The reading options of an upload form: the code and name properties (defaults per level:
/// Statbel's `CD_SECTOR` and `CD_MUNTY_REFNIS`, `CODE` for a city's wijken), the projection
/// the user chose ("" = read it from the file), the layer of a zip with several shapefiles.
pub fn read_options(
    level: GeoLevel,
    code_property: &str,
    name_property: &str,
    projection: &str,
    layer: &str,
) -> Result<ReadOptions, String> {
    let code_property = match code_property.trim() {
        "" => default_code_property(level),
        given => given,
    };
    let mut options = ReadOptions::new(code_property);
    options.name_property = Some(name_property.trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    options.layer = Some(layer.trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    options.projection = match projection.trim() {
        "" | "auto" => None,
        code => Some(Projection::from_code(code)?),
    };
    options.limits = request_limits();
    Ok(options)
}

/// The usual code property of a level's files.
pub fn default_code_property(level: GeoLevel) -> &'static str {
    match level {
        GeoLevel::Sector => "CD_SECTOR",
        GeoLevel::Gemeente => "CD_MUNTY_REFNIS",
        _ => "CODE",
    }
}
