//! What every HTML page needs from the shell: language, the logged-in user and organisation,
//! navigation, breadcrumbs, flash messages and the CSRF token. Handlers take a [`PageContext`]
//! as an extractor, set the title and breadcrumbs, and put it in their template as `ctx`;
//! templates extend `base.html`.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;
use crate::flash::Flash;
use crate::i18n::Lang;
use crate::nav::NavGroup;
use crate::session::SessionUser;
use crate::state::AppState;

/// A link in the main navigation, resolved for this request.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A module's section of the workspace menu.
#[derive(Debug, Clone)]
pub struct NavSection {
    pub label: String,
    pub links: Vec<NavLink>,
}

/// One step of the breadcrumb trail; the last one is the current page and has no link.
#[derive(Debug, Clone)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

pub struct PageContext {
    pub lang: Lang,
    pub title: String,
    pub description: String,
    pub user: Option<SessionUser>,
    /// Every entry the user may open, in order (the three menus below together).
    pub nav: Vec<NavLink>,
    /// The public website's menu.
    pub site_nav: Vec<NavLink>,
    /// The workspace menu, a section per module.
    pub work_nav: Vec<NavSection>,
    /// Account and administration, beside the user box.
    pub account_nav: Vec<NavLink>,
    /// Links in the footer (privacy statement, contact, ...), from the modules.
    pub footer: Vec<NavLink>,
    /// Open Graph: the kind of page ("website", "article").
    pub og_type: &'static str,
    /// Open Graph: an absolute or site-relative image address.
    pub og_image: Option<String>,
    pub breadcrumbs: Vec<Crumb>,
    pub flashes: Vec<Flash>,
    /// Written into forms as `{{ ctx.csrf_token }}`; the CSRF cookie is set only for a page
    /// that does so (see `csrf::CsrfToken`).
    pub csrf_token: crate::csrf::CsrfToken,
    pub path: String,
    state: AppState,
}

impl PageContext {
    /// The document's `<title>` (WCAG 2.4.2): the page, then where it sits (the nearest linked
    /// breadcrumb of the first two: a module's section or the plan the page belongs to, so that
    /// "Financiën" of two plans, or a plan's tree and its public page, read differently), then
    /// the site name; never the site name twice, nor a part the title already names.
    pub fn document_title(&self) -> String {
        let site = self.t("site-name");
        let mut parts: Vec<&str> = Vec::new();
        if !self.title.is_empty() && self.title != site {
            parts.push(&self.title);
        }
        let place = self
            .breadcrumbs
            .iter()
            .take(2)
            .rev()
            // The home crumb ("Start") names no place: every page sits under it.
            .find(|crumb| {
                crumb
                    .href
                    .as_deref()
                    .is_some_and(|href| href != "/" && href != "/start")
            });
        if let Some(place) = place {
            if place.label != site && !parts.iter().any(|part| part.contains(place.label.as_str()))
            {
                parts.push(&place.label);
            }
        }
        parts.push(&site);
        parts.join(" · ")
    }

    /// Interface text in the user's language.
    pub fn t(&self, key: &str) -> String {
        self.state.catalog().text(self.lang, key)
    }

    /// Interface text with named arguments.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.state.catalog().text_with(self.lang, key, args)
    }

    /// Sets the page title (shown in `<title>` and as the last breadcrumb).
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Adds a breadcrumb with a link.
    pub fn crumb(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.breadcrumbs.push(Crumb {
            label: label.into(),
            href: Some(href.into()),
        });
        self
    }

    /// The logged-in user, or [`AppError::Unauthenticated`] (which redirects to the login page).
    pub fn require_user(&self) -> Result<&SessionUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The page's full address (Open Graph `og:url`, canonical link).
    pub fn page_url(&self) -> String {
        format!("{}{}", self.state.config().base_url, self.path)
    }

    /// An address on this site made absolute (Open Graph wants absolute image addresses).
    pub fn absolute(&self, href: &str) -> String {
        if href.starts_with("http://") || href.starts_with("https://") {
            href.to_string()
        } else {
            format!("{}{}", self.state.config().base_url, href)
        }
    }

    /// The description for meta tags: the page's own, or the site's.
    pub fn meta_description(&self) -> String {
        if self.description.is_empty() {
            self.t("home-description")
        } else {
            self.description.clone()
        }
    }

    /// Dates and numbers the Belgian way, for templates.
    pub fn date(&self, ms: &i64) -> String {
        steden_core::time::format_date(*ms)
    }

    pub fn datetime(&self, ms: &i64) -> String {
        steden_core::time::format_datetime(*ms)
    }

    pub fn int(&self, value: &i64) -> String {
        steden_core::time::format_int(*value)
    }
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let lang = crate::i18n::lang_of(parts);
        let user = crate::session::current(state, parts).await?;
        let path = parts.uri.path().to_string();
        let actor = user.as_ref().map(|u| u.actor());
        let platform_admin = user.as_ref().is_some_and(|u| u.platform_admin);
        let mut footer = Vec::new();
        for entry in state.footer() {
            if entry
                .visibility
                .shows(state.db(), actor.as_ref(), platform_admin)
                .await
            {
                footer.push(NavLink {
                    label: state.catalog().text(lang, entry.label_key),
                    href: entry.href.to_string(),
                    current: path == entry.href,
                });
            }
        }
        let mut nav = Vec::new();
        let mut site_nav = Vec::new();
        let mut work_nav: Vec<(&'static str, NavSection)> = Vec::new();
        let mut account_nav = Vec::new();
        let mut admin_nav = Vec::new();
        for entry in state.nav() {
            if entry
                .visibility
                .shows(state.db(), actor.as_ref(), platform_admin)
                .await
            {
                let link = NavLink {
                    label: state.catalog().text(lang, entry.label_key),
                    href: entry.href.to_string(),
                    current: path == entry.href
                        || (entry.href != "/" && path.starts_with(&format!("{}/", entry.href))),
                };
                nav.push(link.clone());
                match entry.group {
                    NavGroup::Site => site_nav.push(link),
                    NavGroup::Account => account_nav.push(link),
                    NavGroup::Admin => admin_nav.push(link),
                    NavGroup::Workspace(section) => {
                        match work_nav.iter_mut().find(|(key, _)| *key == section) {
                            Some((_, s)) => s.links.push(link),
                            None => work_nav.push((
                                section,
                                NavSection {
                                    label: state.catalog().text(lang, section),
                                    links: vec![link],
                                },
                            )),
                        }
                    }
                }
            }
        }
        // Administration after the user's own account: most users never see it.
        account_nav.extend(admin_nav);
        let work_nav = work_nav.into_iter().map(|(_, s)| s).collect();
        Ok(PageContext {
            lang,
            title: String::new(),
            description: String::new(),
            user,
            nav,
            site_nav,
            work_nav,
            account_nav,
            footer,
            og_type: "website",
            og_image: None,
            breadcrumbs: Vec::new(),
            flashes: crate::flash::take(parts),
            csrf_token: crate::csrf::token(state, parts),
            path,
            state: state.clone(),
        })
    }
}

/// Renders a template into an HTML response.
pub fn render<T: Template>(template: &T) -> Result<Response, AppError> {
    let mut response = Html(finish(template.render()?)).into_response();
    response
        .extensions_mut()
        .insert(crate::page_cache::Cacheable);
    Ok(response)
}

/// The last step of every rendered page: htmx and its helper script (see
/// [`crate::assets::htmx_tags`]) stay only in a page that makes an htmx request, so the pages
/// visitors read most load no JavaScript. A fragment for an htmx swap has no head and is
/// returned as it is.
pub fn finish(mut html: String) -> String {
    if !crate::assets::uses_htmx(&html) {
        if let Some(start) = html.find(crate::assets::htmx_tags()) {
            html.replace_range(start..start + crate::assets::htmx_tags().len(), "");
        }
    }
    html
}

/// The embedded assets, for templates (crate::assets serves them).
impl PageContext {
    /// [`crate::assets::htmx_tags`] for base.html.
    pub fn htmx_tags(&self) -> &'static str {
        crate::assets::htmx_tags()
    }

    /// [`crate::assets::url`] for templates: `{{ ctx.asset("steden.css") }}`.
    pub fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    /// [`crate::assets::icon`] for templates: `<svg class="icon" aria-hidden="true"><use href="{{ ctx.icon("info") }}"></use></svg>`.
    pub fn icon(&self, id: &str) -> String {
        crate::assets::icon(id)
    }
}
