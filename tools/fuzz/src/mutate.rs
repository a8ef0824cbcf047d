//! New inputs: corpus entries mutated (bit flips, interesting bytes,
//! truncation, splicing, varint and length-field tweaks, a new frame type),
//! and fresh ones built from random bytes with `arbitrary` (whole frames
//! and sessions of them, so a run gets past the decoders into the state
//! machines without a corpus).

use arbitrary::{Arbitrary, Result, Unstructured};
use lotse_sync::membership::{AgreementKey, DeviceId, Grant, Role, Statement};
use lotse_sync::wire::{
    Ack, Auth, Authenticated, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, Hello, Push, PutSnapshot,
    RelayFrame, Snapshot, SnapshotStored, Subscribe, Unsubscribe, Welcome, PROTOCOL_VERSION,
};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};

use crate::network::{self, k, NET, NET2};
use crate::targets::{device_op, relay_op, statement_op, DOC, OTHER_DOC};

/// SplitMix64: small, fast, and the same sequence for the same seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }

    /// A length in `0..=max`, most of them short.
    fn len(&mut self, max: usize) -> usize {
        let cap = [8, 64, 512, max][self.below(4)].min(max);
        self.below(cap + 1)
    }
}

const INTERESTING: [u8; 8] = [0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xfe, 0xff];
const TAGS: [u8; 15] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x8f, 0x00];

/// `v` as a postcard varint.
fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn interesting_varint(rng: &mut Rng, input_len: usize) -> Vec<u8> {
    match rng.below(9) {
        0 => varint(0),
        1 => varint(127),
        2 => varint(128),
        3 => varint(u64::from(u32::MAX)),
        4 => varint(u64::MAX),
        5 => varint(input_len as u64 + rng.below(3) as u64),
        6 => vec![0x80; 1 + rng.below(12)],
        7 => vec![0xff; 10],
        _ => [0x80, 0x80, 0x00].to_vec(),
    }
}

/// One to five stacked changes of `input`, kept within `max_len` bytes.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, pool: &[Vec<u8>], max_len: usize) {
    for _ in 0..1 + rng.below(5) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(12) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => input[at.min(len - 1)] = INTERESTING[rng.below(INTERESTING.len())],
            2 if len > 0 => {
                let i = at.min(len - 1);
                input[i] = input[i].wrapping_add(rng.below(33) as u8).wrapping_sub(16);
            }
            3 => {
                let n = 1 + rng.below(8);
                let bytes = rng.bytes(n);
                input.splice(at..at, bytes);
            }
            4 if len > 0 => {
                let end = (at + 1 + rng.below(16)).min(len);
                input.drain(at.min(len - 1)..end);
            }
            5 => input.truncate(at),
            6 if len > 0 => {
                let from = rng.below(len);
                let to = (from + 1 + rng.below(32)).min(len);
                let piece = input[from..to].to_vec();
                input.splice(at..at, piece);
            }
            7 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(64)).min(other.len());
                input.splice(at..at, other[from..to].iter().copied());
            }
            8 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                let from = rng.below(other.len() + 1);
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
            9 => {
                let v = interesting_varint(rng, len.saturating_sub(at));
                let end = (at + 1 + rng.below(2)).min(len);
                input.splice(at..end, v);
            }
            10 if len > 0 => {
                // A length field that claims the rest, or a little more or less.
                let i = at.min(len - 1);
                let claim = (len - i - 1) as i64 + rng.below(5) as i64 - 2;
                input[i] = claim.clamp(0, 255) as u8;
            }
            11 if len > 0 => input[0] = TAGS[rng.below(TAGS.len())],
            _ => input.push(rng.next_u64() as u8),
        }
    }
    input.truncate(max_len);
}

/// A fresh input for `target`: raw random bytes, or (for the frame and
/// session targets) whole frames built from random bytes with `arbitrary`.
pub fn fresh(rng: &mut Rng, target: &str, max_len: usize) -> Vec<u8> {
    let raw_len = rng.len(max_len);
    let raw = rng.bytes(raw_len);
    if rng.below(4) == 0 {
        return raw;
    }
    let entropy = rng.bytes(1024);
    let mut u = Unstructured::new(&entropy);
    let built = match target {
        "client_frame" => client_frame(&mut u).map(|f| f.encode()),
        "relay_frame" => relay_frame(&mut u, false).map(|f| f.encode()),
        "relay_session" => relay_session(&mut u),
        "device_session" => device_session(&mut u),
        "statement" => statement_session(&mut u),
        _ => Ok(raw.clone()),
    };
    let mut input = built.unwrap_or(raw);
    input.truncate(max_len);
    input
}

/// An address the session targets use, mostly: their document, another,
/// another epoch, a network's membership; sometimes any.
fn addr(u: &mut Unstructured<'_>) -> Result<DocAddr> {
    Ok(match u.int_in_range(0..=8u8)? {
        0..=3 => DocAddr { doc: DocumentId([DOC; 16]), epoch: Epoch(0) },
        4 | 5 => DocAddr { doc: DocumentId([OTHER_DOC; 16]), epoch: Epoch(0) },
        6 => DocAddr { doc: DocumentId([DOC; 16]), epoch: Epoch(1) },
        7 => lotse_sync::membership::membership_addr(*u.choose(&[NET, NET2])?),
        _ => DocAddr { doc: DocumentId(u.arbitrary()?), epoch: Epoch(u.arbitrary()?) },
    })
}

/// A network id the sessions know, mostly.
fn network_id(u: &mut Unstructured<'_>) -> Result<DocumentId> {
    Ok(if u.ratio(7, 8)? { *u.choose(&[NET, NET2, DocumentId([DOC; 16])])? } else { DocumentId(u.arbitrary()?) })
}

/// A device the sessions know (a network key), mostly.
fn device(u: &mut Unstructured<'_>) -> Result<DeviceId> {
    Ok(if u.ratio(7, 8)? { k(u.int_in_range(0..=40)?).id() } else { DeviceId(u.arbitrary()?) })
}

fn documents(u: &mut Unstructured<'_>) -> Result<Vec<DocumentId>> {
    let n = u.int_in_range(0..=3)?;
    (0..n)
        .map(|_| Ok(DocumentId(if u.ratio(7, 8)? { [u.int_in_range(1..=10)?; 16] } else { u.arbitrary()? })))
        .collect()
}

fn role(u: &mut Unstructured<'_>) -> Result<Role> {
    Ok(if u.arbitrary()? { Role::Coordinator } else { Role::Mentor })
}

/// Any statement, about the sessions' keys and documents mostly.
pub(crate) fn statement(u: &mut Unstructured<'_>) -> Result<Statement> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => Statement::Found { founder: device(u)?, docs: documents(u)?, agreement: agreement(u)?, keys: grants(u)? },
        1 => Statement::Docs { add: documents(u)?, keys: grants(u)? },
        2 => Statement::Invite {
            invite: device(u)?,
            role: role(u)?,
            docs: documents(u)?,
            expires: if u.arbitrary()? { network::NOW + u.int_in_range(0..=2)? - 1 } else { u.arbitrary()? },
        },
        3 => Statement::Enrol { device: device(u)?, invite: device(u)?, agreement: agreement(u)? },
        4 => Statement::Admit { device: device(u)?, role: role(u)?, docs: documents(u)? },
        5 => Statement::Retire { device: device(u)? },
        6 => Statement::Keys { device: device(u)?, grants: grants(u)?, sealed: sealed(u)? },
        7 => Statement::Rotate { grant: grant(u)?, to: wrapped(u)? },
        8 => Statement::Rewrite {
            grant: grant(u)?,
            to: wrapped(u)?,
            base: Seq(u.arbitrary()?),
            heads: u.arbitrary()?,
            deadline: if u.arbitrary()? { network::NOW + u.int_in_range(0..=2)? - 1 } else { u.arbitrary()? },
        },
        _ => Statement::Moved { addr: grant(u)?.addr },
    })
}

fn grant(u: &mut Unstructured<'_>) -> Result<Grant> {
    let fallback =
        Grant { addr: DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(u.int_in_range(0..=2)?) }, key: key_id(u)? };
    Ok(grants(u)?.first().copied().unwrap_or(fallback))
}

fn wrapped(u: &mut Unstructured<'_>) -> Result<Vec<lotse_sync::membership::Wrapped>> {
    (0..u.int_in_range(0..=2)?)
        .map(|_| Ok(lotse_sync::membership::Wrapped { device: device(u)?, sealed: sealed(u)? }))
        .collect()
}

fn agreement(u: &mut Unstructured<'_>) -> Result<AgreementKey> {
    Ok(AgreementKey(u.arbitrary()?))
}

/// Keys named for the sessions' documents mostly, at epoch 0 mostly.
fn grants(u: &mut Unstructured<'_>) -> Result<Vec<Grant>> {
    let n = u.int_in_range(0..=2)?;
    (0..n)
        .map(|_| {
            let doc = documents(u)?.first().copied().unwrap_or(DocumentId([1; 16]));
            let epoch = Epoch(if u.ratio(7, 8)? { 0 } else { u.arbitrary()? });
            Ok(Grant { addr: DocAddr { doc, epoch }, key: key_id(u)? })
        })
        .collect()
}

/// A seq near the start of a log, mostly.
fn seq(u: &mut Unstructured<'_>) -> Result<Seq> {
    Ok(Seq(if u.ratio(7, 8)? { u.int_in_range(0..=12)? } else { u.arbitrary()? }))
}

fn bundle_id(u: &mut Unstructured<'_>) -> Result<BundleId> {
    Ok(BundleId(if u.ratio(7, 8)? { [u.int_in_range(0..=7)?; 16] } else { u.arbitrary()? }))
}

fn key_id(u: &mut Unstructured<'_>) -> Result<KeyId> {
    Ok(KeyId(if u.ratio(7, 8)? { 1 } else { u.arbitrary()? }))
}

fn sealed(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let len = u.int_in_range(0..=96usize)?;
    Ok(u.bytes(len)?.to_vec())
}

pub fn client_frame(u: &mut Unstructured<'_>) -> Result<ClientFrame> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => ClientFrame::Hello(Hello { version: if u.ratio(3, 4)? { PROTOCOL_VERSION } else { u.arbitrary()? } }),
        1 => ClientFrame::Subscribe(Subscribe {
            addr: addr(u)?,
            since: seq(u)?,
            snapshot: u.arbitrary()?,
            generation: lotse_sync::Generation::NONE,
            at: if u.arbitrary()? { Some(bundle_id(u)?) } else { None },
        }),
        2 => {
            ClientFrame::Push(Push { addr: addr(u)?, bundle_id: bundle_id(u)?, key_id: key_id(u)?, sealed: sealed(u)? })
        }
        3 => ClientFrame::PutSnapshot(PutSnapshot {
            addr: addr(u)?,
            covers: seq(u)?,
            key_id: key_id(u)?,
            sealed: sealed(u)?,
        }),
        4 => ClientFrame::Unsubscribe(Unsubscribe { addr: addr(u)? }),
        5 => {
            // A signed statement of the sessions' network, as a device pushes it.
            let n = u.int_in_range(0..=40)?;
            let network = network_id(u)?;
            let signed = k(n).sign(network, statement(u)?);
            ClientFrame::Push(Push {
                addr: lotse_sync::membership::membership_addr(network),
                bundle_id: if u.ratio(7, 8)? { signed.id() } else { bundle_id(u)? },
                key_id: KeyId(0),
                sealed: signed.encode(),
            })
        }
        _ => {
            // An answer to a challenge nobody knows here: right in form only.
            let len = if u.ratio(7, 8)? { 64 } else { u.int_in_range(0..=80)? };
            ClientFrame::Auth(Auth { network: network_id(u)?, device: device(u)?, signature: u.bytes(len)?.to_vec() })
        }
    })
}

/// `for_device`: bundles and snapshots more often, as a relay sends them.
pub fn relay_frame(u: &mut Unstructured<'_>, for_device: bool) -> Result<RelayFrame> {
    let pick = if for_device && u.ratio(1, 2)? { u.int_in_range(2..=3u8)? } else { u.int_in_range(0..=7u8)? };
    Ok(match pick {
        0 => RelayFrame::Welcome(Welcome {
            version: if u.ratio(3, 4)? { PROTOCOL_VERSION } else { u.arbitrary()? },
            max_frame: u.arbitrary()?,
            challenge: u.arbitrary()?,
        }),
        7 => RelayFrame::Authenticated(Authenticated { network: network_id(u)?, role: role(u)? }),
        1 => RelayFrame::Ack(Ack {
            addr: addr(u)?,
            bundle_id: bundle_id(u)?,
            seq: seq(u)?,
            generation: lotse_sync::Generation(u.arbitrary()?),
        }),
        2 => RelayFrame::Bundle(Bundle {
            addr: addr(u)?,
            seq: seq(u)?,
            bundle_id: bundle_id(u)?,
            key_id: key_id(u)?,
            sealed: sealed(u)?,
        }),
        3 => RelayFrame::Snapshot(Snapshot {
            addr: addr(u)?,
            covers: seq(u)?,
            key_id: key_id(u)?,
            sealed: sealed(u)?,
            at: if u.arbitrary()? { Some(bundle_id(u)?) } else { None },
        }),
        4 => RelayFrame::CaughtUp(CaughtUp {
            addr: addr(u)?,
            head: seq(u)?,
            snapshot: seq(u)?,
            generation: lotse_sync::Generation(u.arbitrary()?),
        }),
        5 => RelayFrame::SnapshotStored(SnapshotStored { addr: addr(u)?, covers: seq(u)? }),
        _ => RelayFrame::Error(ErrorReply {
            code: *u.choose(&ErrorCode::ALL)?,
            addr: if u.ratio(3, 4)? { Some(addr(u)?) } else { None },
            bundle_id: if u.arbitrary()? { Some(bundle_id(u)?) } else { None },
            message: String::arbitrary(u)?,
        }),
    })
}

/// Up to eight raw bytes.
fn short<'a>(u: &mut Unstructured<'a>) -> Result<&'a [u8]> {
    let len = u.int_in_range(0..=8)?;
    u.bytes(len)
}

fn record(out: &mut Vec<u8>, op: u8, bytes: &[u8]) {
    out.push(op);
    out.extend((bytes.len() as u16).to_le_bytes());
    out.extend(bytes);
}

/// Records for `targets::relay_session`: mostly well-formed frames.
pub fn relay_session(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for conn in 0..4u8 {
        record(&mut out, relay_op::CONNECT | conn << 4, &[]);
    }
    while !u.is_empty() && out.len() < 2048 {
        let conn = u.int_in_range(0..=3u8)? << 4;
        match u.int_in_range(0..=20u8)? {
            0..=9 => record(&mut out, relay_op::FRAME | conn, &client_frame(u)?.encode()),
            10 => record(&mut out, relay_op::FLUSH, &[]),
            11 => record(&mut out, relay_op::DRAINED | conn, &[]),
            12 => record(&mut out, relay_op::DISCONNECT | conn, &[]),
            13 => record(&mut out, relay_op::CONNECT | conn, &[]),
            14..=16 => {
                // Mostly right answers, so that the documents' paths are reached.
                let how = if u.ratio(3, 4)? { 0 } else { u.arbitrary()? };
                record(&mut out, relay_op::AUTH | conn, &[u.arbitrary()?, how, u.arbitrary()?]);
            }
            17 | 18 => {
                let how = if u.ratio(2, 3)? { 0 } else { u.arbitrary()? };
                record(&mut out, relay_op::STATEMENT | conn, &[u.arbitrary()?, how, u.arbitrary()?, u.arbitrary()?]);
            }
            19 => record(&mut out, relay_op::STORE_FAILS, &[]),
            _ => record(&mut out, relay_op::FRAME | conn, short(u)?),
        }
    }
    Ok(out)
}

/// Records for `targets::device_session`: a relay's frames, some of them
/// sealed with the key, between writes that succeed or fail.
pub fn device_session(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    record(&mut out, device_op::CONNECTED, &[]);
    if u.ratio(3, 4)? {
        let welcome = Welcome { version: PROTOCOL_VERSION, max_frame: 1 << 20, challenge: u.arbitrary()? };
        record(&mut out, device_op::RECEIVED, &RelayFrame::Welcome(welcome).encode());
    }
    while !u.is_empty() && out.len() < 2048 {
        match u.int_in_range(0..=16u8)? {
            16 => record(&mut out, device_op::STATEMENT, &[u.arbitrary()?]),
            0..=2 => record(&mut out, device_op::RECEIVED, &relay_frame(u, true)?.encode()),
            3..=5 => record(&mut out, device_op::SEALED, &relay_frame(u, true)?.encode()),
            6..=8 => record(&mut out, device_op::PERSISTED, &[]),
            9 => record(&mut out, device_op::PERSIST_FAILED, &[]),
            10 => record(&mut out, device_op::TICK, &[u.arbitrary()?]),
            11 => record(&mut out, device_op::EDIT, short(u)?),
            12 => record(&mut out, device_op::ACK_OWN, &[u.int_in_range(0..=12)?]),
            13 => record(&mut out, device_op::DISCONNECTED, &[]),
            14 => record(&mut out, device_op::CONNECTED, &[]),
            _ => record(&mut out, device_op::RECEIVED, short(u)?),
        }
    }
    Ok(out)
}

/// Records for `targets::statement`: statements signed from their bytes,
/// now and then one as pushed (signed, then a byte of it altered).
pub fn statement_session(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    while !u.is_empty() && out.len() < 1024 {
        let key: u8 = u.int_in_range(0..=40)?;
        let signed = k(u64::from(key)).sign(NET, statement(u)?);
        let bytes = signed.encode();
        if u.ratio(3, 4)? {
            let unsigned = &bytes[..bytes.len() - 97];
            record(&mut out, statement_op::SIGN, &[[key].as_slice(), unsigned].concat());
        } else {
            let mut bytes = bytes;
            if u.arbitrary()? {
                let at = u.choose_index(bytes.len())?;
                bytes[at] ^= u.arbitrary::<u8>()?.max(1);
            }
            record(&mut out, statement_op::RAW, &bytes);
        }
    }
    Ok(out)
}
