//! One WebSocket connection: binary messages in go to the actor as frames,
//! the connection's outbox goes out as binary messages.
//!
//! Generic over the socket (any `Stream` + `Sink` of axum messages), so a
//! test can drive it with channels.

use std::fmt::Display;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message};
use futures_util::{FutureExt as _, Sink, SinkExt, Stream, StreamExt};
use tokio::sync::watch;

use crate::actor::RelayHandle;

/// How often an idle connection is pinged, so proxies keep it open and a
/// dead peer is noticed.
const PING_EVERY: Duration = Duration::from_secs(30);

/// Queued frames are written together up to about this many bytes: plenty
/// for a batch's Acks, and small because the socket's write buffer keeps
/// the size of the largest write for the connection's life.
const COALESCE_BYTES: usize = 16 * 1024;

/// Close codes (RFC 6455, section 7.4.1).
const GOING_AWAY: u16 = 1001;
const UNSUPPORTED_DATA: u16 = 1003;
const TRY_AGAIN_LATER: u16 = 1013;

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: reason.into() }))
}

/// Serves one connection until the peer leaves, the relay drops it, or
/// `shutdown` turns true.
pub async fn serve_socket<S, E>(socket: S, relay: RelayHandle, mut shutdown: watch::Receiver<bool>)
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Send + 'static,
    E: Display,
{
    let Ok((conn, mut outbox)) = relay.connect().await else { return };
    let metrics = relay.metrics().clone();
    metrics.connected();
    let (mut sink, mut stream) = socket.split();

    let writer = async {
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
        loop {
            tokio::select! {
                frame = outbox.recv() => match frame {
                    Some(bytes) => {
                        // What else already waits goes out in the same
                        // write: a batch's Acks to a device that pushed
                        // many cost one syscall, not one each.
                        let (mut frames, mut len) = (0, 0);
                        let mut next = Some(bytes);
                        while let Some(bytes) = next {
                            frames += 1;
                            len += bytes.len();
                            if sink.feed(Message::Binary(bytes.into())).await.is_err() {
                                return None;
                            }
                            next = if len < COALESCE_BYTES { outbox.recv().now_or_never().flatten() } else { None };
                        }
                        if sink.flush().await.is_err() {
                            return None;
                        }
                        metrics.sent(frames, len);
                    }
                    None => return Some(close(TRY_AGAIN_LATER, "dropped by the relay (behind, or too many connections); reconnect later")),
                },
                _ = ping.tick() => {
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        return None;
                    }
                }
                () = stopping(&mut shutdown) => return Some(close(GOING_AWAY, "relay shutting down")),
            }
        }
    };

    let idle = relay.idle_timeout();
    let reader = async {
        loop {
            // Only frames count: a browser answers pings by itself, so a
            // socket that only pongs is idle all the same.
            let message = match tokio::time::timeout(idle, next_frame(&mut stream)).await {
                Ok(Some(message)) => message,
                Ok(None) => return None,
                Err(_) => return Some(close(GOING_AWAY, "idle; reconnect when there is something to sync")),
            };
            match message {
                Ok(Message::Binary(bytes)) => {
                    metrics.received(bytes.len());
                    if relay.frame(conn, bytes.into()).await.is_err() {
                        return Some(close(GOING_AWAY, "relay shutting down"));
                    }
                }
                // The protocol is binary; text is refused the standard way.
                Ok(Message::Text(_)) => return Some(close(UNSUPPORTED_DATA, "binary frames only")),
                Ok(Message::Close(_)) => return None,
                Ok(Message::Ping(_) | Message::Pong(_)) => unreachable!("next_frame skips them"),
                Err(e) => {
                    // Also a message above the size limit: the socket is unusable.
                    tracing::debug!(conn = conn.0, error = %e, "websocket read failed");
                    return None;
                }
            }
        }
    };

    let goodbye = tokio::select! {
        goodbye = writer => goodbye,
        goodbye = reader => goodbye,
    };
    relay.disconnect(conn).await;
    metrics.disconnected();
    if let Some(message) = goodbye {
        let _ = sink.send(message).await;
    }
    let _ = sink.close().await;
}

/// The next message that is not a ping or a pong.
async fn next_frame<S, E>(stream: &mut S) -> Option<Result<Message, E>>
where
    S: Stream<Item = Result<Message, E>> + Unpin,
{
    loop {
        match stream.next().await? {
            Ok(Message::Ping(_) | Message::Pong(_)) => {}
            other => return Some(other),
        }
    }
}

/// Completes when the relay stops (or is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; drop it here.
    let _ = shutdown.wait_for(|stop| *stop).await;
}
