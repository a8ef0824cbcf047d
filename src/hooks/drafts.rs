//! Drafts: what a mentor typed into a form and has not saved yet, kept in
//! IndexedDB (`drafts`) so that closing the app mid-form loses nothing.
//!
//! A form loads its draft when it opens ([`load_draft`]), saves it as the
//! mentor types ([`save_draft`], debounced), and clears it once the record
//! is saved or the form is cancelled ([`clear_draft`]): drafts are personal
//! data and must not outlive the form. A draft that no longer parses (the
//! form changed shape in an update) is dropped.
//!
//! Every write goes through one queue, in the order it was asked for, so a
//! clear is never overtaken by an earlier save. A save waiting for its
//! debounce is written at once when the page is hidden or closed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::store::idb::IdbStore;
use crate::store::idb::DB_NAME;
use crate::store::DraftStore;

/// How long typing must pause before a draft is written.
const DEBOUNCE: Duration = Duration::from_millis(300);

enum Op {
    Put(String, String),
    Delete(String),
    Get(String, oneshot::Sender<Option<String>>),
    /// Answers once every earlier operation is done.
    Flushed(oneshot::Sender<()>),
}

struct Drafts {
    ops: mpsc::UnboundedSender<Op>,
    /// Saves waiting for the debounce: form key → JSON.
    waiting: BTreeMap<String, String>,
    timer: Option<TimeoutHandle>,
}

thread_local! {
    static DRAFTS: RefCell<Option<Drafts>> = const { RefCell::new(None) };
}

/// Runs `f` on the drafts queue, starting it on first use.
fn with_drafts<R>(f: impl FnOnce(&mut Drafts) -> R) -> R {
    if DRAFTS.with(|d| d.borrow().is_none()) {
        let (tx, rx) = mpsc::unbounded();
        DRAFTS.with(|d| *d.borrow_mut() = Some(Drafts { ops: tx, waiting: BTreeMap::new(), timer: None }));
        // Not Leptos' spawner: drafts work before (and without) a mounted app.
        wasm_bindgen_futures::spawn_local(run(rx));
        write_when_hidden();
    }
    DRAFTS.with(|d| f(d.borrow_mut().as_mut().expect("started above")))
}

/// Writes the saves waiting for the debounce now.
fn write_waiting() {
    with_drafts(|d| {
        if let Some(t) = d.timer.take() {
            t.clear();
        }
        for (key, json) in std::mem::take(&mut d.waiting) {
            let _ = d.ops.unbounded_send(Op::Put(key, json));
        }
    });
}

/// Writes waiting saves when the page is hidden or closed (a phone may
/// kill the app right after).
fn write_when_hidden() {
    let Some(window) = web_sys::window() else { return };
    let on_hide = Closure::<dyn FnMut()>::new(|| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            write_waiting();
        }
    });
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    if let Some(doc) = window.document() {
        let _ = doc.add_event_listener_with_callback("visibilitychange", on_hide.as_ref().unchecked_ref());
    }
    on_hide.forget(); // as long as the page
}

async fn run(mut ops: mpsc::UnboundedReceiver<Op>) {
    let store = match IdbStore::open(DB_NAME).await {
        Ok(s) => Some(s),
        Err(e) => {
            web_sys::console::warn_1(&format!("drafts are not kept: {e}").into());
            None
        }
    };
    while let Some(op) = ops.next().await {
        let warn = |what: &str, e: crate::store::StoreError| {
            web_sys::console::warn_1(&format!("{what} a draft: {e}").into());
        };
        match (op, &store) {
            (Op::Flushed(done), _) => {
                let _ = done.send(());
            }
            (Op::Get(_, answer), None) => {
                let _ = answer.send(None);
            }
            (_, None) => {}
            (Op::Put(key, json), Some(s)) => {
                if let Err(e) = s.put_draft(&key, &json).await {
                    warn("saving", e);
                }
            }
            (Op::Delete(key), Some(s)) => {
                if let Err(e) = s.delete_draft(&key).await {
                    warn("deleting", e);
                }
            }
            (Op::Get(key, answer), Some(s)) => {
                let found = s.get_draft(&key).await.unwrap_or_else(|e| {
                    warn("reading", e);
                    None
                });
                let _ = answer.send(found);
            }
        }
    }
}

/// The draft of the form `form_key`, if one was kept and still parses as
/// `T`; one that does not is deleted.
pub async fn load_draft<T: DeserializeOwned>(form_key: &str) -> Option<T> {
    let waiting = with_drafts(|d| d.waiting.get(form_key).cloned());
    let json = match waiting {
        Some(json) => json,
        None => {
            let (tx, rx) = oneshot::channel();
            with_drafts(|d| d.ops.unbounded_send(Op::Get(form_key.to_owned(), tx))).ok()?;
            rx.await.ok()??
        }
    };
    match serde_json::from_str(&json) {
        Ok(value) => Some(value),
        Err(e) => {
            web_sys::console::warn_1(&format!("dropped a draft of {form_key} that no longer fits: {e}").into());
            clear_draft(form_key);
            None
        }
    }
}

/// Keeps `value` as the draft of the form `form_key`: written once typing
/// pauses, after every earlier draft operation.
pub fn save_draft<T: Serialize>(form_key: &str, value: &T) {
    let json = match serde_json::to_string(value) {
        Ok(json) => json,
        Err(e) => return web_sys::console::warn_1(&format!("a draft of {form_key} is not JSON: {e}").into()),
    };
    with_drafts(|d| {
        d.waiting.insert(form_key.to_owned(), json);
        if let Some(t) = d.timer.take() {
            t.clear();
        }
        d.timer = set_timeout_with_handle(write_waiting, DEBOUNCE).ok();
    });
}

/// Deletes the draft of the form `form_key` (the record was saved, or the
/// form cancelled), including a save still waiting for the debounce.
pub fn clear_draft(form_key: &str) {
    with_drafts(|d| {
        d.waiting.remove(form_key);
        let _ = d.ops.unbounded_send(Op::Delete(form_key.to_owned()));
    });
}

/// Resolves once every draft save, waiting or queued, is written.
pub async fn flush_drafts() {
    write_waiting();
    let (tx, rx) = oneshot::channel();
    if with_drafts(|d| d.ops.unbounded_send(Op::Flushed(tx))).is_ok() {
        let _ = rx.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Form {
        name: String,
        phone: String,
    }

    fn form(name: &str) -> Form {
        Form { name: name.into(), phone: "+49 541 1".into() }
    }

    async fn stored(key: &str) -> Option<String> {
        IdbStore::open(DB_NAME).await.unwrap().get_draft(key).await.unwrap()
    }

    #[wasm_bindgen_test]
    async fn a_draft_is_kept_the_newest_wins_and_clearing_deletes_it() {
        let key = "test:kept";
        assert_eq!(load_draft::<Form>(key).await, None);
        save_draft(key, &form("Ay"));
        save_draft(key, &form("Ayşe"));
        assert_eq!(load_draft(key).await, Some(form("Ayşe")), "a save waiting for its debounce is seen");
        flush_drafts().await;
        assert_eq!(stored(key).await.as_deref(), Some(r#"{"name":"Ayşe","phone":"+49 541 1"}"#));

        save_draft(key, &form("Ayşe Y"));
        clear_draft(key);
        flush_drafts().await;
        assert_eq!(stored(key).await, None, "a clear is not overtaken by the save before it");
        assert_eq!(load_draft::<Form>(key).await, None);
    }

    #[wasm_bindgen_test]
    async fn a_draft_is_written_once_typing_pauses() {
        let key = "test:debounce";
        save_draft(key, &form("Leyla"));
        assert_eq!(stored(key).await, None, "not yet: the mentor may still be typing");
        sleep(DEBOUNCE * 2).await;
        let (tx, rx) = oneshot::channel();
        with_drafts(|d| d.ops.unbounded_send(Op::Flushed(tx))).unwrap();
        rx.await.unwrap();
        assert!(stored(key).await.is_some());
        clear_draft(key);
        flush_drafts().await;
    }

    #[wasm_bindgen_test]
    async fn a_draft_that_no_longer_parses_is_dropped() {
        let key = "test:old-shape";
        IdbStore::open(DB_NAME).await.unwrap().put_draft(key, r#"{"nom":"Ayşe"}"#).await.unwrap();
        assert_eq!(load_draft::<Form>(key).await, None);
        flush_drafts().await;
        assert_eq!(stored(key).await, None, "the unreadable draft is deleted");
    }

    async fn sleep(d: Duration) {
        let (tx, rx) = oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = tx.send(());
            },
            d,
        );
        let _ = rx.await;
    }
}
