//! IO at the edge: the document store, the relay connection, timers,
//! browser events, drafts of forms. Components call `use_*` and read signals.

pub mod drafts;
pub mod early;
pub mod engine;
pub mod files;
pub mod lock;
pub mod notebook;
pub mod pwa;
pub mod xlsx;

pub use crate::engine::protocol::{SaveError, SyncState};
pub use drafts::{clear_draft, load_draft, save_draft};
pub use engine::{use_device, use_engine, EngineLink};

/// A mark on the page's performance timeline (`lotse-…`), so a trace or
/// the bench can say where the time of a start goes.
pub(crate) fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The start of a span the bench reads as the performance measure `name`
/// ([`Span::end`]); only the latest of each name is kept, so a long
/// session does not pile them up.
pub(crate) struct Span(&'static str);

impl Span {
    pub(crate) fn start(name: &'static str) -> Span {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            p.clear_marks_with_mark_name(name);
            let _ = p.mark(name);
        }
        Span(name)
    }

    pub(crate) fn end(self) {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            p.clear_measures_with_measure_name(self.0);
            let _ = p.measure_with_start_mark(self.0, self.0);
            p.clear_marks_with_mark_name(self.0);
        }
    }
}

/// Resolves on the next animation frame (after the browser painted).
pub(crate) async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
