//! Identifiers of the protocol, each its own type.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} {input:?} is not {expected}")]
pub struct IdParseError {
    pub kind: &'static str,
    pub expected: &'static str,
    pub input: String,
}

fn hex_decode<const N: usize>(kind: &'static str, s: &str) -> Result<[u8; N], IdParseError> {
    let err = || IdParseError { kind, expected: "hexadecimal of the right length", input: s.to_owned() };
    if s.len() != N * 2 || !s.is_ascii() {
        return Err(err());
    }
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).map_err(|_| err())?;
    }
    Ok(out)
}

fn hex_fmt(bytes: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// A document, as the relay knows it: 16 random bytes, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentId(pub [u8; 16]);

/// One idempotent push: the relay stores a bundle id once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BundleId(pub [u8; 16]);

macro_rules! hex_id {
    ($name:ident, $kind:literal) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                hex_fmt(&self.0, f)
            }
        }
        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                hex_decode($kind, s).map(Self)
            }
        }
    };
}
hex_id!(DocumentId, "document id");
hex_id!(BundleId, "bundle id");
hex_id!(Generation, "generation");

/// Which life of a log a cursor belongs to: 16 random bytes the relay's
/// store gives a log when its first bundle is stored, and gives it anew
/// when the relay learns the log went back (a device subscribed past its
/// head) or its operator says it was restored from a backup. A cursor of
/// another generation may point into bundles the log no longer has (or
/// has other ones at the same seqs): the device pushes its document again
/// and reads the log from 0. All zeros ([`Generation::NONE`]): not known
/// (an empty log, or a device that has not heard one yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Generation(pub [u8; 16]);

impl Generation {
    /// No generation known.
    pub const NONE: Generation = Generation([0; 16]);

    pub fn is_none(self) -> bool {
        self == Self::NONE
    }

    /// Whether a cursor read under `self` belongs to a log of `other`: yes
    /// unless both are known and differ.
    pub fn matches(self, other: Generation) -> bool {
        self.is_none() || other.is_none() || self == other
    }
}

/// A document is rewritten into a new epoch on erasure; each epoch has its
/// own log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Epoch(pub u32);

/// Position in a document's log. 0 means "nothing yet"; the first bundle is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Seq(pub u64);

impl Seq {
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

/// Which key sealed a bundle, so that keys can rotate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(pub u32);

/// Where a log lives: the document and its epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocAddr {
    pub doc: DocumentId,
    pub epoch: Epoch,
}

impl fmt::Display for DocAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.doc, self.epoch.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_id_round_trips_and_rejects_garbage() {
        let id = DocumentId([0xab; 16]);
        assert_eq!(id.to_string().parse::<DocumentId>().unwrap(), id);
        for bad in ["", "zz", &"a".repeat(31), &"g".repeat(32), &"é".repeat(16)] {
            assert!(bad.parse::<DocumentId>().is_err(), "{bad}");
        }
    }
}
