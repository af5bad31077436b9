//! The LinkedIn planner's posts and their figures (`nb_linkedin_posts`, `nb_linkedin_stats`;
//! design §3.9). Every write checks that the actor is an editor, takes the caller's
//! transaction and leaves an audit entry; the rules of a post are in [`crate::linkedin`].

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access;
use crate::linkedin::{self, IsoWeek, PostStatus};

/// A post as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: String,
    pub week: IsoWeek,
    pub text: String,
    /// The platform item it was drafted from, if any.
    pub source: Option<PostSource>,
    pub status: PostStatus,
    pub planned_on: Option<NaiveDate>,
    pub posted_on: Option<NaiveDate>,
    pub url: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The item a post was drafted from: where it came from and a copy of its title and link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostSource {
    pub module: String,
    pub id: String,
    pub title: String,
    pub href: String,
}

impl Post {
    /// The text's lines, for a page that shows them as typed.
    pub fn lines(&self) -> Vec<&str> {
        self.text.lines().collect()
    }
}

const COLUMNS: &str = "id, week, text, source_module, source_id, source_title, source_href, \
                       status, planned_on, posted_on, url, created_at, updated_at";

fn stored_date(value: Option<String>) -> CoreResult<Option<NaiveDate>> {
    value
        .map(|text| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| {
                CoreError::Internal(anyhow::anyhow!("nb_linkedin_posts: date {text:?}: {e}"))
            })
        })
        .transpose()
}

fn from_row(row: &AnyRow) -> CoreResult<Post> {
    let week: String = row.get("week");
    let status: String = row.get("status");
    let source_module: Option<String> = row.get("source_module");
    let text = |column: &str| row.get::<Option<String>, _>(column).unwrap_or_default();
    let source = source_module.map(|module| PostSource {
        module,
        id: text("source_id"),
        title: text("source_title"),
        href: text("source_href"),
    });
    Ok(Post {
        id: row.get("id"),
        week: IsoWeek::parse(&week)?,
        text: row.get("text"),
        source,
        status: PostStatus::parse(&status)?,
        planned_on: stored_date(row.get("planned_on"))?,
        posted_on: stored_date(row.get("posted_on"))?,
        url: row.get("url"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Post>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_linkedin_posts WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The post `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(executor: E, id: &str) -> CoreResult<Post> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("LinkedIn-post"))
}

/// The posts of the weeks `first` to `last` (both included), by week and then by day.
pub async fn in_weeks<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    first: IsoWeek,
    last: IsoWeek,
) -> CoreResult<Vec<Post>> {
    // 'YYYY-Www' with a zero-padded week sorts as the weeks do.
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_linkedin_posts WHERE week >= $1 AND week <= $2
         ORDER BY week, COALESCE(planned_on, posted_on, ''), created_at"
    ))
    .bind(first.key())
    .bind(last.key())
    .fetch_all(executor)
    .await?;
    rows.iter().map(from_row).collect()
}

/// What a new post is made of; the text and week as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPost {
    pub week: String,
    pub text: String,
    pub source: Option<PostSource>,
}

/// A new concept post; its id.
pub async fn create(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    new: &NewPost,
    audit_actor: &AuditActor,
) -> CoreResult<String> {
    access::require_editor(who, kenniscentrum_id)?;
    let (week, text) = collect(&new.week, &new.text)?;
    let id = new_id();
    let now = now_ms();
    let source = new.source.as_ref();
    sqlx::query(
        "INSERT INTO nb_linkedin_posts (id, week, text, source_module, source_id, source_title,
                                        source_href, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(week.key())
    .bind(&text)
    .bind(source.map(|s| s.module.clone()))
    .bind(source.map(|s| s.id.clone()))
    .bind(source.map(|s| s.title.clone()))
    .bind(source.map(|s| s.href.clone()))
    .bind(PostStatus::Concept.as_str())
    .bind(audit_actor.user_id.clone())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        audit_actor,
        &id,
        "create",
        &format!("LinkedIn-post voor {} aangemaakt", week.key()),
        Changes::new().created("week", week.key()),
    )
    .await?;
    Ok(id)
}

/// Both fields checked at once, so the form shows every error together.
fn collect(week: &str, text: &str) -> CoreResult<(IsoWeek, String)> {
    let week = IsoWeek::parse(week);
    let text = linkedin::check_text(text);
    match (week, text) {
        (Ok(week), Ok(text)) => Ok((week, text)),
        (week, text) => Err(CoreError::Invalid(
            [week.err(), text.err()]
                .into_iter()
                .flatten()
                .flat_map(field_errors)
                .collect(),
        )),
    }
}

fn field_errors(error: CoreError) -> Vec<steden_core::FieldError> {
    match error {
        CoreError::Invalid(errors) => errors,
        _ => Vec::new(),
    }
}

/// Changes the week and text of a post that is not yet posted. Moving a planned post to
/// another week makes it a concept again: its day belonged to the old week.
pub async fn update(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    week: &str,
    text: &str,
    audit_actor: &AuditActor,
) -> CoreResult<()> {
    access::require_editor(who, kenniscentrum_id)?;
    let post = get(&mut **tx, id).await?;
    refuse_when_posted(&post)?;
    let (week, text) = collect(week, text)?;
    let (status, planned_on) = if week == post.week {
        (post.status, post.planned_on)
    } else {
        (PostStatus::Concept, None)
    };
    sqlx::query(
        "UPDATE nb_linkedin_posts SET week = $1, text = $2, status = $3, planned_on = $4,
                updated_at = $5 WHERE id = $6",
    )
    .bind(week.key())
    .bind(&text)
    .bind(status.as_str())
    .bind(planned_on.map(|d| d.to_string()))
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        audit_actor,
        id,
        "update",
        "LinkedIn-post gewijzigd",
        Changes::new()
            .field("week", post.week.key(), week.key())
            .field("text", post.text, text),
    )
    .await
}

fn refuse_when_posted(post: &Post) -> CoreResult<()> {
    if post.status == PostStatus::Gepost {
        return Err(CoreError::Conflict(
            "Deze post staat al op LinkedIn: de tekst en de week liggen vast.".into(),
        ));
    }
    Ok(())
}

/// Plans the post on `day`, which must fall in its week.
pub async fn plan(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    day: &str,
    audit_actor: &AuditActor,
) -> CoreResult<NaiveDate> {
    access::require_editor(who, kenniscentrum_id)?;
    let post = get(&mut **tx, id).await?;
    refuse_when_posted(&post)?;
    let day = linkedin::parse_day(day, "planned_on")?;
    if !post.week.contains(day) {
        return Err(CoreError::invalid(
            "planned_on",
            &format!(
                "Kies een dag in week {} (van {} tot {}).",
                post.week.number(),
                steden_core::time::format_naive_date(post.week.monday()),
                steden_core::time::format_naive_date(post.week.sunday()),
            ),
        ));
    }
    sqlx::query(
        "UPDATE nb_linkedin_posts SET status = $1, planned_on = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(PostStatus::Gepland.as_str())
    .bind(day.to_string())
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        audit_actor,
        id,
        "plan",
        &format!("LinkedIn-post gepland op {day}"),
        Changes::new().field(
            "planned_on",
            post.planned_on.map(|d| d.to_string()),
            Some(day.to_string()),
        ),
    )
    .await?;
    Ok(day)
}

/// Marks the post as posted on `day` at `url` (required, a linkedin.com address; the day not
/// in the future). A posted post may have its address corrected the same way.
pub async fn mark_posted(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    url: &str,
    day: &str,
    audit_actor: &AuditActor,
) -> CoreResult<()> {
    access::require_editor(who, kenniscentrum_id)?;
    let post = get(&mut **tx, id).await?;
    let url = linkedin::check_post_url(url);
    let day = linkedin::parse_day(day, "posted_on").and_then(|day| {
        if day > linkedin::today() {
            Err(CoreError::invalid(
                "posted_on",
                "Een post kan niet in de toekomst gepost zijn.",
            ))
        } else {
            Ok(day)
        }
    });
    let (url, day) = match (url, day) {
        (Ok(url), Ok(day)) => (url, day),
        (url, day) => {
            return Err(CoreError::Invalid(
                [url.err(), day.err()]
                    .into_iter()
                    .flatten()
                    .flat_map(field_errors)
                    .collect(),
            ))
        }
    };
    sqlx::query(
        "UPDATE nb_linkedin_posts SET status = $1, url = $2, posted_on = $3, updated_at = $4
         WHERE id = $5",
    )
    .bind(PostStatus::Gepost.as_str())
    .bind(&url)
    .bind(day.to_string())
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        audit_actor,
        id,
        "post",
        "LinkedIn-post als gepost gemarkeerd",
        Changes::new().field("url", post.url, Some(url)),
    )
    .await
}

/// Deletes the post and its figures.
pub async fn delete(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    audit_actor: &AuditActor,
) -> CoreResult<()> {
    access::require_editor(who, kenniscentrum_id)?;
    let post = get(&mut **tx, id).await?;
    sqlx::query("DELETE FROM nb_linkedin_posts WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        audit_actor,
        id,
        "delete",
        &format!("LinkedIn-post van {} verwijderd", post.week.key()),
        Changes::new().field("text", Some(post.text), None),
    )
    .await
}

/// A post's figures on a day, as LinkedIn showed them (totals since posting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub impressions: i64,
    pub reactions: i64,
    pub reposts: i64,
    pub clicks: i64,
}

/// One measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    pub measured_on: NaiveDate,
    pub figures: Figures,
}

/// Records the figures of a posted post on `day` (not before it was posted, not in the
/// future); a second entry for the same day replaces the first.
pub async fn record_figures(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    post_id: &str,
    day: &str,
    figures: Figures,
    audit_actor: &AuditActor,
) -> CoreResult<NaiveDate> {
    access::require_editor(who, kenniscentrum_id)?;
    let post = get(&mut **tx, post_id).await?;
    let Some(posted_on) = post.posted_on.filter(|_| post.status == PostStatus::Gepost) else {
        return Err(CoreError::Conflict(
            "Cijfers horen bij een post die op LinkedIn staat: markeer hem eerst als gepost."
                .into(),
        ));
    };
    let day = linkedin::parse_day(day, "measured_on")?;
    if day < posted_on || day > linkedin::today() {
        return Err(CoreError::invalid(
            "measured_on",
            "Kies een dag vanaf de dag van posten tot vandaag.",
        ));
    }
    sqlx::query(
        "INSERT INTO nb_linkedin_stats (post_id, measured_on, impressions, reactions, reposts,
                                        clicks, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (post_id, measured_on) DO UPDATE SET impressions = excluded.impressions,
             reactions = excluded.reactions, reposts = excluded.reposts,
             clicks = excluded.clicks, recorded_at = excluded.recorded_at",
    )
    .bind(post_id)
    .bind(day.to_string())
    .bind(figures.impressions)
    .bind(figures.reactions)
    .bind(figures.reposts)
    .bind(figures.clicks)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        audit_actor,
        post_id,
        "figures",
        &format!("Cijfers van {day} ingevoerd"),
        Changes::new().created("impressions", figures.impressions),
    )
    .await?;
    Ok(day)
}

fn measurement(row: &AnyRow) -> CoreResult<Measurement> {
    Ok(Measurement {
        measured_on: stored_date(row.get("measured_on"))?
            .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("measured_on is required")))?,
        figures: Figures {
            impressions: row.get("impressions"),
            reactions: row.get("reactions"),
            reposts: row.get("reposts"),
            clicks: row.get("clicks"),
        },
    })
}

/// A post's measurements, oldest first.
pub async fn measurements<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    post_id: &str,
) -> CoreResult<Vec<Measurement>> {
    let rows = sqlx::query(
        "SELECT measured_on, impressions, reactions, reposts, clicks FROM nb_linkedin_stats
         WHERE post_id = $1 ORDER BY measured_on",
    )
    .bind(post_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(measurement).collect()
}

/// The figures of each post posted from `first` to `last` (days, both included), as its
/// latest measurement shows them: the totals the monthly chart adds up. With the day it was
/// posted.
pub async fn latest_figures_posted_between<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    first: NaiveDate,
    last: NaiveDate,
) -> CoreResult<Vec<(NaiveDate, Figures)>> {
    let rows = sqlx::query(
        "SELECT p.posted_on AS measured_on, s.impressions, s.reactions, s.reposts, s.clicks
         FROM nb_linkedin_posts p
         JOIN nb_linkedin_stats s ON s.post_id = p.id
         WHERE p.status = 'gepost' AND p.posted_on >= $1 AND p.posted_on <= $2
           AND s.measured_on = (SELECT MAX(m.measured_on) FROM nb_linkedin_stats m
                                WHERE m.post_id = p.id)
         ORDER BY p.posted_on",
    )
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| measurement(row).map(|m| (m.measured_on, m.figures)))
        .collect()
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
            entity_type: "nb_linkedin_post",
            entity_id: id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// The measurements of every post of the weeks `first` to `last`, by post id, oldest first.
pub async fn measurements_in_weeks<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    first: IsoWeek,
    last: IsoWeek,
) -> CoreResult<Vec<(String, Measurement)>> {
    let rows = sqlx::query(
        "SELECT s.post_id, s.measured_on, s.impressions, s.reactions, s.reposts, s.clicks
         FROM nb_linkedin_stats s JOIN nb_linkedin_posts p ON p.id = s.post_id
         WHERE p.week >= $1 AND p.week <= $2 ORDER BY s.post_id, s.measured_on",
    )
    .bind(first.key())
    .bind(last.key())
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| Ok((row.get("post_id"), measurement(row)?)))
        .collect()
}
