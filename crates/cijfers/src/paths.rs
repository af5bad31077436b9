//! The module's URLs, as functions and constants: pages link through these, so a route and its
//! links cannot drift apart.

/// The public overview: published indicators by theme.
pub const OVERVIEW: &str = "/cijfers";
/// The route of one indicator's public page.
pub const INDICATOR_ROUTE: &str = "/cijfers/indicator/{code}";
/// The data team's list of indicators.
pub const ADMIN_INDICATORS: &str = "/cijfers/beheer/indicatoren";
/// The form for a new indicator.
pub const NEW_INDICATOR: &str = "/cijfers/beheer/indicatoren/nieuw";
/// The route of an indicator's edit form.
pub const EDIT_INDICATOR_ROUTE: &str = "/cijfers/beheer/indicatoren/{code}";
/// The data team's imports: the list and the upload form.
pub const IMPORTS: &str = "/cijfers/beheer/imports";
/// The route of one import (preview, mapping, confirmation, outcome).
pub const IMPORT_ROUTE: &str = "/cijfers/beheer/imports/{id}";
/// The route of an import's mapping form (POST).
pub const IMPORT_MAPPING_ROUTE: &str = "/cijfers/beheer/imports/{id}/kolommen";
/// The route of an import's confirmation (POST).
pub const IMPORT_CONFIRM_ROUTE: &str = "/cijfers/beheer/imports/{id}/bevestigen";

/// The public page of indicator `code`.
pub fn indicator(code: &str) -> String {
    format!("/cijfers/indicator/{code}")
}

/// The edit form of indicator `code`.
pub fn edit_indicator(code: &str) -> String {
    format!("/cijfers/beheer/indicatoren/{code}")
}

/// The page of import `id`.
pub fn import(id: &str) -> String {
    format!("/cijfers/beheer/imports/{id}")
}

/// The mapping form of import `id`.
pub fn import_mapping(id: &str) -> String {
    format!("/cijfers/beheer/imports/{id}/kolommen")
}

/// The confirmation of import `id`.
pub fn import_confirm(id: &str) -> String {
    format!("/cijfers/beheer/imports/{id}/bevestigen")
}

/// The API's values of indicator `code`.
pub fn api_values(code: &str) -> String {
    format!("/api/v1/cijfers/indicators/{code}/values")
}

/// The route of an indicator's download in one format (`csv`, `xlsx`, `json`, `sdmx`).
pub const INDICATOR_DOWNLOAD_ROUTE: &str = "/cijfers/indicator/{code}/download/{format}";

/// The download of indicator `code` in `format` (`csv`, `xlsx`, `json` for JSON-stat 2.0,
/// `sdmx` for SDMX-CSV 2.0).
pub fn indicator_download(code: &str, format: &str) -> String {
    format!("/cijfers/indicator/{code}/download/{format}")
}

/// The API's JSON-stat 2.0 dataset of indicator `code`.
pub fn api_jsonstat(code: &str) -> String {
    format!("/api/v1/cijfers/indicators/{code}/jsonstat")
}

/// The API's SDMX-CSV 2.0 of indicator `code`.
pub fn api_sdmx(code: &str) -> String {
    format!("/api/v1/cijfers/indicators/{code}/sdmx")
}

// --- Open data and interoperability (cj-open): catalogue, embeds, Swing bulk, OData ---

/// The DCAT-AP Vlaanderen catalogue of the published datasets (JSON-LD).
pub const CATALOG: &str = "/cijfers/catalogus.jsonld";
/// The route of an embeddable view of an indicator (`grafiek`, `tabel`, `rangschikking-grafiek`,
/// `rangschikking-tabel`): a minimal page other sites may frame.
pub const EMBED_ROUTE: &str = "/cijfers/embed/indicator/{code}/{view}";
/// The data team's list of origins that may frame the embeds.
pub const ADMIN_EMBED_ORIGINS: &str = "/cijfers/beheer/insluiten";
/// Removing one origin (POST).
pub const ADMIN_EMBED_ORIGIN_REMOVE: &str = "/cijfers/beheer/insluiten/verwijderen";
/// The Swing bulk export of every published indicator of a theme (`?thema=`).
pub const THEME_SWING_DOWNLOAD: &str = "/cijfers/download/swing";
/// The root of the OData-like read in Swing's shape.
pub const API_ODATA: &str = "/api/v1/cijfers/odata";
/// The API's copy of the catalogue.
pub const API_CATALOG: &str = "/api/v1/cijfers/catalog";

/// The embeddable `view` of indicator `code`.
pub fn embed(code: &str, view: &str) -> String {
    format!("/cijfers/embed/indicator/{code}/{view}")
}

/// The Swing bulk export of the published indicators of `theme`.
pub fn theme_swing_download(theme: &str) -> String {
    let mut query = url_query_value(theme);
    query.insert_str(0, "/cijfers/download/swing?thema=");
    query
}

/// `text` percent-encoded for a query value (everything but unreserved characters).
pub fn url_query_value(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The data team's geometry uploads: the list and the upload form.
pub const GEOMETRY: &str = "/cijfers/beheer/geometrie";
/// The route of one geometry upload (its preview and outcome).
pub const GEOMETRY_UPLOAD_ROUTE: &str = "/cijfers/beheer/geometrie/{id}";
/// The route of a geometry upload's confirmation (POST).
pub const GEOMETRY_CONFIRM_ROUTE: &str = "/cijfers/beheer/geometrie/{id}/bevestigen";
/// The route of an indicator's map of one city (`?niveau=sector|wijk&periode=2024`).
pub const INDICATOR_MAP_ROUTE: &str = "/cijfers/indicator/{code}/kaart/{place}";

/// The page of geometry upload `id`.
pub fn geometry_upload(id: &str) -> String {
    format!("/cijfers/beheer/geometrie/{id}")
}

/// The confirmation of geometry upload `id`.
pub fn geometry_confirm(id: &str) -> String {
    format!("/cijfers/beheer/geometrie/{id}/bevestigen")
}

/// The map of indicator `code` in the municipality `place` (REFNIS code).
pub fn indicator_map(code: &str, place: &str) -> String {
    format!("/cijfers/indicator/{code}/kaart/{place}")
}

/// The fact-sheet themes (Kenniscentrum staff).
pub const ADMIN_THEMES: &str = "/cijfers/beheer/themas";
/// The form for a new theme.
pub const NEW_THEME: &str = "/cijfers/beheer/themas/nieuw";
/// The route of a theme's edit form.
pub const EDIT_THEME_ROUTE: &str = "/cijfers/beheer/themas/{slug}";
/// The route of a theme's deletion (POST).
pub const DELETE_THEME_ROUTE: &str = "/cijfers/beheer/themas/{slug}/verwijderen";
/// The route of a theme's public page (its fact sheets per city).
pub const THEME_ROUTE: &str = "/cijfers/steekkaart/{theme}";
/// The route of a fact sheet (steekkaart) of a theme for a city.
pub const FACT_SHEET_ROUTE: &str = "/cijfers/steekkaart/{theme}/{place}";
/// The route of a fact sheet's PDF.
pub const FACT_SHEET_PDF_ROUTE: &str = "/cijfers/steekkaart/{theme}/{place}/pdf";
/// The route of a city's own page.
pub const CITY_ROUTE: &str = "/cijfers/stad/{place}";

/// The edit form of theme `slug`.
pub fn edit_theme(slug: &str) -> String {
    format!("/cijfers/beheer/themas/{slug}")
}

/// The deletion of theme `slug`.
pub fn delete_theme(slug: &str) -> String {
    format!("/cijfers/beheer/themas/{slug}/verwijderen")
}

/// The public page of theme `slug`.
pub fn theme(slug: &str) -> String {
    format!("/cijfers/steekkaart/{slug}")
}

/// The fact sheet of theme `slug` for the city `place` (its slug).
pub fn fact_sheet(slug: &str, place: &str) -> String {
    format!("/cijfers/steekkaart/{slug}/{place}")
}

/// The PDF of a fact sheet.
pub fn fact_sheet_pdf(slug: &str, place: &str) -> String {
    format!("/cijfers/steekkaart/{slug}/{place}/pdf")
}

/// The page of the city `place` (its slug).
pub fn city(place: &str) -> String {
    format!("/cijfers/stad/{place}")
}

// cj-link: joint data requests (issue 15 point 8).

/// The register of data requests (staff and the cities' data teams).
pub const DATA_REQUESTS: &str = "/cijfers/aanvragen";
/// The form for a new data request.
pub const NEW_DATA_REQUEST: &str = "/cijfers/aanvragen/nieuw";
/// The route of one data request's page.
pub const DATA_REQUEST_ROUTE: &str = "/cijfers/aanvragen/{id}";
/// The route of a data request's edit form.
pub const EDIT_DATA_REQUEST_ROUTE: &str = "/cijfers/aanvragen/{id}/bewerken";
/// The route of a delivered file's upload (POST, multipart).
pub const DATA_REQUEST_FILE_ROUTE: &str = "/cijfers/aanvragen/{id}/bestand";

/// The page of data request `id`.
pub fn data_request(id: &str) -> String {
    format!("/cijfers/aanvragen/{id}")
}

/// The edit form of data request `id`.
pub fn edit_data_request(id: &str) -> String {
    format!("/cijfers/aanvragen/{id}/bewerken")
}

/// The upload of a file delivered for data request `id`.
pub fn data_request_file(id: &str) -> String {
    format!("/cijfers/aanvragen/{id}/bestand")
}

// cj-climate2: the climate dashboard (issue 15 point 6).

/// The climate dashboard's index: the cities with energy figures, and the emission factors.
pub const CLIMATE: &str = "/cijfers/klimaat";
/// The route of a city's climate dashboard.
pub const CLIMATE_CITY_ROUTE: &str = "/cijfers/klimaat/{place}";
/// The emission factors and the cities' targets (staff and the cities' data teams).
pub const ADMIN_CLIMATE: &str = "/cijfers/beheer/klimaat";
/// The form for a new emission factor.
pub const NEW_EMISSION_FACTOR: &str = "/cijfers/beheer/klimaat/factoren/nieuw";
/// The route of an emission factor's edit form.
pub const EDIT_EMISSION_FACTOR_ROUTE: &str = "/cijfers/beheer/klimaat/factoren/{id}";
/// The form for a new target.
pub const NEW_CLIMATE_TARGET: &str = "/cijfers/beheer/klimaat/doelstellingen/nieuw";
/// The route of a target's edit form.
pub const EDIT_CLIMATE_TARGET_ROUTE: &str = "/cijfers/beheer/klimaat/doelstellingen/{id}";
/// The route of a target's deletion (POST).
pub const DELETE_CLIMATE_TARGET_ROUTE: &str =
    "/cijfers/beheer/klimaat/doelstellingen/{id}/verwijderen";
/// The API's emission factors.
pub const API_EMISSION_FACTORS: &str = "/api/v1/cijfers/emission-factors";

/// The climate dashboard of the city `place` (its slug).
pub fn climate_city(place: &str) -> String {
    format!("/cijfers/klimaat/{place}")
}

/// The edit form of emission factor `id`.
pub fn edit_emission_factor(id: &str) -> String {
    format!("/cijfers/beheer/klimaat/factoren/{id}")
}

/// The edit form of target `id`.
pub fn edit_climate_target(id: &str) -> String {
    format!("/cijfers/beheer/klimaat/doelstellingen/{id}")
}

/// The deletion of target `id`.
pub fn delete_climate_target(id: &str) -> String {
    format!("/cijfers/beheer/klimaat/doelstellingen/{id}/verwijderen")
}

/// The API's climate dashboard of the municipality `place` (REFNIS code or slug).
pub fn api_climate(place: &str) -> String {
    format!("/api/v1/cijfers/climate/{place}")
}
