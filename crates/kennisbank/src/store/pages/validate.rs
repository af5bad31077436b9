//! What an editor fills in for a page, and its checks.

use crate::model::pages::PageDraft;
use crate::model::{PageKind, PageStatus, ProjectState};
use steden_core::{CoreError, FieldError};

pub const MAX_TITLE: usize = 150;
pub const MAX_SLUG: usize = 80;
pub const MAX_SUMMARY: usize = 300;
pub const MAX_BODY: usize = 100_000;
pub const MAX_PROGRAMME: usize = 100;

/// A draft that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPage {
    pub kind: PageKind,
    pub title: String,
    /// The slug the editor typed; `None` to derive one from the title.
    pub slug: Option<String>,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub project_state: Option<ProjectState>,
    pub programme: Option<String>,
    pub image_id: Option<String>,
}

/// A moment typed in Belgian local time (`2026-03-01T09:30` from a `datetime-local` input, or
/// `01/03/2026 09:30` from browsers that show a text field) as UTC milliseconds. Empty text is
/// `Ok(None)`.
pub fn parse_local_moment(text: &str) -> Result<Option<i64>, &'static str> {
    use chrono::{NaiveDateTime, TimeZone};
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let naive = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or("Geef datum en uur als dd/mm/jjjj uu:mm.")?;
    // In the spring-forward gap the hour does not exist; at the autumn overlap the first of
    // the two moments is meant.
    chrono_tz::Europe::Brussels
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.timestamp_millis()))
        .ok_or(
            "Dit uur bestaat niet in Belgische tijd (overgang naar zomertijd). Kies een ander uur.",
        )
}

/// The value for a `datetime-local` input showing `ms` in Belgian local time.
pub fn local_moment_value(ms: i64) -> String {
    use chrono::TimeZone;
    chrono::Utc
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| {
            t.with_timezone(&chrono_tz::Europe::Brussels)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Whether `slug` is a valid address part: lower-case letters, digits and hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

pub(super) fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Checks a draft; every problem at once, by field, in Dutch.
pub fn validate(draft: &PageDraft) -> Result<ValidPage, CoreError> {
    let mut errors = Vec::new();
    let kind = PageKind::parse(draft.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "Kies een soort: pagina, nieuwsbericht of project.",
        ));
    }
    let title = draft.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef de pagina een titel."));
    } else if too_long(&title, MAX_TITLE) {
        errors.push(FieldError::new(
            "title",
            format!("De titel mag hoogstens {MAX_TITLE} tekens lang zijn."),
        ));
    }
    let slug = optional(&draft.slug);
    if let Some(slug) = &slug {
        if !is_valid_slug(slug) {
            errors.push(FieldError::new(
                "slug",
                format!(
                    "Het webadres mag alleen kleine letters zonder accenten, cijfers en koppeltekens \
                     bevatten (hoogstens {MAX_SLUG} tekens, niet beginnen of eindigen met een \
                     koppelteken). Laat het leeg om het uit de titel te maken."
                ),
            ));
        }
    }
    let summary = draft.summary.trim().to_string();
    if too_long(&summary, MAX_SUMMARY) {
        errors.push(FieldError::new(
            "summary",
            format!("De samenvatting mag hoogstens {MAX_SUMMARY} tekens lang zijn."),
        ));
    }
    // The body keeps its own whitespace (Markdown can depend on it), only line ends are unified.
    let body_md = draft.body_md.replace("\r\n", "\n");
    if too_long(&body_md, MAX_BODY) {
        errors.push(FieldError::new(
            "body_md",
            "De tekst mag hoogstens 100.000 tekens lang zijn. Verdeel hem over meerdere pagina's.",
        ));
    }
    let status = PageStatus::parse(draft.status.trim());
    if status.is_none() {
        errors.push(FieldError::new(
            "status",
            "Kies een status: concept, gepland, gepubliceerd of gearchiveerd.",
        ));
    }
    let publish_at = match parse_local_moment(&draft.publish_at) {
        Ok(moment) => moment,
        Err(message) => {
            errors.push(FieldError::new("publish_at", message));
            None
        }
    };
    if status == Some(PageStatus::Gepland)
        && publish_at.is_none()
        && draft.publish_at.trim().is_empty()
    {
        errors.push(FieldError::new(
            "publish_at",
            "Geef het moment van publicatie: een geplande pagina heeft een datum en uur nodig.",
        ));
    }
    let project_state = if kind == Some(PageKind::Project) {
        match draft.project_state.trim() {
            "" => Some(ProjectState::Lopend),
            text => {
                let state = ProjectState::parse(text);
                if state.is_none() {
                    errors.push(FieldError::new(
                        "project_state",
                        "Kies of het project lopend of afgerond is.",
                    ));
                }
                state
            }
        }
    } else {
        None
    };
    let programme = optional(&draft.programme);
    if programme
        .as_deref()
        .is_some_and(|p| too_long(p, MAX_PROGRAMME))
    {
        errors.push(FieldError::new(
            "programme",
            format!("Het programma mag hoogstens {MAX_PROGRAMME} tekens lang zijn."),
        ));
    }
    match (kind, status) {
        (Some(kind), Some(status)) if errors.is_empty() => Ok(ValidPage {
            kind,
            title,
            slug,
            summary,
            body_md,
            status,
            publish_at,
            project_state,
            programme,
            image_id: optional(&draft.image_id),
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// The slug for `valid`: the typed one when free (else an error), or one made from the title,
/// numbered (`-2`, `-3`, …) when another page of the same kind has it.
#[cfg(test)]
mod editing_tests {
    use super::*;

    fn draft() -> PageDraft {
        PageDraft {
            kind: "nieuws".into(),
            title: "Nieuw".into(),
            status: "concept".into(),
            ..PageDraft::default()
        }
    }

    #[test]
    fn moments_are_belgian_local_time() {
        // 1 March: winter time, UTC+1.
        let ms = parse_local_moment("2026-03-01T09:30").unwrap().unwrap();
        assert_eq!(ms, 1_772_353_800_000);
        assert_eq!(local_moment_value(ms), "2026-03-01T09:30");
        assert_eq!(parse_local_moment("01/03/2026 09:30").unwrap(), Some(ms));
        assert_eq!(parse_local_moment(" ").unwrap(), None);
        assert!(parse_local_moment("morgen").is_err());
        // 29 March 2026 02:30 does not exist in Brussels.
        assert!(parse_local_moment("2026-03-29T02:30").is_err());
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        assert!(validate(&draft()).is_ok());
        let errors = |d: PageDraft| match validate(&d) {
            Err(CoreError::Invalid(e)) => e.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            errors(PageDraft {
                title: " ".into(),
                ..draft()
            }),
            ["title"]
        );
        assert_eq!(
            errors(PageDraft {
                status: "gepland".into(),
                ..draft()
            }),
            ["publish_at"]
        );
        assert_eq!(
            errors(PageDraft {
                slug: "Met Hoofdletters".into(),
                ..draft()
            }),
            ["slug"]
        );
        assert_eq!(
            errors(PageDraft {
                title: "x".repeat(151),
                ..draft()
            }),
            ["title"]
        );
        assert!(is_valid_slug("over-ons-2"));
        assert!(!is_valid_slug("-over"));
        assert!(!is_valid_slug("één"));
    }
}
