//! "Reeks plannen" (`/werkgroepen/{slug}/vergaderingen/reeks`), for those who run the group:
//! the group's cadence turned into one meeting per date between two dates (design §3.6). The
//! cadence is the group's own (changed in its settings); the form asks which weekday, which
//! week of the month, the months of a "…maal per jaar" group, times, place and the range.
//! Every field is checked at once and nothing is written while one is wrong.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::error::FieldError;
use steden_core::CoreError;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::cadence::{self, Rule, WeekOfMonth};
use crate::localtime;
use crate::paths;
use crate::reader::GroupView;
use crate::store::series::{self, SeriesDetails, SeriesRequest};

use super::{audit_actor, crumbs, load_for_facilitator};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/werkgroepen/{slug}/vergaderingen/reeks",
        get(new_form).post(generate),
    )
}

/// What the series form sends, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SeriesForm {
    title: String,
    from: String,
    to: String,
    weekday: String,
    week_of_month: String,
    /// Month numbers separated by commas ("2, 6, 10"), for "…maal per jaar".
    months: String,
    start: String,
    end: String,
    place: String,
    online_url: String,
    skip_holidays: String,
}

const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const WEEKS: [(&str, &str); 6] = [
    ("1", "eerste"),
    ("2", "tweede"),
    ("3", "derde"),
    ("4", "vierde"),
    ("5", "vijfde"),
    ("-1", "laatste"),
];

#[derive(Template)]
#[template(path = "werkgroepen/group/series.html")]
struct SeriesPage {
    ctx: PageContext,
    action: String,
    back: String,
    cadence: String,
    form: SeriesForm,
    weekdays: Vec<Choice>,
    weeks: Vec<Choice>,
    skip_holidays: bool,
    errors: FormErrors,
}

fn page(ctx: PageContext, view: &GroupView, form: SeriesForm, errors: FormErrors) -> SeriesPage {
    let weekdays = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let value = (i + 1).to_string();
            Choice {
                selected: form.weekday == value,
                value,
                label: (*label).to_string(),
            }
        })
        .collect();
    let weeks = WEEKS
        .iter()
        .map(|(value, label)| Choice {
            selected: form.week_of_month == *value,
            value: (*value).to_string(),
            label: (*label).to_string(),
        })
        .collect();
    let list = ctx.t("wg-tab-meetings");
    let title = ctx.t("wg-series-title");
    let back = paths::group_meetings(&view.profile.slug);
    SeriesPage {
        cadence: ctx.t(&view.profile.cadence.label_key()),
        action: paths::group_series(&view.profile.slug),
        skip_holidays: !form.skip_holidays.is_empty(),
        form,
        weekdays,
        weeks,
        errors,
        ctx: crumbs(ctx, view).crumb(list, back.clone()).titled(title),
        back,
    }
}

async fn new_form(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let proposed = Rule::proposed(view.profile.cadence, crate::store::meetings::today());
    let months: Vec<String> = proposed.months.iter().map(u32::to_string).collect();
    let form = SeriesForm {
        title: view.profile.name.clone(),
        from: proposed.anchor.format("%Y-%m-%d").to_string(),
        weekday: proposed.weekday.to_string(),
        week_of_month: proposed.week_of_month.0.to_string(),
        months: months.join(", "),
        start: view.profile.default_start.clone(),
        end: view.profile.default_end.clone(),
        place: view.profile.default_place.clone(),
        online_url: view.profile.default_online_url.clone(),
        skip_holidays: "1".into(),
        ..SeriesForm::default()
    };
    render(&page(ctx, &view, form, FormErrors::none()))
}

/// The rule and range of the form, or the fields that are not even dates and numbers.
fn read(
    view: &GroupView,
    form: &SeriesForm,
) -> Result<(Rule, chrono::NaiveDate, chrono::NaiveDate), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |text: &str, field: &str| match localtime::parse_date(text) {
        Ok(date) => Some(date),
        Err(error) => {
            errors.push(FieldError::new(field, error.message()));
            None
        }
    };
    let from = date(&form.from, "from");
    let to = date(&form.to, "to");
    let months: Result<Vec<u32>, _> = form
        .months
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::parse::<u32>)
        .collect();
    let months = months.unwrap_or_else(|_| {
        errors.push(FieldError::new(
            "months",
            "Geef de maanden als getallen, gescheiden door komma's, bijvoorbeeld 2, 6, 10.",
        ));
        Vec::new()
    });
    let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
        return Err(errors);
    };
    let rule = Rule {
        cadence: view.profile.cadence,
        anchor: from,
        weekday: form.weekday.trim().parse().unwrap_or(0),
        week_of_month: WeekOfMonth(form.week_of_month.trim().parse().unwrap_or(0)),
        months: if cadence::per_year(view.profile.cadence).is_some() {
            months
        } else {
            Vec::new()
        },
        start: form.start.trim().to_string(),
        end: form.end.trim().to_string(),
        until: None,
        skip_holidays: !form.skip_holidays.is_empty(),
    };
    Ok((rule, from, to))
}

async fn generate(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<SeriesForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let details = SeriesDetails {
        title: form.title.clone(),
        place: form.place.clone(),
        online_url: form.online_url.clone(),
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = match read(&view, &form) {
        Ok((rule, from, to)) => {
            let request = SeriesRequest {
                rule: &rule,
                from,
                to,
                details: &details,
            };
            match series::create(
                &mut tx,
                &view.standing,
                &view.profile.group_id,
                request,
                &actor,
            )
            .await
            {
                Ok(generated) => {
                    let origin = crate::invitations::Origin::of(ctx.state().config());
                    crate::series_mail::queue_generated(
                        &mut tx,
                        &origin,
                        &generated,
                        steden_db::now_ms(),
                    )
                    .await
                    .map(|_| generated)
                }
                Err(error) => Err(error),
            }
        }
        Err(errors) => Err(CoreError::Invalid(errors)),
    }
    // The rule's own fields without an input of that name here are about the range.
    .map_err(|error| match error {
        CoreError::Invalid(found) => CoreError::Invalid(
            found
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "cadence" | "until" | "anchor" => FieldError::new("from", e.message),
                    _ => e,
                })
                .collect(),
        ),
        other => other,
    });
    match form::settle(tx, result).await? {
        Ok(generated) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wg-series-done",
                &[("count", generated.created.to_string().as_str())],
            )),
            &paths::group_meetings(&slug),
        )),
        Err(errors) => form::invalid(&page(ctx, &view, form, errors)),
    }
}
