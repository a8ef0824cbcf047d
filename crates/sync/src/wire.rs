//! The wire format: one WebSocket binary message is one frame,
//! `[type: u8][body: postcard]`. See `docs/protocol.md` for the bytes.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::ids::{BundleId, DocAddr, DocumentId, Generation, KeyId, Seq};
use crate::membership::{DeviceId, Role};

/// Version 2 binds a bundle's id and a snapshot's `covers` into the
/// envelope's associated data, names the bundle id in `Bundle`, and lets a
/// device subscribe to the log without the snapshot. Version 3 admits only
/// enrolled devices: the relay's `Welcome` carries a challenge, the device
/// answers it with `Auth`, and every log but a membership log needs it.
/// Version 4 hands document keys to devices sealed to them. Version 5
/// signs every bundle and snapshot by the device that made it, inside the
/// envelope. Version 6 rotates a document's key when a device is retired
/// (the `Rotate` statement, keyrings). Version 7 names each log's
/// generation in `Subscribe`, `CaughtUp` and `Ack`, so a device notices a
/// relay restored from an old backup. Version 8 names in `Subscribe` the
/// bundle the device holds at `since` (and in `Snapshot` the bundle the log
/// holds at `covers`), so a restored log that grew back past a cursor is
/// noticed without the operator renewing its generation. Version 9 moves
/// a document into a new epoch on erasure (`Rewrite`, `Moved`) and
/// deletes the old epoch's log at the relay (`Moved`, `LeftBehind`).
pub const PROTOCOL_VERSION: u32 = 9;

/// Device → relay: "I speak this version".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
}

/// Device → relay: the answer to `Welcome::challenge`, signed with the
/// device's key (see `membership::auth_message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auth {
    pub network: DocumentId,
    pub device: DeviceId,
    /// 64 bytes of Ed25519.
    #[serde(with = "byte_run")]
    pub signature: Vec<u8>,
}

/// Device → relay: send me the log after `since`, then every new bundle live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscribe {
    pub addr: DocAddr,
    pub since: Seq,
    /// Start from the newest snapshot if it covers more than `since`;
    /// `false`: the log only, every bundle after `since` (a device that
    /// refused the snapshot reads the log instead).
    pub snapshot: bool,
    /// The generation of the log `since` was read in ([`Generation::NONE`]
    /// if not known): the relay answers `CursorAhead` if the log now has
    /// another one.
    pub generation: Generation,
    /// The id of the bundle the log held at `since`, as the device read it
    /// (`None` at 0, or if it does not know): the relay answers
    /// `CursorAhead` and renews the generation if it holds another one
    /// there (a log restored from a backup that grew back past `since`).
    pub at: Option<BundleId>,
}

/// Device → relay: append this sealed bundle (idempotent by `bundle_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Push {
    pub addr: DocAddr,
    pub bundle_id: BundleId,
    pub key_id: KeyId,
    #[serde(with = "byte_run")]
    pub sealed: Vec<u8>,
}

/// Device → relay: a sealed snapshot equal to the log up to `covers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutSnapshot {
    pub addr: DocAddr,
    pub covers: Seq,
    pub key_id: KeyId,
    #[serde(with = "byte_run")]
    pub sealed: Vec<u8>,
}

/// Device → relay: stop sending this log live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscribe {
    pub addr: DocAddr,
}

/// Relay → device: greeting, with the largest frame it accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub version: u32,
    pub max_frame: u32,
    /// Fresh for this connection: the device signs it in `Auth`.
    pub challenge: [u8; 32],
}

/// Relay → device: the answer to `Auth` held; the device is a current
/// member of `network` as `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticated {
    pub network: DocumentId,
    pub role: Role,
}

/// Relay → device: the bundle is durable at `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub addr: DocAddr,
    pub bundle_id: BundleId,
    pub seq: Seq,
    /// The log's generation `seq` belongs to (all zeros if the relay could
    /// not read it): a device that drops a bundle from its outbox knows in
    /// which life of the log it was stored, and pushes it again if that
    /// life ends.
    pub generation: Generation,
}

/// Relay → device: one bundle of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    pub addr: DocAddr,
    pub seq: Seq,
    /// The id it was pushed under: bound into its envelope.
    pub bundle_id: BundleId,
    pub key_id: KeyId,
    #[serde(with = "byte_run")]
    pub sealed: Vec<u8>,
}

/// Relay → device: the newest snapshot, sent before the bundles after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub addr: DocAddr,
    pub covers: Seq,
    pub key_id: KeyId,
    #[serde(with = "byte_run")]
    pub sealed: Vec<u8>,
    /// The id of the bundle the log holds at `covers`: the device names it
    /// in its next `Subscribe`, as if it had read that bundle.
    pub at: Option<BundleId>,
}

/// Relay → device: the backlog is sent; the log's head and newest snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtUp {
    pub addr: DocAddr,
    pub head: Seq,
    pub snapshot: Seq,
    /// The log's generation: the device keeps it with its cursor.
    pub generation: Generation,
}

/// Relay → device: the snapshot is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotStored {
    pub addr: DocAddr,
    pub covers: Seq,
}

/// Why the relay refused a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// The frame's body does not parse.
    Malformed,
    /// The type byte is not one this relay knows.
    UnknownType,
    /// The frame is larger than `Welcome::max_frame`.
    TooLarge,
    /// The device speaks another protocol version.
    VersionMismatch,
    /// `Subscribe::since` (or a snapshot's `covers`) lies past the log's
    /// head, or was read in another generation of the log.
    CursorAhead,
    /// The relay could not store the data; try again later.
    StoreFailed,
    /// The frame needs an `Auth` first (or the `Auth` did not verify).
    Unauthenticated,
    /// The device may not use this document, or the network is unknown to
    /// the relay.
    Forbidden,
    /// The device was retired from the network: it is refused for good.
    Retired,
    /// A membership statement does not hold (bad signature, used or expired
    /// invitation, not a coordinator, ...); the message says which.
    Refused,
    /// The relay holds as many connections as it takes; try again later.
    Busy,
    /// The device stored or sent more than the relay allows it.
    OverQuota,
    /// The document moved to a newer epoch (a `Rewrite`): this epoch takes
    /// no push or snapshot, and once deleted no subscribe either.
    Moved,
    /// The device did not move the document to its new epoch before the
    /// rewrite's deadline: it is refused on the document and must enrol
    /// again.
    LeftBehind,
}

impl ErrorCode {
    /// Every code, in the order of their wire numbers.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::Malformed,
        ErrorCode::UnknownType,
        ErrorCode::TooLarge,
        ErrorCode::VersionMismatch,
        ErrorCode::CursorAhead,
        ErrorCode::StoreFailed,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::Retired,
        ErrorCode::Refused,
        ErrorCode::Busy,
        ErrorCode::OverQuota,
        ErrorCode::Moved,
        ErrorCode::LeftBehind,
    ];
}

/// Relay → device: a refusal. The connection stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
    pub code: ErrorCode,
    pub addr: Option<DocAddr>,
    pub bundle_id: Option<BundleId>,
    /// For people reading logs: what went wrong and what to do.
    pub message: String,
}

/// Every frame a device sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    Hello(Hello),
    Subscribe(Subscribe),
    Push(Push),
    PutSnapshot(PutSnapshot),
    Unsubscribe(Unsubscribe),
    Auth(Auth),
}

/// Every frame the relay sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayFrame {
    Welcome(Welcome),
    Ack(Ack),
    Bundle(Bundle),
    Snapshot(Snapshot),
    CaughtUp(CaughtUp),
    SnapshotStored(SnapshotStored),
    Error(ErrorReply),
    Authenticated(Authenticated),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("empty frame")]
    Empty,
    #[error("unknown frame type 0x{0:02x}")]
    UnknownType(u8),
    #[error("frame type 0x{tag:02x} has a malformed body: {reason}")]
    Malformed { tag: u8, reason: String },
}

/// Sealed bytes and signatures as one run: postcard writes their length
/// and then the bytes, exactly as it writes a sequence of `u8`, so the
/// frames are the same; but the bytes are copied at once rather than
/// pushed through serde one by one.
mod byte_run {
    use std::fmt;

    use serde::{de, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_bytes(Run)
    }

    struct Run;

    impl<'de> de::Visitor<'de> for Run {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
            Ok(bytes.to_vec())
        }

        fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(bytes)
        }

        /// Formats without a byte type (JSON) write a sequence.
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(byte) = seq.next_element()? {
                bytes.push(byte);
            }
            Ok(bytes)
        }
    }
}

fn encode<T: Serialize>(tag: u8, body: &T) -> Vec<u8> {
    let mut out = vec![tag];
    // Serialising our own plain structs into a Vec cannot fail.
    out.extend(postcard::to_allocvec(body).expect("postcard into a Vec"));
    out
}

fn body<T: DeserializeOwned>(tag: u8, rest: &[u8]) -> Result<T, WireError> {
    let (value, trailing) =
        postcard::take_from_bytes(rest).map_err(|e| WireError::Malformed { tag, reason: e.to_string() })?;
    if !trailing.is_empty() {
        return Err(WireError::Malformed { tag, reason: format!("{} bytes after the body", trailing.len()) });
    }
    Ok(value)
}

fn split(bytes: &[u8]) -> Result<(u8, &[u8]), WireError> {
    bytes.split_first().map(|(t, r)| (*t, r)).ok_or(WireError::Empty)
}

impl ClientFrame {
    pub fn encode(&self) -> Vec<u8> {
        match self {
            ClientFrame::Hello(b) => encode(0x01, b),
            ClientFrame::Subscribe(b) => encode(0x02, b),
            ClientFrame::Push(b) => encode(0x03, b),
            ClientFrame::PutSnapshot(b) => encode(0x04, b),
            ClientFrame::Unsubscribe(b) => encode(0x05, b),
            ClientFrame::Auth(b) => encode(0x06, b),
        }
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let (tag, rest) = split(bytes)?;
        Ok(match tag {
            0x01 => ClientFrame::Hello(body(tag, rest)?),
            0x02 => ClientFrame::Subscribe(body(tag, rest)?),
            0x03 => ClientFrame::Push(body(tag, rest)?),
            0x04 => ClientFrame::PutSnapshot(body(tag, rest)?),
            0x05 => ClientFrame::Unsubscribe(body(tag, rest)?),
            0x06 => ClientFrame::Auth(body(tag, rest)?),
            other => return Err(WireError::UnknownType(other)),
        })
    }
}

impl RelayFrame {
    pub fn encode(&self) -> Vec<u8> {
        match self {
            RelayFrame::Welcome(b) => encode(0x81, b),
            RelayFrame::Ack(b) => encode(0x82, b),
            RelayFrame::Bundle(b) => encode(0x83, b),
            RelayFrame::Snapshot(b) => encode(0x84, b),
            RelayFrame::CaughtUp(b) => encode(0x85, b),
            RelayFrame::SnapshotStored(b) => encode(0x86, b),
            RelayFrame::Authenticated(b) => encode(0x87, b),
            RelayFrame::Error(b) => encode(0x8f, b),
        }
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let (tag, rest) = split(bytes)?;
        Ok(match tag {
            0x81 => RelayFrame::Welcome(body(tag, rest)?),
            0x82 => RelayFrame::Ack(body(tag, rest)?),
            0x83 => RelayFrame::Bundle(body(tag, rest)?),
            0x84 => RelayFrame::Snapshot(body(tag, rest)?),
            0x85 => RelayFrame::CaughtUp(body(tag, rest)?),
            0x86 => RelayFrame::SnapshotStored(body(tag, rest)?),
            0x87 => RelayFrame::Authenticated(body(tag, rest)?),
            0x8f => RelayFrame::Error(body(tag, rest)?),
            other => return Err(WireError::UnknownType(other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocumentId, Epoch};

    fn addr() -> DocAddr {
        DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(2) }
    }

    #[test]
    fn sealed_bytes_are_written_as_the_sequence_of_bytes_they_always_were() {
        // The push as it was encoded before its bytes went as one run.
        #[derive(Serialize)]
        struct AsSequence {
            addr: DocAddr,
            bundle_id: BundleId,
            key_id: KeyId,
            sealed: Vec<u8>,
        }
        let sealed: Vec<u8> = (0..=255).chain(0..44).collect();
        let push = Push { addr: addr(), bundle_id: BundleId([3; 16]), key_id: KeyId(300), sealed: sealed.clone() };
        let before = AsSequence { addr: addr(), bundle_id: BundleId([3; 16]), key_id: KeyId(300), sealed };
        let frame = ClientFrame::Push(push.clone()).encode();
        assert_eq!(frame, encode(0x03, &before));
        assert_eq!(ClientFrame::decode(&frame).unwrap(), ClientFrame::Push(push));
    }

    #[test]
    fn every_frame_round_trips() {
        let frames = [
            ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }),
            ClientFrame::Subscribe(Subscribe {
                addr: addr(),
                since: Seq(300),
                snapshot: true,
                generation: Generation([5; 16]),
                at: Some(BundleId([8; 16])),
            }),
            ClientFrame::Subscribe(Subscribe {
                addr: addr(),
                since: Seq(300),
                snapshot: false,
                generation: Generation::NONE,
                at: None,
            }),
            ClientFrame::Push(Push {
                addr: addr(),
                bundle_id: BundleId([3; 16]),
                key_id: KeyId(7),
                sealed: vec![1, 2],
            }),
            ClientFrame::PutSnapshot(PutSnapshot { addr: addr(), covers: Seq(9), key_id: KeyId(7), sealed: vec![] }),
            ClientFrame::Unsubscribe(Unsubscribe { addr: addr() }),
            ClientFrame::Auth(Auth { network: DocumentId([4; 16]), device: DeviceId([5; 32]), signature: vec![6; 64] }),
        ];
        for f in frames {
            assert_eq!(ClientFrame::decode(&f.encode()).unwrap(), f);
        }
        let err = RelayFrame::Error(ErrorReply {
            code: ErrorCode::CursorAhead,
            addr: Some(addr()),
            bundle_id: None,
            message: "past the end".into(),
        });
        assert_eq!(RelayFrame::decode(&err.encode()).unwrap(), err);
        let relay = [
            RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: 9, challenge: [3; 32] }),
            RelayFrame::Authenticated(Authenticated { network: DocumentId([4; 16]), role: Role::Mentor }),
            RelayFrame::CaughtUp(CaughtUp {
                addr: addr(),
                head: Seq(9),
                snapshot: Seq(3),
                generation: Generation([6; 16]),
            }),
            RelayFrame::Snapshot(Snapshot {
                addr: addr(),
                covers: Seq(3),
                key_id: KeyId(1),
                sealed: vec![9],
                at: Some(BundleId([2; 16])),
            }),
        ];
        for f in relay {
            assert_eq!(RelayFrame::decode(&f.encode()).unwrap(), f);
        }
        for (n, code) in ErrorCode::ALL.into_iter().enumerate() {
            assert_eq!(postcard::to_allocvec(&code).unwrap(), vec![n as u8], "{code:?} is numbered in order");
        }
    }

    #[test]
    fn the_documented_bytes_of_a_subscribe_hold() {
        // docs/protocol.md gives this example byte for byte.
        let f = ClientFrame::Subscribe(Subscribe {
            addr: addr(),
            since: Seq(300),
            snapshot: true,
            generation: Generation([0x5a; 16]),
            at: Some(BundleId([0x3c; 16])),
        });
        let mut expected = vec![0x02];
        expected.extend([1u8; 16]);
        expected.extend([0x02, 0xac, 0x02, 0x01]);
        expected.extend([0x5a; 16]);
        expected.push(0x01);
        expected.extend([0x3c; 16]);
        assert_eq!(f.encode(), expected);
    }

    #[test]
    fn garbage_is_named_not_panicked_on() {
        assert_eq!(ClientFrame::decode(&[]), Err(WireError::Empty));
        assert_eq!(ClientFrame::decode(&[0x7e, 1, 2]), Err(WireError::UnknownType(0x7e)));
        assert!(matches!(ClientFrame::decode(&[0x03, 0xff]), Err(WireError::Malformed { tag: 0x03, .. })));
        let mut long = ClientFrame::Hello(Hello { version: 1 }).encode();
        long.push(0);
        assert!(matches!(ClientFrame::decode(&long), Err(WireError::Malformed { .. })));
    }
}
