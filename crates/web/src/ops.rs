//! Operations: liveness and readiness probes, Prometheus metrics, graceful shutdown.
//!
//! - `GET /healthz`: 200 "ok" while the process runs (liveness: restart me if this fails);
//! - `GET /readyz`: 200 when the database answers, else 503 with a short reason (readiness:
//!   send me no traffic now);
//! - [`serve_with_limits`]: the server itself, with header, idle and request timeouts and a
//!   connection limit;
//! - `GET /metrics`: Prometheus text format (see [`crate::telemetry`]); the job queue depth is
//!   computed when scraped, so it is right even with several server processes.
//!
//! The probes and metrics carry no personal data and need no login; put them behind the
//! reverse proxy's access rules if they must not be public.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_db::Db;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

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

/// How long a connection may take and how many there may be (`steden serve` sets them from its
/// flags). Every one closes a way in which a client that sends slowly, or not at all, holds a
/// connection (and its memory) forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From the first byte of a request to the end of its headers (slow-header attacks).
    pub header_read_timeout: Duration,
    /// A connection on which nothing moves, in either direction, while no request is being
    /// handled: an idle keep-alive connection, a client that stopped reading a download or
    /// stopped sending an upload.
    pub idle_timeout: Duration,
    /// From the end of the headers to the response (the handler, including reading an upload):
    /// answered with 408. A streamed download after its first byte is not limited by it (the
    /// idle timeout applies to it).
    pub request_timeout: Duration,
    /// Open connections at most; more wait in the listen queue until one closes.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            // The longest legitimate request is an upload at the Kennisbank's 25 MB limit:
            // 120 s is enough for it at 2 Mbit/s.
            request_timeout: Duration::from_secs(120),
            max_connections: 1024,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting connections
/// and lets the requests in flight finish (graceful shutdown), with the default
/// [`ConnectionLimits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_limits(listener, router, shutdown, ConnectionLimits::default()).await
}

/// [`serve`] with chosen limits.
///
/// axum::serve has no timeouts and no connection limit, so the accept loop is hyper's own
/// (HTTP/1.1, as axum::serve with axum's default features): a semaphore permit per
/// connection, a [`TimedIo`] around each socket for the header and idle timeouts, and tower's
/// timeout layer around the router for the request timeout. Graceful shutdown goes through
/// hyper-util's `GracefulShutdown`: idle connections close at once, busy ones after their
/// response.
pub async fn serve_with_limits(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let router = router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let builder = hyper::server::conn::http1::Builder::new();
    tokio::pin!(shutdown);
    loop {
        // Over the limit, connections wait in the kernel's listen queue (and are refused by
        // it when that is full) rather than being accepted and starved.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_error(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = Arc::new(Connection::new());
        let io = hyper_util::rt::TokioIo::new(TimedIo::new(stream, connection.clone(), limits));
        let service = Tracked {
            router: router.clone(),
            connection,
            peer,
        };
        let served = graceful.watch(builder.serve_connection(io, service));
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = served.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Errors of `accept` that concern one connection are skipped; others (too many open files)
/// get a pause so that the loop does not spin.
async fn accept_error(err: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::warn!(error = %err, "kan geen verbinding aannemen");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// What the timeouts of one connection need to know: whether a request is being handled, when
/// the current request's first byte came, and when anything last moved.
struct Connection {
    phase: Mutex<Phase>,
    /// hyper's read waiting while a handler ran (no timer armed then): woken when the handler
    /// ends, so that the idle timer starts.
    read_waker: Mutex<Option<std::task::Waker>>,
}

struct Phase {
    /// Requests whose handler is running (the request timeout covers them).
    busy: usize,
    /// The first byte of a request whose headers are not complete yet.
    head_since: Option<Instant>,
    last_activity: Instant,
}

impl Connection {
    fn new() -> Connection {
        Connection {
            phase: Mutex::new(Phase {
                busy: 0,
                head_since: None,
                last_activity: Instant::now(),
            }),
            read_waker: Mutex::new(None),
        }
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) {
        let mut phase = self.phase();
        let now = Instant::now();
        phase.last_activity = now;
        // Bytes while no handler runs are the start of the next request.
        if phase.busy == 0 && phase.head_since.is_none() {
            phase.head_since = Some(now);
        }
    }

    fn wrote(&self) {
        self.phase().last_activity = Instant::now();
    }

    /// When the connection is to be closed if nothing changes; `None` while a handler runs.
    fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        let phase = self.phase();
        if phase.busy > 0 {
            None
        } else if let Some(since) = phase.head_since {
            Some(since + limits.header_read_timeout)
        } else {
            Some(phase.last_activity + limits.idle_timeout)
        }
    }

    fn begin_request(self: &Arc<Self>) -> RequestGuard {
        let mut phase = self.phase();
        phase.busy += 1;
        phase.head_since = None;
        RequestGuard(self.clone())
    }
}

/// Marks the end of a handler (also when its future is dropped).
struct RequestGuard(Arc<Connection>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        {
            let mut phase = self.0.phase();
            phase.busy = phase.busy.saturating_sub(1);
            phase.last_activity = Instant::now();
        }
        let waker = self
            .0
            .read_waker
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The router as hyper's service for one connection, telling the connection when a handler
/// runs.
#[derive(Clone)]
struct Tracked {
    router: Router,
    connection: Arc<Connection>,
    /// The peer address, given to every request as axum's `ConnectInfo` (login throttling per
    /// client reads it).
    peer: std::net::SocketAddr,
}

impl hyper::service::Service<axum::http::Request<hyper::body::Incoming>> for Tracked {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures::future::BoxFuture<'static, Result<Response, Self::Error>>;

    fn call(&self, request: axum::http::Request<hyper::body::Incoming>) -> Self::Future {
        use tower::ServiceExt;
        let guard = self.connection.begin_request();
        let mut request = request;
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.peer));
        let handled = self
            .router
            .clone()
            .oneshot(request.map(axum::body::Body::new));
        Box::pin(async move {
            let response = handled.await;
            drop(guard);
            response
        })
    }
}

/// A socket that fails with `TimedOut` once its [`Connection`]'s deadline passes while hyper
/// waits to read or write: hyper then closes the connection.
struct TimedIo {
    stream: tokio::net::TcpStream,
    connection: Arc<Connection>,
    limits: ConnectionLimits,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl TimedIo {
    fn new(
        stream: tokio::net::TcpStream,
        connection: Arc<Connection>,
        limits: ConnectionLimits,
    ) -> TimedIo {
        let timer = Box::pin(tokio::time::sleep(limits.idle_timeout));
        TimedIo {
            stream,
            connection,
            limits,
            timer,
        }
    }

    /// Pending until the deadline (re-read on every call), then the error that ends the
    /// connection.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Error> {
        let Some(deadline) = self.connection.deadline(&self.limits) else {
            *self
                .connection
                .read_waker
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(cx.waker().clone());
            return Poll::Pending;
        };
        let deadline = tokio::time::Instant::from_std(deadline);
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::debug!(
                    headers = self.connection.phase().head_since.is_some(),
                    "verbinding gesloten na de wachttijd"
                );
                Poll::Ready(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "verbinding gesloten na de wachttijd",
                ))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for TimedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.connection.read();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => self.poll_deadline(cx).map(Err),
        }
    }
}

impl AsyncWrite for TimedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.stream).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.connection.wrote();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => self.poll_deadline(cx).map(Err),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.stream).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.connection.wrote();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => self.poll_deadline(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
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
