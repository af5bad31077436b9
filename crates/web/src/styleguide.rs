//! /beheer/stijlgids: the living style guide, for platform administrators. It shows the design
//! tokens as the stylesheet has them (read from steden.css by [`crate::design_tokens`], with
//! every documented colour pair's contrast computed) and every component of
//! `templates/partials/` in its states, rendered through the real macros, so that what the
//! page shows is what modules get. The browser tests run axe, the 320 px reflow check and the
//! title check on it like on every page.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_core::policy;

use crate::choice::Choice;
use crate::components::Tab;
use crate::design_tokens::{self, Pair, Token, STYLESHEET};
use crate::error::AppError;
use crate::form::FormErrors;
use crate::nav::{NavEntry, NavGroup, NavVisibility};
use crate::page::{render, PageContext};
use crate::pagination::Pagination;
use crate::state::AppState;

/// The page's address.
pub const PATH: &str = "/beheer/stijlgids";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(page))
}

/// In the administration menu, for platform administrators (the page answers 403 to others).
pub fn nav() -> Vec<NavEntry> {
    vec![NavEntry {
        label_key: "styleguide-nav",
        group: NavGroup::Admin,
        href: PATH,
        visibility: NavVisibility::PlatformAdmin,
        order: 950,
    }]
}

/// A colour token with its value.
pub struct ColourRow {
    pub name: String,
    pub hex: String,
    pub note: String,
}

/// A size token (type, space, radius) with its value in CSS pixels at the default text size.
pub struct SizeRow {
    pub name: String,
    pub value: String,
    pub note: String,
    pub px: u32,
    /// The stylesheet class that applies the size (type samples).
    pub class: String,
}

/// The demo views of the tabs and the pagination, chosen by the query string.
#[derive(Deserialize, Default)]
struct GuideQuery {
    #[serde(default)]
    tab: String,
    #[serde(default)]
    pagina: String,
}

#[derive(Template)]
#[template(path = "styleguide/page.html")]
struct GuidePage {
    ctx: PageContext,
    colours: Vec<ColourRow>,
    pairs: Vec<Pair>,
    type_sizes: Vec<SizeRow>,
    spaces: Vec<SizeRow>,
    radii: Vec<SizeRow>,
    /// What design_tokens finds wrong in the stylesheet (empty when all holds).
    problems: Vec<String>,
    errors: FormErrors,
    no_errors: FormErrors,
    kinds: Vec<Choice>,
    kinds_empty: Vec<Choice>,
    tabs: Vec<Tab>,
    pagination: Pagination,
    /// A table wider than a phone: a figure per city and year.
    wide_years: Vec<i64>,
    wide_rows: Vec<(String, Vec<String>)>,
}

/// `1.25rem` or `3px` as CSS pixels (16 px to the rem); anything else as 0.
fn px(value: &str) -> u32 {
    let number = |text: &str| text.trim().parse::<f64>().ok();
    let px = match value.strip_suffix("rem").and_then(number) {
        Some(rem) => rem * 16.0,
        None => value.strip_suffix("px").and_then(number).unwrap_or(0.0),
    };
    px.round() as u32
}

fn sizes(tokens: &[Token], prefix: &str) -> Vec<SizeRow> {
    tokens
        .iter()
        .filter(|t| t.name.starts_with(prefix))
        .map(|t| SizeRow {
            name: t.name.clone(),
            value: t.value.clone(),
            note: t.note.clone(),
            px: px(&t.value),
            class: format!("sg-{}", t.name.trim_start_matches("--")),
        })
        .collect()
}

async fn page(ctx: PageContext, Query(query): Query<GuideQuery>) -> Result<Response, AppError> {
    policy::require_platform_admin(&ctx.require_user()?.actor())?;
    let tokens = design_tokens::tokens(STYLESHEET);
    let colours = design_tokens::colours(STYLESHEET)
        .into_iter()
        .map(|(token, hex)| ColourRow {
            name: token.name,
            hex,
            note: token.note,
        })
        .collect();
    // A broken pair line is reported in `problems`; the table then shows the pairs it can.
    let pairs = design_tokens::pairs(STYLESHEET).unwrap_or_default();
    let problems = design_tokens::problems(STYLESHEET);

    let mut errors = FormErrors::none();
    errors.add("sg-email-error", &ctx.t("styleguide-demo-email-error"));
    errors.add("sg-kind-error", &ctx.t("styleguide-demo-kind-error"));
    errors.add("sg-agree-error", &ctx.t("styleguide-demo-agree-error"));
    let kind_labels = [
        ("jaarplan", ctx.t("styleguide-demo-kind-year")),
        ("meerjarenplan", ctx.t("styleguide-demo-kind-multi")),
        ("projectplan", ctx.t("styleguide-demo-kind-project")),
    ];
    let kinds = kind_labels
        .iter()
        .map(|(value, label)| Choice::new(*value, label.clone(), *value == "meerjarenplan"))
        .collect();
    let mut kinds_empty = vec![Choice::none(ctx.t("styleguide-demo-choose"), "")];
    kinds_empty.extend(
        kind_labels
            .iter()
            .map(|(value, label)| Choice::new(*value, label.clone(), false)),
    );

    let tab_keys = [
        ("overzicht", "styleguide-demo-tab-overview", None),
        ("acties", "styleguide-demo-tab-actions", Some(12)),
        ("geschiedenis", "styleguide-demo-tab-history", None),
    ];
    let chosen = if tab_keys.iter().any(|(slug, _, _)| *slug == query.tab) {
        query.tab.as_str()
    } else {
        "overzicht"
    };
    let tabs = tab_keys
        .iter()
        .map(|(slug, key, count)| {
            let tab = Tab::new(
                ctx.t(key),
                format!("{PATH}?tab={slug}#tabbladen"),
                *slug == chosen,
            );
            match count {
                Some(count) => tab.with_count(*count),
                None => tab,
            }
        })
        .collect();
    let pages = 12;
    let current = query
        .pagina
        .trim()
        .parse::<u64>()
        .unwrap_or(1)
        .clamp(1, pages);
    let pagination = Pagination::new(&ctx, current, pages, |n| {
        format!("{PATH}?pagina={n}#paginering")
    });

    let wide_years: Vec<i64> = (2019..=2026).collect();
    let wide_rows = ["Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt"]
        .iter()
        .zip(1_i64..)
        .map(|(city, n)| {
            let figures = wide_years
                .iter()
                .map(|year| ctx.int(&((year - 2000) * 10_000 + n * 1_237)))
                .collect();
            (city.to_string(), figures)
        })
        .collect();
    let title = ctx.t("styleguide-title");
    let admin = ctx.t("admin-title");
    render(&GuidePage {
        ctx: ctx.crumb(admin, "/beheer").titled(title),
        colours,
        pairs,
        type_sizes: sizes(&tokens, "--font-size-"),
        spaces: sizes(&tokens, "--space-"),
        radii: sizes(&tokens, "--radius-"),
        problems,
        errors,
        no_errors: FormErrors::none(),
        kinds,
        kinds_empty,
        tabs,
        pagination,
        wide_years,
        wide_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_in_css_pixels() {
        assert_eq!(px("0.875rem"), 14);
        assert_eq!(px("1.125rem"), 18);
        assert_eq!(px("2px"), 2);
        assert_eq!(px("var(--x)"), 0);
        let tokens = design_tokens::tokens(STYLESHEET);
        let type_sizes = sizes(&tokens, "--font-size-");
        assert!(type_sizes.len() >= 5);
        // Every step of the type scale has its sample class in the stylesheet.
        for size in &type_sizes {
            assert!(
                STYLESHEET.contains(&format!(".{} ", size.class)),
                "no .{} in steden.css",
                size.class
            );
        }
    }
}
