//! The glossary (begrippenkader): the public A-Z page `/begrippen` (with a server-side filter
//! on term and synonyms) and one page per term `/begrippen/{slug}`, and the editors' pages
//! under `/beheer/kennisbank/begrippen`.
//!
//! Terms are sorted and lettered with accents folded ("één" under E). Every write is for
//! editors only and notes the term for the search index in its transaction (see
//! [`crate::store::terms`]), so that search finds glossary terms too.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::delete::{self, ConfirmDelete};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::collections::fold_text;
use crate::store::terms::{self as store, Term, TermFields};
use crate::web::common::{is_editor, manage_crumbs, require_editor};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/begrippen", get(index))
        .route("/begrippen/{slug}", get(show))
        .route("/beheer/kennisbank/begrippen", get(manage_list))
        .route(
            "/beheer/kennisbank/begrippen/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/beheer/kennisbank/begrippen/{id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/beheer/kennisbank/begrippen/{id}/verwijderen",
            get(delete_form).post(delete),
        )
}

/// How much of a definition the A-Z page shows.
const SHORT_DEFINITION: usize = 200;

/// At most `max` characters of `text`, cut at a word boundary, with "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) if i > max / 2 => format!("{}…", cut[..i].trim_end_matches([',', ';', ':'])),
        _ => format!("{cut}…"),
    }
}

/// `text` for a URL query value (percent-encoded UTF-8; spaces as '+').
fn query_value(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The id of a letter's heading on the A-Z page.
fn letter_anchor(letter: char) -> String {
    if letter == '#' {
        "letter-overige".to_string()
    } else {
        format!("letter-{}", letter.to_ascii_lowercase())
    }
}

// ---------------------------------------------------------------------------------------------
// Public: A-Z

struct LetterLink {
    letter: char,
    anchor: String,
    /// Whether any (shown) term is listed under it; otherwise it is plain text.
    used: bool,
}

struct TermLine {
    href: String,
    term: String,
    definition: String,
    synonyms: String,
}

struct LetterGroup {
    letter: char,
    anchor: String,
    terms: Vec<TermLine>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IndexQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/glossary.html")]
struct IndexPage {
    ctx: PageContext,
    letters: Vec<LetterLink>,
    groups: Vec<LetterGroup>,
    q: String,
    /// How many terms the filter kept (shown when filtering).
    found: String,
    search_href: String,
    editor: bool,
}

async fn index(ctx: PageContext, Query(query): Query<IndexQuery>) -> Result<Response, AppError> {
    let q = query.q.trim().to_string();
    let wanted = fold_text(&q);
    let terms: Vec<Term> = store::list(ctx.state().db().pool())
        .await?
        .into_iter()
        .filter(|t| t.matches(&wanted))
        .collect();
    let mut groups: Vec<LetterGroup> = Vec::new();
    for term in &terms {
        let letter = term.letter();
        let line = TermLine {
            href: term.href(),
            term: term.term.clone(),
            definition: shorten(&term.definition, SHORT_DEFINITION),
            synonyms: term.synonyms.join(", "),
        };
        match groups.iter_mut().find(|g| g.letter == letter) {
            Some(group) => group.terms.push(line),
            None => groups.push(LetterGroup {
                letter,
                anchor: letter_anchor(letter),
                terms: vec![line],
            }),
        }
    }
    // Terms are sorted by their folded key, so letters come in order; '#' (digits, signs)
    // sorts first by key but belongs at the end of an A-Z list.
    groups.sort_by_key(|g| (g.letter == '#', g.letter));
    let mut letters: Vec<LetterLink> = ('A'..='Z')
        .map(|letter| LetterLink {
            letter,
            anchor: letter_anchor(letter),
            used: groups.iter().any(|g| g.letter == letter),
        })
        .collect();
    if groups.iter().any(|g| g.letter == '#') {
        letters.push(LetterLink {
            letter: '#',
            anchor: letter_anchor('#'),
            used: true,
        });
    }
    let found = ctx.t_with(
        "kb-glossary-found",
        &[
            ("count", terms.len().to_string().as_str()),
            ("query", q.as_str()),
        ],
    );
    let editor = is_editor(&ctx).await?;
    let title = ctx.t("kb-glossary-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-glossary-description");
    render(&IndexPage {
        ctx,
        letters,
        groups,
        search_href: format!("/kennisbank?q={}", query_value(&q)),
        found,
        q,
        editor,
    })
}

// ---------------------------------------------------------------------------------------------
// Public: one term

#[derive(Template)]
#[template(path = "kennisbank/library/term.html")]
struct ShowPage {
    ctx: PageContext,
    term: Term,
    /// The definition's paragraphs.
    paragraphs: Vec<String>,
    related: Vec<Term>,
    search_href: String,
    editor: bool,
}

impl ShowPage {
    /// The term's letter on the A-Z page (to go back to it).
    fn anchor(&self) -> String {
        letter_anchor(self.term.letter())
    }
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let term = store::find_by_slug(db.pool(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let related = store::related(db.pool(), &term.id).await?;
    let paragraphs = term
        .definition
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let editor = is_editor(&ctx).await?;
    let glossary = ctx.t("kb-glossary-title");
    let mut ctx = ctx
        .crumb(glossary, paths::GLOSSARY)
        .titled(term.term.clone());
    ctx.description = shorten(&term.definition, 160);
    ctx.og_type = "article";
    render(&ShowPage {
        ctx,
        search_href: format!("/kennisbank?q={}", query_value(&term.term)),
        paragraphs,
        related,
        term,
        editor,
    })
}

// ---------------------------------------------------------------------------------------------
// Editing: the list

struct ManageRow {
    id: String,
    href: String,
    term: String,
    synonyms: String,
    source: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/manage_terms.html")]
struct ManageListPage {
    ctx: PageContext,
    rows: Vec<ManageRow>,
}

async fn manage_list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let rows = store::list(ctx.state().db().pool())
        .await?
        .into_iter()
        .map(|t| ManageRow {
            href: t.href(),
            synonyms: t.synonyms.join(", "),
            updated: ctx.date(&t.updated_at),
            id: t.id,
            term: t.term,
            source: t.source,
        })
        .collect();
    let title = ctx.t("kb-glossary-manage-title");
    render(&ManageListPage {
        ctx: manage_crumbs(ctx).titled(title),
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Editing: new, change, delete

/// What an editor typed. Read from the raw pairs, because `related` repeats (one per checked
/// term), which a struct cannot take from a form body.
#[derive(Debug, Default)]
struct TermForm {
    term: String,
    definition: String,
    source: String,
    synonyms: String,
    related: Vec<String>,
}

impl TermForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> TermForm {
        let mut form = TermForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "term" => form.term = value,
                "definition" => form.definition = value,
                "source" => form.source = value,
                "synonyms" => form.synonyms = value,
                "related" => form.related.push(value),
                _ => {}
            }
        }
        form
    }

    fn fields(&self) -> TermFields {
        TermFields {
            term: self.term.clone(),
            definition: self.definition.clone(),
            source: self.source.clone(),
            synonyms: self.synonyms.clone(),
            related: self.related.clone(),
        }
    }
}

/// A term that can be checked as related.
struct RelatedChoice {
    id: String,
    term: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "kennisbank/library/term_form.html")]
struct FormPage {
    ctx: PageContext,
    action: String,
    form: TermForm,
    choices: Vec<RelatedChoice>,
    errors: FormErrors,
}

async fn form_page(
    ctx: PageContext,
    id: Option<&str>,
    form: TermForm,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let choices = store::list(ctx.state().db().pool())
        .await?
        .into_iter()
        .filter(|t| Some(t.id.as_str()) != id)
        .map(|t| RelatedChoice {
            checked: form.related.contains(&t.id),
            id: t.id,
            term: t.term,
        })
        .collect();
    let title = ctx.t(if id.is_some() {
        "kb-glossary-edit-title"
    } else {
        "kb-glossary-new-title"
    });
    let list = ctx.t("kb-glossary-manage-title");
    Ok(FormPage {
        action: match id {
            Some(id) => paths::edit_term(id),
            None => paths::NEW_TERM.to_string(),
        },
        form,
        choices,
        errors,
        ctx: manage_crumbs(ctx).crumb(list, paths::TERMS).titled(title),
    })
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    render(&form_page(ctx, None, TermForm::default(), FormErrors::none()).await?)
}

async fn create(
    ctx: PageContext,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let form = TermForm::from_pairs(pairs);
    let mut tx = ctx.state().db().begin().await?;
    let result = store::create(
        &mut tx,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(term) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-glossary-created")),
            &term.href(),
        )),
        Err(errors) => form::invalid(&form_page(ctx, None, form, errors).await?),
    }
}

async fn load(ctx: &PageContext, id: &str) -> Result<Term, AppError> {
    store::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let term = load(&ctx, &id).await?;
    let related = store::related(ctx.state().db().pool(), &id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let form = TermForm {
        term: term.term,
        definition: term.definition,
        source: term.source,
        synonyms: term.synonyms.join(", "),
        related,
    };
    render(&form_page(ctx, Some(&id), form, FormErrors::none()).await?)
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let form = TermForm::from_pairs(pairs);
    let mut tx = ctx.state().db().begin().await?;
    let result = store::update(
        &mut tx,
        &id,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(term) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-glossary-saved")),
            &term.href(),
        )),
        Err(errors) => form::invalid(&form_page(ctx, Some(&id), form, errors).await?),
    }
}

async fn delete_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let term = load(&ctx, &id).await?;
    let confirm = ConfirmDelete {
        question: ctx.t_with(
            "kb-glossary-delete-question",
            &[("term", term.term.as_str())],
        ),
        action: paths::delete_term(&id),
        cancel_href: paths::TERMS.to_string(),
        confirm_label: ctx.t("kb-glossary-delete-confirm"),
        ..ConfirmDelete::default()
    };
    let title = ctx.t("kb-glossary-delete-title");
    let list = ctx.t("kb-glossary-manage-title");
    let ctx = manage_crumbs(ctx).crumb(list, paths::TERMS).titled(title);
    delete::page(ctx, confirm)
}

async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::delete(&mut tx, &id, &editor.audit, &editor.organisation_id).await;
    let done = Flash::success(ctx.t("kb-glossary-deleted"));
    delete::finish(tx, result, done, paths::TERMS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_and_query_values() {
        assert_eq!(shorten("kort", 200), "kort");
        let long = "woord ".repeat(60);
        let short = shorten(&long, 200);
        assert!(
            short.ends_with('…') && short.chars().count() <= 201,
            "{short}"
        );
        assert_eq!(
            query_value("één plan & data"),
            "%C3%A9%C3%A9n+plan+%26+data"
        );
        assert_eq!(letter_anchor('E'), "letter-e");
    }
}
