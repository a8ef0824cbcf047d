//! The engine: everything that holds Automerge documents, in a Web Worker
//! of its own (the `lotse-engine` binary), so the page's binary carries no
//! Automerge and the page's thread never loads a document.
//!
//! - [`core`]: the [`core::Engine`] — the sync core, the effects queue
//!   against IndexedDB, the WebSocket, other tabs' writes;
//! - [`worker`]: the worker's event loop and what it sends the page;
//! - [`protocol`]: the messages between page and worker (also used by the
//!   page's side, `hooks::engine`);
//! - [`identity`]: the device's signing key, kept in IndexedDB under a
//!   non-extractable WebCrypto key;
//! - [`qr`]: a join link drawn as a QR code (SVG), so the page's binary
//!   links no QR encoder;
//! - `scope`: the worker's timers and events.
//!
//! Only `protocol` may be reached from the page's code: everything else
//! links Automerge.

pub mod core;
pub mod identity;
pub mod moves;
pub mod protocol;
pub mod qr;
mod scope;
pub mod worker;
