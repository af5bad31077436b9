//! The editors' list of campaigns (`/nieuwsbrief/beheer/campagnes`, with filters on status and
//! subject) and the form for a new one (design §3.2). A new campaign is a concept with the
//! newsletter's default sections and the default template, if one is marked so. Editors only
//! ([`crate::access::require_editor`]); the editor itself is [`super::editor`].

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use steden_core::audit::AuditActor;
use steden_core::CoreError;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::subscribe::language_choices;
use crate::model::{CampaignStatus, Language};
use crate::paths;
use crate::store::campaigns::{Campaign, NewCampaign};
use crate::store::{editor, lists, sections};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::CAMPAIGNS, get(list))
        .route(paths::NEW_CAMPAIGN, get(new_form).post(create))
}

/// The visitor as the author of an editor's write; forbidden for anyone but an editor (an
/// anonymous visitor is sent to log in).
pub(crate) async fn require_editor(ctx: &PageContext) -> Result<AuditActor, AppError> {
    super::require_editor(ctx).await?;
    super::audit_actor(ctx)
}

/// The answer to a change of a campaign that is no longer a concept: 409 with the reason.
pub(crate) fn frozen_page() -> Response {
    steden_web::error::page(
        StatusCode::CONFLICT,
        "Deze nieuwsbrief kan niet meer veranderen",
        sections::FROZEN_MESSAGE,
    )
}

/// Ends a write that has no form to correct (move, delete): commits and goes to `to`; a
/// conflict (the campaign was frozen meanwhile) is the 409 page; anything else an error page.
pub(crate) async fn finish(
    tx: steden_db::Tx<'_>,
    result: steden_core::CoreResult<()>,
    to: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            Ok(axum::response::IntoResponse::into_response(
                axum::response::Redirect::to(to),
            ))
        }
        Err(CoreError::Conflict(_)) => {
            tx.rollback().await?;
            Ok(frozen_page())
        }
        Err(other) => {
            tx.rollback().await?;
            Err(other.into())
        }
    }
}

/// A campaign's status as a tag: its label and tone.
pub(crate) struct StatusTag {
    pub label: String,
    pub tone: &'static str,
}

impl StatusTag {
    pub fn of(ctx: &PageContext, status: CampaignStatus) -> StatusTag {
        StatusTag {
            label: ctx.t(&status.label_key()),
            tone: match status {
                CampaignStatus::Concept => "neutral",
                CampaignStatus::Gepland | CampaignStatus::Bezig => "info",
                CampaignStatus::Gepauzeerd => "warning",
                CampaignStatus::Geannuleerd => "error",
                CampaignStatus::Verzonden => "success",
            },
        }
    }
}

struct Row {
    subject: String,
    href: String,
    status: StatusTag,
    lists: String,
    changed: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<Row>,
    statuses: Vec<Choice>,
    search: String,
    filtered: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    zoek: String,
}

/// The lists' names by slug, joined for a table cell.
fn list_names(all: &[lists::List], slugs: &[String]) -> String {
    slugs
        .iter()
        .map(|slug| {
            all.iter()
                .find(|l| &l.slug == slug)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| slug.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn list(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let status = CampaignStatus::parse(query.status.trim()).ok();
    let filter = editor::ListFilter {
        status,
        search: query.zoek.trim().to_string(),
    };
    let all_lists = lists::list_all(db.pool()).await?;
    let rows = editor::list(db.pool(), &filter)
        .await?
        .into_iter()
        .map(|c: Campaign| Row {
            href: paths::campaign(&c.id),
            status: StatusTag::of(&ctx, c.status),
            lists: list_names(&all_lists, &c.lists),
            changed: ctx.datetime(&c.updated_at),
            subject: c.subject,
        })
        .collect();
    let mut statuses = vec![Choice::new(
        "",
        ctx.t("nb-editor-filter-all"),
        status.is_none(),
    )];
    statuses.extend(Choice::list(
        &CampaignStatus::ALL,
        query.status.trim(),
        CampaignStatus::as_str,
        |s| ctx.t(&s.label_key()),
    ));
    let title = ctx.t("nb-editor-list-title");
    render(&ListPage {
        rows,
        statuses,
        filtered: filter != editor::ListFilter::default(),
        search: filter.search,
        ctx: ctx.titled(title),
    })
}

/// A list as the new form shows it.
pub(crate) struct ListChoice {
    pub slug: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/new.html")]
struct NewPage {
    ctx: PageContext,
    errors: FormErrors,
    subject: String,
    preheader: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    template_name: Option<String>,
}

/// What the form sent (several `lists` values, so read as pairs).
pub(crate) struct Typed {
    pub subject: String,
    pub preheader: String,
    pub language: String,
    pub lists: Vec<String>,
}

impl Typed {
    pub fn of(fields: &[(String, String)]) -> Typed {
        let value = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        };
        Typed {
            subject: value("subject"),
            preheader: value("preheader"),
            language: value("language"),
            lists: fields
                .iter()
                .filter(|(key, _)| key == "lists")
                .map(|(_, value)| value.clone())
                .collect(),
        }
    }
}

pub(crate) async fn list_choices(
    ctx: &PageContext,
    chosen: &[String],
) -> Result<Vec<ListChoice>, AppError> {
    Ok(lists::list_all(ctx.state().db().pool())
        .await?
        .into_iter()
        .map(|l| ListChoice {
            checked: chosen.contains(&l.slug),
            slug: l.slug,
            name: l.name,
        })
        .collect())
}

async fn new_page(
    ctx: PageContext,
    typed: &Typed,
    errors: FormErrors,
) -> Result<NewPage, AppError> {
    let template_name = editor::default_template(ctx.state().db().pool())
        .await?
        .map(|(_, name)| name);
    let language = if typed.language.is_empty() {
        "nl"
    } else {
        typed.language.as_str()
    };
    let list_label = ctx.t("nb-editor-list-title");
    let title = ctx.t("nb-editor-new-title");
    Ok(NewPage {
        errors,
        subject: typed.subject.clone(),
        preheader: typed.preheader.clone(),
        languages: language_choices(&ctx, language),
        lists: list_choices(&ctx, &typed.lists).await?,
        template_name,
        ctx: ctx.crumb(list_label, paths::CAMPAIGNS).titled(title),
    })
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let typed = Typed {
        subject: String::new(),
        preheader: String::new(),
        language: "nl".into(),
        lists: vec!["algemeen".into()],
    };
    render(&new_page(ctx, &typed, FormErrors::none()).await?)
}

async fn create(
    ctx: PageContext,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let typed = Typed::of(&fields);
    let db = ctx.state().db();
    let template_id = editor::default_template(db.pool()).await?.map(|(id, _)| id);
    let mut tx = db.begin().await?;
    let result = async {
        let new = NewCampaign {
            subject: typed.subject.clone(),
            preheader: typed.preheader.clone(),
            template_id,
            language: Language::parse(&typed.language)?,
            lists: typed.lists.clone(),
            created_by: ctx.user.as_ref().map(|u| u.user_id.clone()),
        };
        editor::create_campaign(&mut tx, &new, &actor).await
    }
    .await;
    match form::settle(tx, result).await? {
        Ok(id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-editor-created")),
            &paths::campaign(&id),
        )),
        Err(errors) => form::invalid(&new_page(ctx, &typed, errors).await?),
    }
}
