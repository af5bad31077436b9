//! `/nieuwsbrief/beheer/abonnees`: the subscribers, searched by a piece of address or name
//! and filtered by status, list and language, 50 to a page by keyset (`na=<last address>`: a
//! page does not shift when someone subscribes meanwhile). A plain GET form; with htmx the
//! results are swapped in place and the count is announced. The CSV export takes the same
//! filters, is streamed in batches and audited.

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_core::audit::{self, Changes, NewEntry};
use steden_db::Db;
use steden_web::csv::CsvWriter;
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::model::{Language, SubscriberStatus};
use crate::paths;
use crate::store::admin::{self, Filter, SubscriberLine};
use crate::store::lists;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_SUBSCRIBERS, get(list))
        .route(paths::ADMIN_SUBSCRIBERS_CSV, get(export))
}

/// Subscribers on a page.
const PAGE_SIZE: i64 = 50;
/// Subscribers read at once for the export.
pub(super) const EXPORT_BATCH: i64 = 1000;

/// The query string: the filters and the page's cursor. Unknown values mean "any".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct ListQuery {
    q: String,
    status: String,
    lijst: String,
    taal: String,
    /// The last address of the previous page.
    na: String,
}

impl ListQuery {
    pub(super) fn filter(&self) -> Filter {
        Filter {
            text: self.q.chars().take(200).collect(),
            status: SubscriberStatus::parse(&self.status).ok(),
            list: (!self.lijst.trim().is_empty()).then(|| self.lijst.trim().to_string()),
            language: match self.taal.as_str() {
                "nl" => Some(Language::Nl),
                "en" => Some(Language::En),
                _ => None,
            },
        }
    }

    /// The filters as a query string (without the cursor), `&`-joined.
    pub(super) fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("q", self.q.as_str()),
            ("status", self.status.as_str()),
            ("lijst", self.lijst.as_str()),
            ("taal", self.taal.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub(super) struct Line {
    pub href: String,
    pub email: String,
    pub name: String,
    pub status: String,
    pub language: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/admin/subscribers.html")]
struct ListPage {
    ctx: PageContext,
    /// The filters have no errors (an unknown value means "any"); the form macros want it.
    errors: FormErrors,
    query: String,
    statuses: Vec<Choice>,
    list_choices: Vec<Choice>,
    languages: Vec<Choice>,
    lines: Vec<Line>,
    count_text: String,
    next_href: Option<String>,
    first_href: Option<String>,
    csv_href: String,
    xlsx_href: String,
}

/// A select's choices with "any" first.
fn with_any(ctx: &PageContext, choices: Vec<Choice>, current: &str) -> Vec<Choice> {
    let mut all = vec![Choice::new(
        "",
        ctx.t("nb-admin-filter-any"),
        current.is_empty(),
    )];
    all.extend(choices);
    all
}

async fn list(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    super::editor(&ctx).await?;
    let db = ctx.state().db();
    let filter = query.filter();
    let after = (!query.na.is_empty()).then_some(query.na.as_str());
    let mut found = admin::page(db.pool(), &filter, after, PAGE_SIZE + 1).await?;
    let more = found.len() as i64 > PAGE_SIZE;
    found.truncate(PAGE_SIZE as usize);
    let total = admin::count(db.pool(), &filter).await?;
    let filters = query.filter_query();
    let with = |extra: &str| {
        let joined = [filters.as_str(), extra]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if joined.is_empty() {
            paths::ADMIN_SUBSCRIBERS.to_string()
        } else {
            format!("{}?{joined}", paths::ADMIN_SUBSCRIBERS)
        }
    };
    let next_href = match (more, found.last()) {
        (true, Some(last)) => Some(with(
            &serde_urlencoded::to_string([("na", last.email.as_str())]).unwrap_or_default(),
        )),
        _ => None,
    };
    let first_href = after.map(|_| with(""));
    let csv_href = if filters.is_empty() {
        paths::ADMIN_SUBSCRIBERS_CSV.to_string()
    } else {
        format!("{}?{filters}", paths::ADMIN_SUBSCRIBERS_CSV)
    };
    let xlsx_href = csv_href.replacen(
        paths::ADMIN_SUBSCRIBERS_CSV,
        paths::ADMIN_SUBSCRIBERS_XLSX,
        1,
    );
    let statuses = with_any(
        &ctx,
        Choice::list(
            &SubscriberStatus::ALL,
            &query.status,
            |s| s.as_str(),
            |s| ctx.t(&s.label_key()),
        ),
        &query.status,
    );
    let all_lists = lists::list_all(db.pool()).await?;
    let list_choices = with_any(
        &ctx,
        all_lists
            .iter()
            .map(|l| Choice::new(l.slug.clone(), l.name.clone(), l.slug == query.lijst))
            .collect(),
        &query.lijst,
    );
    let languages = with_any(
        &ctx,
        Choice::list(
            &Language::ALL,
            &query.taal,
            |l| l.as_str(),
            |l| ctx.t(l.label_key()),
        ),
        &query.taal,
    );
    let lines = found
        .into_iter()
        .map(|s| Line {
            href: paths::admin_subscriber(&s.id),
            status: ctx.t(&s.status.label_key()),
            language: ctx.t(s.language.label_key()),
            created: ctx.date(&s.created_at),
            email: s.email,
            name: s.name,
        })
        .collect();
    let count_text = ctx.t_with("nb-admin-found", &[("count", ctx.int(&total).as_str())]);
    let title = ctx.t("nb-admin-subscribers-title");
    let dashboard = ctx.t("nb-admin-title");
    render(&ListPage {
        errors: FormErrors::none(),
        query: query.q.clone(),
        statuses,
        list_choices,
        languages,
        lines,
        count_text,
        next_href,
        first_href,
        csv_href,
        xlsx_href,
        ctx: ctx.crumb(dashboard, paths::ADMIN).titled(title),
    })
}

/// The export's header row, in Dutch whatever the interface language (as the audit export).
pub(super) const HEADER: [&str; 7] = [
    "E-mailadres",
    "Naam",
    "Taal",
    "Status",
    "Ingeschreven op",
    "Bevestigd op",
    "Id",
];

pub(super) fn cells(line: &SubscriberLine) -> [String; 7] {
    [
        line.email.clone(),
        line.name.clone(),
        line.language.as_str().to_string(),
        line.status.as_str().to_string(),
        steden_core::time::format_datetime(line.created_at),
        line.confirmed_at
            .map(steden_core::time::format_datetime)
            .unwrap_or_default(),
        line.id.clone(),
    ]
}

struct Cursor {
    db: Db,
    filter: Filter,
    after: Option<String>,
    started: bool,
}

/// The filtered subscribers as CSV, streamed [`EXPORT_BATCH`] at a time by keyset (memory is
/// bounded by the batch, not the list). The export is audited (who, which filters, how many)
/// before the first byte.
async fn export(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    let db = ctx.state().db().clone();
    let filter = query.filter();
    let total = admin::count(db.pool(), &filter).await?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        NewEntry {
            actor: &staff.audit,
            organisation_id: Some(&staff.kenniscentrum_id),
            entity_type: "nb_subscriber",
            entity_id: "export",
            action: "export",
            summary: &format!("{total} abonnee(s) geëxporteerd als CSV"),
            changes: Changes::new().field("filters", "", query.filter_query().as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    let start = Cursor {
        db,
        filter,
        after: None,
        started: false,
    };
    let stream = futures::stream::unfold(Some(start), |cursor| async move {
        let mut cursor = cursor?;
        let mut out = if cursor.started {
            CsvWriter::without_bom()
        } else {
            cursor.started = true;
            let mut first = CsvWriter::new();
            first.row(HEADER);
            first
        };
        match admin::page(
            cursor.db.pool(),
            &cursor.filter,
            cursor.after.as_deref(),
            EXPORT_BATCH,
        )
        .await
        {
            Ok(batch) => {
                let done = (batch.len() as i64) < EXPORT_BATCH;
                for line in &batch {
                    out.row(cells(line));
                }
                cursor.after = batch.last().map(|l| l.email.clone());
                let next = if done { None } else { Some(cursor) };
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(out.finish())), next))
            }
            Err(error) => {
                // The response has begun; all that can be done is to end it and log why.
                tracing::error!(%error, "export van abonnees afgebroken");
                Some((Err(std::io::Error::other(error.to_string())), None))
            }
        }
    });
    Ok((
        steden_web::csv::headers("abonnees-nieuwsbrief.csv"),
        Body::from_stream(stream),
    )
        .into_response())
}
