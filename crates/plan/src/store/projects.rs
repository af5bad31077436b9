//! Projects and milestones in the database: validation, writes with their audit entry in the
//! same transaction, and reads.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{flag, new_id, now_ms, Tx};

use super::parse_date_field;
use crate::model::projects::{Milestone, MilestoneFields, Project, ProjectFields};
use crate::model::ItemStatus;

fn clean_title(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn required_date(errors: &mut Vec<FieldError>, field: &str, value: &str) -> String {
    match parse_date_field(value) {
        Ok(Some(date)) => date,
        Ok(None) => {
            errors.push(FieldError::new(field, "Geef een datum."));
            String::new()
        }
        Err(message) => {
            errors.push(FieldError::new(field, message));
            String::new()
        }
    }
}

fn title_errors(errors: &mut Vec<FieldError>, title: &str) {
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef een titel."));
    } else if title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 200 tekens lang zijn.",
        ));
    }
}

struct ValidProject {
    title: String,
    description: String,
    start_date: String,
    end_date: String,
    status: ItemStatus,
}

fn validate_project(fields: &ProjectFields) -> Result<ValidProject, CoreError> {
    let mut errors = Vec::new();
    let title = clean_title(&fields.title);
    title_errors(&mut errors, &title);
    let description = fields.description.trim().to_string();
    if description.chars().count() > 4000 {
        errors.push(FieldError::new(
            "description",
            "De beschrijving mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    let start_date = required_date(&mut errors, "start_date", &fields.start_date);
    let end_date = required_date(&mut errors, "end_date", &fields.end_date);
    if !start_date.is_empty() && !end_date.is_empty() && end_date < start_date {
        errors.push(FieldError::new(
            "end_date",
            "De einddatum ligt vóór de begindatum.",
        ));
    }
    let status = match fields.status.trim() {
        "" => Some(ItemStatus::NietGestart),
        text => ItemStatus::parse(text),
    };
    if status.is_none() {
        errors.push(FieldError::new("status", "Kies een geldige status."));
    }
    match status {
        Some(status) if errors.is_empty() => Ok(ValidProject {
            title,
            description,
            start_date,
            end_date,
            status,
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

fn validate_milestone(fields: &MilestoneFields) -> Result<(String, String, bool), CoreError> {
    let mut errors = Vec::new();
    let title = clean_title(&fields.title);
    title_errors(&mut errors, &title);
    let due_date = required_date(&mut errors, "due_date", &fields.due_date);
    if errors.is_empty() {
        Ok((title, due_date, !fields.done.trim().is_empty()))
    } else {
        Err(CoreError::Invalid(errors))
    }
}

async fn org_of_plan(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<String> {
    crate::store::plans::organisation_of(&mut **tx, plan_id).await
}

async fn record(
    tx: &mut Tx<'_>,
    actor: &AuditActor,
    plan_id: &str,
    (entity_type, entity_id, action): (&str, &str, &str),
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    let organisation_id = org_of_plan(tx, plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type,
            entity_id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// Adds a project under an item.
pub async fn create(
    tx: &mut Tx<'_>,
    item_id: &str,
    fields: &ProjectFields,
    actor: &AuditActor,
) -> CoreResult<Project> {
    let valid = validate_project(fields)?;
    let item = crate::store::items::get(&mut **tx, item_id).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO plan_projects (id, plan_id, item_id, title, description, start_date, \
         end_date, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(&item.plan_id)
    .bind(item_id)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(&valid.start_date)
    .bind(&valid.end_date)
    .bind(valid.status.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        &item.plan_id,
        ("plan_project", &id, "create"),
        &format!("Project toegevoegd aan {}: {}", item.code, valid.title),
        Changes::new()
            .created("title", &valid.title)
            .created("start_date", &valid.start_date)
            .created("end_date", &valid.end_date),
    )
    .await?;
    get(tx, &id).await
}

/// Changes a project.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &ProjectFields,
    actor: &AuditActor,
) -> CoreResult<Project> {
    let valid = validate_project(fields)?;
    let old = get(tx, id).await?;
    sqlx::query(
        "UPDATE plan_projects SET title = $2, description = $3, start_date = $4, end_date = $5, \
         status = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(&valid.start_date)
    .bind(&valid.end_date)
    .bind(valid.status.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        &old.plan_id,
        ("plan_project", id, "update"),
        &format!("Project gewijzigd: {}", valid.title),
        Changes::new()
            .field("title", old.title.as_str(), &valid.title)
            .field("description", old.description.as_str(), &valid.description)
            .field("start_date", old.start_date.as_str(), &valid.start_date)
            .field("end_date", old.end_date.as_str(), &valid.end_date)
            .field("status", old.status.as_str(), valid.status.as_str()),
    )
    .await?;
    get(tx, id).await
}

/// Deletes a project with its milestones.
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<()> {
    let old = get(tx, id).await?;
    sqlx::query("DELETE FROM plan_milestones WHERE project_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM plan_projects WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        actor,
        &old.plan_id,
        ("plan_project", id, "delete"),
        &format!("Project verwijderd: {}", old.title),
        Changes::new().field("title", Some(old.title.as_str()), None),
    )
    .await
}

/// Adds a milestone to a project.
pub async fn add_milestone(
    tx: &mut Tx<'_>,
    project_id: &str,
    fields: &MilestoneFields,
    actor: &AuditActor,
) -> CoreResult<Milestone> {
    let (title, due_date, done) = validate_milestone(fields)?;
    let project = get(tx, project_id).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO plan_milestones (id, project_id, title, due_date, done, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(&title)
    .bind(&due_date)
    .bind(flag::to_db(done))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        &project.plan_id,
        ("plan_milestone", &id, "create"),
        &format!("Mijlpaal toegevoegd aan {}: {title}", project.title),
        Changes::new()
            .created("title", &title)
            .created("due_date", &due_date),
    )
    .await?;
    Ok(Milestone {
        id,
        project_id: project_id.to_string(),
        title,
        due_date,
        done,
    })
}

/// Changes a milestone (title, due date, done).
pub async fn update_milestone(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &MilestoneFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let (title, due_date, done) = validate_milestone(fields)?;
    let (old, plan_id) = get_milestone(&mut **tx, id).await?;
    sqlx::query("UPDATE plan_milestones SET title = $2, due_date = $3, done = $4 WHERE id = $1")
        .bind(id)
        .bind(&title)
        .bind(&due_date)
        .bind(flag::to_db(done))
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        actor,
        &plan_id,
        ("plan_milestone", id, "update"),
        &format!("Mijlpaal gewijzigd: {title}"),
        Changes::new()
            .field("title", old.title.as_str(), &title)
            .field("due_date", old.due_date.as_str(), &due_date)
            .field("done", old.done, done),
    )
    .await
}

/// Deletes a milestone.
pub async fn delete_milestone(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<()> {
    let (old, plan_id) = get_milestone(&mut **tx, id).await?;
    sqlx::query("DELETE FROM plan_milestones WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        actor,
        &plan_id,
        ("plan_milestone", id, "delete"),
        &format!("Mijlpaal verwijderd: {}", old.title),
        Changes::new().field("title", Some(old.title.as_str()), None),
    )
    .await
}

/// A milestone with the plan of its project; fails with `NotFound` when there is none.
pub async fn get_milestone<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<(Milestone, String)> {
    let row = sqlx::query(
        "SELECT m.id, m.project_id, m.title, m.due_date, m.done, p.plan_id \
         FROM plan_milestones m JOIN plan_projects p ON p.id = m.project_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?
    .ok_or(CoreError::NotFound("mijlpaal"))?;
    Ok((milestone_from_row(&row)?, row.try_get("plan_id")?))
}

fn milestone_from_row(row: &sqlx::any::AnyRow) -> Result<Milestone, sqlx::Error> {
    Ok(Milestone {
        id: row.try_get("id")?,
        project_id: row.try_get("project_id")?,
        title: row.try_get("title")?,
        due_date: row.try_get("due_date")?,
        done: flag::from_db(row.try_get("done")?),
    })
}

const PROJECT_COLUMNS: &str = "id, plan_id, item_id, title, description, start_date, end_date, \
     status, created_at, updated_at";

fn project_from_row(row: &sqlx::any::AnyRow) -> Result<Project, sqlx::Error> {
    Ok(Project {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        item_id: row.try_get("item_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        status: ItemStatus::parse(&row.try_get::<String, _>("status")?)
            .unwrap_or(ItemStatus::NietGestart),
        milestones: Vec::new(),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// One project; fails with `NotFound` when there is none.
pub async fn get(conn: &mut sqlx::AnyConnection, id: &str) -> CoreResult<Project> {
    find(conn, id).await?.ok_or(CoreError::NotFound("project"))
}

/// One project with its milestones.
pub async fn find(conn: &mut sqlx::AnyConnection, id: &str) -> CoreResult<Option<Project>> {
    let row = sqlx::query(&format!(
        "SELECT {PROJECT_COLUMNS} FROM plan_projects WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut project = project_from_row(&row)?;
    project.milestones = milestones_where(&mut *conn, "m.project_id = $1", id).await?;
    Ok(Some(project))
}

async fn milestones_where<'e>(
    executor: impl Executor<'e, Database = Any>,
    condition: &str,
    value: &str,
) -> CoreResult<Vec<Milestone>> {
    let rows = sqlx::query(&format!(
        "SELECT m.id, m.project_id, m.title, m.due_date, m.done FROM plan_milestones m \
         JOIN plan_projects p ON p.id = m.project_id WHERE {condition} ORDER BY m.due_date, m.id"
    ))
    .bind(value)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(milestone_from_row)
        .collect::<Result<_, _>>()?)
}

async fn list_where(
    conn: &mut sqlx::AnyConnection,
    column: &str,
    value: &str,
) -> CoreResult<Vec<Project>> {
    let rows = sqlx::query(&format!(
        "SELECT {PROJECT_COLUMNS} FROM plan_projects WHERE {column} = $1 \
         ORDER BY start_date, title, id"
    ))
    .bind(value)
    .fetch_all(&mut *conn)
    .await?;
    let mut projects: Vec<Project> = rows
        .iter()
        .map(project_from_row)
        .collect::<Result<_, _>>()?;
    let milestones = milestones_where(&mut *conn, &format!("p.{column} = $1"), value).await?;
    for project in &mut projects {
        project.milestones = milestones
            .iter()
            .filter(|m| m.project_id == project.id)
            .cloned()
            .collect();
    }
    Ok(projects)
}

/// The projects of an item, by start date.
pub async fn list_for_item(
    conn: &mut sqlx::AnyConnection,
    item_id: &str,
) -> CoreResult<Vec<Project>> {
    list_where(conn, "item_id", item_id).await
}

/// The projects of a plan, by start date.
pub async fn list_for_plan(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
) -> CoreResult<Vec<Project>> {
    list_where(conn, "plan_id", plan_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_dates_are_checked() {
        let err = validate_project(&ProjectFields {
            title: "Bouw".into(),
            start_date: "2026-05-01".into(),
            end_date: "2026-04-01".into(),
            ..ProjectFields::default()
        })
        .err();
        assert!(
            matches!(err, Some(CoreError::Invalid(ref e)) if e.len() == 1 && e[0].field == "end_date")
        );
        let ok = validate_project(&ProjectFields {
            title: "Bouw".into(),
            start_date: "01/04/2026".into(),
            end_date: "2026-05-01".into(),
            ..ProjectFields::default()
        })
        .ok()
        .map(|v| (v.start_date, v.status));
        assert_eq!(ok, Some(("2026-04-01".into(), ItemStatus::NietGestart)));
    }
}
