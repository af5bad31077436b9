//! A campaign's blocks in the editor: a Markdown block's form (new in a section, or changed),
//! moving a block up or down within its section, and deleting one after a question. Items of
//! the platform are added through [`super::editor_items`].

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
use steden_web::{AppError, AppState};

use super::campaigns::{finish, frozen_page, require_editor};
use super::editor::{load, MoveForm};
use crate::paths;
use crate::store::blocks::{self, BlockRef, MARKDOWN_MAX};
use crate::store::campaigns::Campaign;
use crate::store::content::BlockKind;
use crate::store::sections::{self, Direction};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/tekst",
            get(new_text).post(add_text),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/blokken/{block}",
            get(edit_text).post(save_text),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/blokken/{block}/verplaatsen",
            post(move_block),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/blokken/{block}/verwijderen",
            get(delete_question).post(delete),
        )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/markdown.html")]
struct TextPage {
    ctx: PageContext,
    errors: FormErrors,
    action: String,
    back: String,
    markdown: String,
    hint: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct TextForm {
    markdown: String,
}

fn text_page(
    ctx: PageContext,
    campaign: &Campaign,
    heading: String,
    action: String,
    markdown: String,
    errors: FormErrors,
) -> TextPage {
    let list_label = ctx.t("nb-editor-list-title");
    let max = MARKDOWN_MAX.to_string();
    TextPage {
        hint: ctx.t_with("nb-editor-markdown-hint", &[("max", max.as_str())]),
        errors,
        action,
        back: paths::campaign(&campaign.id),
        markdown,
        ctx: ctx
            .crumb(list_label, paths::CAMPAIGNS)
            .crumb(campaign.subject.clone(), paths::campaign(&campaign.id))
            .titled(heading),
    }
}

/// The concept `id` for a block page, or the 409 page when it is frozen.
async fn concept(ctx: &PageContext, id: &str) -> Result<Result<Campaign, Response>, AppError> {
    let campaign = load(ctx, id).await?;
    if campaign.status.is_frozen() {
        return Ok(Err(frozen_page()));
    }
    Ok(Ok(campaign))
}

/// The title of section `section_id` of `campaign_id` (not found when it is another's).
async fn section_title(
    ctx: &PageContext,
    campaign_id: &str,
    section_id: &str,
) -> Result<String, AppError> {
    let mut tx = ctx.state().db().begin().await?;
    let title = sections::title_of(&mut tx, campaign_id, section_id).await?;
    tx.rollback().await?;
    Ok(title)
}

/// The block `block_id` of `campaign_id` (not found otherwise).
async fn block_of(
    ctx: &PageContext,
    campaign_id: &str,
    block_id: &str,
) -> Result<BlockRef, AppError> {
    blocks::find(ctx.state().db().pool(), campaign_id, block_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Ends a block form's write: back to the block in the editor with `done`, the form with its
/// errors (422), or the 409 page when the campaign was frozen meanwhile.
async fn settle_text(
    ctx: PageContext,
    tx: steden_db::Tx<'_>,
    result: steden_core::CoreResult<String>,
    page: impl FnOnce(PageContext, FormErrors) -> TextPage,
    campaign_id: &str,
) -> Result<Response, AppError> {
    if matches!(result, Err(CoreError::Conflict(_))) {
        tx.rollback().await?;
        return Ok(frozen_page());
    }
    match form::settle(tx, result).await? {
        Ok(block_id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-editor-text-saved")),
            &format!("{}#blok-{block_id}", paths::campaign(campaign_id)),
        )),
        Err(errors) => form::invalid(&page(ctx, errors)),
    }
}

async fn new_text(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = match concept(&ctx, &id).await? {
        Ok(campaign) => campaign,
        Err(conflict) => return Ok(conflict),
    };
    let title = section_title(&ctx, &id, &section_id).await?;
    let heading = ctx.t_with("nb-editor-add-text", &[("title", title.as_str())]);
    let action = paths::section_text(&id, &section_id);
    render(&text_page(
        ctx,
        &campaign,
        heading,
        action,
        String::new(),
        FormErrors::none(),
    ))
}

async fn add_text(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let campaign = match concept(&ctx, &id).await? {
        Ok(campaign) => campaign,
        Err(conflict) => return Ok(conflict),
    };
    let title = section_title(&ctx, &id, &section_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = blocks::add_markdown(&mut tx, &id, &section_id, &form.markdown, &actor).await;
    let heading = ctx.t_with("nb-editor-add-text", &[("title", title.as_str())]);
    let action = paths::section_text(&id, &section_id);
    let markdown = form.markdown;
    settle_text(
        ctx,
        tx,
        result,
        |ctx, errors| text_page(ctx, &campaign, heading, action, markdown, errors),
        &id,
    )
    .await
}

async fn edit_text(
    ctx: PageContext,
    Path((id, block_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = match concept(&ctx, &id).await? {
        Ok(campaign) => campaign,
        Err(conflict) => return Ok(conflict),
    };
    let block = block_of(&ctx, &id, &block_id).await?;
    if block.kind != BlockKind::Markdown {
        return Err(AppError::NotFound);
    }
    let markdown = block.markdown;
    let heading = ctx.t("nb-editor-text-edit");
    let action = paths::block_edit(&id, &block_id);
    render(&text_page(
        ctx,
        &campaign,
        heading,
        action,
        markdown,
        FormErrors::none(),
    ))
}

async fn save_text(
    ctx: PageContext,
    Path((id, block_id)): Path<(String, String)>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let campaign = match concept(&ctx, &id).await? {
        Ok(campaign) => campaign,
        Err(conflict) => return Ok(conflict),
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = blocks::edit_markdown(&mut tx, &id, &block_id, &form.markdown, &actor)
        .await
        .map(|()| block_id.clone());
    let heading = ctx.t("nb-editor-text-edit");
    let action = paths::block_edit(&id, &block_id);
    let markdown = form.markdown;
    settle_text(
        ctx,
        tx,
        result,
        |ctx, errors| text_page(ctx, &campaign, heading, action, markdown, errors),
        &id,
    )
    .await
}

async fn move_block(
    ctx: PageContext,
    Path((id, block_id)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let direction = Direction::parse(&form.richting)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = blocks::move_block(&mut tx, &id, &block_id, direction, &actor).await;
    finish(
        tx,
        result,
        &format!("{}#blok-{block_id}", paths::campaign(&id)),
    )
    .await
}

async fn delete_question(
    ctx: PageContext,
    Path((id, block_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = match concept(&ctx, &id).await? {
        Ok(campaign) => campaign,
        Err(conflict) => return Ok(conflict),
    };
    let block = block_of(&ctx, &id, &block_id).await?;
    let label = blocks::label(&block.title, &block.markdown);
    let question = ctx.t_with(
        "nb-editor-block-delete-question",
        &[("title", label.as_str())],
    );
    let confirm = ConfirmDelete {
        question: question.clone(),
        consequences: Vec::new(),
        used_in: Vec::new(),
        action: paths::block_delete(&id, &block_id),
        cancel_href: format!("{}#blok-{block_id}", paths::campaign(&id)),
        confirm_label: String::new(),
    };
    let list_label = ctx.t("nb-editor-list-title");
    let ctx = ctx
        .crumb(list_label, paths::CAMPAIGNS)
        .crumb(campaign.subject, paths::campaign(&id))
        .titled(question);
    confirm_delete::page(ctx, confirm)
}

async fn delete(
    ctx: PageContext,
    Path((id, block_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = blocks::delete(&mut tx, &id, &block_id, &actor).await;
    match result {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("nb-editor-block-deleted")),
                &paths::campaign(&id),
            ))
        }
        other => finish(tx, other, &paths::campaign(&id)).await,
    }
}
