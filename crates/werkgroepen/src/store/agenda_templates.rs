//! The Kenniscentrum's agenda templates (`wg_agenda_templates`, issue 13 point 3): staff make,
//! change and delete them at `/werkgroepen/beheer/sjablonen`; a group may name one as its
//! default (`wg_groups.agenda_template_id`), whose parts every new meeting of the group starts
//! its agenda with ([`start_agenda`], called where a meeting row is inserted).
//!
//! The parts are typed in a textarea, one per line: `titel | toelichting | minuten`, the last
//! two optional ([`parse_parts`]). A template in use may be deleted: the groups that had it as
//! their default then have none (the foreign key's `ON DELETE SET NULL`, also written out here
//! so that both backends do the same), and agendas already made keep their items (copies).

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access::{self, Standing};
use crate::store::agenda::{Template, TemplatePart};

/// The audit entity of an agenda template.
pub const ENTITY: &str = "werkgroep_agendasjabloon";

const MAX_NAME_CHARS: usize = 100;
const MAX_PARTS: usize = 20;
const MAX_TITLE_CHARS: usize = 200;
const MAX_EXPLANATION_CHARS: usize = 1000;
const MAX_DURATION_MIN: i64 = 480;

/// What the template form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct TemplateFields {
    pub name: String,
    /// One part per line: `titel | toelichting | minuten`.
    pub parts: String,
}

/// A template with the number of groups that have it as their default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateUse {
    pub template: Template,
    pub groups: Vec<String>,
}

/// The parts typed one per line (empty lines skipped): `titel`, `titel | toelichting` or
/// `titel | toelichting | minuten` (the toelichting may be empty: `titel || 30`). Every wrong
/// line gets its own Dutch message.
pub fn parse_parts(text: &str) -> Result<Vec<TemplatePart>, Vec<String>> {
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (index, line) in lines.enumerate() {
        let number = index + 1;
        let pieces: Vec<&str> = line.split('|').map(str::trim).collect();
        if pieces.len() > 3 {
            errors.push(format!(
                "Onderdeel {number}: gebruik hoogstens twee keer | (titel | toelichting | minuten)."
            ));
            continue;
        }
        let title = pieces[0];
        if title.is_empty() {
            errors.push(format!("Onderdeel {number}: de titel ontbreekt."));
            continue;
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            errors.push(format!(
                "Onderdeel {number}: de titel is te lang (maximaal {MAX_TITLE_CHARS} tekens)."
            ));
            continue;
        }
        let explanation = pieces.get(1).copied().unwrap_or_default();
        if explanation.chars().count() > MAX_EXPLANATION_CHARS {
            errors.push(format!(
                "Onderdeel {number}: de toelichting is te lang (maximaal {MAX_EXPLANATION_CHARS} tekens)."
            ));
            continue;
        }
        let duration_min = match pieces.get(2).copied().unwrap_or_default() {
            "" => None,
            minutes => match minutes.parse::<i64>() {
                Ok(m) if (1..=MAX_DURATION_MIN).contains(&m) => Some(m),
                _ => {
                    errors.push(format!(
                        "Onderdeel {number}: geef de duur in minuten, een geheel getal van 1 tot {MAX_DURATION_MIN}."
                    ));
                    continue;
                }
            },
        };
        parts.push(TemplatePart {
            title: title.to_string(),
            explanation: explanation.to_string(),
            duration_min,
        });
    }
    if parts.is_empty() && errors.is_empty() {
        errors.push("Geef minstens één onderdeel, één per regel.".to_string());
    }
    if parts.len() + errors.len() > MAX_PARTS {
        errors.push(format!(
            "Een sjabloon heeft hoogstens {MAX_PARTS} onderdelen."
        ));
    }
    if errors.is_empty() {
        Ok(parts)
    } else {
        Err(errors)
    }
}

/// The parts as the textarea shows them (the inverse of [`parse_parts`]).
pub fn format_parts(parts: &[TemplatePart]) -> String {
    parts
        .iter()
        .map(|part| {
            let minutes = part.duration_min.map(|m| m.to_string()).unwrap_or_default();
            match (part.explanation.is_empty(), minutes.is_empty()) {
                (true, true) => part.title.clone(),
                (false, true) => format!("{} | {}", part.title, part.explanation),
                _ => format!("{} | {} | {minutes}", part.title, part.explanation),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parts_json(parts: &[TemplatePart]) -> String {
    let list: Vec<serde_json::Value> = parts
        .iter()
        .map(|p| {
            serde_json::json!({
                "title": p.title,
                "explanation": p.explanation,
                "duration_min": p.duration_min,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// Every template by name, with the names of the groups that have it as their default.
pub async fn list_with_use<'e, E>(exec: E) -> CoreResult<Vec<TemplateUse>>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let templates = crate::store::agenda::templates(exec).await?;
    let rows = sqlx::query(
        "SELECT g.agenda_template_id, w.name FROM wg_groups g
         JOIN working_groups w ON w.id = g.group_id
         WHERE g.agenda_template_id IS NOT NULL ORDER BY w.name, w.id",
    )
    .fetch_all(exec)
    .await?;
    Ok(templates
        .into_iter()
        .map(|template| {
            let groups = rows
                .iter()
                .filter(|r| r.get::<String, _>(0) == template.id)
                .map(|r| r.get::<String, _>(1))
                .collect();
            TemplateUse { template, groups }
        })
        .collect())
}

async fn check(
    tx: &mut Tx<'_>,
    fields: &TemplateFields,
    own_id: Option<&str>,
) -> CoreResult<(String, Vec<TemplatePart>)> {
    let mut errors = Vec::new();
    let name = fields.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Vul een naam in."));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            "name",
            format!("De naam is te lang (maximaal {MAX_NAME_CHARS} tekens)."),
        ));
    } else {
        let taken: Option<String> =
            sqlx::query_scalar("SELECT id FROM wg_agenda_templates WHERE name = $1")
                .bind(&name)
                .fetch_optional(&mut **tx)
                .await?;
        if taken.is_some_and(|id| Some(id.as_str()) != own_id) {
            errors.push(FieldError::new(
                "name",
                "Er is al een sjabloon met deze naam.",
            ));
        }
    }
    let parts = match parse_parts(&fields.parts) {
        Ok(parts) => parts,
        Err(messages) => {
            errors.extend(messages.into_iter().map(|m| FieldError::new("parts", m)));
            Vec::new()
        }
    };
    if errors.is_empty() {
        Ok((name, parts))
    } else {
        Err(CoreError::Invalid(errors))
    }
}

async fn record(
    tx: &mut Tx<'_>,
    actor: &AuditActor,
    id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// Makes a template (staff only).
pub async fn create(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    fields: &TemplateFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    access::require_staff(who, kenniscentrum_id)?;
    let (name, parts) = check(tx, fields, None).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_agenda_templates (id, name, parts, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(&name)
    .bind(parts_json(&parts))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let summary = format!("Agendasjabloon {name} gemaakt");
    let changes = Changes::new()
        .created("name", &name)
        .created("parts", parts.len());
    record(tx, actor, &id, "create", &summary, changes).await?;
    Ok(id)
}

/// One template.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Template>> {
    Ok(crate::store::agenda::templates(exec)
        .await?
        .into_iter()
        .find(|t| t.id == id))
}

/// Changes a template's name and parts (staff only). Agendas already made keep their items.
pub async fn update(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    fields: &TemplateFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    access::require_staff(who, kenniscentrum_id)?;
    let before = find(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("sjabloon"))?;
    let (name, parts) = check(tx, fields, Some(id)).await?;
    sqlx::query(
        "UPDATE wg_agenda_templates SET name = $1, parts = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&name)
    .bind(parts_json(&parts))
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let summary = format!("Agendasjabloon {name} gewijzigd");
    let changes = Changes::new()
        .field("name", Some(before.name.as_str()), Some(name.as_str()))
        .field("parts", before.parts.len(), parts.len());
    record(tx, actor, id, "update", &summary, changes).await
}

/// Deletes a template (staff only); the groups that had it as their default have none after.
/// Returns how many groups lost it.
pub async fn delete(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    actor: &AuditActor,
) -> CoreResult<u64> {
    access::require_staff(who, kenniscentrum_id)?;
    let before = find(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("sjabloon"))?;
    let cleared = sqlx::query(
        "UPDATE wg_groups SET agenda_template_id = NULL, updated_at = $1
         WHERE agenda_template_id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM wg_agenda_templates WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let summary = format!(
        "Agendasjabloon {} verwijderd ({cleared} werkgroepen zonder standaardsjabloon)",
        before.name
    );
    let changes = Changes::new().field("name", Some(before.name.as_str()), None::<&str>);
    record(tx, actor, id, "delete", &summary, changes).await?;
    Ok(cleared)
}

/// Sets (or, with an empty id, clears) a group's default template: for those who run the
/// group, as its settings page.
pub async fn set_group_default(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    template_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    if !standing.can_manage_group() {
        return Err(CoreError::Forbidden);
    }
    let template_id = template_id.trim();
    let chosen = if template_id.is_empty() {
        None
    } else {
        let Some(template) = find(&mut **tx, template_id).await? else {
            return Err(CoreError::invalid(
                "agenda_template_id",
                "Kies een van de sjablonen in de lijst.",
            ));
        };
        Some(template)
    };
    let before = crate::store::agenda::group_template(&mut **tx, group_id).await?;
    sqlx::query(
        "UPDATE wg_groups SET agenda_template_id = $1, updated_at = $2 WHERE group_id = $3",
    )
    .bind(chosen.as_ref().map(|t| t.id.as_str()))
    .bind(now_ms())
    .bind(group_id)
    .execute(&mut **tx)
    .await?;
    let summary = match &chosen {
        Some(t) => format!("Standaardsjabloon voor de agenda: {}", t.name),
        None => "Geen standaardsjabloon meer voor de agenda".to_string(),
    };
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: crate::store::profile::ENTITY,
            entity_id: group_id,
            action: "agenda_template",
            summary: &summary,
            changes: Changes::new().field(
                "agenda_template_id",
                before.as_deref(),
                chosen.as_ref().map(|t| t.id.as_str()),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Starts the agenda of a meeting just inserted with the parts of the group's default
/// template, if it has one (accepted items, origin `sjabloon`). The meeting's creation is
/// the audited action; these items are part of it. Returns the number of items.
pub async fn start_agenda(tx: &mut Tx<'_>, group_id: &str, meeting_id: &str) -> CoreResult<usize> {
    let Some(template_id) = crate::store::agenda::group_template(&mut **tx, group_id).await? else {
        return Ok(0);
    };
    let Some(template) = find(&mut **tx, &template_id).await? else {
        return Ok(0);
    };
    let now = now_ms();
    for (index, part) in template.parts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO wg_agenda_items (id, meeting_id, position, origin, status, title,
                explanation_md, duration_min, created_at, updated_at)
             VALUES ($1, $2, $3, 'sjabloon', 'aanvaard', $4, $5, $6, $7, $7)",
        )
        .bind(new_id())
        .bind(meeting_id)
        .bind(index as i64 + 1)
        .bind(&part.title)
        .bind(&part.explanation)
        .bind(part.duration_min)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(template.parts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_typed_one_per_line() {
        let parts = parse_parts("Nieuws | Kort nieuws | 30\n\nThema\nRuggenspraak || 15").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].duration_min, Some(30));
        assert_eq!(parts[1].explanation, "");
        assert_eq!(parts[2].duration_min, Some(15));
        assert_eq!(
            parse_parts(&format_parts(&parts)).unwrap(),
            parts,
            "format and parse agree"
        );
        let errors = parse_parts("Nieuws | x | dertig\n | leeg").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].starts_with("Onderdeel 1"), "{errors:?}");
        assert!(parse_parts("  \n").is_err());
    }
}
