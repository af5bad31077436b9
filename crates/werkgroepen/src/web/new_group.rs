//! A new working group (`/werkgroepen/beheer/nieuw`), for staff: short name (the address),
//! name and profile. The core's group and the module's profile are made in one transaction;
//! the staff member who makes it becomes its first facilitator when they are Kenniscentrum
//! staff themselves (a platform administrator from elsewhere is not).

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_core::role::Role;
use steden_core::CoreResult;
use steden_db::Tx;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::facilitators;
use crate::store::profile::{self, ProfileFields};
use crate::web::group::settings::{GroupForm, ProfileChoices};

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::NEW_GROUP, get(new_form).post(create))
}

#[derive(Template)]
#[template(path = "werkgroepen/new.html")]
struct NewPage {
    ctx: PageContext,
    form: GroupForm,
    choices: ProfileChoices,
    errors: FormErrors,
}

fn page(ctx: PageContext, form: GroupForm, errors: FormErrors) -> NewPage {
    let title = ctx.t("wg-new-title");
    let list = ctx.t("wg-groups-title");
    NewPage {
        choices: ProfileChoices::of(&ctx, &form.fields),
        form,
        errors,
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
    }
}

/// The Kenniscentrum's id, when the visitor is staff.
async fn staff(ctx: &PageContext) -> Result<String, AppError> {
    let user = ctx.require_user()?;
    let kenniscentrum_id = access::kenniscentrum_id(ctx.state().db()).await?;
    access::require_staff(&user.actor(), &kenniscentrum_id)?;
    Ok(kenniscentrum_id)
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    staff(&ctx).await?;
    let form = GroupForm {
        fields: ProfileFields::new_group(),
        ..GroupForm::default()
    };
    render(&page(ctx, form, FormErrors::none()))
}

async fn create_with_facilitator(
    tx: &mut Tx<'_>,
    form: &GroupForm,
    facilitator: Option<&str>,
    kenniscentrum_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let group_id = profile::create(tx, &form.slug, &form.name, &form.fields, actor).await?;
    if let Some(user_id) = facilitator {
        facilitators::add(tx, &group_id, user_id, kenniscentrum_id, actor).await?;
    }
    Ok(())
}

async fn create(ctx: PageContext, Form(form): Form<GroupForm>) -> Result<Response, AppError> {
    let kenniscentrum_id = staff(&ctx).await?;
    let user = ctx.require_user()?;
    let actor = AuditActor::user(&user.user_id);
    // Their own role in the Kenniscentrum, not the policy's (which counts a platform
    // administrator as beheerder everywhere).
    let own_staff = match user.actor() {
        Actor::User(u) => u
            .memberships
            .iter()
            .any(|m| m.organisation_id == kenniscentrum_id && m.role >= Role::Redacteur),
        _ => false,
    };
    let facilitator = own_staff.then(|| user.user_id.clone());
    let mut tx = ctx.state().db().begin().await?;
    let result = create_with_facilitator(
        &mut tx,
        &form,
        facilitator.as_deref(),
        &kenniscentrum_id,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-new-done")),
            &paths::group(form.slug.trim()),
        )),
        Err(errors) => form::invalid(&page(ctx, form, errors)),
    }
}
