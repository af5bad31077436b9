//! The campaign editor (`/nieuwsbrief/beheer/campagnes/{id}`, design §3.2): the campaign's
//! sections with their blocks, each section with its buttons (move, rename, delete) and its
//! ways to add a block (an item of the platform: [`super::editor_items`]; a Markdown text:
//! [`super::editor_blocks`]); the form of its subject, preheader, language and lists; a form
//! to add a section. Moving posts a plain form (with htmx the content is swapped in place and
//! the focus stays on the button, which keeps its id). A campaign that is no longer a concept
//! is shown read-only, with links to its preview and its delivery.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::CoreError;
use steden_web::delete::{self as confirm_delete, ConfirmDelete};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::campaigns::{
    finish, frozen_page, list_choices, require_editor, ListChoice, StatusTag, Typed,
};
use super::subscribe::language_choices;
use crate::model::Language;
use crate::paths;
use crate::store::blocks;
use crate::store::campaigns::{self, Campaign};
use crate::store::content::{self, BlockKind, Section};
use crate::store::editor::{self, Details};
use crate::store::sections::{self, Direction};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/beheer/campagnes/{id}", get(show))
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/gegevens",
            post(save_details),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/secties",
            post(add_section),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/naam",
            get(rename_form).post(rename),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/verplaatsen",
            post(move_section),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/verwijderen",
            get(delete_section_question).post(delete_section),
        )
}

/// One block as the editor shows it.
pub(crate) struct BlockView {
    pub id: String,
    pub is_item: bool,
    pub title: String,
    pub label: String,
    pub summary: String,
    pub url: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    /// A Markdown block's text in paragraphs, as typed (the preview shows it rendered).
    pub paragraphs: Vec<String>,
    pub move_action: String,
    pub edit_href: String,
    pub delete_href: String,
    pub up_label: String,
    pub down_label: String,
    pub delete_label: String,
    pub first: bool,
    pub last: bool,
}

/// One section as the editor shows it.
pub(crate) struct SectionView {
    pub id: String,
    pub title: String,
    pub blocks: Vec<BlockView>,
    pub move_action: String,
    pub rename_href: String,
    pub delete_href: String,
    pub items_href: String,
    pub markdown_href: String,
    pub image_href: String,
    pub up_label: String,
    pub down_label: String,
    pub rename_label: String,
    pub delete_label: String,
    pub add_item_label: String,
    pub add_text_label: String,
    pub add_image_label: String,
    pub first: bool,
    pub last: bool,
}

fn block_view(
    ctx: &PageContext,
    campaign_id: &str,
    block: content::Block,
    first: bool,
    last: bool,
) -> BlockView {
    let label = blocks::label(&block.title, &block.markdown);
    let with = |key: &str| ctx.t_with(key, &[("title", label.as_str())]);
    BlockView {
        is_item: block.kind == BlockKind::Item,
        move_action: paths::block_move(campaign_id, &block.id),
        edit_href: paths::block_edit(campaign_id, &block.id),
        delete_href: paths::block_delete(campaign_id, &block.id),
        up_label: with("nb-editor-block-up"),
        down_label: with("nb-editor-block-down"),
        delete_label: with("nb-editor-block-delete"),
        paragraphs: block
            .markdown
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        id: block.id,
        title: block.title,
        label,
        summary: block.summary,
        url: block.url,
        image_url: block.image_url,
        image_alt: block.image_alt,
        first,
        last,
    }
}

fn section_views(ctx: &PageContext, campaign_id: &str, sections: Vec<Section>) -> Vec<SectionView> {
    let count = sections.len();
    sections
        .into_iter()
        .enumerate()
        .map(|(index, section)| {
            let with = |key: &str| ctx.t_with(key, &[("title", section.title.as_str())]);
            let block_count = section.blocks.len();
            SectionView {
                move_action: paths::section_move(campaign_id, &section.id),
                rename_href: paths::section_rename(campaign_id, &section.id),
                delete_href: paths::section_delete(campaign_id, &section.id),
                items_href: paths::section_items(campaign_id, &section.id),
                markdown_href: paths::section_text(campaign_id, &section.id),
                image_href: paths::section_image(campaign_id, &section.id),
                up_label: with("nb-editor-section-up"),
                down_label: with("nb-editor-section-down"),
                rename_label: with("nb-editor-section-rename"),
                delete_label: with("nb-editor-section-delete"),
                add_item_label: with("nb-editor-add-item"),
                add_text_label: with("nb-editor-add-text"),
                add_image_label: with("nb-image-add"),
                blocks: section
                    .blocks
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| block_view(ctx, campaign_id, b, i == 0, i + 1 == block_count))
                    .collect(),
                id: section.id,
                title: section.title,
                first: index == 0,
                last: index + 1 == count,
            }
        })
        .collect()
}

/// A link beside the campaign's title (preview, test, schedule, delivery).
pub(crate) struct Action {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/editor.html")]
struct EditorPage {
    ctx: PageContext,
    campaign: Campaign,
    status: StatusTag,
    frozen: bool,
    actions: Vec<Action>,
    sections: Vec<SectionView>,
    template_name: Option<String>,
    lists_text: String,
    language_label: String,
    details_action: String,
    add_section_action: String,
    errors: FormErrors,
    subject: String,
    preheader: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    title: String,
}

/// The campaign `id` for an editor's page (not found when there is none).
pub(crate) async fn load(ctx: &PageContext, id: &str) -> Result<Campaign, AppError> {
    campaigns::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The page with the details form showing `typed` and the errors of one of its forms.
async fn editor_page(
    ctx: PageContext,
    campaign: Campaign,
    typed: Typed,
    section_title: String,
    errors: FormErrors,
) -> Result<EditorPage, AppError> {
    let db = ctx.state().db();
    let mut conn = db.pool().acquire().await?;
    let sections = content::load(&mut conn, &campaign.id).await?;
    drop(conn);
    let frozen = campaign.status.is_frozen();
    let actions = if frozen {
        vec![
            Action {
                label: ctx.t("nb-editor-preview"),
                href: paths::campaign_preview(&campaign.id),
            },
            Action {
                label: ctx.t("nb-editor-delivery"),
                href: paths::campaign_sending(&campaign.id),
            },
        ]
        .into_iter()
        // A sent campaign's place in the public archive (in by default, S10).
        .chain(
            (campaign.status == crate::model::CampaignStatus::Verzonden).then(|| Action {
                label: ctx.t("nb-archive-action"),
                href: paths::campaign_archive(&campaign.id),
            }),
        )
        .collect()
    } else {
        vec![
            Action {
                label: ctx.t("nb-editor-preview"),
                href: paths::campaign_preview(&campaign.id),
            },
            Action {
                label: ctx.t("nb-editor-test"),
                href: paths::campaign_test(&campaign.id),
            },
            Action {
                label: ctx.t("nb-editor-schedule"),
                href: paths::campaign_schedule(&campaign.id),
            },
        ]
    };
    let template_name = match &campaign.template_id {
        Some(id) => editor::template_name(db.pool(), id).await?,
        None => None,
    };
    let all_lists = crate::store::lists::list_all(db.pool()).await?;
    let lists_text = campaign
        .lists
        .iter()
        .map(|slug| {
            all_lists
                .iter()
                .find(|l| &l.slug == slug)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| slug.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let list_label = ctx.t("nb-editor-list-title");
    Ok(EditorPage {
        status: StatusTag::of(&ctx, campaign.status),
        frozen,
        actions,
        sections: section_views(&ctx, &campaign.id, sections),
        template_name,
        lists_text,
        language_label: ctx.t(campaign.language.label_key()),
        details_action: paths::campaign_details(&campaign.id),
        add_section_action: paths::campaign_sections(&campaign.id),
        errors,
        languages: language_choices(&ctx, &typed.language),
        lists: list_choices(&ctx, &typed.lists).await?,
        subject: typed.subject,
        preheader: typed.preheader,
        title: section_title,
        ctx: {
            let title = campaign.subject.clone();
            ctx.crumb(list_label, paths::CAMPAIGNS).titled(title)
        },
        campaign,
    })
}

fn typed_of(campaign: &Campaign) -> Typed {
    Typed {
        subject: campaign.subject.clone(),
        preheader: campaign.preheader.clone(),
        language: campaign.language.as_str().to_string(),
        lists: campaign.lists.clone(),
    }
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = load(&ctx, &id).await?;
    let typed = typed_of(&campaign);
    render(&editor_page(ctx, campaign, typed, String::new(), FormErrors::none()).await?)
}

async fn save_details(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let campaign = load(&ctx, &id).await?;
    if campaign.status.is_frozen() {
        return Ok(frozen_page());
    }
    let typed = Typed::of(&fields);
    let mut tx = ctx.state().db().begin().await?;
    let result = async {
        let details = Details {
            subject: typed.subject.clone(),
            preheader: typed.preheader.clone(),
            language: Language::parse(&typed.language)?,
            lists: typed.lists.clone(),
        };
        editor::update_details(&mut tx, &id, &details, &actor).await
    }
    .await;
    settle_on_editor(
        ctx,
        tx,
        result,
        campaign,
        typed,
        String::new(),
        "nb-editor-details-saved",
    )
    .await
}

/// Ends a write of a form on the editor page: back to the editor with `done`; the form's
/// errors on the editor (422); a conflict (frozen meanwhile) as the 409 page.
async fn settle_on_editor(
    ctx: PageContext,
    tx: steden_db::Tx<'_>,
    result: steden_core::CoreResult<()>,
    campaign: Campaign,
    typed: Typed,
    section_title: String,
    done: &str,
) -> Result<Response, AppError> {
    if matches!(result, Err(CoreError::Conflict(_))) {
        tx.rollback().await?;
        return Ok(frozen_page());
    }
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t(done)),
            &paths::campaign(&campaign.id),
        )),
        Err(errors) => {
            form::invalid(&editor_page(ctx, campaign, typed, section_title, errors).await?)
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TitleForm {
    title: String,
}

async fn add_section(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let campaign = load(&ctx, &id).await?;
    if campaign.status.is_frozen() {
        return Ok(frozen_page());
    }
    let mut tx = ctx.state().db().begin().await?;
    let result = sections::add(&mut tx, &id, &form.title, &actor)
        .await
        .map(|_| ());
    let typed = typed_of(&campaign);
    settle_on_editor(
        ctx,
        tx,
        result,
        campaign,
        typed,
        form.title,
        "nb-editor-section-added",
    )
    .await
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/section.html")]
struct RenamePage {
    ctx: PageContext,
    errors: FormErrors,
    action: String,
    back: String,
    title: String,
}

/// The title of a section of a concept, for its own pages; the 409 page for a frozen one.
async fn section_of(
    ctx: &PageContext,
    id: &str,
    section_id: &str,
) -> Result<Result<(Campaign, String), Response>, AppError> {
    let campaign = load(ctx, id).await?;
    if campaign.status.is_frozen() {
        return Ok(Err(frozen_page()));
    }
    let mut tx = ctx.state().db().begin().await?;
    let title = sections::title_of(&mut tx, id, section_id).await?;
    tx.rollback().await?;
    Ok(Ok((campaign, title)))
}

fn rename_page(
    ctx: PageContext,
    campaign: &Campaign,
    section_id: &str,
    old: &str,
    title: String,
    errors: FormErrors,
) -> RenamePage {
    let list_label = ctx.t("nb-editor-list-title");
    let heading = ctx.t_with("nb-editor-section-rename", &[("title", old)]);
    RenamePage {
        errors,
        action: paths::section_rename(&campaign.id, section_id),
        back: paths::campaign(&campaign.id),
        title,
        ctx: ctx
            .crumb(list_label, paths::CAMPAIGNS)
            .crumb(campaign.subject.clone(), paths::campaign(&campaign.id))
            .titled(heading),
    }
}

async fn rename_form(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let (campaign, old) = match section_of(&ctx, &id, &section_id).await? {
        Ok(found) => found,
        Err(conflict) => return Ok(conflict),
    };
    render(&rename_page(
        ctx,
        &campaign,
        &section_id,
        &old,
        old.clone(),
        FormErrors::none(),
    ))
}

async fn rename(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let (campaign, old) = match section_of(&ctx, &id, &section_id).await? {
        Ok(found) => found,
        Err(conflict) => return Ok(conflict),
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = sections::rename(&mut tx, &id, &section_id, &form.title, &actor).await;
    if matches!(result, Err(CoreError::Conflict(_))) {
        tx.rollback().await?;
        return Ok(frozen_page());
    }
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-editor-section-renamed")),
            &paths::campaign(&id),
        )),
        Err(errors) => form::invalid(&rename_page(
            ctx,
            &campaign,
            &section_id,
            &old,
            form.title,
            errors,
        )),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct MoveForm {
    pub richting: String,
}

async fn move_section(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let direction = Direction::parse(&form.richting)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = sections::move_section(&mut tx, &id, &section_id, direction, &actor).await;
    finish(
        tx,
        result,
        &format!("{}#sectie-{section_id}", paths::campaign(&id)),
    )
    .await
}

async fn delete_section_question(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let (campaign, title) = match section_of(&ctx, &id, &section_id).await? {
        Ok(found) => found,
        Err(conflict) => return Ok(conflict),
    };
    let list_label = ctx.t("nb-editor-list-title");
    let question = ctx.t_with(
        "nb-editor-section-delete-question",
        &[("title", title.as_str())],
    );
    let confirm = ConfirmDelete {
        question: question.clone(),
        consequences: vec![ctx.t("nb-editor-section-delete-blocks")],
        used_in: Vec::new(),
        action: paths::section_delete(&id, &section_id),
        cancel_href: paths::campaign(&id),
        confirm_label: String::new(),
    };
    let ctx = ctx
        .crumb(list_label, paths::CAMPAIGNS)
        .crumb(campaign.subject, paths::campaign(&id))
        .titled(question);
    confirm_delete::page(ctx, confirm)
}

async fn delete_section(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = sections::delete(&mut tx, &id, &section_id, &actor).await;
    match result {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("nb-editor-section-deleted")),
                &paths::campaign(&id),
            ))
        }
        other => finish(tx, other, &paths::campaign(&id)).await,
    }
}
