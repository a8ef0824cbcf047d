//! The report's XLSX files, written in a worker of their own
//! (`lotse-xlsx-writer`, `lotse-xlsx`): the writer is a fifth of the
//! engine's bytes and only a coordinator's export needs it, so neither the
//! page nor the engine links it, and a device fetches it on its first
//! export (the service worker keeps it from then on; see `public/sw.js`).
//!
//! The page posts the workbook (postcard) once the worker says it listens
//! (a message posted before would be lost while its wasm loads); the worker
//! answers with the file's bytes, or with why it could not write them as a
//! string.

pub mod worker;
