//! Logs and metrics.
//!
//! - [`init`] sets up structured logs (text for people, JSON for log collectors), filtered by
//!   `RUST_LOG` (default `info`).
//! - [`track`] is the request middleware: one log line and two metrics per request, labelled
//!   with the *route pattern* (axum's `MatchedPath`, e.g. `/beheer/gebruikers/{id}`), never the
//!   raw path: raw paths carry ids (unbounded label cardinality) and query strings can carry
//!   personal data. Cookies and query strings are never logged.
//! - [`prometheus`] gives the process-wide Prometheus recorder (installed once, however many
//!   apps a test process starts). The job queue depth is added by `/metrics` itself, see
//!   [`crate::ops`].

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines (the default on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<LogFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("onbekend logformaat '{other}' (text of json)")),
        }
    }
}

/// Installs the global log subscriber. Calling it twice is harmless (the second call does
/// nothing), so tests and the binary can both call it.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or a log collector would get escape codes.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Latency buckets in seconds: page requests are expected in the low milliseconds, exports and
/// slow queries can take seconds.
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static PROMETHEUS: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder, installed on first use.
pub fn prometheus() -> &'static PrometheusHandle {
    PROMETHEUS.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".to_string()),
                DURATION_BUCKETS,
            )
            .expect("bucket list is not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            // Another recorder was installed by the embedding program; our handle then
            // renders only what is recorded through it (nothing), which is visible at once.
            tracing::warn!("er was al een metrics-recorder geïnstalleerd");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        "http_requests_total",
        "HTTP requests by method, route pattern and status"
    );
    metrics::describe_histogram!(
        "http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time from request to response head, by method and route pattern"
    );
}

/// The request middleware: a log line and metrics per request.
pub async fn track(request: Request, next: Next) -> Response {
    // Make sure the recorder exists before the first metric is recorded.
    let _ = prometheus();
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics::counter!(
        "http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.to_string(),
    )
    .increment(1);
    metrics::histogram!(
        "http_request_duration_seconds",
        "method" => method.clone(),
        "route" => route.clone(),
    )
    .record(elapsed.as_secs_f64());
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, %route, status, latency_ms, "verzoek");
    } else {
        tracing::info!(%method, %route, status, latency_ms, "verzoek");
    }
    response
}
