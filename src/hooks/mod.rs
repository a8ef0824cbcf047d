//! IO at the edge: the document store, the relay connection, timers,
//! browser events. Components call `use_*` and read signals.

pub mod pwa;
pub mod sync;

pub use sync::{use_engine, Engine, SyncState};
