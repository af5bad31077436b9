//! The language switch in the page header (`/taal/{code}`) and what the layout needs to show it.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::page::PageContext;
use crate::state::AppState;

/// `GET /taal/{code}?terug=/pad`: the language switch in the page header. Plain links, no
/// JavaScript; the choice is kept in the `lang` cookie for a year.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/taal/{code}", axum::routing::get(switch_language))
}

#[derive(serde::Deserialize)]
struct SwitchQuery {
    terug: Option<String>,
}

async fn switch_language(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<SwitchQuery>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(lang) = Lang::from_code(&code).filter(|lang| lang.code() == code) else {
        return AppError::NotFound.into_response();
    };
    let back = query
        .terug
        .as_deref()
        .filter(|p| is_local_path(p))
        .unwrap_or("/");
    let secure = if state.config().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    );
    (
        [(axum::http::header::SET_COOKIE, cookie)],
        axum::response::Redirect::to(back),
    )
        .into_response()
}

/// Whether `path` stays on this site: it starts with one `/` and is not `//host` or `/\host`
/// (which browsers treat as another site), so the switch cannot be used as an open redirect.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

impl PageContext {
    /// The language switch entries: (code, label in its own language, whether current).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|lang| {
                let label = match lang {
                    Lang::Nl => "Nederlands",
                    Lang::En => "English",
                };
                (lang.code(), label, *lang == self.lang)
            })
            .collect()
    }

    /// The link that switches to `code` and comes back to this page.
    pub fn lang_switch_href(&self, code: &str) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/taal/{code}?terug={back}")
    }
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/beheer/leden?pagina=2"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x=1"));
        assert!(!is_local_path(""));
    }
}
