//! Lotse's relay: stores and forwards sealed bundles it cannot read, and
//! serves the built app.
//!
//! - [`store`]: the durable SQLite store behind `lotse_sync`'s `RelayStore`.
//! - [`actor`]: one thread that owns the relay state machine and the store.
//! - [`socket`]: one WebSocket connection, generic over the socket.
//! - [`web`]: the app's files, cache headers, security headers.
//! - [`metrics`]: what an operator watches (`/metrics`, `/healthz`).
//!
//! The relay never holds a key and never depends on the model or the
//! client half of `lotse-sync`.

pub mod actor;
pub mod metrics;
pub mod pg;
pub mod socket;
pub mod store;
pub mod web;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{State, WebSocketUpgrade};
use std::net::SocketAddr;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::{Listener, ListenerExt as _};
use axum::Router;
use lotse_sync::relay::{RateLimit, RelayConfig, RelayStore};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub use actor::RelayHandle;
pub use pg::{PgError, PgStore};
pub use store::{SqliteStore, StoreError, DB_FILE};

/// WebSocket messages up to this much above the frame limit still reach the
/// relay's state machine, which answers "too large" and keeps the
/// connection; anything larger breaks the connection.
pub const FRAME_GRACE: usize = 64 * 1024;

/// Each connection's WebSocket read buffer. tungstenite's default, 128 KiB
/// allocated and filled up front, was most of the memory a connected device
/// cost; frames are mostly a few hundred bytes, a larger one is read in
/// several goes.
const READ_BUFFER: usize = 8 * 1024;

/// What every request handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub relay: RelayHandle,
    pub app_dir: Arc<Path>,
    /// Turns true when the relay stops; open connections then close.
    pub shutdown: watch::Receiver<bool>,
}

/// The whole HTTP surface: `GET /sync` (WebSocket), `GET /metrics`
/// (Prometheus), `GET /healthz`, and the app's files.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/sync", get(sync))
        .route("/metrics", get(metrics_text))
        .route("/healthz", get(healthz))
        .fallback_service(web::app_files(&state.app_dir))
        .layer(middleware::from_fn(web::security_headers))
        .with_state(state)
}

async fn sync(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    let limit = state.relay.max_frame().saturating_add(FRAME_GRACE);
    upgrade
        .read_buffer_size(READ_BUFFER)
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| socket::serve_socket(socket, state.relay, state.shutdown))
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    let mut response = state.relay.metrics().render().into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How long `/healthz` waits for the actor before it says the relay is stuck.
const HEALTH_PATIENCE: Duration = Duration::from_secs(5);

/// 200 `ok` while the relay's actor takes messages; 503 if it is gone or
/// has not taken one for `HEALTH_PATIENCE` (a store that hangs, a flood).
async fn healthz(State(state): State<AppState>) -> Response {
    let (status, text) = match tokio::time::timeout(HEALTH_PATIENCE, state.relay.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        Ok(Err(_)) => (StatusCode::SERVICE_UNAVAILABLE, "the relay is stopping\n"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "the relay's worker has not answered within 5 s\n"),
    };
    let mut response = (status, text).into_response();
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How a relay runs, apart from where it listens and stores.
#[derive(Debug, Clone)]
pub struct Options {
    /// The directory of the built app (Trunk's `dist`).
    pub app_dir: PathBuf,
    /// The largest frame accepted, in bytes.
    pub max_frame: usize,
    /// Connections held at once; one more is told to try again later.
    pub max_connections: usize,
    /// A connection that sends no frame for this long is closed.
    pub idle_timeout: Duration,
    /// The store's directory and the free space to keep there; `None`:
    /// not watched.
    pub disk_guard: Option<actor::DiskGuard>,
    /// Each device's frame budget.
    pub rate: RateLimit,
    /// Other relays share the store (PostgreSQL): hear their appends.
    pub peers: Option<pg::Peers>,
    /// How far ahead of the system clock the relay's clock runs: only for
    /// tests of an erasure's deadline.
    pub clock_ahead: Duration,
}

impl Options {
    /// The defaults of the binary, serving `app_dir`.
    pub fn new(app_dir: impl Into<PathBuf>) -> Self {
        Self {
            app_dir: app_dir.into(),
            max_frame: 8 * 1024 * 1024,
            max_connections: 10_000,
            idle_timeout: Duration::from_secs(120),
            disk_guard: None,
            rate: RelayConfig::default().rate,
            peers: None,
            clock_ahead: Duration::ZERO,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot start the relay's worker thread: {0}")]
    Spawn(std::io::Error),
    #[error("the HTTP server failed: {0}")]
    Http(std::io::Error),
}

/// The listener, its connections with Nagle's algorithm off: a relay sends
/// small frames, and with it the second of two bundles fanned out a few ms
/// apart waits for the ACK of the first, which a device delays by up to 40 ms.
fn without_nagle(listener: TcpListener) -> impl Listener<Io = TcpStream, Addr = SocketAddr> {
    listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot turn off Nagle's algorithm on a connection");
        }
    })
}

/// How long open connections get to close after a stop was asked for.
const DRAIN: Duration = Duration::from_secs(5);

/// Runs the relay on `listener` with `store` until `stop` completes, then
/// closes every connection and the store.
pub async fn serve<S>(
    listener: TcpListener,
    store: S,
    options: Options,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError>
where
    S: RelayStore + Send + 'static,
{
    let mut challenge_secret = [0u8; 32];
    getrandom::fill(&mut challenge_secret).map_err(|e| ServeError::Spawn(std::io::Error::other(e.to_string())))?;
    let config = RelayConfig {
        max_frame: options.max_frame,
        max_connections: options.max_connections,
        rate: options.rate,
        challenge_secret,
        clock_ahead_ms: options.clock_ahead.as_millis() as u64,
        ..RelayConfig::default()
    };
    let (relay, actor) =
        actor::spawn_guarded(store, config, options.idle_timeout, options.disk_guard).map_err(ServeError::Spawn)?;
    let listening = match options.peers {
        Some(peers) => Some(pg::listen(peers, relay.clone()).map_err(ServeError::Spawn)?),
        None => None,
    };
    let (stop_tx, shutdown) = watch::channel(false);
    let state = AppState { relay, app_dir: options.app_dir.into(), shutdown };
    let served = axum::serve(without_nagle(listener), router(state))
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("stopping: closing connections");
            let _ = stop_tx.send(true);
        })
        .await;
    // Its handle too keeps the actor running.
    if let Some(listening) = listening {
        tokio::task::spawn_blocking(move || listening.stop()).await.ok();
    }
    // Upgraded connections outlive the server; they saw the stop and close.
    // The actor ends when the last of them lets go of its handle.
    let joined = tokio::task::spawn_blocking(move || actor.join());
    if tokio::time::timeout(DRAIN, joined).await.is_err() {
        tracing::warn!("connections did not close within {DRAIN:?}; stopping anyway");
    }
    served.map_err(ServeError::Http)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_send_small_frames_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = without_nagle(listener);
        let _device = TcpStream::connect(addr).await.unwrap();
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap(), "Nagle's algorithm is off");
    }
}
