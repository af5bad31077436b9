//! `/beheer/site/paginas`: the list of pages, news and projects; the form to write one in
//! Markdown with a preview (live through htmx, or with the "Voorbeeld tonen" button without
//! JavaScript); and each page's history, where an old version can be brought back.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::{
    editor_crumbs, kind_label, project_state_label, require_editor, status_icon, status_label,
};
use crate::markdown;
use crate::model::{PageKind, PageStatus, ProjectState};
use crate::paths;
use crate::store::images;
use crate::store::pages::{self, Page, PageDraft, Revision};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/site/paginas", get(list))
        .route("/beheer/site/paginas/nieuw", get(new_form).post(create))
        .route("/beheer/site/paginas/{id}", get(edit_form).post(update))
        .route("/beheer/site/voorbeeld", post(preview))
        .route("/beheer/site/paginas/{id}/geschiedenis", get(history))
        .route(
            "/beheer/site/paginas/{id}/geschiedenis/{version}",
            get(show_revision),
        )
        .route(
            "/beheer/site/paginas/{id}/geschiedenis/{version}/terugzetten",
            post(restore),
        )
}

fn pages_crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("kb-ed-pages-title");
    editor_crumbs(ctx).crumb(label, paths::PAGES)
}

/// A status for templates: its name and icon.
struct StatusView {
    value: &'static str,
    label: String,
    icon: &'static str,
}

fn status_view(ctx: &PageContext, status: PageStatus) -> StatusView {
    StatusView {
        value: status.as_str(),
        label: status_label(ctx, status),
        icon: status_icon(status),
    }
}

// ---------------------------------------------------------------------------------------------
// List

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    soort: String,
    status: String,
}

struct PageRow {
    id: String,
    title: String,
    kind: String,
    status: StatusView,
    publish_at: String,
    updated_at: String,
    public_href: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/pages.html")]
struct ListPage {
    ctx: PageContext,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    rows: Vec<PageRow>,
    filtered: bool,
}

async fn list(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let kind = PageKind::parse(&query.soort);
    let status = PageStatus::parse(&query.status);
    let now = steden_db::now_ms();
    let found = pages::list_for_editors(ctx.state().db().pool(), kind, status).await?;
    let rows = found
        .iter()
        .map(|p| PageRow {
            id: p.id.clone(),
            title: p.title.clone(),
            kind: kind_label(&ctx, p.kind),
            status: status_view(&ctx, p.status),
            publish_at: p
                .publish_at
                .map(steden_core::time::format_datetime)
                .unwrap_or_default(),
            updated_at: steden_core::time::format_datetime(p.updated_at),
            public_href: p.is_live(now).then(|| p.href()),
        })
        .collect();
    let kinds = Choice::list(
        PageKind::ALL,
        kind.map_or("", |k| k.as_str()),
        |k| k.as_str(),
        |k| kind_label(&ctx, k),
    );
    let statuses = Choice::list(
        PageStatus::ALL,
        status.map_or("", |s| s.as_str()),
        |s| s.as_str(),
        |s| status_label(&ctx, s),
    );
    let title = ctx.t("kb-ed-pages-title");
    render(&ListPage {
        ctx: editor_crumbs(ctx).titled(title),
        kinds,
        statuses,
        rows,
        filtered: kind.is_some() || status.is_some(),
    })
}

// ---------------------------------------------------------------------------------------------
// The form

/// What the page form sends. `voorbeeld=1` (the "Voorbeeld tonen" button) asks for the
/// preview instead of saving.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct PageForm {
    kind: String,
    title: String,
    slug: String,
    summary: String,
    body_md: String,
    status: String,
    publish_at: String,
    project_state: String,
    programme: String,
    image_id: String,
    voorbeeld: String,
}

impl PageForm {
    fn of(page: &Page) -> PageForm {
        PageForm {
            kind: page.kind.as_str().to_string(),
            title: page.title.clone(),
            slug: page.slug.clone(),
            summary: page.summary.clone(),
            body_md: page.body_md.clone(),
            status: page.status.as_str().to_string(),
            publish_at: page
                .publish_at
                .map(pages::local_moment_value)
                .unwrap_or_default(),
            project_state: page
                .project_state
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            programme: page.programme.clone().unwrap_or_default(),
            image_id: page.image_id.clone().unwrap_or_default(),
            voorbeeld: String::new(),
        }
    }

    fn draft(&self) -> PageDraft {
        PageDraft {
            kind: self.kind.clone(),
            title: self.title.clone(),
            slug: self.slug.clone(),
            summary: self.summary.clone(),
            body_md: self.body_md.clone(),
            status: self.status.clone(),
            publish_at: self.publish_at.clone(),
            project_state: self.project_state.clone(),
            programme: self.programme.clone(),
            image_id: self.image_id.clone(),
        }
    }

    fn wants_preview(&self) -> bool {
        !self.voorbeeld.is_empty()
    }
}

#[derive(Template)]
#[template(path = "kennisbank/editor/page_form.html")]
struct FormPage {
    ctx: PageContext,
    action: String,
    is_new: bool,
    page_id: String,
    kind_name: String,
    is_project: bool,
    form: PageForm,
    errors: FormErrors,
    statuses: Vec<Choice>,
    project_states: Vec<Choice>,
    images: Vec<Choice>,
    /// Set when the editor asked for the preview without JavaScript (nothing was saved).
    preview: Option<String>,
    /// The typed body, rendered and sanitised, for the preview region.
    preview_html: String,
    /// Where visitors see the page, when it is online.
    public_href: Option<String>,
}

async fn form_page(
    ctx: PageContext,
    existing: Option<&Page>,
    form: PageForm,
    errors: FormErrors,
    preview: Option<String>,
) -> Result<FormPage, AppError> {
    let kind = existing
        .map(|p| p.kind)
        .or_else(|| PageKind::parse(&form.kind))
        .unwrap_or(PageKind::Pagina);
    let status = PageStatus::parse(&form.status).unwrap_or(PageStatus::Concept);
    let statuses = Choice::list(
        PageStatus::ALL,
        status.as_str(),
        |s| s.as_str(),
        |s| status_label(&ctx, s),
    );
    let project_state = ProjectState::parse(&form.project_state).unwrap_or(ProjectState::Lopend);
    let project_states = Choice::list(
        ProjectState::ALL,
        project_state.as_str(),
        |s| s.as_str(),
        |s| project_state_label(&ctx, s),
    );
    let mut image_choices = vec![Choice::none(
        ctx.t("kb-ed-field-image-none"),
        &form.image_id,
    )];
    image_choices.extend(
        images::list(ctx.state().db().pool())
            .await?
            .into_iter()
            .map(|image| {
                let selected = image.id == form.image_id;
                let label = format!("{} ({})", image.alt, image.filename);
                Choice::new(image.id, label, selected)
            }),
    );
    let now = steden_db::now_ms();
    let (title, action, page_id, public_href) = match existing {
        Some(page) => (
            ctx.t_with("kb-ed-edit-title", &[("title", page.title.as_str())]),
            paths::edit_page(&page.id),
            page.id.clone(),
            page.is_live(now).then(|| page.href()),
        ),
        None => (
            ctx.t(&format!("kb-ed-new-{}", kind.as_str())),
            paths::NEW_PAGE.to_string(),
            String::new(),
            None,
        ),
    };
    let kind_name = kind_label(&ctx, kind);
    let preview_html = match &preview {
        Some(html) => html.clone(),
        None if form.body_md.chars().count() <= pages::MAX_BODY => markdown::to_html(&form.body_md),
        None => String::new(),
    };
    Ok(FormPage {
        ctx: pages_crumbs(ctx).titled(title),
        action,
        is_new: existing.is_none(),
        page_id,
        kind_name,
        is_project: kind == PageKind::Project,
        form: PageForm {
            kind: kind.as_str().to_string(),
            ..form
        },
        errors,
        statuses,
        project_states,
        images: image_choices,
        preview,
        preview_html,
        public_href,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewQuery {
    soort: String,
}

async fn new_form(ctx: PageContext, Query(query): Query<NewQuery>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let kind = PageKind::parse(&query.soort).unwrap_or(PageKind::Pagina);
    let form = PageForm {
        kind: kind.as_str().to_string(),
        status: PageStatus::Concept.as_str().to_string(),
        ..PageForm::default()
    };
    render(&form_page(ctx, None, form, FormErrors::none(), None).await?)
}

async fn create(ctx: PageContext, Form(form): Form<PageForm>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    if form.wants_preview() {
        let preview = Some(markdown::to_html(&form.body_md));
        return render(&form_page(ctx, None, form, FormErrors::none(), preview).await?);
    }
    let mut tx = ctx.state().db().begin().await?;
    let result = pages::create(
        &mut tx,
        &form.draft(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(page) => {
            let message = ctx.t_with("kb-ed-created", &[("title", page.title.as_str())]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::edit_page(&page.id),
            ))
        }
        Err(errors) => form::invalid(&form_page(ctx, None, form, errors, None).await?),
    }
}

async fn load_page(ctx: &PageContext, id: &str) -> Result<Page, AppError> {
    pages::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let page = load_page(&ctx, &id).await?;
    let form = PageForm::of(&page);
    render(&form_page(ctx, Some(&page), form, FormErrors::none(), None).await?)
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let page = load_page(&ctx, &id).await?;
    if form.wants_preview() {
        let preview = Some(markdown::to_html(&form.body_md));
        return render(&form_page(ctx, Some(&page), form, FormErrors::none(), preview).await?);
    }
    let mut tx = ctx.state().db().begin().await?;
    let result = pages::update(
        &mut tx,
        &id,
        &form.draft(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(saved) => {
            let message = ctx.t_with("kb-ed-saved", &[("title", saved.title.as_str())]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::edit_page(&id),
            ))
        }
        Err(errors) => form::invalid(&form_page(ctx, Some(&page), form, errors, None).await?),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PreviewForm {
    body_md: String,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/preview.html")]
struct PreviewFragment {
    html: String,
    empty: String,
}

/// The live preview (htmx): the sanitised HTML of the typed Markdown, as a fragment.
async fn preview(ctx: PageContext, Form(form): Form<PreviewForm>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let html = if form.body_md.chars().count() > pages::MAX_BODY {
        String::new()
    } else {
        markdown::to_html(&form.body_md)
    };
    let empty = if form.body_md.chars().count() > pages::MAX_BODY {
        ctx.t("kb-ed-preview-too-long")
    } else {
        ctx.t("kb-ed-preview-empty")
    };
    Ok(Html(PreviewFragment { html, empty }.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// History

struct RevisionRow {
    version: i64,
    title: String,
    moment: String,
    author: String,
    status: StatusView,
    current: bool,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/history.html")]
struct HistoryPage {
    ctx: PageContext,
    page_id: String,
    rows: Vec<RevisionRow>,
}

fn author(ctx: &PageContext, revision: &Revision) -> String {
    revision
        .author_name
        .clone()
        .unwrap_or_else(|| ctx.t("kb-ed-history-unknown-author"))
}

async fn history(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let page = load_page(&ctx, &id).await?;
    let revisions = pages::revisions(ctx.state().db().pool(), &id).await?;
    let newest = revisions.first().map(|r| r.version);
    let rows = revisions
        .iter()
        .map(|r| RevisionRow {
            version: r.version,
            title: r.title.clone(),
            moment: steden_core::time::format_datetime(r.created_at),
            author: author(&ctx, r),
            status: status_view(&ctx, r.status),
            current: Some(r.version) == newest,
        })
        .collect();
    let title = ctx.t_with("kb-ed-history-title", &[("title", page.title.as_str())]);
    render(&HistoryPage {
        ctx: pages_crumbs(ctx)
            .crumb(page.title.clone(), paths::edit_page(&page.id))
            .titled(title),
        page_id: page.id,
        rows,
    })
}

#[derive(Template)]
#[template(path = "kennisbank/editor/revision.html")]
struct RevisionPage {
    ctx: PageContext,
    page_id: String,
    version: i64,
    revision_title: String,
    summary: String,
    body_html: String,
    moment: String,
    author: String,
    status: StatusView,
    is_newest: bool,
}

async fn show_revision(
    ctx: PageContext,
    Path((id, version)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let page = load_page(&ctx, &id).await?;
    let db = ctx.state().db();
    let revision = pages::find_revision(db.pool(), &id, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let newest = pages::revisions(db.pool(), &id)
        .await?
        .first()
        .map(|r| r.version);
    let title = ctx.t_with("kb-ed-revision-title", &[("version", &version.to_string())]);
    let history_label = ctx.t("kb-ed-history");
    let status = status_view(&ctx, revision.status);
    let author = author(&ctx, &revision);
    render(&RevisionPage {
        ctx: pages_crumbs(ctx)
            .crumb(page.title.clone(), paths::edit_page(&page.id))
            .crumb(
                history_label,
                format!("{}/geschiedenis", paths::edit_page(&page.id)),
            )
            .titled(title),
        page_id: page.id,
        version,
        revision_title: revision.title.clone(),
        summary: revision.summary.clone(),
        body_html: markdown::to_html(&revision.body_md),
        moment: steden_core::time::format_datetime(revision.created_at),
        author,
        status,
        is_newest: newest == Some(version),
    })
}

async fn restore(
    ctx: PageContext,
    Path((id, version)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let (_, new_version) = pages::restore(
        &mut tx,
        &id,
        version,
        &editor.audit,
        &editor.organisation_id,
    )
    .await?;
    tx.commit().await?;
    let message = ctx.t_with(
        "kb-ed-restored",
        &[
            ("version", &version.to_string()),
            ("new", &new_version.to_string()),
        ],
    );
    Ok(flash::redirect_with(
        Flash::success(message),
        &format!("{}/geschiedenis", paths::edit_page(&id)),
    ))
}
