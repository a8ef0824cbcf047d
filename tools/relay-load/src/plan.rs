//! What the coordinator asks of a worker process, and what a worker reports:
//! one JSON line each way.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::stats::Histogram;

/// Devices of one document. Device `d` edits document `d / PER_DOC`.
pub(crate) const PER_DOC: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WorkerPlan {
    /// The relays (several on one PostgreSQL database, or one); device
    /// (or connection) `i` uses relay `i % relays.len()`, so each
    /// document's devices are spread over them.
    pub relays: Vec<SocketAddr>,
    /// Part of every document and bundle id of the run.
    pub salt: u64,
    pub workers: u32,
    /// This worker runs the devices (or connections) `i` with `i % workers == index`.
    pub index: u32,
    pub job: Job,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) enum Job {
    /// `devices` devices, five per document, each subscribed to its
    /// document and pushing one bundle a second, staggered over the second.
    Fanout { devices: u32, warmup_ms: u64, window_ms: u64, drain_ms: u64 },
    /// `connections` connections, each to a document of its own, each
    /// keeping `in_flight` pushes unacknowledged: another goes out as soon
    /// as one is acknowledged.
    Throughput { connections: u32, in_flight: u32, warmup_ms: u64, window_ms: u64 },
}

impl WorkerPlan {
    /// The devices (or connections) this worker runs.
    pub(crate) fn mine(&self, count: u32) -> impl Iterator<Item = u32> + '_ {
        (0..count).filter(move |i| i % self.workers == self.index)
    }

    /// The relay device (or connection) `id` connects to.
    pub(crate) fn relay_of(&self, id: u32) -> SocketAddr {
        self.relays[id as usize % self.relays.len()]
    }
}

/// How many devices share `device`'s document (the last one may have fewer than five).
pub(crate) fn members(devices: u32, device: u32) -> u32 {
    let first = device / PER_DOC * PER_DOC;
    (devices - first).min(PER_DOC)
}

/// When in each second `device` pushes: the devices spread evenly over it.
pub(crate) fn offset_ns(devices: u32, device: u32) -> u64 {
    u64::from(device) * 1_000_000_000 / u64::from(devices)
}

/// A worker's counts and latencies; the coordinator adds them up.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Tally {
    /// Connections that proved their device and reached `CaughtUp` (fan-out)
    /// or `Authenticated` (throughput).
    pub connected: u64,
    /// Pushes sent in the measured window.
    pub pushed: u64,
    /// Receptions those pushes should cause: one at every other device of their document.
    pub expected: u64,
    /// Bundles received that were pushed in the window.
    pub received: u64,
    /// Pushes of the window acknowledged (throughput: acks received in the window).
    pub acked: u64,
    /// Bundles of a document the device did not subscribe to.
    pub stray: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Connections that ended before the run did.
    pub closed: u64,
    /// Push to reception at each other device, µs.
    pub fanout: Histogram,
    /// Push to its Ack, µs.
    pub ack: Histogram,
    /// How late a push left against its schedule, µs: the generator slipping.
    pub lag: Histogram,
}

impl Tally {
    pub(crate) fn merge(&mut self, other: &Tally) {
        self.connected += other.connected;
        self.pushed += other.pushed;
        self.expected += other.expected;
        self.received += other.received;
        self.acked += other.acked;
        self.stray += other.stray;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error.clone_from(&other.first_error);
        }
        self.closed += other.closed;
        self.fanout.merge(&other.fanout);
        self.ack.merge(&other.ack);
        self.lag.merge(&other.lag);
    }

    /// Receptions that never came (or came after the drain).
    pub(crate) fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_devices_a_document_and_the_last_one_takes_the_rest() {
        assert_eq!((0..12).map(|d| members(12, d)).collect::<Vec<_>>(), [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2]);
        assert_eq!(members(256, 255), 1);
    }

    #[test]
    fn workers_share_the_devices_out_without_overlap() {
        let plan = |index| WorkerPlan {
            relays: vec!["127.0.0.1:1".parse().unwrap()],
            salt: 0,
            workers: 3,
            index,
            job: Job::Throughput { connections: 10, in_flight: 1, warmup_ms: 0, window_ms: 0 },
        };
        let mut all: Vec<u32> = (0..3).flat_map(|w| plan(w).mine(10).collect::<Vec<_>>()).collect();
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn pushes_are_spread_over_the_second() {
        assert_eq!(offset_ns(4, 0), 0);
        assert_eq!(offset_ns(4, 1), 250_000_000);
        assert!(offset_ns(8192, 8191) < 1_000_000_000);
    }
}
