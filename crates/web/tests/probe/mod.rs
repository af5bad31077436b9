//! A test-only module for the shell tests: a form page that writes a row, a page that sets a
//! flash, a route that panics, and a route with a path parameter (for metrics labels).
#![allow(dead_code)]

use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use steden_db::{Migration, MigrationSql};
use steden_web::app::AppState;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::{render, AppError, Module, PageContext};

pub struct Probe;

pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![Arc::new(Probe)]
}

impl Module for Probe {
    fn name(&self) -> &'static str {
        "proef"
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![Migration {
            module: "proef",
            version: 1,
            name: "probe_notes",
            sql: MigrationSql::Portable(
                "CREATE TABLE probe_notes (id TEXT PRIMARY KEY, name TEXT NOT NULL);",
            ),
        }]
    }

    fn routes(&self) -> Router<AppState> {
        Router::new()
            .route("/proef", get(form_page).post(save))
            .route("/proef/flash", get(set_flash))
            .route("/proef/paniek", get(panic_now))
            .route("/proef/item/{id}", get(item))
            .route("/proef/htmx", get(htmx_page))
            .route("/proef/aantal", get(count_page))
    }

    fn home(&self) -> Option<axum::routing::MethodRouter<AppState>> {
        Some(get(|| async { "de startpagina van de proefmodule" }))
    }

    fn footer(&self) -> Vec<steden_web::NavEntry> {
        vec![steden_web::NavEntry {
            label_key: "footer-home",
            group: steden_web::NavGroup::Site,
            href: "/proef/voet",
            visibility: steden_web::NavVisibility::Everyone,
            order: 1,
        }]
    }
}

#[derive(Template)]
#[template(
    source = r#"{% extends "base.html" %}{% import "partials/form.html" as f %}{% block content %}
<h1>{{ ctx.title }}</h1>
<form method="post" action="/proef" novalidate>
{% call f::error_summary(ctx, errors) %}
{% call f::csrf(ctx) %}
{% call f::text_input(ctx, errors, "naam", "Naam", naam, "text", "") %}
{% call f::submit("Opslaan") %}
</form>
<p id="aantal">{{ count }}</p>
{% endblock %}"#,
    ext = "html"
)]
struct ProbePage {
    ctx: PageContext,
    errors: FormErrors,
    naam: String,
    count: i64,
}

/// A page with an element that makes an htmx request (a link that htmx loads in place).
#[derive(Template)]
#[template(
    source = r#"{% extends "base.html" %}{% block content %}
<h1>{{ ctx.title }}</h1>
<p><a href="/proef" hx-get="/proef" hx-target="closest p">Meer</a></p>
{% endblock %}"#,
    ext = "html"
)]
struct HtmxPage {
    ctx: PageContext,
}

async fn htmx_page(ctx: PageContext) -> Result<Response, AppError> {
    render(&HtmxPage {
        ctx: ctx.titled("Met htmx"),
    })
}

/// A page without a form (so a visitor gets no cookie) that shows what is in the database.
#[derive(Template)]
#[template(
    source = r#"{% extends "base.html" %}{% block content %}
<h1>{{ ctx.title }}</h1>
<p id="aantal">{{ count }}</p>
{% endblock %}"#,
    ext = "html"
)]
struct CountPage {
    ctx: PageContext,
    count: i64,
}

async fn count_page(ctx: PageContext) -> Result<Response, AppError> {
    let count = count_notes(ctx.state().db()).await;
    render(&CountPage {
        ctx: ctx.titled("Aantal"),
        count,
    })
}

#[derive(serde::Deserialize)]
struct NoteForm {
    naam: String,
}

pub async fn count_notes(db: &steden_db::Db) -> i64 {
    use steden_db::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM probe_notes")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

async fn form_page(ctx: PageContext) -> Result<Response, AppError> {
    let count = count_notes(ctx.state().db()).await;
    render(&ProbePage {
        ctx: ctx.titled("Proefformulier").crumb("Start", "/"),
        errors: FormErrors::none(),
        naam: String::new(),
        count,
    })
}

async fn save(ctx: PageContext, Form(form): Form<NoteForm>) -> Result<Response, AppError> {
    if form.naam.trim().is_empty() {
        let mut errors = FormErrors::none();
        errors.add("naam", "Vul een naam in.");
        let count = count_notes(ctx.state().db()).await;
        return form::invalid(&ProbePage {
            ctx: ctx.titled("Proefformulier"),
            errors,
            naam: form.naam,
            count,
        });
    }
    sqlx::query("INSERT INTO probe_notes (id, name) VALUES ($1, $2)")
        .bind(steden_db::new_id())
        .bind(form.naam)
        .execute(ctx.state().db().pool())
        .await?;
    Ok(flash::redirect_with(
        Flash::success("Opgeslagen."),
        "/proef",
    ))
}

async fn set_flash() -> Response {
    flash::redirect_with(Flash::info("Een <b>bericht</b> voor u"), "/proef")
}

async fn panic_now() -> &'static str {
    panic!("proefpaniek")
}

async fn item(Path(id): Path<String>) -> String {
    id
}
