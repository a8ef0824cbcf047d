//! What an operator watches: counters and gauges the relay keeps as it
//! runs, served at `/metrics` in Prometheus' text format (version 0.0.4).
//!
//! Nothing here names a document, a device or an address: only totals.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the commit-latency histogram's buckets.
const COMMIT_BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// Every figure the relay exports. Shared by the connections and the
/// actor; each update is one relaxed atomic operation.
#[derive(Debug, Default)]
pub struct Metrics {
    connections_open: AtomicI64,
    connections_total: AtomicU64,
    connections_dropped_total: AtomicU64,
    frames_received_total: AtomicU64,
    bytes_received_total: AtomicU64,
    frames_sent_total: AtomicU64,
    bytes_sent_total: AtomicU64,
    pushes_total: AtomicU64,
    pushes_repeated_total: AtomicU64,
    pushed_bytes_total: AtomicU64,
    batches_total: AtomicU64,
    commits_total: AtomicU64,
    commit_buckets: [AtomicU64; COMMIT_BUCKETS.len()],
    commit_micros_total: AtomicU64,
    store_errors_total: AtomicU64,
    fanout_queue_frames: AtomicI64,
    fanout_queue_bytes: AtomicI64,
}

impl Metrics {
    pub(crate) fn connected(&self) {
        self.connections_open.fetch_add(1, Ordering::Relaxed);
        self.connections_total.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn disconnected(&self) {
        self.connections_open.fetch_sub(1, Ordering::Relaxed);
    }

    /// The actor dropped a connection that did not read its frames.
    pub(crate) fn dropped(&self) {
        self.connections_dropped_total.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn received(&self, bytes: usize) {
        self.frames_received_total.fetch_add(1, Ordering::Relaxed);
        self.bytes_received_total.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// `frames` frames of `bytes` in all were written.
    pub(crate) fn sent(&self, frames: usize, bytes: usize) {
        self.frames_sent_total.fetch_add(frames as u64, Ordering::Relaxed);
        self.bytes_sent_total.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// A frame went into a connection's outbox.
    pub(crate) fn queued(&self, bytes: usize) {
        self.fanout_queue_frames.fetch_add(1, Ordering::Relaxed);
        self.fanout_queue_bytes.fetch_add(bytes as i64, Ordering::Relaxed);
    }

    /// A frame left a connection's outbox (written, or dropped with it).
    pub(crate) fn dequeued(&self, bytes: usize) {
        self.fanout_queue_frames.fetch_sub(1, Ordering::Relaxed);
        self.fanout_queue_bytes.fetch_sub(bytes as i64, Ordering::Relaxed);
    }

    pub(crate) fn batch(&self) {
        self.batches_total.fetch_add(1, Ordering::Relaxed);
    }

    /// A commit of appends took `took`; `fresh` of its bundles were new
    /// (`repeated` were already stored), holding `bytes` sealed bytes.
    pub(crate) fn committed(&self, took: Duration, fresh: u64, repeated: u64, bytes: u64) {
        self.commits_total.fetch_add(1, Ordering::Relaxed);
        self.pushes_total.fetch_add(fresh, Ordering::Relaxed);
        self.pushes_repeated_total.fetch_add(repeated, Ordering::Relaxed);
        self.pushed_bytes_total.fetch_add(bytes, Ordering::Relaxed);
        self.commit_micros_total.fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        if let Some(i) = COMMIT_BUCKETS.iter().position(|&le| secs <= le) {
            self.commit_buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn store_error(&self) {
        self.store_errors_total.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every figure.
    pub fn render(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut one = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        one(
            "lotse_relay_connections",
            "gauge",
            "WebSocket connections open now.",
            self.connections_open.load(Ordering::Relaxed).to_string(),
        );
        one(
            "lotse_relay_connections_total",
            "counter",
            "WebSocket connections accepted.",
            get(&self.connections_total).to_string(),
        );
        one(
            "lotse_relay_connections_dropped_total",
            "counter",
            "Connections dropped because they did not read their frames.",
            get(&self.connections_dropped_total).to_string(),
        );
        one(
            "lotse_relay_frames_received_total",
            "counter",
            "Protocol frames received from devices.",
            get(&self.frames_received_total).to_string(),
        );
        one(
            "lotse_relay_received_bytes_total",
            "counter",
            "Bytes of protocol frames received from devices.",
            get(&self.bytes_received_total).to_string(),
        );
        one(
            "lotse_relay_frames_sent_total",
            "counter",
            "Protocol frames written to devices.",
            get(&self.frames_sent_total).to_string(),
        );
        one(
            "lotse_relay_sent_bytes_total",
            "counter",
            "Bytes of protocol frames written to devices.",
            get(&self.bytes_sent_total).to_string(),
        );
        one(
            "lotse_relay_pushes_total",
            "counter",
            "Bundles appended to a log (durable, acknowledged).",
            get(&self.pushes_total).to_string(),
        );
        one(
            "lotse_relay_pushes_repeated_total",
            "counter",
            "Pushes of a bundle the log already held (acknowledged with its first seq).",
            get(&self.pushes_repeated_total).to_string(),
        );
        one(
            "lotse_relay_pushed_bytes_total",
            "counter",
            "Sealed bytes of the bundles appended.",
            get(&self.pushed_bytes_total).to_string(),
        );
        one(
            "lotse_relay_batches_total",
            "counter",
            "Batches the relay actor took from its inbox.",
            get(&self.batches_total).to_string(),
        );
        one(
            "lotse_relay_store_errors_total",
            "counter",
            "Store operations that failed (nothing of a failed commit was acknowledged).",
            get(&self.store_errors_total).to_string(),
        );
        one(
            "lotse_relay_fanout_queue_frames",
            "gauge",
            "Frames waiting in connections' outboxes to be written.",
            self.fanout_queue_frames.load(Ordering::Relaxed).max(0).to_string(),
        );
        one(
            "lotse_relay_fanout_queue_bytes",
            "gauge",
            "Bytes waiting in connections' outboxes to be written.",
            self.fanout_queue_bytes.load(Ordering::Relaxed).max(0).to_string(),
        );
        let name = "lotse_relay_commit_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time of one durable commit of appends (one transaction, one fsync).\n# TYPE {name} histogram"
        );
        let mut cumulative = 0;
        for (le, count) in COMMIT_BUCKETS.iter().zip(&self.commit_buckets) {
            cumulative += get(count);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let commits = get(&self.commits_total);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {commits}");
        let _ = writeln!(out, "{name}_sum {}", get(&self.commit_micros_total) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {commits}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_rendered_with_its_help_and_type() {
        let m = Metrics::default();
        m.connected();
        m.received(100);
        m.committed(Duration::from_micros(700), 2, 1, 300);
        m.committed(Duration::from_secs(9), 1, 0, 10);
        let text = m.render();
        for line in [
            "lotse_relay_connections 1",
            "lotse_relay_received_bytes_total 100",
            "lotse_relay_pushes_total 3",
            "lotse_relay_pushes_repeated_total 1",
            "lotse_relay_commit_seconds_bucket{le=\"0.0005\"} 0",
            "lotse_relay_commit_seconds_bucket{le=\"0.001\"} 1",
            "lotse_relay_commit_seconds_bucket{le=\"2.5\"} 1",
            "lotse_relay_commit_seconds_bucket{le=\"+Inf\"} 2",
            "lotse_relay_commit_seconds_count 2",
            "lotse_relay_commit_seconds_sum 9.0007",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            let base = name.trim_end_matches("_bucket").trim_end_matches("_sum").trim_end_matches("_count");
            assert!(text.contains(&format!("# TYPE {base} ")), "{name} has no TYPE line");
        }
    }
}
