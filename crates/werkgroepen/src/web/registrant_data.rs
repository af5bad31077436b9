//! The "my data" link of a registrant without an account (issue 13 point 8): what the module
//! holds for the address of a registration, through a signed link (kind `gegevens`) that the
//! registration's confirmation mail carries, and a form to have a new link mailed.
//!
//! - `GET /werkgroepen/mijn-gegevens/link/{token}`: the registrations (with their answers),
//!   attendance, evaluation answers, certificates and mails held for that address, and
//!   `…/{token}/gegevens.json` the same as a download. The token signs a registration's id, so
//!   the address never stands in the URL; the data is selected by that registration's address
//!   ([`crate::store::registrant_data`]). Read-only: no form, so the reader gets no cookie; not
//!   kept in the page cache and marked `no-store`. A forged link gets 400 and an expired one
//!   (or one whose registration was removed or anonymised) 410, on the module's link-error
//!   page with a pointer to the form below.
//! - `GET|POST /werkgroepen/mijn-gegevens`: someone types an address; if registrations were
//!   made with it, a new link is mailed to it (valid [`REQUESTED_LINK_DAYS`] days). The answer
//!   is the same whatever the address (no enumeration). At most [`MAX_REQUESTS`] requests per
//!   address and [`MAX_REQUESTS_PER_CLIENT`] per client address an hour count, with the
//!   platform's limiter (`steden_core::login`, as for password-reset mails); past that the
//!   answer is still the same, but nothing is mailed.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::Value;
use steden_core::login::{self, Limit, Scope, ScopeKind, Verdict};
use steden_core::mail::{self, OutgoingMail};
use steden_core::user::{secret_hash, validate_email};
use steden_db::Db;
use steden_web::auth::{ClientAddress, RESET_WINDOW_MS};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::signed_link::{self, LinkError, LinkKind};
use crate::store::registrant_data::{self, Holder};

/// How long the link in a registration's confirmation mail holds.
pub const MAILED_LINK_DAYS: i64 = 90;
/// How long a link asked for on the form holds.
pub const REQUESTED_LINK_DAYS: i64 = 7;
/// Requests that may mail one address within an hour.
pub const MAX_REQUESTS: i64 = 3;
/// Requests from one client address within an hour.
pub const MAX_REQUESTS_PER_CLIENT: i64 = 10;

const DAY_MS: i64 = 24 * 3_600_000;

/// The parts in the order the page shows them, with their heading's message id.
const PARTS: &[(&str, &str)] = &[
    ("registrations", "wg-mydata-registrations"),
    ("attendance", "wg-mydata-attendance"),
    ("evaluation_answers", "wg-mydata-evaluation-answers"),
    ("certificates", "wg-mydata-certificates"),
    ("mails", "wg-mydata-mails"),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::DATA_LINK_REQUEST, get(request_form).post(request))
        .route("/werkgroepen/mijn-gegevens/link/{token}", get(page))
        .route(
            "/werkgroepen/mijn-gegevens/link/{token}/gegevens.json",
            get(download),
        )
}

/// The full address of a fresh data link for registration `registration_id`, valid `days`.
pub async fn link_for(
    db: &Db,
    base_url: &str,
    registration_id: &str,
    days: i64,
) -> Result<String, sqlx::Error> {
    let key = signed_link::key(db).await?;
    let token = signed_link::sign(
        &key,
        LinkKind::Data,
        registration_id,
        steden_db::now_ms() + days * DAY_MS,
    );
    Ok(format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        paths::data_link(&token)
    ))
}

/// The paragraph a registration mail ends with: the link to what is held for the address
/// (`t` is the mail's translation function).
pub async fn mail_paragraph(
    db: &Db,
    base_url: &str,
    registration_id: &str,
    t: impl Fn(&str, &[(&str, &str)]) -> String,
) -> Result<String, sqlx::Error> {
    let link = link_for(db, base_url, registration_id, MAILED_LINK_DAYS).await?;
    let days = MAILED_LINK_DAYS.to_string();
    let text = t(
        "wg-mydata-mail-paragraph",
        &[("link", link.as_str()), ("days", days.as_str())],
    );
    Ok(format!("\n\n{text}"))
}

#[derive(Template)]
#[template(path = "werkgroepen/registrant_data_error.html")]
struct ErrorPage {
    ctx: PageContext,
    message: String,
}

/// The module's link-error page (400 forged, 410 expired), with the way to a new link.
fn refused(ctx: PageContext, error: LinkError) -> Result<Response, AppError> {
    let (status, key) = match error {
        LinkError::Invalid => (StatusCode::BAD_REQUEST, "wg-link-invalid"),
        LinkError::Expired => (StatusCode::GONE, "wg-link-expired"),
    };
    let message = ctx.t(key);
    let mut response = render(&ErrorPage {
        ctx: ctx.titled(message.clone()),
        message,
    })?;
    *response.status_mut() = status;
    Ok(private(response))
}

/// Never kept in the page cache nor by the browser.
fn private(mut response: Response) -> Response {
    response
        .extensions_mut()
        .remove::<steden_web::page_cache::Cacheable>();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The holder the token stands for.
async fn resolve(db: &Db, token: &str) -> Result<Holder, LinkError> {
    let key = signed_link::key(db).await.map_err(|_| LinkError::Invalid)?;
    let id = signed_link::verify(&key, LinkKind::Data, token, steden_db::now_ms())?;
    // Signed by us, but the registration is gone or anonymised: nothing left to show.
    registrant_data::holder(db.pool(), &id)
        .await
        .ok()
        .flatten()
        .ok_or(LinkError::Expired)
}

struct Part {
    heading: String,
    /// One line per record: its filled-in fields as `name: value`.
    records: Vec<String>,
}

#[derive(Template)]
#[template(path = "werkgroepen/registrant_data.html")]
struct DataPage {
    ctx: PageContext,
    email: String,
    parts: Vec<Part>,
    download: String,
}

async fn page(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let holder = match resolve(&db, &token).await {
        Ok(holder) => holder,
        Err(error) => return refused(ctx, error),
    };
    let data = registrant_data::collect(&db, &holder).await?;
    let parts = PARTS
        .iter()
        .map(|(key, heading)| Part {
            heading: ctx.t(heading),
            records: data[*key]
                .as_array()
                .map(|rows| {
                    rows.iter()
                        .map(crate::web::personal_data::record_line)
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let title = ctx.t("wg-mydata-title");
    Ok(private(render(&DataPage {
        email: holder.email.clone(),
        parts,
        download: paths::data_link_download(&token),
        ctx: ctx.titled(title),
    })?))
}

async fn download(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let holder = match resolve(&db, &token).await {
        Ok(holder) => holder,
        Err(error) => return refused(ctx, error),
    };
    let data: Value = registrant_data::collect(&db, &holder).await?;
    let body =
        serde_json::to_vec_pretty(&data).map_err(|e| steden_core::CoreError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"werkgroepen-gegevens-inschrijvingen.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "werkgroepen/registrant_data_request.html")]
struct RequestPage {
    ctx: PageContext,
    action: &'static str,
    email: String,
    sent: bool,
    errors: FormErrors,
}

fn request_page(ctx: PageContext, email: String, sent: bool, errors: FormErrors) -> RequestPage {
    let title = ctx.t("wg-mydata-request-title");
    let list = ctx.t("wg-events-title");
    RequestPage {
        action: paths::DATA_LINK_REQUEST,
        email,
        sent,
        errors,
        ctx: ctx.crumb(list, paths::EVENTS).titled(title),
    }
}

async fn request_form(ctx: PageContext) -> Result<Response, AppError> {
    render(&request_page(ctx, String::new(), false, FormErrors::none()))
}

#[derive(Deserialize)]
struct RequestFields {
    #[serde(default)]
    email: String,
}

/// The limiter's keys: one per address asked for, one per client (hashed, as for logins).
fn scopes(email: &str, client: &str) -> [Scope; 2] {
    [
        Scope {
            kind: ScopeKind::Reset,
            key: secret_hash(&format!("werkgroepen-gegevens:{email}")),
            limits: vec![Limit::new(MAX_REQUESTS, RESET_WINDOW_MS)],
        },
        Scope {
            kind: ScopeKind::Client,
            key: secret_hash(&format!("werkgroepen-gegevens-client:{client}")),
            limits: vec![Limit::new(MAX_REQUESTS_PER_CLIENT, RESET_WINDOW_MS)],
        },
    ]
}

async fn request(
    ctx: PageContext,
    ClientAddress(client): ClientAddress,
    Form(fields): Form<RequestFields>,
) -> Result<Response, AppError> {
    let email = match validate_email(&fields.email) {
        Ok(email) => email,
        Err(error) => {
            let typed = fields.email.trim().to_string();
            return form::invalid(&request_page(
                ctx,
                typed,
                false,
                FormErrors::new(vec![error]),
            ));
        }
    };
    let db = ctx.state().db().clone();
    // The same answer whatever happens below: no enumeration of addresses.
    if let Verdict::Allowed(_) = login::try_attempt(&db, &scopes(&email, &client)).await? {
        if let Some((registration_id, address)) =
            registrant_data::latest_for_address(db.pool(), &email).await?
        {
            let base = ctx.state().config().base_url.clone();
            let link = link_for(&db, &base, &registration_id, REQUESTED_LINK_DAYS).await?;
            let days = REQUESTED_LINK_DAYS.to_string();
            let mut tx = db.begin().await?;
            mail::enqueue(
                &mut tx,
                &OutgoingMail {
                    to: address,
                    subject: ctx.t("wg-mydata-mail-subject"),
                    text: ctx.t_with(
                        "wg-mydata-mail-text",
                        &[("link", link.as_str()), ("days", days.as_str())],
                    ),
                    ..Default::default()
                },
            )
            .await?;
            tx.commit().await?;
        }
    }
    render(&request_page(ctx, String::new(), true, FormErrors::none()))
}
