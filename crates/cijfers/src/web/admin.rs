//! The data team's indicators: the list of those the visitor may manage, a new one, and
//! changing one (including publishing). A city's data team works on its own indicators (in the
//! organisation chosen with the switcher); Kenniscentrum staff on the shared ones.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::policy::Actor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::model::{Aggregation, Indicator};
use crate::paths;
use crate::store::indicators::{self, IndicatorFields};
use crate::web::{actor, gate};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_INDICATORS, get(list))
        .route(paths::NEW_INDICATOR, get(new_form).post(create))
        .route(paths::EDIT_INDICATOR_ROUTE, get(edit_form).post(update))
}

/// The organisation the visitor works for and whether they are staff: the switcher's choice
/// when they are on its data team, else the first organisation whose data team they are on (so
/// that the menu's entry, shown to anyone on a data team, never leads to a refusal); forbidden
/// when there is none.
pub(crate) async fn working_org(ctx: &PageContext) -> Result<(String, bool), AppError> {
    let user = ctx.require_user()?;
    let actor = actor(ctx);
    let org = user
        .active_org
        .iter()
        .map(|o| o.id.clone())
        .chain(user.memberships.iter().map(|m| m.organisation_id.clone()))
        .find(|id| access::is_data_team(&actor, id))
        .ok_or(AppError::Forbidden)?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    Ok((org, access::is_staff(&actor, &kenniscentrum)))
}

struct Line {
    code: String,
    name: String,
    href: String,
    owner: String,
    published: bool,
}

#[derive(Template)]
#[template(path = "cijfers/admin_indicators.html")]
struct ListPage {
    ctx: PageContext,
    lines: Vec<Line>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    working_org(&ctx).await?;
    let db = ctx.state().db();
    let actor = actor(&ctx);
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let shared = ctx.t("cijfers-shared");
    let lines = indicators::list(db.pool())
        .await?
        .into_iter()
        .filter(|i| access::can_manage_indicator(&actor, i, &kenniscentrum))
        .map(|i| Line {
            href: paths::edit_indicator(&i.code),
            owner: if i.owner_org_id.is_none() {
                shared.clone()
            } else {
                String::new()
            },
            code: i.code,
            name: i.name,
            published: i.published,
        })
        .collect();
    let title = ctx.t("cijfers-admin-title");
    render(&ListPage {
        ctx: ctx.titled(title),
        lines,
    })
}

/// The form's fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub decimals: String,
    #[serde(default)]
    pub aggregation: String,
    #[serde(default)]
    pub weight_code: String,
    #[serde(default)]
    pub numerator_code: String,
    #[serde(default)]
    pub denominator_code: String,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub min_count: String,
    #[serde(default)]
    pub dominance_pct: String,
    #[serde(default)]
    pub protection_pct: String,
    #[serde(default)]
    pub auto_secondary: Option<String>,
}

impl IndicatorForm {
    fn of(i: &Indicator) -> IndicatorForm {
        IndicatorForm {
            code: i.code.clone(),
            name: i.name.clone(),
            definition: i.definition.clone(),
            unit: i.unit.clone(),
            source: i.source.clone(),
            theme: i.theme.clone(),
            decimals: i.decimals.to_string(),
            aggregation: i.aggregation.as_str().into(),
            weight_code: i.weight_code.clone().unwrap_or_default(),
            numerator_code: i.numerator_code.clone().unwrap_or_default(),
            denominator_code: i.denominator_code.clone().unwrap_or_default(),
            published: i.published.then(|| "1".into()),
            min_count: i.min_count.map(|n| n.to_string()).unwrap_or_default(),
            dominance_pct: i.dominance_pct.map(|n| n.to_string()).unwrap_or_default(),
            protection_pct: i.protection_pct.map(|n| n.to_string()).unwrap_or_default(),
            auto_secondary: i.auto_secondary.then(|| "1".into()),
        }
    }

    /// The disclosure settings (src/web/gate.rs).
    fn settings(&self) -> steden_core::error::CoreResult<gate::Settings> {
        gate::Settings::parse(&self.protection_pct, self.auto_secondary.is_some())
    }

    /// The store's fields; a number that is none is out of range, so the store refuses it.
    fn fields(&self) -> IndicatorFields {
        let number = |s: &str| -> Option<i64> {
            let s = s.trim();
            (!s.is_empty()).then(|| s.parse().unwrap_or(-1))
        };
        IndicatorFields {
            code: self.code.clone(),
            name: self.name.clone(),
            definition: self.definition.clone(),
            unit: self.unit.clone(),
            source: self.source.clone(),
            theme: self.theme.clone(),
            decimals: number(&self.decimals).unwrap_or(0),
            aggregation: self.aggregation.clone(),
            weight_code: self.weight_code.clone(),
            numerator_code: self.numerator_code.clone(),
            denominator_code: self.denominator_code.clone(),
            published: self.published.is_some(),
            demo: false,
            min_count: number(&self.min_count),
            dominance_pct: number(&self.dominance_pct),
        }
    }
}

#[derive(Template)]
#[template(path = "cijfers/indicator_form.html")]
struct FormPage {
    ctx: PageContext,
    form: IndicatorForm,
    errors: FormErrors,
    aggregations: Vec<Choice>,
    /// `None` for a new indicator.
    editing: Option<String>,
    action: String,
    /// The last disclosure check (only when editing).
    gate: Option<gate::Report>,
}

fn form_page(
    ctx: PageContext,
    form: IndicatorForm,
    errors: FormErrors,
    editing: Option<String>,
) -> FormPage {
    let aggregations = Choice::list(
        Aggregation::ALL,
        &form.aggregation,
        Aggregation::as_str,
        |a| ctx.t(&a.label_key()),
    );
    let action = editing
        .as_deref()
        .map_or(paths::NEW_INDICATOR.to_string(), paths::edit_indicator);
    let title = match &editing {
        Some(code) => ctx.t_with("cijfers-edit-title", &[("code", code)]),
        None => ctx.t("cijfers-new-title"),
    };
    let crumb = ctx.t("cijfers-admin-title");
    FormPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        form,
        errors,
        aggregations,
        editing,
        action,
        gate: None,
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    working_org(&ctx).await?;
    let form = IndicatorForm {
        aggregation: "sum".into(),
        decimals: "0".into(),
        auto_secondary: Some("1".into()),
        ..IndicatorForm::default()
    };
    render(&form_page(ctx, form, FormErrors::none(), None))
}

async fn create(ctx: PageContext, Form(form): Form<IndicatorForm>) -> Result<Response, AppError> {
    let (org, staff) = working_org(&ctx).await?;
    let audit = actor(&ctx).audit_actor();
    // Staff working in the Kenniscentrum make shared indicators; a city its own.
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let owner = (!(staff && org == kenniscentrum)).then_some(org.as_str());
    let fields = form.fields();
    let mut tx = ctx.state().db().begin().await?;
    // A new indicator has no values yet: publishing it passes the check at once, which marks
    // it checked for the public reads.
    let result = match form.settings() {
        Ok(settings) => match indicators::create(&mut tx, &fields, owner, &audit).await {
            Ok(_) => {
                gate::settle_publication(&mut tx, fields.code.trim(), &fields, settings, &audit)
                    .await
                    .and_then(|refused| refused.map_or(Ok(()), |c| Err(gate::refusal_error(&c))))
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-saved")),
            paths::ADMIN_INDICATORS,
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors, None)),
    }
}

async fn managed(ctx: &PageContext, code: &str) -> Result<(Indicator, Actor), AppError> {
    let db = ctx.state().db();
    let indicator = indicators::find_by_code(db.pool(), code)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor(ctx);
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    access::require_manage_indicator(&actor, &indicator, &kenniscentrum)?;
    Ok((indicator, actor))
}

async fn edit_form(ctx: PageContext, Path(code): Path<String>) -> Result<Response, AppError> {
    let (indicator, _) = managed(&ctx, &code).await?;
    let form = IndicatorForm::of(&indicator);
    let report = gate::report(&ctx, &indicator.id).await?;
    let mut page = form_page(ctx, form, FormErrors::none(), Some(indicator.code));
    page.gate = report;
    render(&page)
}

async fn update(
    ctx: PageContext,
    Path(code): Path<String>,
    Form(form): Form<IndicatorForm>,
) -> Result<Response, AppError> {
    let (indicator, actor) = managed(&ctx, &code).await?;
    let fields = form.fields();
    if fields.published {
        let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
        access::require_publish(&actor, &indicator, &kenniscentrum)?;
    }
    let audit = actor.audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    // Saving a published indicator runs the disclosure check in the same transaction; when it
    // fails, nothing is saved and the refusal (with its report) is recorded on its own.
    let mut refused = None;
    let result = match form.settings() {
        Ok(settings) => match indicators::update(&mut tx, &indicator, &fields, &audit).await {
            Ok(()) => {
                match gate::settle_publication(&mut tx, &indicator.code, &fields, settings, &audit)
                    .await
                {
                    Ok(Some(check)) => {
                        let error = gate::refusal_error(&check);
                        refused = Some(check);
                        Err(error)
                    }
                    Ok(None) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-saved")),
            paths::ADMIN_INDICATORS,
        )),
        Err(errors) => {
            if let Some(check) = &refused {
                gate::record_refusal(&ctx, &indicator, &audit, check).await?;
            }
            let report = gate::report(&ctx, &indicator.id).await?;
            let mut page = form_page(ctx, form, errors, Some(indicator.code));
            page.gate = report;
            form::invalid(&page)
        }
    }
}
