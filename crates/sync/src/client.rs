//! The device's state machine: its documents, what the relay has of them,
//! and what is still to push.
//!
//! Every local change becomes a bundle in the outbox (persisted with the
//! change, in one write) until the relay acknowledges it. Bundles from the
//! relay are applied strictly in sequence order; the cursor — the last
//! sequence number applied — is persisted with the changes it covers, so a
//! device that crashes resumes from where its disk says.

use std::collections::BTreeMap;

use automerge::{AutoCommit, Automerge, AutomergeError, LoadOptions, OnPartialLoad};

use crate::envelope::{CommunityKey, EnvelopeError, Kind};
use crate::ids::{BundleId, DocAddr, KeyId, Seq};
use crate::wire::{
    ClientFrame, ErrorCode, Hello, Push, PutSnapshot, RelayFrame, Subscribe, WireError, PROTOCOL_VERSION,
};
use crate::{Entropy, Millis};

#[derive(Debug, Clone, Copy)]
pub struct ClientConfig {
    /// Resend an unacknowledged push after this long.
    pub resend_after: Millis,
    /// Ask the relay for anything missed this often, even when all looks fine.
    pub resync_every: Millis,
    /// Upload a snapshot when the log has grown this much past the last one.
    pub snapshot_every: u64,
    /// Ask the store to compact a document after this many appended chunks.
    pub compact_every: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self { resend_after: 5_000, resync_every: 30_000, snapshot_every: 64, compact_every: 64 }
    }
}

/// Input to the device's sync.
#[derive(Debug, Clone)]
pub enum ClientEvent {
    Connected,
    Disconnected,
    Received(Vec<u8>),
    Tick,
}

/// A write to the device's store. Each variant is one atomic write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persist {
    /// A local change: append `bytes` as a chunk and put it in the outbox.
    Local { addr: DocAddr, bundle_id: BundleId, bytes: Vec<u8> },
    /// Changes from the relay (if any decrypted): append them, store the cursor.
    Remote { addr: DocAddr, bytes: Option<Vec<u8>>, cursor: Seq },
    /// The relay holds the bundle: drop it from the outbox, store the cursor.
    Acked { addr: DocAddr, bundle_id: BundleId, cursor: Seq },
    /// Replace every chunk of the document with this full save.
    Compact { addr: DocAddr, bytes: Vec<u8> },
}

/// Something the user or the operator should hear about. Nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A bundle in the log could not be decrypted; it was skipped.
    Undecryptable { addr: DocAddr, seq: Seq, error: EnvelopeError },
    /// A bundle decrypted but held no valid Automerge; it was skipped.
    NotAutomerge { addr: DocAddr, seq: Seq, error: String },
    /// The relay refused something.
    Relay { code: ErrorCode, message: String },
    /// The relay sent bytes that are not a frame.
    Wire(WireError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEffect {
    Send(Vec<u8>),
    Persist(Persist),
    /// The document changed: views should read it again.
    Changed(DocAddr),
    Problem(Problem),
}

/// A document as the device's store hands it back at start.
pub struct OpenDoc {
    pub addr: DocAddr,
    /// The key this document's bundles and snapshots are sealed with.
    pub key: CommunityKey,
    pub doc: AutoCommit,
    pub cursor: Seq,
    pub outbox: Vec<(BundleId, Vec<u8>)>,
    pub chunks: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncStatus {
    pub connected: bool,
    /// Local changes the relay has not acknowledged yet.
    pub pending: usize,
    /// Every document has everything the relay had when last asked.
    pub caught_up: bool,
}

#[derive(Debug)]
enum Ahead {
    Own,
    Remote(KeyId, Vec<u8>),
}

struct Outgoing {
    bytes: Vec<u8>,
    sent_at: Option<Millis>,
}

struct DocState {
    key: CommunityKey,
    doc: AutoCommit,
    cursor: Seq,
    ahead: BTreeMap<Seq, Ahead>,
    outbox: BTreeMap<BundleId, Outgoing>,
    subscribed_at: Option<Millis>,
    caught_up: bool,
    relay_head: Seq,
    relay_snapshot: Seq,
    /// When the snapshot upload still waiting for `SnapshotStored` was sent.
    snapshot_sent_at: Option<Millis>,
    chunks: usize,
}

/// Applies changes that came from the relay, all of them or none.
///
/// `load_incremental` alone forgives what it cannot parse: into a document
/// that has content it loads the chunks it understands and drops the rest
/// without an error, so garbage, or a valid change followed by garbage,
/// would pass (half applied) instead of being reported. The bytes are first
/// loaded on their own, strictly; changes whose dependencies are elsewhere
/// in the log are fine. Into an empty document (a new device reading a
/// snapshot) that strict load is the result.
fn apply_remote(doc: &mut AutoCommit, bytes: &[u8]) -> Result<(), AutomergeError> {
    let strict = || LoadOptions::new().on_partial_load(OnPartialLoad::Error);
    if doc.is_empty() {
        match AutoCommit::load_with_options(bytes, strict()) {
            Ok(loaded) => {
                *doc = loaded.with_actor(doc.get_actor().clone());
                return Ok(());
            }
            Err(AutomergeError::MissingDeps) => {}
            Err(e) => return Err(e),
        }
    } else {
        match Automerge::load_with_options(bytes, strict()) {
            Ok(_) | Err(AutomergeError::MissingDeps) => {}
            Err(e) => return Err(e),
        }
    }
    doc.load_incremental(bytes).map(drop)
}

pub struct ClientCore<E: Entropy> {
    entropy: E,
    config: ClientConfig,
    connected: bool,
    docs: BTreeMap<DocAddr, DocState>,
}

impl<E: Entropy> ClientCore<E> {
    pub fn new(entropy: E, config: ClientConfig) -> Self {
        Self { entropy, config, connected: false, docs: BTreeMap::new() }
    }

    pub fn doc(&self, addr: DocAddr) -> Option<&AutoCommit> {
        self.docs.get(&addr).map(|d| &d.doc)
    }

    /// What changed in the document since the last call (all of it on the
    /// first), as Automerge patches, for a view that keeps its own hydrated
    /// copy. Moves only the document's diff cursor; changes nothing in it.
    pub fn diff_incremental(&mut self, addr: DocAddr) -> Option<Vec<automerge::Patch>> {
        self.docs.get_mut(&addr).map(|d| d.doc.diff_incremental())
    }

    /// For reads Automerge only offers on `&mut` (`get_changes`, `diff`):
    /// the history view. `f` must not edit: an edit made here would be
    /// neither stored nor sent, so it is refused with a panic.
    pub fn inspect<R>(&mut self, addr: DocAddr, f: impl FnOnce(&mut AutoCommit) -> R) -> Option<R> {
        let d = self.docs.get_mut(&addr)?;
        let before = d.doc.get_heads();
        let r = f(&mut d.doc);
        assert!(
            d.doc.get_heads() == before && automerge::transaction::Transactable::pending_ops(&d.doc) == 0,
            "inspect must not edit the document"
        );
        Some(r)
    }

    pub fn cursor(&self, addr: DocAddr) -> Option<Seq> {
        self.docs.get(&addr).map(|d| d.cursor)
    }

    pub fn status(&self) -> SyncStatus {
        SyncStatus {
            connected: self.connected,
            pending: self.docs.values().map(|d| d.outbox.len()).sum(),
            caught_up: self.connected && self.docs.values().all(|d| d.caught_up),
        }
    }

    /// Starts syncing a document loaded from the device's store.
    pub fn open(&mut self, now: Millis, open: OpenDoc) -> Vec<ClientEffect> {
        let state = DocState {
            key: open.key,
            doc: open.doc,
            cursor: open.cursor,
            ahead: BTreeMap::new(),
            outbox: open.outbox.into_iter().map(|(id, bytes)| (id, Outgoing { bytes, sent_at: None })).collect(),
            subscribed_at: None,
            caught_up: false,
            relay_head: Seq(0),
            relay_snapshot: Seq(0),
            snapshot_sent_at: None,
            chunks: open.chunks,
        };
        self.docs.insert(open.addr, state);
        let mut out = Vec::new();
        if self.connected {
            self.subscribe(now, open.addr, &mut out);
            self.resend(now, open.addr, true, &mut out);
        }
        out
    }

    /// Makes a local change with `f`, then records it as a bundle to push.
    /// If `f` fails, what it did and did not commit itself is rolled back,
    /// so a half-made edit never rides along with the next change.
    ///
    /// # Panics
    /// If `addr` was not opened.
    pub fn change<R, Err>(
        &mut self,
        now: Millis,
        addr: DocAddr,
        f: impl FnOnce(&mut AutoCommit) -> Result<R, Err>,
    ) -> Result<(R, Vec<ClientEffect>), Err> {
        let state = self.docs.get_mut(&addr).expect("change on a document that is not open");
        let before = state.doc.get_heads();
        let r = match f(&mut state.doc) {
            Ok(r) => r,
            Err(e) => {
                state.doc.rollback();
                return Err(e);
            }
        };
        state.doc.commit();
        let bytes = state.doc.save_after(&before);
        if state.doc.get_heads() == before {
            return Ok((r, vec![]));
        }
        let mut id = [0u8; 16];
        self.entropy.fill(&mut id);
        let bundle_id = BundleId(id);
        let mut out = vec![
            ClientEffect::Persist(Persist::Local { addr, bundle_id, bytes: bytes.clone() }),
            ClientEffect::Changed(addr),
        ];
        state.outbox.insert(bundle_id, Outgoing { bytes, sent_at: None });
        state.chunks += 1;
        self.maybe_compact(addr, &mut out);
        if self.connected {
            self.resend(now, addr, false, &mut out);
        }
        Ok((r, out))
    }

    pub fn handle(&mut self, now: Millis, event: ClientEvent) -> Vec<ClientEffect> {
        let mut out = Vec::new();
        match event {
            ClientEvent::Connected => {
                self.connected = true;
                out.push(ClientEffect::Send(ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }).encode()));
                let addrs: Vec<DocAddr> = self.docs.keys().copied().collect();
                for addr in addrs {
                    self.subscribe(now, addr, &mut out);
                    self.resend(now, addr, true, &mut out);
                }
            }
            ClientEvent::Disconnected => {
                self.connected = false;
                for d in self.docs.values_mut() {
                    d.ahead.clear();
                    d.subscribed_at = None;
                    d.caught_up = false;
                    d.snapshot_sent_at = None;
                    d.outbox.values_mut().for_each(|o| o.sent_at = None);
                }
            }
            ClientEvent::Tick => {
                if !self.connected {
                    return out;
                }
                let addrs: Vec<DocAddr> = self.docs.keys().copied().collect();
                for addr in addrs {
                    self.resend(now, addr, false, &mut out);
                    let d = &self.docs[&addr];
                    let since = d.subscribed_at.map_or(Millis::MAX, |t| now.saturating_sub(t));
                    let stalled = (!d.caught_up || !d.ahead.is_empty()) && since >= self.config.resend_after;
                    if d.subscribed_at.is_none() || stalled || since >= self.config.resync_every {
                        self.subscribe(now, addr, &mut out);
                    }
                }
            }
            ClientEvent::Received(bytes) => self.received(now, &bytes, &mut out),
        }
        out
    }

    fn subscribe(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        d.subscribed_at = Some(now);
        out.push(ClientEffect::Send(ClientFrame::Subscribe(Subscribe { addr, since: d.cursor }).encode()));
    }

    /// Sends outbox entries not sent yet, or sent longer ago than allowed
    /// (`all`: every one, as after a reconnect).
    fn resend(&mut self, now: Millis, addr: DocAddr, all: bool, out: &mut Vec<ClientEffect>) {
        let resend_after = self.config.resend_after;
        let d = self.docs.get_mut(&addr).expect("open");
        for (&bundle_id, o) in d.outbox.iter_mut() {
            let due = all || o.sent_at.is_none_or(|t| now.saturating_sub(t) >= resend_after);
            if due {
                o.sent_at = Some(now);
                let sealed = d.key.seal(&mut self.entropy, addr, Kind::Bundle, &o.bytes);
                out.push(ClientEffect::Send(
                    ClientFrame::Push(Push { addr, bundle_id, key_id: d.key.id, sealed }).encode(),
                ));
            }
        }
    }

    fn maybe_compact(&mut self, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        if d.chunks >= self.config.compact_every {
            d.chunks = 1;
            out.push(ClientEffect::Persist(Persist::Compact { addr, bytes: d.doc.save() }));
        }
    }

    /// Uploads a snapshot if the log has grown `snapshot_every` past the
    /// newest one and no upload is waiting for its answer. An upload that
    /// got none within `resend_after` counts as lost.
    fn maybe_snapshot(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let every = self.config.snapshot_every;
        let resend_after = self.config.resend_after;
        let d = self.docs.get_mut(&addr).expect("open");
        let due = self.connected
            && d.caught_up
            && d.outbox.is_empty()
            && d.snapshot_sent_at.is_none_or(|t| now.saturating_sub(t) >= resend_after)
            && d.cursor >= d.relay_head
            && d.cursor.0 >= d.relay_snapshot.0 + every;
        if due {
            d.snapshot_sent_at = Some(now);
            let sealed = d.key.seal(&mut self.entropy, addr, Kind::Snapshot, &d.doc.save());
            out.push(ClientEffect::Send(
                ClientFrame::PutSnapshot(PutSnapshot { addr, covers: d.cursor, key_id: d.key.id, sealed }).encode(),
            ));
        }
    }

    /// Applies whatever is contiguous after the cursor.
    fn advance(&mut self, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let mut changed = false;
        loop {
            let d = self.docs.get_mut(&addr).expect("open");
            let next = d.cursor.next();
            let Some(item) = d.ahead.remove(&next) else { break };
            d.cursor = next;
            match item {
                Ahead::Own => {}
                Ahead::Remote(key_id, sealed) => {
                    let bytes = match d.key.open(key_id, addr, Kind::Bundle, &sealed) {
                        Err(error) => {
                            out.push(ClientEffect::Problem(Problem::Undecryptable { addr, seq: next, error }));
                            None
                        }
                        Ok(plain) => match apply_remote(&mut d.doc, &plain) {
                            Err(e) => {
                                out.push(ClientEffect::Problem(Problem::NotAutomerge {
                                    addr,
                                    seq: next,
                                    error: e.to_string(),
                                }));
                                None
                            }
                            Ok(_) => {
                                changed = true;
                                d.chunks += 1;
                                Some(plain)
                            }
                        },
                    };
                    out.push(ClientEffect::Persist(Persist::Remote { addr, bytes, cursor: next }));
                    self.maybe_compact(addr, out);
                }
            }
        }
        let d = self.docs.get_mut(&addr).expect("open");
        if d.cursor >= d.relay_head && d.subscribed_at.is_some() && d.relay_head > Seq(0) {
            d.caught_up = true;
        }
        if changed {
            out.push(ClientEffect::Changed(addr));
        }
    }

    fn received(&mut self, now: Millis, bytes: &[u8], out: &mut Vec<ClientEffect>) {
        let frame = match RelayFrame::decode(bytes) {
            Ok(f) => f,
            Err(e) => return out.push(ClientEffect::Problem(Problem::Wire(e))),
        };
        match frame {
            RelayFrame::Welcome(_) => {}
            RelayFrame::Ack(a) => {
                let Some(d) = self.docs.get_mut(&a.addr) else { return };
                d.outbox.remove(&a.bundle_id);
                if a.seq > d.cursor {
                    d.ahead.insert(a.seq, Ahead::Own);
                }
                d.relay_head = d.relay_head.max(a.seq);
                self.advance(a.addr, out);
                let cursor = self.docs[&a.addr].cursor;
                out.push(ClientEffect::Persist(Persist::Acked { addr: a.addr, bundle_id: a.bundle_id, cursor }));
                self.maybe_snapshot(now, a.addr, out);
            }
            RelayFrame::Bundle(b) => {
                let Some(d) = self.docs.get_mut(&b.addr) else { return };
                if b.seq > d.cursor {
                    d.ahead.entry(b.seq).or_insert(Ahead::Remote(b.key_id, b.sealed));
                }
                d.relay_head = d.relay_head.max(b.seq);
                self.advance(b.addr, out);
                self.maybe_snapshot(now, b.addr, out);
            }
            RelayFrame::Snapshot(s) => {
                let Some(d) = self.docs.get_mut(&s.addr) else { return };
                if s.covers <= d.cursor {
                    return;
                }
                let plain = match d.key.open(s.key_id, s.addr, Kind::Snapshot, &s.sealed) {
                    Ok(p) => p,
                    Err(error) => {
                        return out.push(ClientEffect::Problem(Problem::Undecryptable {
                            addr: s.addr,
                            seq: s.covers,
                            error,
                        }))
                    }
                };
                if let Err(e) = apply_remote(&mut d.doc, &plain) {
                    return out.push(ClientEffect::Problem(Problem::NotAutomerge {
                        addr: s.addr,
                        seq: s.covers,
                        error: e.to_string(),
                    }));
                }
                d.cursor = s.covers;
                d.relay_snapshot = d.relay_snapshot.max(s.covers);
                d.ahead = d.ahead.split_off(&s.covers.next());
                d.chunks += 1;
                out.push(ClientEffect::Persist(Persist::Remote { addr: s.addr, bytes: Some(plain), cursor: s.covers }));
                out.push(ClientEffect::Changed(s.addr));
                self.advance(s.addr, out);
            }
            RelayFrame::CaughtUp(c) => {
                let Some(d) = self.docs.get_mut(&c.addr) else { return };
                d.relay_head = d.relay_head.max(c.head);
                d.relay_snapshot = d.relay_snapshot.max(c.snapshot);
                if d.cursor >= c.head {
                    d.caught_up = true;
                }
                self.maybe_snapshot(now, c.addr, out);
            }
            RelayFrame::SnapshotStored(s) => {
                let Some(d) = self.docs.get_mut(&s.addr) else { return };
                d.snapshot_sent_at = None;
                d.relay_snapshot = d.relay_snapshot.max(s.covers);
            }
            RelayFrame::Error(e) => {
                match (e.code, e.addr) {
                    (ErrorCode::CursorAhead, Some(addr)) if self.docs.contains_key(&addr) => {
                        self.recover_lost_log(now, addr, out);
                    }
                    (ErrorCode::StoreFailed, Some(addr)) => match (self.docs.get_mut(&addr), e.bundle_id) {
                        // A push: send it again on the next tick.
                        (Some(d), Some(id)) => {
                            if let Some(o) = d.outbox.get_mut(&id) {
                                o.sent_at = None;
                            }
                        }
                        // A snapshot or a read of the log: the upload is no
                        // longer waiting for an answer, and the relay dropped
                        // the subscription, so subscribe again on the next tick.
                        (Some(d), None) => {
                            d.snapshot_sent_at = None;
                            d.subscribed_at = None;
                        }
                        (None, _) => {}
                    },
                    _ => {}
                }
                out.push(ClientEffect::Problem(Problem::Relay { code: e.code, message: e.message }));
            }
        }
    }

    /// The relay's log is shorter than what this device applied: it lost
    /// data (a restore from backup) or is another relay. Push the whole
    /// document as one bundle and read the log from the start.
    fn recover_lost_log(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let mut id = [0u8; 16];
        self.entropy.fill(&mut id);
        let bundle_id = BundleId(id);
        let d = self.docs.get_mut(&addr).expect("checked");
        d.cursor = Seq(0);
        d.ahead.clear();
        d.relay_head = Seq(0);
        d.relay_snapshot = Seq(0);
        d.snapshot_sent_at = None;
        let bytes = d.doc.save();
        d.outbox.insert(bundle_id, Outgoing { bytes: bytes.clone(), sent_at: None });
        out.push(ClientEffect::Persist(Persist::Local { addr, bundle_id, bytes }));
        out.push(ClientEffect::Persist(Persist::Remote { addr, bytes: None, cursor: Seq(0) }));
        self.subscribe(now, addr, out);
        self.resend(now, addr, false, out);
    }
}

impl<E: Entropy> ClientCore<E> {
    /// Merges chunks that another tab of this device already persisted
    /// (so nothing is written again and nothing is pushed: that tab does it).
    pub fn merge_stored(&mut self, addr: DocAddr, chunks: &[Vec<u8>]) -> Vec<ClientEffect> {
        let Some(d) = self.docs.get_mut(&addr) else { return vec![] };
        let before = d.doc.get_heads();
        for chunk in chunks {
            if let Err(e) = d.doc.load_incremental(chunk) {
                return vec![ClientEffect::Problem(Problem::NotAutomerge {
                    addr,
                    seq: d.cursor,
                    error: e.to_string(),
                })];
            }
        }
        d.chunks += chunks.len();
        if d.doc.get_heads() == before {
            vec![]
        } else {
            vec![ClientEffect::Changed(addr)]
        }
    }
}
