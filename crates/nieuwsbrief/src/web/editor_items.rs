//! "Item toevoegen" in the editor: searching the platform's public items through the port
//! `steden_web::items::ItemSource` (every module that provides one: Kennisbank documents and
//! news, events, plan milestones; the page knows none of them) by source, words and an
//! optional period, and adding one to a section as a block. The search is a plain GET form;
//! with htmx only the results are swapped. What is added is read again from its source by
//! key and id, so a block only ever holds what the source shows anyone.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::items::{ItemQuery, ItemSource, PlatformItem};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::campaigns::{finish, frozen_page, require_editor};
use super::editor::load;
use crate::paths;
use crate::store::{blocks, sections};

/// How many results the page shows.
const RESULTS: usize = 20;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/items",
        get(search).post(add),
    )
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SearchQuery {
    bron: String,
    zoek: String,
    van: String,
    tot: String,
}

/// One result as the page shows it.
struct ResultView {
    source: &'static str,
    id: String,
    title: String,
    kind: String,
    date: String,
    summary: String,
    href: String,
}

impl ResultView {
    fn of(item: PlatformItem) -> ResultView {
        ResultView {
            source: item.source,
            date: item
                .date
                .as_deref()
                .map(steden_core::time::show_date)
                .unwrap_or_default(),
            id: item.id,
            title: item.title,
            kind: item.kind,
            summary: item.summary,
            href: item.href,
        }
    }
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/items.html")]
struct SearchPage {
    ctx: PageContext,
    errors: FormErrors,
    action: String,
    add_action: String,
    back: String,
    sources: Vec<Choice>,
    words: String,
    from_day: String,
    until_day: String,
    results_heading: String,
    results: Vec<ResultView>,
}

/// A day typed in the period ('' or 'YYYY-MM-DD').
fn check_day(errors: &mut FormErrors, field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match steden_web::items::query_day(Some(&value.to_string())) {
        Some(day) => Some(day.to_string()),
        None => {
            errors.add(
                field,
                "Geef een datum als jjjj-mm-dd, bijvoorbeeld 2026-12-01.",
            );
            None
        }
    }
}

async fn search(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = load(&ctx, &id).await?;
    if campaign.status.is_frozen() {
        return Ok(frozen_page());
    }
    let mut tx = ctx.state().db().begin().await?;
    let section = sections::title_of(&mut tx, &id, &section_id).await?;
    tx.rollback().await?;

    let all = ctx.state().ports().all::<dyn ItemSource>();
    let chosen = all
        .iter()
        .find(|s| s.key() == query.bron.trim())
        .or_else(|| all.first());
    let mut errors = FormErrors::none();
    if !query.bron.trim().is_empty() && all.iter().all(|s| s.key() != query.bron.trim()) {
        errors.add("bron", "Kies een bron uit de lijst.");
    }
    let from = check_day(&mut errors, "van", &query.van);
    let until = check_day(&mut errors, "tot", &query.tot);
    if let (Some(from), Some(until)) = (&from, &until) {
        if from > until {
            errors.add("tot", "De einddatum ligt voor de begindatum.");
        }
    }
    let results = match chosen {
        Some(source) if errors.is_empty() => {
            let item_query = ItemQuery {
                search: query.zoek.trim().to_string(),
                from,
                until,
                limit: RESULTS,
            };
            source
                .find(ctx.state().db(), &item_query)
                .await?
                .into_iter()
                .map(ResultView::of)
                .collect()
        }
        _ => Vec::new(),
    };
    let chosen_key = chosen.map(|s| s.key()).unwrap_or("");
    let sources = all
        .iter()
        .map(|s| Choice::new(s.key(), s.label(), s.key() == chosen_key))
        .collect();
    let count = results.len().to_string();
    let results_heading = ctx.t_with("nb-editor-items-results", &[("count", count.as_str())]);
    let heading = ctx.t_with("nb-editor-add-item", &[("title", section.as_str())]);
    let list_label = ctx.t("nb-editor-list-title");
    let page = SearchPage {
        action: paths::section_items(&id, &section_id),
        add_action: paths::section_items(&id, &section_id),
        back: format!("{}#sectie-{section_id}", paths::campaign(&id)),
        sources,
        words: query.zoek,
        from_day: query.van,
        until_day: query.tot,
        results_heading,
        results,
        ctx: ctx
            .crumb(list_label, paths::CAMPAIGNS)
            .crumb(campaign.subject, paths::campaign(&id))
            .titled(heading),
        errors,
    };
    if page.errors.is_empty() {
        render(&page)
    } else {
        form::invalid(&page)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AddForm {
    bron: String,
    item: String,
}

async fn add(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let db = ctx.state().db();
    let source = ctx
        .state()
        .ports()
        .all::<dyn ItemSource>()
        .iter()
        .find(|s| s.key() == form.bron)
        .cloned();
    let item = match source {
        Some(source) => source.get(db, &form.item).await?,
        None => None,
    };
    let search_page = paths::section_items(&id, &section_id);
    let Some(item) = item else {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("nb-editor-items-gone")),
            &search_page,
        ));
    };
    let mut tx = db.begin().await?;
    match blocks::add_item(&mut tx, &id, &section_id, &item, &actor).await {
        Ok(block_id) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("nb-editor-items-added")),
                &format!("{}#blok-{block_id}", paths::campaign(&id)),
            ))
        }
        Err(error) => finish(tx, Err(error), &search_page).await,
    }
}
