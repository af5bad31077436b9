//! The fact-sheet themes in the browser: Kenniscentrum staff list, make, change and delete a
//! theme (name, intro text, the ordered indicators and which of them are key figures). The
//! indicators are a table of checkboxes and order numbers, so the form works without script.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::Indicator;
use crate::paths;
use crate::store::indicators;
use crate::store::themes::{self, Theme, ThemeEntry, ThemeFields};
use crate::web::actor;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_THEMES, get(list))
        .route(paths::NEW_THEME, get(new_form).post(create))
        .route(paths::EDIT_THEME_ROUTE, get(edit_form).post(update))
        .route(paths::DELETE_THEME_ROUTE, post(delete))
}

/// Staff only; forbidden (or the login page) for anyone else.
async fn require_staff(ctx: &PageContext) -> Result<(), AppError> {
    ctx.require_user()?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    access::require_manage_themes(&actor(ctx), &kenniscentrum)?;
    Ok(())
}

struct Line {
    name: String,
    href: String,
    public_href: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "cijfers/admin_themes.html")]
struct ListPage {
    ctx: PageContext,
    lines: Vec<Line>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let lines = themes::list(ctx.state().db().pool())
        .await?
        .into_iter()
        .map(|t| Line {
            href: paths::edit_theme(&t.slug),
            public_href: paths::theme(&t.slug),
            count: t.indicators.len(),
            name: t.name,
        })
        .collect();
    let title = ctx.t("cijfers-themes-title");
    let crumb = ctx.t("cijfers-admin-title");
    render(&ListPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        lines,
    })
}

/// One indicator's row of the form.
pub struct Row {
    pub code: String,
    pub name: String,
    pub published: bool,
    pub included: bool,
    /// The order number as typed.
    pub position: String,
    pub key_figure: bool,
}

/// The form as typed.
pub struct ThemeForm {
    pub name: String,
    pub intro: String,
    pub rows: Vec<Row>,
}

impl ThemeForm {
    /// Every indicator as a row, those of `theme` ticked and numbered in its order.
    fn of(all: &[Indicator], theme: Option<&Theme>) -> ThemeForm {
        let rows = all
            .iter()
            .map(|i| {
                let found = theme.and_then(|t| {
                    t.indicators
                        .iter()
                        .position(|x| x.code == i.code)
                        .and_then(|n| t.indicators.get(n).map(|x| (n, x.key_figure)))
                });
                Row {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    published: i.published,
                    included: found.is_some(),
                    position: found.map(|(n, _)| (n + 1).to_string()).unwrap_or_default(),
                    key_figure: found.is_some_and(|(_, key)| key),
                }
            })
            .collect();
        ThemeForm {
            name: theme.map(|t| t.name.clone()).unwrap_or_default(),
            intro: theme.map(|t| t.intro.clone()).unwrap_or_default(),
            rows,
        }
    }

    /// Reads the posted pairs: `name`, `intro`, and per indicator code `in-<code>` (included),
    /// `pos-<code>` (order) and `key-<code>` (key figure, which includes it too).
    fn read(all: &[Indicator], pairs: &[(String, String)]) -> ThemeForm {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let rows = all
            .iter()
            .map(|i| {
                let key_figure = get(&format!("key-{}", i.code)).is_some();
                Row {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    published: i.published,
                    included: key_figure || get(&format!("in-{}", i.code)).is_some(),
                    position: get(&format!("pos-{}", i.code)).unwrap_or_default(),
                    key_figure,
                }
            })
            .collect();
        ThemeForm {
            name: get("name").unwrap_or_default(),
            intro: get("intro").unwrap_or_default(),
            rows,
        }
    }

    /// The store's fields: the ticked indicators by their order number (rows without a
    /// number after the numbered ones, in the table's order); a number that is not a whole
    /// number is a Dutch error.
    fn fields(&self) -> Result<ThemeFields, FormErrors> {
        let mut errors = FormErrors::none();
        let mut chosen: Vec<(i64, usize, &Row)> = Vec::new();
        for (n, row) in self.rows.iter().enumerate().filter(|(_, r)| r.included) {
            let text = row.position.trim();
            let position = if text.is_empty() {
                i64::MAX
            } else {
                match text.parse::<i64>() {
                    Ok(p) if (0..=1000).contains(&p) => p,
                    _ => {
                        errors.add(
                            "indicators",
                            &format!(
                                "De volgorde van {} is geen geheel getal tussen 0 en 1000.",
                                row.name
                            ),
                        );
                        0
                    }
                }
            };
            chosen.push((position, n, row));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        chosen.sort_by_key(|(p, n, _)| (*p, *n));
        Ok(ThemeFields {
            name: self.name.clone(),
            intro: self.intro.clone(),
            indicators: chosen
                .into_iter()
                .map(|(_, _, row)| ThemeEntry {
                    code: row.code.clone(),
                    key_figure: row.key_figure,
                })
                .collect(),
        })
    }
}

#[derive(Template)]
#[template(path = "cijfers/theme_form.html")]
struct FormPage {
    ctx: PageContext,
    form: ThemeForm,
    errors: FormErrors,
    action: String,
    /// The theme's slug when editing (for the delete button and the public link).
    editing: Option<String>,
    delete_action: String,
    public_href: String,
}

fn form_page(
    ctx: PageContext,
    form: ThemeForm,
    errors: FormErrors,
    editing: Option<String>,
) -> FormPage {
    let title = match &editing {
        Some(_) => ctx.t_with("cijfers-theme-edit-title", &[("name", &form.name)]),
        None => ctx.t("cijfers-theme-new-title"),
    };
    let crumb = ctx.t("cijfers-themes-title");
    FormPage {
        action: editing
            .as_deref()
            .map_or(paths::NEW_THEME.to_string(), paths::edit_theme),
        delete_action: editing
            .as_deref()
            .map(paths::delete_theme)
            .unwrap_or_default(),
        public_href: editing.as_deref().map(paths::theme).unwrap_or_default(),
        ctx: ctx.crumb(crumb, paths::ADMIN_THEMES).titled(title),
        form,
        errors,
        editing,
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let all = indicators::list(ctx.state().db().pool()).await?;
    let form = ThemeForm::of(&all, None);
    render(&form_page(ctx, form, FormErrors::none(), None))
}

async fn create(
    ctx: PageContext,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let all = indicators::list(ctx.state().db().pool()).await?;
    let form = ThemeForm::read(&all, &pairs);
    let fields = match form.fields() {
        Ok(fields) => fields,
        Err(errors) => return form::invalid(&form_page(ctx, form, errors, None)),
    };
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = themes::create(&mut tx, &fields, false, &audit).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-theme-saved")),
            paths::ADMIN_THEMES,
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors, None)),
    }
}

async fn found(ctx: &PageContext, slug: &str) -> Result<Theme, AppError> {
    require_staff(ctx).await?;
    themes::find(ctx.state().db().pool(), slug)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_form(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let theme = found(&ctx, &slug).await?;
    let all = indicators::list(ctx.state().db().pool()).await?;
    let form = ThemeForm::of(&all, Some(&theme));
    render(&form_page(ctx, form, FormErrors::none(), Some(theme.slug)))
}

async fn update(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let theme = found(&ctx, &slug).await?;
    let all = indicators::list(ctx.state().db().pool()).await?;
    let form = ThemeForm::read(&all, &pairs);
    let fields = match form.fields() {
        Ok(fields) => fields,
        Err(errors) => return form::invalid(&form_page(ctx, form, errors, Some(theme.slug))),
    };
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = themes::update(&mut tx, &theme, &fields, &audit).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-theme-saved")),
            paths::ADMIN_THEMES,
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors, Some(theme.slug))),
    }
}

async fn delete(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let theme = found(&ctx, &slug).await?;
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    themes::delete(&mut tx, &theme, &audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("cijfers-theme-deleted")),
        paths::ADMIN_THEMES,
    ))
}
