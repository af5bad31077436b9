//! `/nieuwsbrief/beheer/linkedin/nieuw`: a new post for a week, written from scratch or drafted
//! from a platform item. The item search is a plain GET form over every registered
//! [`ItemSource`]; choosing an item reloads the form with its title, summary and link as the
//! text, which the editor then rewrites. The item is read again on save (never taken from the
//! form), so what is kept as its source is what the platform holds.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::items::{ItemQuery, ItemSource, PlatformItem};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::linkedin::IsoWeek;
use crate::paths;
use crate::store::linkedin::{self as store, NewPost, PostSource};
use crate::web::{audit_actor, require_editor};

/// Items shown for a search.
const RESULTS: usize = 10;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::LINKEDIN_NEW, get(show).post(create))
}

/// The form's fields and the search's, all in the query string or the form body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewForm {
    week: String,
    text: String,
    /// The chosen item: its source's key and id.
    bron: String,
    item: String,
    /// Search words for items.
    zoek: String,
}

/// An item found, as the search lists it.
struct Found {
    kind: String,
    title: String,
    date: String,
    use_href: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/linkedin/new.html")]
struct NewPage {
    ctx: PageContext,
    errors: FormErrors,
    week: String,
    text: String,
    bron: String,
    item: String,
    zoek: String,
    chosen: Option<String>,
    has_sources: bool,
    searched: bool,
    found: Vec<Found>,
}

async fn page(ctx: PageContext, form: NewForm, errors: FormErrors) -> Result<NewPage, AppError> {
    let sources = ctx.state().ports().all::<dyn ItemSource>().to_vec();
    let db = ctx.state().db();
    let chosen = chosen_item(&ctx, &form).await?;
    // A chosen item fills an empty text; a text the editor already wrote is kept.
    let text = match (&chosen, form.text.trim().is_empty()) {
        (Some(item), true) => draft_text(&ctx, item),
        _ => form.text.clone(),
    };
    let searched = !form.zoek.trim().is_empty();
    let mut found = Vec::new();
    if searched {
        let query = ItemQuery {
            search: form.zoek.trim().to_string(),
            limit: RESULTS,
            ..ItemQuery::default()
        };
        for source in &sources {
            for item in source.find(db, &query).await? {
                found.push(Found {
                    kind: item.kind.clone(),
                    title: item.title.clone(),
                    date: item
                        .date
                        .as_deref()
                        .map(steden_core::time::show_date)
                        .unwrap_or_default(),
                    use_href: format!(
                        "{}?week={}&bron={}&item={}",
                        paths::LINKEDIN_NEW,
                        urlencode(&form.week),
                        urlencode(source.key()),
                        urlencode(&item.id)
                    ),
                });
            }
        }
    }
    let week = if form.week.trim().is_empty() {
        IsoWeek::current().key()
    } else {
        form.week.clone()
    };
    let title = ctx.t("nb-li-new-title");
    Ok(NewPage {
        errors,
        week,
        text,
        bron: chosen
            .as_ref()
            .map(|item| item.source.to_string())
            .unwrap_or_default(),
        item: chosen
            .as_ref()
            .map(|item| item.id.clone())
            .unwrap_or_default(),
        zoek: form.zoek,
        chosen: chosen.map(|item| format!("{} — {}", item.kind, item.title)),
        has_sources: !sources.is_empty(),
        searched,
        found,
        ctx: super::crumbed_in_planner(ctx).titled(title),
    })
}

/// The item named by `bron` and `item`, read from its source; none when either is empty or the
/// item is gone (then the post is simply not linked to it).
async fn chosen_item(ctx: &PageContext, form: &NewForm) -> Result<Option<PlatformItem>, AppError> {
    if form.bron.is_empty() || form.item.is_empty() {
        return Ok(None);
    }
    let sources = ctx.state().ports().all::<dyn ItemSource>();
    let Some(source) = sources.iter().find(|source| source.key() == form.bron) else {
        return Ok(None);
    };
    Ok(source.get(ctx.state().db(), &form.item).await?)
}

/// A first draft from an item: its title, its summary and its link on the site.
fn draft_text(ctx: &PageContext, item: &PlatformItem) -> String {
    let mut text = item.title.clone();
    if !item.summary.is_empty() {
        text.push_str("\n\n");
        text.push_str(&item.summary);
    }
    text.push_str("\n\n");
    text.push_str(&ctx.absolute(&item.href));
    text
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

async fn show(ctx: PageContext, Query(form): Query<NewForm>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    render(&page(ctx, form, FormErrors::none()).await?)
}

async fn create(ctx: PageContext, Form(form): Form<NewForm>) -> Result<Response, AppError> {
    let (who, kenniscentrum_id) = require_editor(&ctx).await?;
    let audit = audit_actor(&ctx)?;
    let source = chosen_item(&ctx, &form).await?.map(|item| PostSource {
        module: item.source.to_string(),
        id: item.id,
        title: item.title,
        href: item.href,
    });
    let new = NewPost {
        week: form.week.clone(),
        text: form.text.clone(),
        source,
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = store::create(&mut tx, &who, &kenniscentrum_id, &new, &audit).await;
    match form::settle(tx, result).await? {
        Ok(id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-li-created")),
            &paths::linkedin_post(&id),
        )),
        Err(errors) => form::invalid(&page(ctx, form, errors).await?),
    }
}
