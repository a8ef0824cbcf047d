//! Valid inputs for every target: every message kind, well formed, at the
//! edges of its fields (a varint of one byte and of ten, empty and long
//! sealed blobs). `lotse-fuzz seed` writes them into the corpus; a test
//! checks the corpus holds every one.

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ScalarValue, ROOT};
use lotse_sync::wire::{
    Ack, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, Hello, Push, PutSnapshot, RelayFrame, Snapshot,
    SnapshotStored, Subscribe, Unsubscribe, Welcome, PROTOCOL_VERSION,
};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};

use crate::targets::{device_op, relay_op, DOC, OTHER_DOC};

fn addr(doc: u8, epoch: u32) -> DocAddr {
    DocAddr { doc: DocumentId([doc; 16]), epoch: Epoch(epoch) }
}

fn sealed(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 3) as u8).collect()
}

const EDGE_SEQS: [u64; 5] = [0, 127, 128, 300, u64::MAX];

pub fn client_frames() -> Vec<Vec<u8>> {
    let mut frames = vec![
        ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }),
        ClientFrame::Hello(Hello { version: u32::MAX }),
        ClientFrame::Unsubscribe(Unsubscribe { addr: addr(1, 0) }),
    ];
    for (i, since) in EDGE_SEQS.into_iter().enumerate() {
        frames.push(ClientFrame::Subscribe(Subscribe {
            addr: addr(1, i as u32 * 1000),
            since: Seq(since),
            snapshot: i % 2 == 0,
        }));
    }
    for len in [0, 40, 300] {
        frames.push(ClientFrame::Push(Push {
            addr: addr(2, u32::MAX),
            bundle_id: BundleId([len as u8; 16]),
            key_id: KeyId(u32::MAX - len as u32),
            sealed: sealed(len),
        }));
        frames.push(ClientFrame::PutSnapshot(PutSnapshot {
            addr: addr(3, 1),
            covers: Seq(len as u64),
            key_id: KeyId(7),
            sealed: sealed(len),
        }));
    }
    frames.iter().map(ClientFrame::encode).collect()
}

pub fn relay_frames() -> Vec<Vec<u8>> {
    let a = addr(1, 2);
    let mut frames = vec![
        RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 8 * 1024 * 1024 }),
        RelayFrame::Ack(Ack { addr: a, bundle_id: BundleId([3; 16]), seq: Seq(300) }),
        RelayFrame::CaughtUp(CaughtUp { addr: a, head: Seq(u64::MAX), snapshot: Seq(0) }),
        RelayFrame::SnapshotStored(SnapshotStored { addr: a, covers: Seq(128) }),
    ];
    for (i, len) in [0, 40, 300].into_iter().enumerate() {
        let seq = Seq(EDGE_SEQS[i + 1]);
        frames.push(RelayFrame::Bundle(Bundle {
            addr: a,
            seq,
            bundle_id: BundleId([seq.0 as u8; 16]),
            key_id: KeyId(1),
            sealed: sealed(len),
        }));
        frames.push(RelayFrame::Snapshot(Snapshot { addr: a, covers: seq, key_id: KeyId(1), sealed: sealed(len) }));
    }
    let codes = [
        ErrorCode::Malformed,
        ErrorCode::UnknownType,
        ErrorCode::TooLarge,
        ErrorCode::VersionMismatch,
        ErrorCode::CursorAhead,
        ErrorCode::StoreFailed,
    ];
    for (i, code) in codes.into_iter().enumerate() {
        frames.push(RelayFrame::Error(ErrorReply {
            code,
            addr: (i % 2 == 0).then_some(a),
            bundle_id: (i % 3 == 0).then_some(BundleId([9; 16])),
            message: if i == 0 { String::new() } else { format!("error {i}: Ayşe, عربى, Ольга") },
        }));
    }
    frames.iter().map(RelayFrame::encode).collect()
}

/// `[mode, key, doc, epoch, kind, alteration, position (2 bytes)] ++ payload`
/// (see `targets::envelope`).
pub fn envelope() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (mode, key, alteration) in [(0u8, 0u8, 0u8), (0, 9, 0), (1, 0, 0), (1, 0, 1), (1, 0, 2), (1, 0, 3), (1, 0, 4)] {
        for len in [0usize, 39, 40, 100] {
            let mut s = vec![mode, key, 1, 0, (len % 2) as u8, alteration, 5, 0];
            s.extend(sealed(len));
            seeds.push(s);
        }
    }
    seeds
}

/// A document another device made: every kind of value and object, and the
/// chunks its edits were sent as.
fn remote_doc() -> (AutoCommit, Vec<Vec<u8>>) {
    let mut doc = AutoCommit::new().with_actor(ActorId::from([0xaa; 16]));
    let mut chunks = Vec::new();
    let mut heads = doc.get_heads();
    let mut cut = |doc: &mut AutoCommit, chunks: &mut Vec<Vec<u8>>| {
        doc.commit();
        chunks.push(doc.save_after(&heads));
        heads = doc.get_heads();
    };
    let contacts = doc.put_object(ROOT, "contacts", ObjType::Map).unwrap();
    let ayse = doc.put_object(&contacts, "c1", ObjType::Map).unwrap();
    doc.put(&ayse, "name", "Ayşe Yılmaz").unwrap();
    doc.put(&ayse, "age", 34_i64).unwrap();
    doc.put(&ayse, "consent", true).unwrap();
    cut(&mut doc, &mut chunks);
    let notes = doc.put_object(&ayse, "notes", ObjType::Text).unwrap();
    doc.splice_text(&notes, 0, 0, "Termin beim Jobcenter, عربى").unwrap();
    doc.put(&ayse, "score", 2.5_f64).unwrap();
    doc.put(&ayse, "photo", ScalarValue::Bytes(vec![0, 1, 2, 255])).unwrap();
    doc.put(&ayse, "seen", ScalarValue::Timestamp(1_700_000_000_000)).unwrap();
    doc.put(&ayse, "nothing", ScalarValue::Null).unwrap();
    cut(&mut doc, &mut chunks);
    let events = doc.put_object(ROOT, "events", ObjType::List).unwrap();
    let evening = doc.insert_object(&events, 0, ObjType::Map).unwrap();
    doc.put(&evening, "count", ScalarValue::counter(0)).unwrap();
    doc.increment(&evening, "count", 3).unwrap();
    doc.insert(&events, 1, "second").unwrap();
    cut(&mut doc, &mut chunks);
    doc.delete(&events, 1).unwrap();
    doc.delete(&ayse, "age").unwrap();
    doc.splice_text(&notes, 0, 6, "Besuch").unwrap();
    doc.increment(&evening, "count", -1).unwrap();
    cut(&mut doc, &mut chunks);
    (doc, chunks)
}

pub(crate) fn remote_chunks() -> Vec<Vec<u8>> {
    remote_doc().1
}

pub(crate) fn remote_save() -> Vec<u8> {
    remote_doc().0.save()
}

/// Plaintexts a device opens: whole documents, single changes, several
/// chunks at once, a change whose dependency is missing.
pub fn automerge_chunks() -> Vec<Vec<u8>> {
    let (mut doc, chunks) = remote_doc();
    let mut seeds = vec![AutoCommit::new().save(), doc.save(), doc.save_nocompress()];
    seeds.extend(chunks.iter().cloned());
    seeds.push(chunks.concat());
    seeds.push([doc.save(), chunks[3].clone()].concat());
    seeds
}

/// One record of a session: `[op][length: u16 LE][bytes]`.
fn record(op: u8, bytes: &[u8]) -> Vec<u8> {
    let mut r = vec![op];
    r.extend((bytes.len() as u16).to_le_bytes());
    r.extend(bytes);
    r
}

/// Sessions for `targets::relay_session`: devices connect, push, subscribe
/// (one past the head), upload snapshots, send garbage and leave.
pub fn relay_sessions() -> Vec<Vec<u8>> {
    use relay_op::*;
    let a = addr(DOC, 0);
    let b = addr(OTHER_DOC, 0);
    let f = |conn: u8, frame: ClientFrame| record(FRAME | conn << 4, &frame.encode());
    let push = |conn: u8, at: DocAddr, n: u8| {
        f(
            conn,
            ClientFrame::Push(Push {
                addr: at,
                bundle_id: BundleId([n; 16]),
                key_id: KeyId(1),
                sealed: sealed(n as usize),
            }),
        )
    };
    let sub = |conn: u8, at: DocAddr, since: u64| {
        f(conn, ClientFrame::Subscribe(Subscribe { addr: at, since: Seq(since), snapshot: true }))
    };
    let mut everything = vec![
        record(CONNECT, &[]),
        record(CONNECT | 1 << 4, &[]),
        f(0, ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })),
        sub(0, a, 0),
        push(1, a, 1),
        push(1, a, 2),
        push(1, b, 3),
        record(FLUSH, &[]),
        push(1, a, 2),
        push(0, a, 4),
        f(1, ClientFrame::PutSnapshot(PutSnapshot { addr: a, covers: Seq(2), key_id: KeyId(1), sealed: sealed(50) })),
        record(CONNECT | 2 << 4, &[]),
        sub(2, a, 0),
        record(FLUSH, &[]),
        record(DRAINED | 2 << 4, &[]),
        sub(2, a, 9),
        f(2, ClientFrame::Unsubscribe(Unsubscribe { addr: a })),
        push(1, a, 5),
        record(FRAME | 2 << 4, &[0x03, 0xff]),
        record(FRAME | 2 << 4, &[0x7e]),
        f(2, ClientFrame::Hello(Hello { version: 1 })),
        record(DISCONNECT | 1 << 4, &[]),
        record(FLUSH, &[]),
    ];
    let mut seeds = vec![everything.concat()];
    // Shorter ones: a subscriber that reads a long backlog a page at a time
    // while pushes come in.
    let mut paging = vec![record(CONNECT, &[]), record(CONNECT | 1 << 4, &[])];
    paging.extend((1..=6).map(|n| push(1, a, n)));
    paging.extend([record(FLUSH, &[]), sub(0, a, 0), push(1, a, 7), record(FLUSH, &[])]);
    paging.extend([record(DRAINED, &[]), push(1, a, 8), record(DRAINED, &[]), record(FLUSH, &[])]);
    seeds.push(paging.concat());
    everything.truncate(8);
    seeds.push(everything.concat());
    seeds
}

/// Sessions for `targets::device_session`: a relay that sends the backlog
/// out of order, a snapshot, acknowledgements, errors; writes that fail.
pub fn device_sessions() -> Vec<Vec<u8>> {
    use device_op::*;
    let a = addr(DOC, 0);
    let chunks = remote_chunks();
    let bundle = |seq: u64, plain: &[u8]| {
        let frame = RelayFrame::Bundle(Bundle {
            addr: a,
            seq: Seq(seq),
            bundle_id: BundleId([seq as u8; 16]),
            key_id: KeyId(1),
            sealed: plain.to_vec(),
        });
        record(SEALED, &frame.encode())
    };
    let raw = |frame: RelayFrame| record(RECEIVED, &frame.encode());
    let snapshot = RelayFrame::Snapshot(Snapshot { addr: a, covers: Seq(6), key_id: KeyId(1), sealed: remote_save() });
    let error = |code, bundle_id| {
        raw(RelayFrame::Error(ErrorReply { code, addr: Some(a), bundle_id, message: "relay says no".into() }))
    };
    let session = [
        record(CONNECTED, &[]),
        raw(RelayFrame::Welcome(Welcome { version: 1, max_frame: 1024 })),
        bundle(1, &chunks[0]),
        record(PERSISTED, &[]),
        bundle(3, &chunks[2]),
        bundle(2, &chunks[1]),
        record(PERSISTED, &[]),
        record(PERSISTED, &[]),
        raw(RelayFrame::CaughtUp(CaughtUp { addr: a, head: Seq(3), snapshot: Seq(0) })),
        record(EDIT, b"a local change"),
        record(PERSISTED, &[]),
        record(ACK_OWN, &[4]),
        record(PERSIST_FAILED, &[]),
        record(TICK, &[60]),
        record(ACK_OWN, &[4]),
        record(PERSISTED, &[]),
        bundle(5, b"not automerge at all"),
        record(PERSISTED, &[]),
        record(SEALED, &snapshot.encode()),
        record(PERSISTED, &[]),
        error(ErrorCode::StoreFailed, None),
        error(ErrorCode::CursorAhead, None),
        record(PERSISTED, &[]),
        record(PERSISTED, &[]),
        raw(RelayFrame::Bundle(Bundle {
            addr: a,
            seq: Seq(1),
            bundle_id: BundleId([1; 16]),
            key_id: KeyId(1),
            sealed: sealed(60),
        })),
        record(RECEIVED, &[0x83, 0xff]),
        record(EDIT, b"another"),
        record(DISCONNECTED, &[]),
        record(PERSISTED, &[]),
        record(CONNECTED, &[]),
        bundle(2, &chunks[3]),
        record(TICK, &[255]),
    ];
    let mut seeds = vec![session.concat(), session[..12].concat()];
    // A new device that starts from a snapshot, then gets a change with a
    // missing dependency.
    seeds.push(
        [
            record(CONNECTED, &[]),
            record(SEALED, &snapshot.encode()),
            record(PERSISTED, &[]),
            bundle(8, &chunks[3]),
            bundle(7, &chunks[0]),
            record(PERSISTED, &[]),
            record(PERSIST_FAILED, &[]),
            record(TICK, &[100]),
        ]
        .concat(),
    );
    seeds
}
