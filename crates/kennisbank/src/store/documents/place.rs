//! Where a document is filed: its programme and werkspoor, items of the Kenniscentrum's
//! published plans ([`crate::structure`]). Every path that writes a document — the editors'
//! form, the API, a bulk import — goes through [`validate_place`] (called by `create` and
//! `update`), so a document never names a programme that does not exist.
//!
//! A value is an item id (what the form's selects send), a code, or a title compared without
//! case, accents, spacing or punctuation. A werkspoor must belong to the programme; a
//! werkspoor without a programme brings its programme along. An unknown value is refused in
//! Dutch — except the text a document already had before documents were linked to the plan
//! (the "niet gekoppeld" value), which saving the document again keeps as it was.

use sqlx::AnyConnection;
use steden_core::error::CoreResult;
use steden_core::FieldError;
use steden_plan::site::{match_key, StructureItem};

use super::validate::{optional, parse_date};
use crate::model::documents::{Document, DocumentFields};
use crate::structure::{Structure, PROGRAMME, WERKSPOOR};

/// A document's place in the structure, as stored: the item ids (`None` = not linked) and the
/// texts beside them (the item's title, or the old unlinked text that is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub programme_id: Option<String>,
    pub programme: Option<String>,
    pub werkspoor_id: Option<String>,
    pub werkspoor: Option<String>,
}

/// The item of `depth` ([`PROGRAMME`] or [`WERKSPOOR`]) that `value` names — its id, code or
/// title — within programme `parent` when given; the plan covering `date` wins over newer
/// ones (see [`Structure::find`]).
pub fn resolve<'s>(
    structure: &'s Structure,
    value: &str,
    depth: i64,
    parent: Option<&str>,
    date: Option<&str>,
) -> Option<&'s StructureItem> {
    structure.find(value, depth, parent, date)
}

/// At most 80 characters of what was given, for a message.
fn shown(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 80 {
        format!("{}…", value.chars().take(80).collect::<String>())
    } else {
        value.to_string()
    }
}

fn unknown(structure: &Structure, field: &str, value: &str) -> FieldError {
    let (what, article) = if field == "programme" {
        ("programma", "een programma")
    } else {
        ("werkspoor", "een werkspoor")
    };
    if structure.is_empty() {
        return FieldError::new(
            field,
            format!(
                "Er is nog geen jaarplan gepubliceerd: {article} kan pas gekozen worden als \
                 het Kenniscentrum zijn jaarplan publiceert. Laat het veld leeg."
            ),
        );
    }
    FieldError::new(
        field,
        format!(
            "Het {what} ‘{}’ bestaat niet in het gepubliceerde jaarplan of een vroegere \
             programmaperiode. Kies {article} uit de lijst.",
            shown(value)
        ),
    )
}

fn not_under(werkspoor: &StructureItem, programme: &str) -> FieldError {
    FieldError::new(
        "werkspoor",
        format!(
            "Het werkspoor ‘{}’ hoort niet bij het programma ‘{}’. Kies een werkspoor van dat \
             programma, of laat het programma leeg.",
            werkspoor.title,
            shown(programme)
        ),
    )
}

/// Whether `value` is the unlinked text the document already has (kept when saved again).
fn kept(value: &str, old_text: Option<&str>, old_id: Option<&str>) -> bool {
    old_id.is_none() && old_text.is_some_and(|t| match_key(t) == match_key(value))
}

/// The place that `programme` and `werkspoor` (trimmed, non-empty or `None`) name, or the
/// Dutch errors by field. `date` ('YYYY-MM-DD') picks the plan when a title recurs; `old` is
/// the document being changed (its unlinked texts may stay).
pub fn place(
    structure: &Structure,
    programme: Option<&str>,
    werkspoor: Option<&str>,
    date: Option<&str>,
    old: Option<&Document>,
) -> Result<Place, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = Place::default();
    let old_programme = old.and_then(|d| d.programme.as_deref());
    let old_programme_id = old.and_then(|d| d.programme_id.as_deref());
    let mut programme_item = None;
    if let Some(value) = programme {
        match resolve(structure, value, PROGRAMME, None, date) {
            Some(item) => {
                out.programme_id = Some(item.id.clone());
                out.programme = Some(item.title.clone());
                programme_item = Some(item);
            }
            None if kept(value, old_programme, old_programme_id) => {
                out.programme = old_programme.map(str::to_string);
            }
            None => errors.push(unknown(structure, "programme", value)),
        }
    }
    if let Some(value) = werkspoor {
        let mut under =
            programme_item.and_then(|p| resolve(structure, value, WERKSPOOR, Some(&p.id), date));
        if let (None, Some(_), Some(named)) = (under, programme_item, programme) {
            // The programme's title or code recurs in several plans: the werkspoor picks the
            // plan (Klimaat with 2021's Klimaatgovernance is 2021's Klimaat).
            for candidate in structure.find_all(named, PROGRAMME) {
                if let Some(item) = resolve(structure, value, WERKSPOOR, Some(&candidate.id), date)
                {
                    out.programme_id = Some(candidate.id.clone());
                    out.programme = Some(candidate.title.clone());
                    programme_item = Some(candidate);
                    under = Some(item);
                    break;
                }
            }
        }
        let anywhere = || resolve(structure, value, WERKSPOOR, None, date);
        let old_werkspoor = old.and_then(|d| d.werkspoor.as_deref());
        let old_werkspoor_id = old.and_then(|d| d.werkspoor_id.as_deref());
        match (under, programme) {
            (Some(item), _) => {
                out.werkspoor_id = Some(item.id.clone());
                out.werkspoor = Some(item.title.clone());
            }
            // No programme given: the werkspoor brings its own.
            (None, None) => match anywhere() {
                Some(item) => {
                    out.werkspoor_id = Some(item.id.clone());
                    out.werkspoor = Some(item.title.clone());
                    if let Some(parent) = item.parent_id.as_deref().and_then(|p| structure.item(p))
                    {
                        out.programme_id = Some(parent.id.clone());
                        out.programme = Some(parent.title.clone());
                    }
                }
                None if kept(value, old_werkspoor, old_werkspoor_id) => {
                    out.werkspoor = old_werkspoor.map(str::to_string);
                }
                None => errors.push(unknown(structure, "werkspoor", value)),
            },
            (None, Some(programme)) => match anywhere() {
                // An unlinked programme keeps an unlinked werkspoor as it was.
                _ if programme_item.is_none() && kept(value, old_werkspoor, old_werkspoor_id) => {
                    out.werkspoor = old_werkspoor.map(str::to_string);
                }
                Some(item) => {
                    let name = programme_item.map_or(programme, |p| p.title.as_str());
                    errors.push(not_under(item, name));
                }
                None if kept(value, old_werkspoor, old_werkspoor_id) => {
                    out.werkspoor = old_werkspoor.map(str::to_string);
                }
                None => errors.push(unknown(structure, "werkspoor", value)),
            },
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Checks the programme and werkspoor of `fields` against the published structure (read on
/// `conn`, e.g. the transaction that will store the document) and returns the place to store,
/// or the Dutch errors by field. `old` is the document being changed, `None` for a new one.
/// `create` and `update` call this; an import may call it to check a line before writing.
pub async fn validate_place(
    conn: &mut AnyConnection,
    fields: &DocumentFields,
    old: Option<&Document>,
) -> CoreResult<Result<Place, Vec<FieldError>>> {
    let date = optional(&fields.doc_date).and_then(|d| parse_date(&d));
    place_of(
        conn,
        optional(&fields.programme).as_deref(),
        optional(&fields.werkspoor).as_deref(),
        date.as_deref(),
        old,
    )
    .await
}

/// [`place`] with the structure read on `conn` (not read at all when nothing is given).
pub(crate) async fn place_of(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    werkspoor: Option<&str>,
    date: Option<&str>,
    old: Option<&Document>,
) -> CoreResult<Result<Place, Vec<FieldError>>> {
    if programme.is_none() && werkspoor.is_none() {
        return Ok(Ok(Place::default()));
    }
    let structure = Structure::load(conn).await?;
    Ok(place(&structure, programme, werkspoor, date, old))
}
