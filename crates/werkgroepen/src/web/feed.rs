//! The personal calendar feed: the page where a person makes, renews or revokes it
//! (`/werkgroepen/mijn/agenda-abonnement`; the secret URL is shown once, right after it is made)
//! and the feed itself (`/werkgroepen/agenda/{secret}.ics`), which sets no cookie and answers
//! an unknown or revoked secret with a plain 404 (design §3.7, §3.9).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::invitations::Origin;
use crate::paths;
use crate::store::feed_tokens;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::MY_FEED, get(page).post(renew))
        .route(paths::MY_FEED_REVOKE, post(revoke))
        .route("/werkgroepen/agenda/{file}", get(feed))
}

#[derive(Template)]
#[template(path = "werkgroepen/feed.html")]
struct FeedPage {
    ctx: PageContext,
    /// When the live feed was made (dd/mm/yyyy), if there is one.
    since: Option<String>,
    /// The secret URL, only in the answer to the POST that made it.
    url: Option<String>,
}

fn feed_page(ctx: PageContext, since: Option<String>, url: Option<String>) -> FeedPage {
    let title = ctx.t("wg-feed-title");
    let list = ctx.t("wg-groups-title");
    FeedPage {
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
        since,
        url,
    }
}

fn day(ms: i64) -> String {
    crate::localtime::from_utc_ms(ms)
        .map(|at| crate::localtime::show_date(at.date()))
        .unwrap_or_default()
}

async fn page(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let live = feed_tokens::live(ctx.state().db().pool(), &user.user_id).await?;
    render(&feed_page(ctx, live.map(|t| day(t.created_at)), None))
}

async fn renew(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let user_id = user.user_id.clone();
    let actor = super::group::audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let secret = feed_tokens::renew(&mut tx, &user_id, &actor).await?;
    tx.commit().await?;
    let url = format!(
        "{}{}",
        ctx.state().config().base_url.trim_end_matches('/'),
        paths::feed(&secret)
    );
    // Shown on this answer only: the secret is not stored, so no redirect could show it again.
    render(&feed_page(ctx, Some(day(steden_db::now_ms())), Some(url)))
}

async fn revoke(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let user_id = user.user_id.clone();
    let actor = super::group::audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    feed_tokens::revoke(&mut tx, &user_id, &actor).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-feed-revoked")),
        paths::MY_FEED,
    ))
}

/// The feed. No session is read or made: the secret in the path is the only key.
async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(secret) = file.strip_suffix(".ics") else {
        return Err(AppError::NotFound);
    };
    let db = state.db();
    let Some(token) = feed_tokens::find_by_secret(db.pool(), secret).await? else {
        return Err(AppError::NotFound);
    };
    let feed = crate::feed::load(db, &token.user_id).await?;
    let etag = feed.etag();
    let cache = HeaderValue::from_static("private, max-age=300");
    let etag_value = HeaderValue::from_str(&etag).map_err(|_| AppError::NotFound)?;
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(ETAG, etag_value), (CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    let name = state
        .catalog()
        .text_with(steden_web::i18n::Lang::Nl, "wg-feed-calname", &[]);
    let body = crate::feed::render(&feed, &Origin::of(state.config()), &name);
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (ETAG, etag_value),
            (CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response())
}
