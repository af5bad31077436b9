//! Operations: liveness and readiness probes, Prometheus metrics, graceful shutdown.
//!
//! - `GET /healthz`: 200 "ok" while the process runs (liveness: restart me if this fails);
//! - `GET /readyz`: 200 when the database answers, else 503 with a short reason (readiness:
//!   send me no traffic now);
//! - `GET /metrics`: Prometheus text format (see [`crate::telemetry`]); the job queue depth is
//!   computed when scraped, so it is right even with several server processes.
//!
//! The probes and metrics carry no personal data and need no login; put them behind the
//! reverse proxy's access rules if they must not be public.

use std::future::Future;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_db::Db;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok".to_string())
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db().ping().await {
        Ok(()) => plain(StatusCode::OK, "ok".to_string()),
        Err(err) => {
            tracing::warn!(error = %err, "databank niet bereikbaar");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "databank niet bereikbaar".to_string(),
            )
        }
    }
}

async fn metrics_page(State(state): State<AppState>) -> Response {
    let mut body = crate::telemetry::prometheus().render();
    // The queue depth belongs to this server's database, not to the process: it is computed
    // now and written beside the recorder's output rather than kept in a process-wide gauge
    // (which several apps in one process, as in tests, would overwrite).
    match job_queue_depth(state.db()).await {
        Ok(depths) => {
            body.push_str("# HELP job_queue_depth Jobs in the queue by status\n");
            body.push_str("# TYPE job_queue_depth gauge\n");
            // Every status gets a line, also 0, so that a drained queue reads as 0.
            for status in steden_db::jobs::JobStatus::ALL {
                let count = depths
                    .iter()
                    .find(|(s, _)| s == status.as_str())
                    .map_or(0, |(_, n)| *n);
                body.push_str(&format!(
                    "job_queue_depth{{status=\"{}\"}} {count}\n",
                    status.as_str()
                ));
            }
        }
        Err(err) => tracing::warn!(error = %err, "wachtrijdiepte niet leesbaar"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Jobs per status.
async fn job_queue_depth(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    steden_db::jobs::queue_depth(db).await
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting connections
/// and lets the requests in flight finish (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // With the peer address in every request (`ConnectInfo`): login throttling per client.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Completes on Ctrl-C or SIGTERM (what `docker stop` and systemd send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("afsluiten: lopende verzoeken worden afgewerkt");
}
