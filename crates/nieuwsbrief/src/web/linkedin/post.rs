//! `/nieuwsbrief/beheer/linkedin/{id}`: one post. Its forms — edit week and text, plan on a day,
//! mark posted with its address, enter the figures of a day — post to their own addresses and,
//! on an error, show this page again with the error beside the field (the field names differ
//! between the forms, so one error list serves them all). Deleting asks first.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::CoreResult;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::linkedin::chart::{self, Bar};
use crate::linkedin::{self, PostStatus};
use crate::paths;
use crate::store::linkedin::{self as store, Figures, Post};
use crate::web::{audit_actor, require_editor};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/nieuwsbrief/beheer/linkedin/posts/{id}",
            get(show).post(edit),
        )
        .route(
            "/nieuwsbrief/beheer/linkedin/posts/{id}/plannen",
            post(plan),
        )
        .route(
            "/nieuwsbrief/beheer/linkedin/posts/{id}/gepost",
            post(posted),
        )
        .route(
            "/nieuwsbrief/beheer/linkedin/posts/{id}/cijfers",
            post(figures),
        )
        .route(
            "/nieuwsbrief/beheer/linkedin/posts/{id}/verwijderen",
            get(ask_delete).post(delete),
        )
}

/// Every field of the page's forms, as typed; what a failed form sent is shown again.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Fields {
    week: String,
    text: String,
    planned_on: String,
    url: String,
    posted_on: String,
    measured_on: String,
    impressions: String,
    reactions: String,
    reposts: String,
    clicks: String,
}

/// One measurement, as the table shows it.
struct MeasurementRow {
    day: String,
    impressions: String,
    reactions: String,
    reposts: String,
    clicks: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/linkedin/post.html")]
struct PostPage {
    ctx: PageContext,
    errors: FormErrors,
    post: Post,
    status_label: String,
    week_label: String,
    planned_label: String,
    posted_label: String,
    fields: Fields,
    is_posted: bool,
    source_href: String,
    measurements: Vec<MeasurementRow>,
    chart: String,
}

async fn page(
    ctx: PageContext,
    id: &str,
    typed: Option<Fields>,
    errors: FormErrors,
) -> Result<PostPage, AppError> {
    let db = ctx.state().db();
    let post = store::get(db.pool(), id).await?;
    let measurements = store::measurements(db.pool(), id).await?;
    let today = linkedin::today().to_string();
    let fields = typed.unwrap_or_else(|| Fields {
        week: post.week.key(),
        text: post.text.clone(),
        planned_on: post
            .planned_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| post.week.monday().to_string()),
        url: post.url.clone().unwrap_or_default(),
        posted_on: post
            .posted_on
            .or(post.planned_on)
            .map(|d| d.to_string())
            .unwrap_or_else(|| today.clone()),
        measured_on: today.clone(),
        ..Fields::default()
    });
    let lang = ctx.lang;
    let bars: Vec<Bar> = measurements
        .iter()
        .map(|m| Bar {
            label: steden_core::time::format_naive_date(m.measured_on),
            value: m.figures.impressions,
        })
        .collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        chart::bars_svg(
            "nb-li-post",
            &ctx.t("nb-li-post-chart-title"),
            &ctx.t("nb-li-post-chart-desc"),
            &bars,
            lang,
        )
    };
    let number = post.week.number().to_string();
    let from = steden_core::time::format_naive_date(post.week.monday());
    let until = steden_core::time::format_naive_date(post.week.sunday());
    let title = ctx.t_with("nb-li-post-title", &[("number", &number)]);
    Ok(PostPage {
        errors,
        status_label: ctx.t(&post.status.label_key()),
        week_label: ctx.t_with(
            "nb-li-week-heading",
            &[("number", &number), ("from", &from), ("until", &until)],
        ),
        planned_label: show_day(post.planned_on),
        posted_label: show_day(post.posted_on),
        is_posted: post.status == PostStatus::Gepost,
        source_href: post
            .source
            .as_ref()
            .map(|source| source.href.clone())
            .unwrap_or_default(),
        measurements: measurements
            .iter()
            .map(|m| MeasurementRow {
                day: steden_core::time::format_naive_date(m.measured_on),
                impressions: chart::format_count(m.figures.impressions, lang),
                reactions: chart::format_count(m.figures.reactions, lang),
                reposts: chart::format_count(m.figures.reposts, lang),
                clicks: chart::format_count(m.figures.clicks, lang),
            })
            .collect(),
        chart,
        fields,
        post,
        ctx: super::crumbed_in_planner(ctx).titled(title),
    })
}

/// A day as 7/12/2026, or nothing.
fn show_day(day: Option<chrono::NaiveDate>) -> String {
    day.map(steden_core::time::format_naive_date)
        .unwrap_or_default()
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    render(&page(ctx, &id, None, FormErrors::none()).await?)
}

/// What every write of the page starts with: the editor (checked), the Kenniscentrum, the
/// audit actor and the transaction.
struct Write {
    who: steden_core::policy::Actor,
    kenniscentrum_id: String,
    audit: steden_core::audit::AuditActor,
    tx: steden_db::Tx<'static>,
}

async fn begin_write(ctx: &PageContext) -> Result<Write, AppError> {
    let (who, kenniscentrum_id) = require_editor(ctx).await?;
    Ok(Write {
        who,
        kenniscentrum_id,
        audit: audit_actor(ctx)?,
        tx: ctx.state().db().begin().await?,
    })
}

/// The shared end of every form of the page: commit `result`'s transaction and go back to the
/// post with `done` as the message, or roll back and show this page with the error.
async fn finish(
    ctx: PageContext,
    id: &str,
    fields: Fields,
    tx: steden_db::Tx<'_>,
    result: CoreResult<()>,
    done: &str,
) -> Result<Response, AppError> {
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t(done)),
            &paths::linkedin_post(id),
        )),
        Err(errors) => form::invalid(&page(ctx, id, Some(fields), errors).await?),
    }
}

async fn edit(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let Write {
        who,
        kenniscentrum_id,
        audit,
        mut tx,
    } = begin_write(&ctx).await?;
    let result = store::update(
        &mut tx,
        &who,
        &kenniscentrum_id,
        &id,
        &fields.week,
        &fields.text,
        &audit,
    )
    .await;
    finish(ctx, &id, fields, tx, result, "nb-li-saved").await
}

async fn plan(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let Write {
        who,
        kenniscentrum_id,
        audit,
        mut tx,
    } = begin_write(&ctx).await?;
    let result = store::plan(
        &mut tx,
        &who,
        &kenniscentrum_id,
        &id,
        &fields.planned_on,
        &audit,
    )
    .await
    .map(|_| ());
    finish(ctx, &id, fields, tx, result, "nb-li-planned").await
}

async fn posted(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let Write {
        who,
        kenniscentrum_id,
        audit,
        mut tx,
    } = begin_write(&ctx).await?;
    let result = store::mark_posted(
        &mut tx,
        &who,
        &kenniscentrum_id,
        &id,
        &fields.url,
        &fields.posted_on,
        &audit,
    )
    .await;
    finish(ctx, &id, fields, tx, result, "nb-li-marked-posted").await
}

async fn figures(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let Write {
        who,
        kenniscentrum_id,
        audit,
        mut tx,
    } = begin_write(&ctx).await?;
    let typed = read_figures(&fields);
    let result = match typed {
        Ok(figures) => store::record_figures(
            &mut tx,
            &who,
            &kenniscentrum_id,
            &id,
            &fields.measured_on,
            figures,
            &audit,
        )
        .await
        .map(|_| ()),
        Err(error) => Err(error),
    };
    finish(ctx, &id, fields, tx, result, "nb-li-figures-saved").await
}

/// The four counts of the figures form, every wrong one reported at once.
fn read_figures(fields: &Fields) -> CoreResult<Figures> {
    let impressions = linkedin::parse_count(&fields.impressions, "impressions");
    let reactions = linkedin::parse_count(&fields.reactions, "reactions");
    let reposts = linkedin::parse_count(&fields.reposts, "reposts");
    let clicks = linkedin::parse_count(&fields.clicks, "clicks");
    match (impressions, reactions, reposts, clicks) {
        (Ok(impressions), Ok(reactions), Ok(reposts), Ok(clicks)) => Ok(Figures {
            impressions,
            reactions,
            reposts,
            clicks,
        }),
        (a, b, c, d) => Err(steden_core::CoreError::Invalid(
            [a.err(), b.err(), c.err(), d.err()]
                .into_iter()
                .flatten()
                .flat_map(|error| match error {
                    steden_core::CoreError::Invalid(errors) => errors,
                    _ => Vec::new(),
                })
                .collect(),
        )),
    }
}

#[derive(Template)]
#[template(path = "nieuwsbrief/linkedin/delete.html")]
struct DeletePage {
    ctx: PageContext,
    post: Post,
}

async fn ask_delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let post = store::get(ctx.state().db().pool(), &id).await?;
    let title = ctx.t("nb-li-delete-title");
    render(&DeletePage {
        post,
        ctx: super::crumbed_in_planner(ctx).titled(title),
    })
}

async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let Write {
        who,
        kenniscentrum_id,
        audit,
        mut tx,
    } = begin_write(&ctx).await?;
    store::delete(&mut tx, &who, &kenniscentrum_id, &id, &audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("nb-li-deleted")),
        paths::LINKEDIN,
    ))
}
