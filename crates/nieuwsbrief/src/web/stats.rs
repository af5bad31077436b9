//! The statistics' two public addresses (design §3.5): the open pixel
//! `/nieuwsbrief/o/{token}.gif` and the click redirect `/nieuwsbrief/k/{token}`.
//!
//! The pixel always answers the GIF with `Cache-Control: no-store` — also for a token that is
//! forged or of a campaign that is gone (a broken image in a mail helps no one) — and counts
//! only a sound token. The redirect goes only to the address that `nb_campaign_links` holds for
//! the token's campaign and link number: a forged token is a Dutch page (400), an unknown
//! campaign or link one too (404); never a redirect to anything else.

use axum::extract::Path;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::links;
use crate::stats::{self, Request};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/o/{token}", get(open))
        .route("/nieuwsbrief/k/{token}", get(click))
        .route(
            "/nieuwsbrief/voorkeuren/{token}/statistieken",
            axum::routing::post(set_tracking),
        )
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct TrackingForm {
    tracking: String,
}

/// The subscriber's own switch (preferences page): on only when ticked; off deletes their
/// per-person events at once.
async fn set_tracking(
    ctx: PageContext,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<TrackingForm>,
) -> Result<Response, AppError> {
    let subscriber =
        match super::resolve_link(ctx.state(), links::LinkKind::Preferences, &token).await? {
            Ok(subscriber) => subscriber,
            Err(error) => return super::refused(ctx, error),
        };
    let mut tx = ctx.state().db().begin().await?;
    crate::store::stats::set_tracking(
        &mut tx,
        &subscriber.id,
        form.tracking == "1",
        "link:voorkeuren",
        steden_db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "{}?opgeslagen=1",
        crate::paths::preferences(&token)
    ))
    .into_response())
}

/// A transparent 1×1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

fn request<'a>(method: &Method, headers: &'a HeaderMap) -> Request<'a> {
    Request {
        at: steden_db::now_ms(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        head: method == Method::HEAD,
    }
}

fn pixel() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/gif"),
            (
                header::CACHE_CONTROL,
                "no-store, no-cache, must-revalidate, max-age=0",
            ),
            (header::PRAGMA, "no-cache"),
        ],
        PIXEL,
    )
        .into_response()
}

async fn open(
    ctx: PageContext,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let db = ctx.state().db();
    let token = token.strip_suffix(".gif").unwrap_or(&token);
    let Ok(signer) = links::signer(db).await else {
        return pixel();
    };
    if let Ok(open) = stats::verify_open(&signer, token) {
        let request = request(&method, &headers);
        if let Err(error) = stats::record_open(
            db,
            &open.campaign_id,
            stats::sent_at_of(open.sent_tick),
            &request,
            open.subscriber_id.as_deref(),
        )
        .await
        {
            // The reader gets the image anyway; the count is lost, and logged.
            tracing::warn!(%error, "opening van een nieuwsbrief niet geteld");
        }
    }
    pixel()
}

async fn click(
    ctx: PageContext,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let signer = links::signer(db).await?;
    let Ok(click) = stats::verify_click(&signer, &token) else {
        return super::message(
            ctx,
            StatusCode::BAD_REQUEST,
            "nb-stats-link-invalid",
            &["nb-stats-link-invalid-text"],
        );
    };
    let request = request(&method, &headers);
    let recorded = stats::record_click(
        db,
        &click.campaign_id,
        click.link_no,
        stats::sent_at_of(click.sent_tick),
        &request,
        click.subscriber_id.as_deref(),
    )
    .await?;
    match recorded {
        Some((url, _)) if url.starts_with("https://") || url.starts_with("http://") => {
            let mut response = Redirect::to(&url).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
            response.headers_mut().insert(
                header::REFERRER_POLICY,
                "no-referrer".parse().expect("a header"),
            );
            Ok(response)
        }
        _ => super::message(
            ctx,
            StatusCode::NOT_FOUND,
            "nb-stats-link-unknown",
            &["nb-stats-link-unknown-text"],
        ),
    }
}
