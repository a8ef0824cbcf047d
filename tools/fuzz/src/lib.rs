//! Fuzz targets for every decoder a stranger can reach, and a stable fuzz
//! loop that drives them (`cargo xtask fuzz`).
//!
//! A target is a function of arbitrary bytes that must never panic, abort,
//! hang or allocate without bound: garbage gets a typed error. Each also
//! checks what must hold of what it accepted (a decoded frame encodes back
//! to itself, a sealed blob altered anywhere does not open, the relay's
//! store stays contiguous, …); a broken check is a panic, so a finding.
//!
//! The corpus lives in the repository, `fuzz/corpus/<target>/`: valid
//! encodings of every message (`seed-*`, written by `lotse-fuzz seed`) and
//! every finding (`crash-*`, `slow-*`), kept as regression tests; `kept-*`
//! are inputs worth keeping (`kept-open-*`: one that reached a finding in
//! `lotse-sync`, fixed since, see `targets::OpenFinding`). The normal
//! test run replays every file through every target (`tests/corpus.rs`).
//! The same targets run under cargo-fuzz (`fuzz/fuzz_targets/`) where a
//! nightly toolchain is installed.

use std::path::{Path, PathBuf};

pub mod mutate;
mod network;
pub mod run;
pub mod seeds;
mod targets;

/// What a target made of an input: a label per path taken, which the loop
/// uses as a cheap stand-in for coverage (an input that reaches a label not
/// seen before is kept and mutated further).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The input was taken as what it claims to be.
    Accepted(String),
    /// The input was refused with a typed error (named in the label).
    Refused(String),
}

impl Outcome {
    pub fn label(&self) -> &str {
        match self {
            Outcome::Accepted(l) | Outcome::Refused(l) => l,
        }
    }
}

/// One fuzz target.
pub struct Target {
    pub name: &'static str,
    pub about: &'static str,
    /// Runs one input; panics on a finding.
    pub run: fn(&[u8]) -> Outcome,
    /// Valid inputs: every message kind the target decodes, well formed.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// The longest input the loop makes for it.
    pub max_len: usize,
}

/// Every target, in the order the loop runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "client_frame",
        about: "a frame a device sends, as the relay decodes it (type byte + postcard body)",
        run: targets::client_frame,
        seeds: seeds::client_frames,
        max_len: 512,
    },
    Target {
        name: "relay_frame",
        about: "a frame the relay sends, as a device decodes it",
        run: targets::relay_frame,
        seeds: seeds::relay_frames,
        max_len: 512,
    },
    Target {
        name: "envelope",
        about: "a sealed blob opened with the community key: forged, or sealed and then altered",
        run: targets::envelope,
        seeds: seeds::envelope,
        max_len: 512,
    },
    Target {
        name: "statement",
        about: "membership statements, as pushed or signed from mutated bytes, applied to a network's membership",
        run: targets::statement,
        seeds: seeds::statements,
        max_len: 2 * 1024,
    },
    Target {
        name: "device_opens",
        about: "the plaintext of a bundle and of a snapshot, as a device applies it to its document",
        run: targets::device_opens,
        seeds: seeds::automerge_chunks,
        max_len: 8 * 1024,
    },
    Target {
        name: "device_session",
        about: "a device's state machine under a hostile relay: any frames, in any order, with its writes failing",
        run: targets::device_session,
        seeds: seeds::device_sessions,
        max_len: 4 * 1024,
    },
    Target {
        name: "relay_session",
        about: "the relay's state machine and store under frames from several connections",
        run: targets::relay_session,
        seeds: seeds::relay_sessions,
        max_len: 4 * 1024,
    },
];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// `fuzz/corpus` of this repository.
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

pub fn corpus_dir(target: &Target) -> PathBuf {
    corpus_root().join(target.name)
}

/// Every file of a corpus directory, sorted by name (none if it is missing).
pub fn read_corpus(dir: &Path) -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            let bytes = std::fs::read(&path)?;
            files.push((path, bytes));
        }
    }
    files.sort();
    Ok(files)
}

/// A corpus file's name: what it is, and a hash of its bytes (so the same
/// input is kept once).
pub fn file_name(prefix: &str, bytes: &[u8]) -> String {
    // FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{prefix}-{hash:016x}")
}
