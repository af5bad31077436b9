//! The Atom feed of the news, the sitemap and robots.txt.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_web::i18n::Lang;
use steden_web::{AppError, AppState};

use super::plan::{children, site_plan};
use super::shared::{day, describe, rfc3339, url_encode, FEED_ENTRIES};
use crate::markdown;
use crate::model::PageKind;
use crate::paths;
use crate::store::pages::{self, Page};
use crate::store::{collections, documents, terms};

// Feed, sitemap, robots.txt

pub(super) fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// The host of the site (for tag: URIs), without scheme and port.
pub(super) fn host_of(base_url: &str) -> String {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() {
        "localhost".to_string()
    } else {
        host.to_string()
    }
}

/// The Atom 1.0 document of `news` (newest first).
pub fn atom_feed(base: &str, title: &str, news: &[Page]) -> String {
    let host = host_of(base);
    let updated = news
        .iter()
        .map(|p| p.updated_at.max(p.shown_at()))
        .max()
        .unwrap_or(0);
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl-BE\">\n");
    xml.push_str(&format!("  <id>tag:{},2025:nieuws</id>\n", escape(&host)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/nieuws/feed.xml\"/>\n",
        escape(base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/nieuws\"/>\n",
        escape(base)
    ));
    xml.push_str(&format!(
        "  <author><name>{}</name><uri>{}/</uri></author>\n",
        escape("Kenniscentrum Vlaamse Steden"),
        escape(base)
    ));
    for page in news {
        let url = format!("{base}{}", page.href());
        let summary = describe(&page.summary, &page.body_md);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <id>tag:{},2025:nieuws:{}</id>\n",
            escape(&host),
            escape(&page.id)
        ));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&page.title)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&url)
        ));
        xml.push_str(&format!(
            "    <published>{}</published>\n",
            rfc3339(page.shown_at())
        ));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            rfc3339(page.updated_at.max(page.shown_at()))
        ));
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&markdown::to_html(&page.body_md))
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

// The feed, sitemap and robots.txt take the state, not a `PageContext`: they are not pages, so
// they need no session lookup and must not be given a CSRF cookie.

pub(super) async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let news = pages::live(
        state.db().pool(),
        PageKind::Nieuws,
        steden_db::now_ms(),
        FEED_ENTRIES,
    )
    .await?;
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let title = state.catalog().text(Lang::Nl, "kb-feed-title");
    let body = atom_feed(&base, &title, &news);
    Ok((
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// One address of the sitemap.
pub(super) struct SitemapEntry {
    pub(super) path: String,
    pub(super) lastmod: Option<String>,
}

pub(super) fn entry(path: impl Into<String>, lastmod: Option<i64>) -> SitemapEntry {
    SitemapEntry {
        path: path.into(),
        lastmod: lastmod.map(day),
    }
}

/// Every public address of the site (never a page that is not online or a document that is
/// not public).
pub(super) async fn sitemap_entries(db: &Db, now: i64) -> CoreResult<Vec<SitemapEntry>> {
    let mut entries = vec![
        entry("/", None),
        entry("/programmas", None),
        entry("/projecten", None),
        entry("/nieuws", None),
        entry("/publicaties", None),
        entry("/kennisbank", None),
        entry("/kennisbank/collecties", None),
        entry("/begrippen", None),
        entry("/privacy", None),
    ];
    if let Some(plan) = site_plan(db).await? {
        for programme in plan.items.iter().filter(|i| i.depth == 0) {
            entries.push(entry(paths::programme(&programme.slug), None));
            for track in children(&plan, &programme.id) {
                entries.push(entry(paths::werkspoor(&programme.slug, &track.slug), None));
            }
        }
    }
    for page in pages::all_live(db.pool(), now).await? {
        entries.push(entry(page.href(), Some(page.updated_at)));
    }
    let lists = [
        (
            documents::public_slugs(db.pool()).await?,
            "/kennisbank/documenten/",
        ),
        (
            collections::slugs(db.pool()).await?,
            "/kennisbank/collecties/",
        ),
        (terms::slugs(db.pool()).await?, "/begrippen/"),
    ];
    for (rows, prefix) in lists {
        for (slug, updated_at) in rows {
            entries.push(entry(
                format!("{prefix}{}", url_encode(&slug)),
                Some(updated_at),
            ));
        }
    }
    Ok(entries)
}

pub(super) async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let entries = sitemap_entries(state.db(), steden_db::now_ms()).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&format!("{base}{}", e.path))
        ));
        if let Some(lastmod) = e.lastmod {
            xml.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(([(CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response())
}

/// Paths search engines need not visit: editing, the API, logging in and personal pages.
pub(super) const ROBOTS_DISALLOW: &[&str] = &[
    "/beheer/",
    "/api/",
    "/aanmelden",
    "/afmelden",
    "/wachtwoord-vergeten",
    "/uitnodiging/",
    "/account",
    "/start",
    "/organisatie-wisselen",
    "/taal/",
    "/taken/",
    "/plannen",
];

pub(super) async fn robots(State(state): State<AppState>) -> Response {
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in ROBOTS_DISALLOW {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("\nSitemap: {base}/sitemap.xml\n"));
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_finds_the_host() {
        assert_eq!(url_encode("Smart Cities & co"), "Smart%20Cities%20%26%20co");
        assert_eq!(url_encode("P1.W2"), "P1.W2");
        assert_eq!(url_encode("é"), "%C3%A9");
        assert_eq!(host_of("https://www.example.be"), "www.example.be");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1");
    }
}
