//! Valid inputs for every target: every message kind, well formed, at the
//! edges of its fields (a varint of one byte and of ten, empty and long
//! sealed blobs). `lotse-fuzz seed` writes them into the corpus; a test
//! checks the corpus holds every one.

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ScalarValue, ROOT};
use lotse_sync::membership::{membership_addr, Role, Signed};
use lotse_sync::wire::{
    Ack, Auth, Authenticated, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, Hello, Push, PutSnapshot,
    RelayFrame, Snapshot, SnapshotStored, Subscribe, Unsubscribe, Welcome, PROTOCOL_VERSION,
};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, Generation, KeyId, Seq};

use crate::network::{self, k, NET};
use crate::targets::{device_op, relay_op, statement_op, DOC, OTHER_DOC};

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
            generation: Generation([i as u8; 16]),
            at: None,
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
    let challenge = [0x33; 32];
    frames.push(ClientFrame::Auth(Auth { network: NET, device: k(1).id(), signature: k(1).answer(&challenge, NET) }));
    frames.push(ClientFrame::Auth(Auth { network: DocumentId([0; 16]), device: k(2).id(), signature: vec![] }));
    for signed in &network::every_statement()[..2] {
        frames.push(statement_push(signed));
    }
    frames.iter().map(ClientFrame::encode).collect()
}

/// A statement as a device hands it to the relay.
fn statement_push(signed: &Signed) -> ClientFrame {
    ClientFrame::Push(Push {
        addr: membership_addr(NET),
        bundle_id: signed.id(),
        key_id: KeyId(0),
        sealed: signed.encode(),
    })
}

pub fn relay_frames() -> Vec<Vec<u8>> {
    let a = addr(1, 2);
    let mut frames = vec![
        RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 8 * 1024 * 1024, challenge: [0x33; 32] }),
        RelayFrame::Authenticated(Authenticated { network: NET, role: Role::Coordinator }),
        RelayFrame::Authenticated(Authenticated { network: NET, role: Role::Mentor }),
        RelayFrame::Ack(Ack { addr: a, bundle_id: BundleId([3; 16]), seq: Seq(300), generation: Generation([6; 16]) }),
        RelayFrame::CaughtUp(CaughtUp { addr: a, head: Seq(u64::MAX), snapshot: Seq(0), generation: Generation::NONE }),
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
        frames.push(RelayFrame::Snapshot(Snapshot {
            addr: a,
            covers: seq,
            key_id: KeyId(1),
            sealed: sealed(len),
            at: None,
        }));
    }
    for (i, code) in ErrorCode::ALL.into_iter().enumerate() {
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

/// Sessions for `targets::relay_session`: devices connect, prove
/// themselves (rightly and wrongly), push, subscribe (one past the head),
/// upload snapshots, hand over statements that change who may do what,
/// send garbage and leave; the store fails for a while.
pub fn relay_sessions() -> Vec<Vec<u8>> {
    use relay_op::*;
    let a = addr(DOC, 0);
    let b = addr(OTHER_DOC, 0);
    let f = |conn: u8, frame: ClientFrame| record(FRAME | conn << 4, &frame.encode());
    // Key `n` of `network::SESSION_KEYS` answers the challenge `how`.
    let auth = |conn: u8, key: u64, how: u8| {
        let index = network::SESSION_KEYS.iter().position(|k| *k == key).expect("a session key") as u8;
        record(AUTH | conn << 4, &[index, how, 5])
    };
    let statement = |conn: u8, which: u8, how: u8| record(STATEMENT | conn << 4, &[which, how, 17, 0x80]);
    let on = |op: u8, conn: u8| record(op | conn << 4, &[]);
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
        f(
            conn,
            ClientFrame::Subscribe(Subscribe {
                addr: at,
                since: Seq(since),
                snapshot: true,
                generation: Generation::NONE,
                at: None,
            }),
        )
    };
    let mut everything = vec![
        on(CONNECT, 0),
        on(CONNECT, 1),
        f(0, ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })),
        auth(0, 1, 0),
        auth(1, 2, 0),
        sub(0, a, 0),
        push(1, a, 1),
        push(1, a, 2),
        push(1, b, 3),
        on(FLUSH, 0),
        push(1, a, 2),
        push(0, a, 4),
        f(1, ClientFrame::PutSnapshot(PutSnapshot { addr: a, covers: Seq(2), key_id: KeyId(1), sealed: sealed(50) })),
        on(CONNECT, 2),
        auth(2, 0, 0),
        sub(2, a, 0),
        on(FLUSH, 0),
        on(DRAINED, 2),
        sub(2, a, 9),
        f(2, ClientFrame::Unsubscribe(Unsubscribe { addr: a })),
        push(1, a, 5),
        record(FRAME | 2 << 4, &[0x03, 0xff]),
        record(FRAME | 2 << 4, &[0x7e]),
        f(2, ClientFrame::Hello(Hello { version: 1 })),
        on(DISCONNECT, 1),
        on(FLUSH, 0),
    ];
    let mut seeds = vec![everything.concat()];
    // A subscriber that reads a long backlog a page at a time while pushes
    // come in.
    let mut paging = vec![on(CONNECT, 0), on(CONNECT, 1), auth(0, 0, 0), auth(1, 1, 0)];
    paging.extend((1..=6).map(|n| push(1, a, n)));
    paging.extend([on(FLUSH, 0), sub(0, a, 0), push(1, a, 7), on(FLUSH, 0)]);
    paging.extend([on(DRAINED, 0), push(1, a, 8), on(DRAINED, 0), on(FLUSH, 0)]);
    seeds.push(paging.concat());
    everything.truncate(10);
    seeds.push(everything.concat());
    // Strangers and wrong answers: nothing before an answer, every kind of
    // wrong answer, a retired device, a fourth connection past the cap.
    let mut refused = vec![on(CONNECT, 0), on(CONNECT, 1), on(CONNECT, 2), sub(0, a, 0), push(0, a, 1)];
    refused.extend((1..=4).map(|how| auth(0, 1, how)));
    refused.extend([auth(1, 5, 0), auth(2, 4, 0), on(FLUSH, 0), sub(1, a, 0), on(CONNECT, 3)]);
    refused.extend([f(3, ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })), auth(3, 0, 0), sub(3, a, 0)]);
    refused.extend([on(DISCONNECT, 0), on(DISCONNECT, 3), on(CONNECT, 3), auth(3, 2, 0), sub(3, b, 0)]);
    seeds.push(refused.concat());
    // Who may do what changes while devices sync: an enrolment proven on
    // at once, an admission, documents taken away, a retirement, statements
    // altered, a commit that fails and takes its statement back, a second
    // network, and one named like the first one's document.
    let membership = [
        on(CONNECT, 0),
        on(CONNECT, 1),
        on(CONNECT, 2),
        auth(0, 2, 0),
        sub(0, a, 0),
        sub(0, b, 0),
        auth(1, 1, 0),
        sub(1, a, 0),
        f(
            1,
            ClientFrame::Subscribe(Subscribe {
                addr: membership_addr(NET),
                since: Seq(0),
                snapshot: true,
                generation: Generation::NONE,
                at: None,
            }),
        ),
        statement(2, 7, 0),
        auth(2, 11, 0),
        sub(2, a, 0),
        on(FLUSH, 0),
        push(2, a, 1),
        statement(2, 8, 0),
        statement(2, 4, 0),
        push(1, a, 2),
        statement(2, 1, 0),
        push(2, a, 3),
        on(FLUSH, 0),
        statement(1, 0, 2),
        statement(1, 0, 3),
        statement(1, 0, 4),
        statement(1, 0, 5),
        statement(1, 0, 6),
        on(FLUSH, 0),
        on(STORE_FAILS, 0),
        statement(1, 0, 0),
        auth(1, 6, 0),
        sub(1, b, 0),
        on(STORE_FAILS, 0),
        statement(1, 0, 1),
        auth(1, 6, 0),
        sub(1, b, 0),
        on(FLUSH, 0),
        statement(0, 10, 0),
        statement(0, 11, 0),
        statement(0, 12, 0),
        statement(0, 17, 0),
        auth(0, 20, 0),
        sub(0, addr(5, 0), 0),
        on(FLUSH, 0),
        statement(2, 20, 0),
        auth(2, 30, 0),
        sub(2, a, 0),
        on(FLUSH, 0),
    ];
    seeds.push(membership.concat());
    // A device past its frame budget, refilled as time passes; a disk that
    // is nearly full.
    let mut budget = vec![on(CONNECT, 0), auth(0, 1, 0), sub(0, a, 0)];
    budget.extend((1..=14).map(|n| push(0, a, n)));
    budget.extend([record(FLUSH, &[20]), push(0, a, 15), push(0, a, 16), record(STORE_FAILS, &[1])]);
    budget.extend([push(0, a, 17), record(STORE_FAILS, &[1]), push(0, a, 17), on(FLUSH, 0)]);
    seeds.push(budget.concat());
    let rules: Vec<Vec<u8>> = (0..network::session_statements().len() as u8)
        .map(|which| statement(0, which, 0))
        .chain([on(CONNECT, 0)])
        .collect();
    seeds.push([vec![on(CONNECT, 0)], rules].concat().concat());
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
    let snapshot =
        RelayFrame::Snapshot(Snapshot { addr: a, covers: Seq(6), key_id: KeyId(1), sealed: remote_save(), at: None });
    let error = |code, bundle_id| {
        raw(RelayFrame::Error(ErrorReply { code, addr: Some(a), bundle_id, message: "relay says no".into() }))
    };
    let session = [
        record(CONNECTED, &[]),
        raw(RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 1024, challenge: [0x33; 32] })),
        raw(RelayFrame::Authenticated(Authenticated { network: NET, role: Role::Mentor })),
        bundle(1, &chunks[0]),
        record(PERSISTED, &[]),
        bundle(3, &chunks[2]),
        bundle(2, &chunks[1]),
        record(PERSISTED, &[]),
        record(PERSISTED, &[]),
        raw(RelayFrame::CaughtUp(CaughtUp { addr: a, head: Seq(3), snapshot: Seq(0), generation: Generation::NONE })),
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
    let mut seeds = vec![session.concat(), session[..13].concat()];
    // Statements handed over and answered (stored, not yet, refused), then
    // the device refused, retired, and welcomed again.
    let (net, statements) = (membership_addr(NET), network::session_statements());
    let statement_error = |code, which: usize| {
        raw(RelayFrame::Error(ErrorReply {
            code,
            addr: Some(net),
            bundle_id: Some(statements[which].1.id()),
            message: "no".into(),
        }))
    };
    let refusal = |code| raw(RelayFrame::Error(ErrorReply { code, addr: None, bundle_id: None, message: "no".into() }));
    // Statement `which` of the network's log at `seq` (see `device_op::SEALED`).
    let membership_bundle = |seq: u64, which: u8| {
        let b =
            Bundle { addr: net, seq: Seq(seq), bundle_id: BundleId([0; 16]), key_id: KeyId(0), sealed: vec![which] };
        record(SEALED, &RelayFrame::Bundle(b).encode())
    };
    let welcome = raw(RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 1024, challenge: [7; 32] }));
    seeds.push(
        [
            record(STATEMENT, &[7]),
            record(STATEMENT, &[0]),
            record(CONNECTED, &[]),
            welcome.clone(),
            record(STATEMENT, &[1]),
            record(
                SEALED,
                &RelayFrame::Ack(Ack {
                    addr: net,
                    bundle_id: BundleId([0; 16]),
                    seq: Seq(1),
                    generation: Generation::NONE,
                })
                .encode(),
            ),
            statement_error(ErrorCode::Forbidden, 0),
            refusal(ErrorCode::Forbidden),
            record(TICK, &[255]),
            record(TICK, &[255]),
            statement_error(ErrorCode::Refused, 0),
            statement_error(ErrorCode::Refused, 1),
            record(EDIT, b"while refused"),
            record(PERSISTED, &[]),
            welcome.clone(),
            raw(RelayFrame::Authenticated(Authenticated { network: NET, role: Role::Coordinator })),
            membership_bundle(2, 1),
            membership_bundle(1, 0),
            membership_bundle(3, 9),
            raw(RelayFrame::Error(ErrorReply {
                code: ErrorCode::OverQuota,
                addr: Some(a),
                bundle_id: None,
                message: "slow down".into(),
            })),
            bundle(1, &chunks[0]),
            refusal(ErrorCode::Retired),
            bundle(2, &chunks[1]),
            record(PERSISTED, &[]),
            record(DISCONNECTED, &[]),
            record(CONNECTED, &[]),
            refusal(ErrorCode::Unauthenticated),
            welcome,
            raw(RelayFrame::Error(ErrorReply {
                code: ErrorCode::Busy,
                addr: None,
                bundle_id: None,
                message: "busy".into(),
            })),
        ]
        .concat(),
    );
    // A new device that starts from a snapshot, then gets a change with a
    // missing dependency.
    seeds.push(
        [
            record(CONNECTED, &[]),
            raw(RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 1024, challenge: [1; 32] })),
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

/// The bytes of a statement without its signer and signature (what the
/// statement target's SIGN records carry).
fn unsigned(signed: &Signed) -> Vec<u8> {
    let bytes = signed.encode();
    // The signer's 32 bytes, the signature's length (64: one byte) and the signature.
    bytes[..bytes.len() - 97].to_vec()
}

/// Sessions for `targets::statement`: every kind of statement as pushed,
/// one at a time and in order; the same signed afresh from its bytes; and
/// an invitation followed by its enrolment, signed from bytes.
pub fn statements() -> Vec<Vec<u8>> {
    use statement_op::*;
    let every = network::every_statement();
    let signer = |s: &Signed| (0..=40u8).find(|n| k(u64::from(*n)).id() == s.signer).expect("a network key");
    let sign = |s: &Signed| record(SIGN, &[[signer(s)].as_slice(), &unsigned(s)].concat());
    let mut seeds: Vec<Vec<u8>> = every.iter().map(|s| record(RAW, &s.encode())).collect();
    seeds.push(every.iter().map(|s| record(RAW, &s.encode())).collect::<Vec<_>>().concat());
    seeds.push(every.iter().map(sign).collect::<Vec<_>>().concat());
    let restored = network::restored_log();
    seeds.push([record(RAW, &restored[0].encode()), sign(&restored[6]), sign(&every[3])].concat());
    seeds
}
