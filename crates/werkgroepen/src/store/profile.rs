//! Writing a group's profile: creating a group (the core's group and the module's profile in one
//! transaction) and changing its profile. Every field is checked before anything is written, and
//! all errors are returned at once.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{working_group, CoreError, FieldError};
use steden_db::{now_ms, Tx};

use crate::model::{Cadence, GroupKind, Visibility};
use crate::paths::RESERVED_SLUGS;
use crate::store::groups::Profile;

/// The audit entity of a group's profile and memberships.
pub const ENTITY: &str = "werkgroep";

const MAX_PURPOSE_CHARS: usize = 2000;
const MAX_PROGRAMME_CHARS: usize = 20_000;
const MAX_PLACE_CHARS: usize = 300;
const MAX_DAYS: i64 = 60;

/// A group's profile as typed in a form (strings, checked by [`ProfileFields::check`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ProfileFields {
    pub kind: String,
    pub purpose: String,
    pub programme_md: String,
    pub visibility: String,
    pub cadence: String,
    pub default_start: String,
    pub default_end: String,
    pub default_place: String,
    pub default_online_url: String,
    pub proposal_days: String,
    pub comment_days: String,
}

/// The checked values of [`ProfileFields`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedProfile {
    pub kind: GroupKind,
    pub purpose: String,
    pub programme_md: String,
    pub visibility: Visibility,
    pub cadence: Cadence,
    pub default_start: String,
    pub default_end: String,
    pub default_place: String,
    pub default_online_url: String,
    pub proposal_days: i64,
    pub comment_days: i64,
}

impl ProfileFields {
    /// The fields of an existing profile, to fill the form.
    pub fn of(profile: &Profile) -> ProfileFields {
        ProfileFields {
            kind: profile.kind.as_str().into(),
            purpose: profile.purpose.clone(),
            programme_md: profile.programme_md.clone(),
            visibility: profile.visibility.as_str().into(),
            cadence: profile.cadence.as_str().into(),
            default_start: profile.default_start.clone(),
            default_end: profile.default_end.clone(),
            default_place: profile.default_place.clone(),
            default_online_url: profile.default_online_url.clone(),
            proposal_days: profile.proposal_days.to_string(),
            comment_days: profile.comment_days.to_string(),
        }
    }

    /// What a new group's form starts with.
    pub fn new_group() -> ProfileFields {
        ProfileFields {
            kind: GroupKind::Werkgroep.as_str().into(),
            visibility: Visibility::Verborgen.as_str().into(),
            cadence: Cadence::OpAfroep.as_str().into(),
            default_start: "14:00".into(),
            default_end: "16:00".into(),
            proposal_days: "10".into(),
            comment_days: "10".into(),
            ..ProfileFields::default()
        }
    }

    /// Checks every field; pushes one message per wrong field onto `errors`.
    pub fn check(&self, errors: &mut Vec<FieldError>) -> Option<CheckedProfile> {
        let before = errors.len();
        let kind = GroupKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Kies het soort groep."));
        }
        let purpose = self.purpose.trim().to_string();
        if purpose.chars().count() > MAX_PURPOSE_CHARS {
            errors.push(FieldError::new(
                "purpose",
                format!("Het doel is te lang (maximaal {MAX_PURPOSE_CHARS} tekens)."),
            ));
        }
        let programme_md = self.programme_md.trim().to_string();
        if programme_md.chars().count() > MAX_PROGRAMME_CHARS {
            errors.push(FieldError::new(
                "programme_md",
                format!("Het programma is te lang (maximaal {MAX_PROGRAMME_CHARS} tekens)."),
            ));
        }
        let visibility = Visibility::parse(self.visibility.trim());
        if visibility.is_none() {
            errors.push(FieldError::new(
                "visibility",
                "Kies of de werkgroep publiek of verborgen is.",
            ));
        }
        let cadence = Cadence::parse(self.cadence.trim());
        if cadence.is_none() {
            errors.push(FieldError::new(
                "cadence",
                "Kies hoe vaak de werkgroep samenkomt.",
            ));
        }
        let start = check_time(&self.default_start, "default_start", errors);
        let end = check_time(&self.default_end, "default_end", errors);
        if let (Some(start), Some(end)) = (&start, &end) {
            // "HH:MM" strings of the same shape sort as the times they name.
            if end <= start {
                errors.push(FieldError::new(
                    "default_end",
                    "Het einde moet na het begin liggen.",
                ));
            }
        }
        let default_place = self.default_place.trim().to_string();
        if default_place.chars().count() > MAX_PLACE_CHARS {
            errors.push(FieldError::new(
                "default_place",
                format!("De plaats is te lang (maximaal {MAX_PLACE_CHARS} tekens)."),
            ));
        }
        let default_online_url = self.default_online_url.trim().to_string();
        let web_address =
            default_online_url.starts_with("https://") || default_online_url.starts_with("http://");
        if !default_online_url.is_empty() && !web_address {
            errors.push(FieldError::new(
                "default_online_url",
                "Geef een webadres dat begint met https://, of laat het veld leeg.",
            ));
        }
        let proposal_days = check_days(&self.proposal_days, "proposal_days", errors);
        let comment_days = check_days(&self.comment_days, "comment_days", errors);
        if errors.len() > before {
            return None;
        }
        Some(CheckedProfile {
            kind: kind?,
            purpose,
            programme_md,
            visibility: visibility?,
            cadence: cadence?,
            default_start: start?,
            default_end: end?,
            default_place,
            default_online_url,
            proposal_days: proposal_days?,
            comment_days: comment_days?,
        })
    }
}

/// A wall time `HH:MM` (also `H:MM`), returned as `HH:MM`.
fn check_time(value: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match chrono::NaiveTime::parse_from_str(value.trim(), "%H:%M") {
        Ok(time) => Some(time.format("%H:%M").to_string()),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "Geef een uur op als UU:MM, bijvoorbeeld 14:00.",
            ));
            None
        }
    }
}

fn check_days(value: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match value.trim().parse::<i64>() {
        Ok(days) if (0..=MAX_DAYS).contains(&days) => Some(days),
        _ => {
            errors.push(FieldError::new(
                field,
                format!("Geef een aantal dagen van 0 tot en met {MAX_DAYS}."),
            ));
            None
        }
    }
}

/// Moves the errors of a core call into `errors`; passes any other failure on.
fn collect<T>(result: CoreResult<T>, errors: &mut Vec<FieldError>) -> CoreResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(CoreError::Invalid(found)) => {
            errors.extend(found);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Creates a group: the core's group (slug, name) and the module's profile, in `tx`. The slug
/// may not be one of the module's own page names. On any error nothing is kept: the caller
/// rolls `tx` back (`form::settle`), which also undoes the core's row.
pub async fn create(
    tx: &mut Tx<'_>,
    slug: &str,
    name: &str,
    fields: &ProfileFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    let slug = slug.trim();
    let mut errors = Vec::new();
    let reserved = RESERVED_SLUGS.contains(&slug);
    if reserved {
        errors.push(FieldError::new(
            "slug",
            "Deze korte naam is een pagina van de module werkgroepen; kies een andere.",
        ));
    }
    // The core checks the slug's characters, the name and that the slug is free; its errors
    // join ours so that the form shows them all at once.
    let group = if reserved {
        errors.extend(check_name_only(name));
        None
    } else {
        collect(
            working_group::create(tx, slug, name, actor).await,
            &mut errors,
        )?
    };
    let checked = fields.check(&mut errors);
    let (Some(group), Some(checked), true) = (group, checked, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_groups (group_id, kind, purpose, programme_md, visibility, cadence,
            default_start, default_end, default_place, default_online_url, proposal_days,
            comment_days, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&group.id)
    .bind(checked.kind.as_str())
    .bind(&checked.purpose)
    .bind(&checked.programme_md)
    .bind(checked.visibility.as_str())
    .bind(checked.cadence.as_str())
    .bind(&checked.default_start)
    .bind(&checked.default_end)
    .bind(&checked.default_place)
    .bind(&checked.default_online_url)
    .bind(checked.proposal_days)
    .bind(checked.comment_days)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &group.id,
            action: "create",
            summary: &format!("Werkgroep {} aangemaakt", group.name),
            changes: Changes::new()
                .created("kind", checked.kind.as_str())
                .created("visibility", checked.visibility.as_str())
                .created("cadence", checked.cadence.as_str()),
        },
    )
    .await?;
    Ok(group.id)
}

/// The name's error when the slug is already refused (the core is then not asked, so its name
/// check is repeated here to still show every error at once).
fn check_name_only(name: &str) -> Option<FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Some(FieldError::new("name", "Vul een naam in."))
    } else if name.chars().count() > 200 {
        Some(FieldError::new(
            "name",
            "De naam is te lang (maximaal 200 tekens).",
        ))
    } else {
        None
    }
}

/// Changes a group's name (the core's) and profile, in `tx`, with one audit entry listing what
/// changed. Nothing is written when a field is wrong.
pub async fn update(
    tx: &mut Tx<'_>,
    old: &Profile,
    name: &str,
    fields: &ProfileFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let mut errors = Vec::new();
    if let Some(error) = check_name_only(name) {
        errors.push(error);
    }
    let checked = fields.check(&mut errors);
    let (Some(new), true) = (checked, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    working_group::rename(tx, &old.group_id, name, actor).await?;
    let changes = Changes::new()
        .field("kind", old.kind.as_str(), new.kind.as_str())
        .field("purpose", old.purpose.as_str(), new.purpose.as_str())
        .field(
            "programme_md",
            old.programme_md.as_str(),
            new.programme_md.as_str(),
        )
        .field(
            "visibility",
            old.visibility.as_str(),
            new.visibility.as_str(),
        )
        .field("cadence", old.cadence.as_str(), new.cadence.as_str())
        .field(
            "default_start",
            old.default_start.as_str(),
            new.default_start.as_str(),
        )
        .field(
            "default_end",
            old.default_end.as_str(),
            new.default_end.as_str(),
        )
        .field(
            "default_place",
            old.default_place.as_str(),
            new.default_place.as_str(),
        )
        .field(
            "default_online_url",
            old.default_online_url.as_str(),
            new.default_online_url.as_str(),
        )
        .field("proposal_days", old.proposal_days, new.proposal_days)
        .field("comment_days", old.comment_days, new.comment_days);
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE wg_groups SET kind = $1, purpose = $2, programme_md = $3, visibility = $4,
            cadence = $5, default_start = $6, default_end = $7, default_place = $8,
            default_online_url = $9, proposal_days = $10, comment_days = $11, updated_at = $12
         WHERE group_id = $13",
    )
    .bind(new.kind.as_str())
    .bind(&new.purpose)
    .bind(&new.programme_md)
    .bind(new.visibility.as_str())
    .bind(new.cadence.as_str())
    .bind(&new.default_start)
    .bind(&new.default_end)
    .bind(&new.default_place)
    .bind(&new.default_online_url)
    .bind(new.proposal_days)
    .bind(new.comment_days)
    .bind(now_ms())
    .bind(&old.group_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &old.group_id,
            action: "update",
            summary: "Profiel van de werkgroep gewijzigd",
            changes,
        },
    )
    .await?;
    Ok(())
}
