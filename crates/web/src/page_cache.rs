//! A short-lived cache of whole rendered pages, per browser, in this process.
//!
//! Rendering a page reads the database and walks what it shows (a published plan, a tree of
//! items, the documents of a werkspoor); the same page asked for again a moment later is the
//! same page. This cache keeps the final response (after compression, with its headers) of a
//! page for a short time-to-live (1 second by default, `STEDEN_PAGE_CACHE_MS`), so a burst of
//! requests for a popular page costs one rendering (issue 12 point 6; figures in
//! bench/README.md).
//!
//! The database stays the only source of truth, with the same rule as the session cache
//! ([`crate::session::cache`]): an entry is served for at most the time-to-live, and every
//! unsafe request (POST, PUT, PATCH, DELETE) this process handles empties the cache once it has
//! answered ([`crate::session::forget_after_writes`]), so whoever changes something sees it on
//! their next page; so does the end of every job this process runs (the binary wraps each job
//! handler); a change made through another server instance or the command line is seen here
//! within the time-to-live (twice it at most: while one request renders an expired page again,
//! the others get the expired one, so an expiry never sends every connection into rendering
//! at once). A rendering that began before such a clear is not
//! stored (a generation counter), so an old page cannot outlive the change that made it old.
//!
//! What is cached, and for whom:
//! - only `GET` answers `200` that a handler marked [`Cacheable`] ([`crate::page::render`]
//!   does, for every rendered page) and that set no cookie; never downloads, feeds, API
//!   answers, redirects or errors;
//! - keyed by the full address (path and query) and every request header a page can depend
//!   on: the cookies (so a logged-in page is only ever served again to the same browser
//!   session, with its own CSRF token, and a visitor without cookies shares the anonymous
//!   page), the htmx headers (a fragment is not a page), the accepted encoding and language,
//!   and the host and forwarded scheme;
//! - a request carrying a flash message is never answered from the cache (the message must be
//!   shown, once);
//! - what a page does on every view besides rendering (the Kennisbank's page-view counter and
//!   search statistics) is attached to the response as [`OnEveryServe`] and run again for each
//!   view served from the cache, with that request's headers.
//!
//! Memory is bounded: at most [`MAX_ENTRIES`] pages of at most [`MAX_ENTRY_BYTES`] each and
//! [`MAX_TOTAL_BYTES`] in all; past that the cache starts over.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Marks a response as a page that may be served again from the cache (a response extension).
#[derive(Debug, Clone, Copy)]
pub struct Cacheable;

/// Something a page does on every view, run again for each view served from the cache with
/// that request's headers (a response extension; several may be attached). It must be quick
/// (spawn any database work).
#[derive(Clone)]
pub struct OnEveryServe(pub Arc<dyn Fn(&HeaderMap) + Send + Sync>);

impl OnEveryServe {
    /// Attaches `hook` to `response` after running it for this request.
    pub fn attach(
        response: &mut Response,
        headers: &HeaderMap,
        hook: impl Fn(&HeaderMap) + Send + Sync + 'static,
    ) {
        hook(headers);
        let hook = OnEveryServe(Arc::new(hook));
        match response.extensions_mut().get_mut::<Vec<OnEveryServe>>() {
            Some(hooks) => hooks.push(hook),
            None => {
                response.extensions_mut().insert(vec![hook]);
            }
        }
    }
}

/// More pages than this and the cache starts over.
pub const MAX_ENTRIES: usize = 4_096;
/// A bigger page is not kept (rendered pages are tens of kilobytes).
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024;
/// More bytes than this in all and the cache starts over.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;

/// Request headers a page's content can depend on (besides the address).
const KEY_HEADERS: [HeaderName; 10] = [
    header::COOKIE,
    header::ACCEPT_ENCODING,
    header::ACCEPT_LANGUAGE,
    header::ACCEPT,
    header::HOST,
    HeaderName::from_static("x-forwarded-proto"),
    HeaderName::from_static("hx-request"),
    HeaderName::from_static("hx-target"),
    HeaderName::from_static("hx-trigger"),
    HeaderName::from_static("hx-history-restore-request"),
];

/// The cookie of one-time messages (see [`crate::flash`]).
const FLASH_COOKIE: &str = "steden_flash=";

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    uri: String,
    headers: Vec<Option<Vec<u8>>>,
}

struct Entry {
    stored: Instant,
    /// Set by the one request that renders the page again once it has expired.
    refreshing: AtomicBool,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    hooks: Vec<OnEveryServe>,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<Key, Arc<Entry>>,
    bytes: usize,
}

/// The cache (held by the application state).
pub struct PageCache {
    ttl: Duration,
    /// Raised by every [`PageCache::clear`]; a rendering that began under an older one is not
    /// stored.
    generation: AtomicU64,
    entries: RwLock<Entries>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> PageCache {
        PageCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Default::default(),
        }
    }

    /// The page to serve for `key`, if any. Once a page has expired, the first request to
    /// ask for it gets `None` and renders it again; the requests that arrive while it does are
    /// served the expired page for at most one more time-to-live. Without this, every
    /// connection asking for a popular page in the moment it expires would render it at once
    /// (under wrk, 32 renderings of the dashboard together: a p99 of 59 ms on PostgreSQL).
    fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.get_at(key, Instant::now())
    }

    /// [`PageCache::get`] at a given moment (the tests choose it: a sleeping test thread on a
    /// loaded machine can wake long after it asked to).
    fn get_at(&self, key: &Key, now: Instant) -> Option<Arc<Entry>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.pages.get(key)?;
        let age = now.saturating_duration_since(entry.stored);
        if age < self.ttl {
            return Some(entry.clone());
        }
        let someone_renders = entry.refreshing.swap(true, Ordering::AcqRel);
        (someone_renders && age < self.ttl * 2).then(|| entry.clone())
    }

    fn put(&self, key: Key, entry: Entry, generation: u64) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Read under the lock that `clear` takes to raise it.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        let size = entry.body.len() + key.uri.len();
        if entries.pages.len() >= MAX_ENTRIES || entries.bytes + size > MAX_TOTAL_BYTES {
            entries.pages.clear();
            entries.bytes = 0;
        }
        if let Some(old) = entries.pages.insert(key.clone(), Arc::new(entry)) {
            entries.bytes -= old.body.len() + key.uri.len();
        }
        entries.bytes += size;
    }

    /// Forgets every page: after any change this process made.
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.pages.clear();
        entries.bytes = 0;
    }

    /// The number of pages held (for tests and metrics).
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pages
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn key_of(request: &Request) -> Key {
    let headers = request.headers();
    Key {
        uri: request.uri().to_string(),
        headers: KEY_HEADERS
            .iter()
            .map(|name| {
                let mut values = headers.get_all(name).iter().peekable();
                values.peek()?;
                Some(values.fold(Vec::new(), |mut all, value| {
                    all.extend_from_slice(value.as_bytes());
                    all.push(b'\n');
                    all
                }))
            })
            .collect(),
    }
}

fn carries_flash(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|cookies| {
            cookies
                .split(';')
                .any(|cookie| cookie.trim_start().starts_with(FLASH_COOKIE))
        })
}

fn may_store(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && response.extensions().get::<Cacheable>().is_some()
        && !response.headers().contains_key(header::SET_COOKIE)
}

fn replay(entry: &Entry) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers.clone();
    response
}

/// The middleware: answers from the cache when it can, and keeps what it may.
pub async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if cache.ttl.is_zero() || request.method() != Method::GET || carries_flash(request.headers()) {
        return next.run(request).await;
    }
    let key = key_of(&request);
    if let Some(entry) = cache.get(&key) {
        for hook in &entry.hooks {
            (hook.0)(request.headers());
        }
        return replay(&entry);
    }
    let generation = cache.generation.load(Ordering::Acquire);
    let response = next.run(request).await;
    if !may_store(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // A rendered page is in memory already (it was a String): collecting it costs a copy.
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            tracing::warn!(error = %e, "pagina niet in de cache gezet");
            return crate::AppError::Internal(e.to_string()).into_response();
        }
    };
    if body.len() > MAX_ENTRY_BYTES {
        return Response::from_parts(parts, Body::from(body));
    }
    let hooks = parts
        .extensions
        .remove::<Vec<OnEveryServe>>()
        .unwrap_or_default();
    let entry = Entry {
        stored: Instant::now(),
        refreshing: AtomicBool::new(false),
        status: parts.status,
        headers: parts.headers.clone(),
        body: body.clone(),
        hooks,
    };
    cache.put(key, entry, generation);
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::get("/programmas?x=1");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn entry(bytes: usize) -> Entry {
        Entry {
            stored: Instant::now(),
            refreshing: AtomicBool::new(false),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; bytes]),
            hooks: Vec::new(),
        }
    }

    #[test]
    fn pages_are_told_apart_by_cookie_htmx_and_encoding_not_by_user_agent() {
        let plain = key_of(&request(&[]));
        assert!(plain == key_of(&request(&[("user-agent", "Firefox")])));
        for header in [
            ("cookie", "steden_session=a"),
            ("hx-request", "true"),
            ("accept-encoding", "br"),
            ("accept-language", "en"),
        ] {
            assert!(plain != key_of(&request(&[header])), "{header:?}");
        }
        assert!(
            key_of(&request(&[("cookie", "steden_session=a")]))
                != key_of(&request(&[("cookie", "steden_session=b")]))
        );
    }

    #[test]
    fn a_flash_cookie_is_recognised_among_others() {
        let with = request(&[("cookie", "steden_csrf=1; steden_flash=abc")]);
        assert!(carries_flash(with.headers()));
        let without = request(&[("cookie", "steden_csrf=1; x_steden_flash=abc")]);
        assert!(!carries_flash(without.headers()));
    }

    #[test]
    fn a_rendering_begun_before_a_clear_is_not_stored() {
        let cache = PageCache::new(Duration::from_secs(60));
        let key = key_of(&request(&[]));
        let before = cache.generation.load(Ordering::Acquire);
        cache.clear();
        cache.put(key.clone(), entry(10), before);
        assert!(cache.get(&key).is_none());
        let now = cache.generation.load(Ordering::Acquire);
        cache.put(key.clone(), entry(10), now);
        assert!(cache.get(&key).is_some());
    }

    #[test]
    fn an_expired_entry_is_rendered_again_by_one_request_while_the_others_get_it_briefly() {
        let ttl = Duration::from_secs(10);
        let cache = PageCache::new(ttl);
        let key = key_of(&request(&[]));
        cache.put(key.clone(), entry(10), 0);
        let stored = cache.entries.read().unwrap().pages[&key].stored;
        let at = |elapsed: Duration| cache.get_at(&key, stored + elapsed);
        assert!(at(ttl / 2).is_some(), "fresh");
        let expired = ttl + Duration::from_millis(1);
        assert!(at(expired).is_none(), "the first request renders again");
        assert!(
            at(expired).is_some(),
            "the next ones meanwhile get the old page"
        );
        assert!(at(ttl * 2 - Duration::from_millis(1)).is_some());
        assert!(at(ttl * 2).is_none(), "never past twice the time-to-live");
        cache.put(key.clone(), entry(10), 0);
        assert!(cache.get(&key).is_some(), "the new rendering is served");
    }

    #[test]
    fn memory_stays_within_the_bound() {
        let cache = PageCache::new(Duration::from_secs(60));
        for i in 0..(MAX_TOTAL_BYTES / MAX_ENTRY_BYTES + 5) {
            let mut key = key_of(&request(&[]));
            key.uri = format!("/pagina/{i}");
            cache.put(key, entry(MAX_ENTRY_BYTES), 0);
            let bytes = cache.entries.read().unwrap().bytes;
            assert!(bytes <= MAX_TOTAL_BYTES, "{bytes} after {i}");
        }
        assert!(!cache.is_empty());
    }
}
