//! /beheer/organisaties: the list of organisations, and per organisation its codes, members
//! (change role, remove, invite) and API tokens.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use steden_core::api_token::{self, ApiToken, NewApiToken};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::membership::{self, Member};
use steden_core::org::{self, Organisation};
use steden_core::policy::{self, Action, Actor, CORE_MODULE};
use steden_core::role::Role;
use steden_core::user::{self, NewUser, TokenPurpose};
use steden_core::{CoreError, CoreResult, FieldError};

use super::{role_options, send_mail, RoleOption};
use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::form::{self, FormErrors};
use crate::page::{render, PageContext};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/organisaties", get(list))
        .route("/beheer/organisaties/{id}", get(show))
        .route(
            "/beheer/organisaties/{id}/leden/{user_id}/rol",
            post(change_role),
        )
        .route(
            "/beheer/organisaties/{id}/leden/{user_id}/verwijderen",
            post(remove_member),
        )
        .route("/beheer/organisaties/{id}/uitnodigen", post(invite))
        .route("/beheer/organisaties/{id}/api-tokens", post(create_token))
        .route(
            "/beheer/organisaties/{id}/api-tokens/{token_id}/intrekken",
            post(revoke_token),
        )
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn kind_key(org: &Organisation) -> String {
    format!("acc-kind-{}", org.kind.as_str())
}

// ---------------------------------------------------------------------------------------------
// List

struct OrgRow {
    id: String,
    name: String,
    /// Whether the user may open the organisation's page (the check of [`load_visible`]);
    /// the others are listed without a link.
    can_open: bool,
    kind_key: String,
    refnis: String,
}

#[derive(Template)]
#[template(path = "accounts/org_list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<OrgRow>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let actor = ctx.require_user()?.actor();
    let db = ctx.state().db();
    let codes = org::refnis_codes_on(db, today()).await?;
    let rows = org::list(db.pool())
        .await?
        .into_iter()
        .map(|o| OrgRow {
            refnis: codes
                .iter()
                .find(|(id, _)| *id == o.id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default(),
            kind_key: kind_key(&o),
            can_open: may_open(&actor, &o.id),
            id: o.id,
            name: o.name,
        })
        .collect();
    let title = ctx.t("acc-orgs-title");
    render(&ListPage {
        ctx: ctx.titled(title),
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Detail page

struct CodeRow {
    code: String,
    from: String,
    until: String,
}

struct MemberRow {
    member: Member,
    roles: Vec<RoleOption>,
}

struct TokenRow {
    token: ApiToken,
    modules: String,
    usable: bool,
    can_revoke: bool,
}

/// What the user typed in the invitation form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
    role: String,
}

/// What the user typed in the token form.
#[derive(Debug, Default)]
struct TokenForm {
    name: String,
    role: String,
    modules: Vec<String>,
    expires: String,
}

/// The state of the page's forms: what was typed and what was wrong, and a token just made.
#[derive(Default)]
struct Forms {
    invite: InviteForm,
    invite_errors: FormErrors,
    token: TokenForm,
    token_errors: FormErrors,
    new_token: Option<String>,
}

struct ModuleChoice {
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "accounts/org_detail.html")]
struct DetailPage {
    ctx: PageContext,
    org: Organisation,
    kind_key: String,
    refnis_now: String,
    codes: Vec<CodeRow>,
    can_manage: bool,
    members: Vec<MemberRow>,
    invite: InviteForm,
    invite_roles: Vec<RoleOption>,
    invite_errors: FormErrors,
    can_create_token: bool,
    tokens: Vec<TokenRow>,
    token: TokenForm,
    token_roles: Vec<RoleOption>,
    token_modules: Vec<ModuleChoice>,
    token_errors: FormErrors,
    /// The plaintext of a token just created, shown this once.
    new_token: Option<String>,
    /// Who changed what in this organisation; shown to those who manage it, since it names
    /// the people who made each change.
    history: Vec<crate::audit_pages::HistoryRow>,
}

/// Whether `actor` may open the page of organisation `id` ([`load_visible`]'s check, as a
/// yes/no for the list).
fn may_open(actor: &Actor, id: &str) -> bool {
    policy::can(actor, CORE_MODULE, Action::Read, id)
}

/// The organisation, after checking the user may see it (platform admin or member).
async fn load_visible(ctx: &PageContext, id: &str) -> Result<(Actor, Organisation), AppError> {
    let user = ctx.require_user()?;
    let actor = user.actor();
    let organisation = org::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check(&actor, CORE_MODULE, Action::Read, &organisation.id)?;
    Ok((actor, organisation))
}

/// Builds the detail page with the given form states.
async fn detail_page(
    ctx: PageContext,
    actor: Actor,
    organisation: Organisation,
    forms: Forms,
) -> Result<DetailPage, AppError> {
    let Forms {
        invite,
        invite_errors,
        token,
        token_errors,
        new_token,
    } = forms;
    let state = ctx.state().clone();
    let db = state.db().pool();
    let codes = org::codes(db, &organisation.id).await?;
    let refnis_now = org::code_on(&codes, org::REFNIS, today())
        .unwrap_or_default()
        .to_string();
    let can_manage = policy::can(&actor, CORE_MODULE, Action::Manage, &organisation.id);
    let own_role = actor.role_in(&organisation.id).unwrap_or(Role::Lezer);
    // Members see who else belongs to the organisation; e-mail addresses only those who manage
    // it (the template leaves that column out for the others).
    let members = if can_manage || actor.role_in(&organisation.id).is_some() {
        membership::list_for_org(db, &organisation.id).await?
    } else {
        Vec::new()
    };
    let tokens = api_token::list_for_org(db, &organisation.id)
        .await?
        .into_iter()
        .filter(|t| api_token::can_manage(&actor, t))
        .map(|t| TokenRow {
            modules: t.modules.join(", "),
            usable: t.usable_at(steden_db::now_ms()),
            can_revoke: t.revoked_at.is_none(),
            token: t,
        })
        .collect();
    let mut module_names: Vec<String> = vec![CORE_MODULE.to_string()];
    module_names.extend(state.module_names().iter().map(|m| m.to_string()));
    let token_modules = module_names
        .into_iter()
        .map(|name| ModuleChoice {
            checked: token.modules.contains(&name),
            name,
        })
        .collect();
    let history = if can_manage {
        crate::audit_pages::organisation_history(state.db(), &organisation.id, 100).await?
    } else {
        Vec::new()
    };
    let title = organisation.name.clone();
    let orgs_label = ctx.t("acc-orgs-title");
    Ok(DetailPage {
        kind_key: kind_key(&organisation),
        refnis_now,
        codes: codes
            .into_iter()
            .filter(|c| c.scheme == org::REFNIS)
            .map(|c| CodeRow {
                code: c.code,
                from: c
                    .valid_from
                    .map(steden_core::time::format_naive_date)
                    .unwrap_or_default(),
                until: c
                    .valid_until
                    .map(steden_core::time::format_naive_date)
                    .unwrap_or_default(),
            })
            .collect(),
        can_manage,
        members: members
            .into_iter()
            .map(|m| MemberRow {
                roles: role_options(own_role, m.role.as_str()),
                member: m,
            })
            .collect(),
        invite_roles: role_options(
            own_role,
            if invite.role.is_empty() {
                "lid"
            } else {
                &invite.role
            },
        ),
        invite,
        invite_errors,
        can_create_token: actor.role_in(&organisation.id).is_some(),
        tokens,
        token_roles: role_options(
            own_role,
            if token.role.is_empty() {
                "lezer"
            } else {
                &token.role
            },
        ),
        token_modules,
        token,
        token_errors,
        new_token,
        history,
        org: organisation,
        ctx: ctx.crumb(orgs_label, "/beheer/organisaties").titled(title),
    })
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    let page = detail_page(ctx, actor, organisation, Forms::default()).await?;
    render(&page)
}

fn back_to(org_id: &str) -> String {
    format!("/beheer/organisaties/{org_id}")
}

// ---------------------------------------------------------------------------------------------
// Members

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn change_role(
    ctx: PageContext,
    Path((id, user_id)): Path<(String, String)>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    // The policy decides first; nothing is read or written for someone who may not.
    policy::check(&actor, CORE_MODULE, Action::Manage, &organisation.id)?;
    let role = Role::parse(&form.role)
        .ok_or_else(|| AppError::BadRequest("Kies een geldige rol.".into()))?;
    policy::check_grant(&actor, &organisation.id, role)?;
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    if membership::role_of(&mut *tx, &user_id, &organisation.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let changed = membership::set_role(
        &mut tx,
        &user_id,
        &organisation.id,
        role,
        &actor.audit_actor(),
    )
    .await;
    if let Err(CoreError::Conflict(reason)) = changed {
        return Ok(flash::redirect_with(
            Flash::error(reason),
            &back_to(&organisation.id),
        ));
    }
    changed?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("acc-role-changed")),
        &back_to(&organisation.id),
    ))
}

async fn remove_member(
    ctx: PageContext,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    policy::check(&actor, CORE_MODULE, Action::Manage, &organisation.id)?;
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    let removed =
        membership::remove(&mut tx, &user_id, &organisation.id, &actor.audit_actor()).await;
    if let Err(CoreError::Conflict(reason)) = removed {
        return Ok(flash::redirect_with(
            Flash::error(reason),
            &back_to(&organisation.id),
        ));
    }
    removed?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("acc-member-removed")),
        &back_to(&organisation.id),
    ))
}

/// Invites `email` with `role`: creates the account if new (without password), the
/// membership, a single-use link and the e-mail, all in one transaction.
async fn invite(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    policy::check(&actor, CORE_MODULE, Action::Manage, &organisation.id)?;
    let mut errors = Vec::new();
    let email = user::validate_email(&form.email)
        .map_err(|e| errors.push(e))
        .ok();
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.push(FieldError::new("role", "Kies een geldige rol."));
    }
    let (Some(email), Some(role)) = (email, role) else {
        return invalid_invite(ctx, actor, organisation, form, FormErrors::new(errors)).await;
    };
    policy::check_grant(&actor, &organisation.id, role)?;

    let inviter = ctx.require_user()?.name.clone();
    let mut tx = ctx.state().db().begin().await?;
    let invitation = Invitation {
        organisation: &organisation,
        email: &email,
        role,
        inviter: &inviter,
        actor: &actor.audit_actor(),
    };
    let written = write_invitation(&mut tx, &ctx, invitation).await;
    match form::settle(tx, written).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with("acc-invite-sent", &[("email", &email)])),
            &back_to(&organisation.id),
        )),
        Err(errors) => invalid_invite(ctx, actor, organisation, form, errors).await,
    }
}

/// Who is invited where, and by whom.
struct Invitation<'a> {
    organisation: &'a Organisation,
    email: &'a str,
    role: Role,
    inviter: &'a str,
    actor: &'a AuditActor,
}

/// Writes an invitation in `tx`: the account if the address has none yet (with a provisional
/// name), the membership, the mail with its link, and the audit entry. `Invalid` when the
/// address is already a member, so that the form shows it and nothing is kept.
async fn write_invitation(
    tx: &mut steden_db::Tx<'_>,
    ctx: &PageContext,
    invitation: Invitation<'_>,
) -> CoreResult<()> {
    let Invitation {
        organisation,
        email,
        role,
        inviter,
        actor,
    } = invitation;
    let invitee = match user::find_by_email(&mut **tx, email).await? {
        Some(u) => u,
        None => {
            // A provisional name; the invitee chooses their own when accepting.
            let name = email.split('@').next().unwrap_or(email).to_string();
            let new = NewUser {
                email,
                name: &name,
                password: None,
                platform_admin: false,
            };
            user::create(tx, new, actor).await?
        }
    };
    if membership::role_of(&mut **tx, &invitee.id, &organisation.id)
        .await?
        .is_some()
    {
        return Err(CoreError::invalid(
            "email",
            &ctx.t("acc-invite-already-member"),
        ));
    }
    membership::set_role(tx, &invitee.id, &organisation.id, role, actor).await?;
    let base = ctx
        .state()
        .config()
        .base_url
        .trim_end_matches('/')
        .to_string();
    let role_label = ctx.role_label(role.as_str());
    let text = if invitee.has_password() {
        ctx.t_with(
            "mail-added-text",
            &[
                ("inviter", inviter),
                ("organisation", &organisation.name),
                ("role", &role_label),
                ("link", &format!("{base}/aanmelden")),
            ],
        )
    } else {
        let secret = user::issue_account_token(
            tx,
            &invitee.id,
            Some(&organisation.id),
            TokenPurpose::Invite,
        )
        .await?;
        ctx.t_with(
            "mail-invite-text",
            &[
                ("inviter", inviter),
                ("organisation", &organisation.name),
                ("role", &role_label),
                ("link", &format!("{base}/uitnodiging/{secret}")),
            ],
        )
    };
    let subject = ctx.t_with(
        "mail-invite-subject",
        &[("organisation", &organisation.name)],
    );
    send_mail(tx, &invitee.email, &subject, &text).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation.id),
            entity_type: "user",
            entity_id: &invitee.id,
            action: "invite",
            summary: &format!("Uitgenodigd voor {} als {role}", organisation.name),
            changes: Changes::new().created("role", role.as_str()),
        },
    )
    .await?;
    Ok(())
}

async fn invalid_invite(
    ctx: PageContext,
    actor: Actor,
    organisation: Organisation,
    form: InviteForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = detail_page(
        ctx,
        actor,
        organisation,
        Forms {
            invite: InviteForm {
                email: form.email.trim().to_string(),
                role: form.role,
            },
            invite_errors: errors,
            ..Forms::default()
        },
    )
    .await?;
    form::invalid(&page)
}

// ---------------------------------------------------------------------------------------------
// API tokens

/// The token form, read by hand: the module checkboxes repeat their name, which serde's
/// urlencoded format cannot collect into a list.
fn read_token_form(fields: Vec<(String, String)>) -> TokenForm {
    let mut form = TokenForm::default();
    for (key, value) in fields {
        match key.as_str() {
            "token_name" => form.name = value,
            "token_role" => form.role = value,
            "token_modules" => form.modules.push(value),
            "token_expires" => form.expires = value,
            _ => {}
        }
    }
    form
}

async fn create_token(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    let form = read_token_form(fields);
    let mut errors = Vec::new();
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.push(FieldError::new("token_role", "Kies een geldige rol."));
    }
    let expires_at = if form.expires.trim().is_empty() {
        None
    } else {
        match steden_core::time::parse_date(&form.expires) {
            Some(day) => day
                .and_hms_opt(23, 59, 59)
                .map(|t| t.and_utc().timestamp_millis()),
            None => {
                errors.push(FieldError::new(
                    "token_expires",
                    "Dit is geen geldige datum (bijvoorbeeld 31/12/2026).",
                ));
                None
            }
        }
    };
    let result = match (role, errors.is_empty()) {
        (Some(role), true) => {
            let db = ctx.state().db();
            let mut tx = db.begin().await?;
            let new = NewApiToken {
                name: &form.name,
                organisation_id: &organisation.id,
                modules: form.modules.clone(),
                role,
                expires_at,
            };
            match api_token::create(&mut tx, &actor, &new, ctx.state().module_names()).await {
                Ok(created) => {
                    tx.commit().await?;
                    Ok(created)
                }
                Err(err) => Err(err),
            }
        }
        _ => Err(CoreError::Invalid(errors)),
    };
    match result {
        Ok(created) => {
            // Shown once, on this response; never again.
            let page = detail_page(
                ctx,
                actor,
                organisation,
                Forms {
                    new_token: Some(created.plaintext),
                    ..Forms::default()
                },
            )
            .await?;
            let mut response = render(&page)?;
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(CoreError::Invalid(errs)) => {
            let errs = errs
                .into_iter()
                .map(|e| {
                    let field = match e.field.as_str() {
                        "name" => "token_name",
                        "role" => "token_role",
                        "modules" => "token_modules",
                        "expires_at" => "token_expires",
                        other => other,
                    };
                    FieldError::new(field, e.message)
                })
                .collect();
            let page = detail_page(
                ctx,
                actor,
                organisation,
                Forms {
                    token: TokenForm {
                        name: form.name.trim().to_string(),
                        ..form
                    },
                    token_errors: FormErrors::new(errs),
                    ..Forms::default()
                },
            )
            .await?;
            form::invalid(&page)
        }
        Err(other) => Err(other.into()),
    }
}

async fn revoke_token(
    ctx: PageContext,
    Path((id, token_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, organisation) = load_visible(&ctx, &id).await?;
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    let token = api_token::get(&mut *tx, &token_id).await?;
    if token.organisation_id != organisation.id {
        return Err(AppError::NotFound);
    }
    api_token::revoke(&mut tx, &actor, &token_id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("acc-token-revoked")),
        &back_to(&organisation.id),
    )
    .into_response())
}
