//! Lotse's sync protocol, sans-IO.
//!
//! Each document lives at the relay as an append-only log of sealed
//! (encrypted) bundles of Automerge changes, numbered by sequence. Devices
//! push their changes as bundles, subscribe from the last sequence number they
//! applied, and may upload a sealed snapshot that covers the log up to a
//! sequence number. The relay only ever sees ciphertext.
//!
//! The state machines here take events (with the time passed in) and return
//! effects; sockets, timers and storage belong to the callers. The exact wire
//! format is in `docs/protocol.md`.

pub mod ids;
pub mod membership;
pub mod relay;
pub mod wire;

#[cfg(feature = "client")]
pub mod chunks;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod envelope;
#[cfg(feature = "client")]
pub mod grant;
#[cfg(feature = "client")]
pub mod lock;

pub use ids::{BundleId, DocAddr, DocumentId, Epoch, Generation, IdParseError, KeyId, Seq};

/// Milliseconds on a clock the caller owns (monotonic enough for timers).
pub type Millis = u64;

/// Randomness, passed in so that the state machines stay deterministic
/// under simulation.
pub trait Entropy {
    fn fill(&mut self, buf: &mut [u8]);
}
