//! The page's side of the XLSX worker (see `crate::xlsx`): a worker per
//! export, ended once it answered, so its memory goes with it.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use lotse_model::sheet::Workbook;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// The worker's script: Trunk's loader for the `lotse-xlsx-writer` binary.
pub const WORKER_SCRIPT: &str = "./lotse-xlsx-writer_loader.js";

/// `book` as the bytes of an XLSX file, written in the XLSX worker.
pub async fn write(book: &Workbook) -> Result<Vec<u8>, String> {
    let message = postcard::to_allocvec(book).map_err(|e| e.to_string())?;
    let worker = Worker::new(WORKER_SCRIPT).map_err(|e| format!("the XLSX writer did not start: {e:?}"))?;
    let (tx, rx) = oneshot::channel::<Result<Vec<u8>, String>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = {
        let tx = tx.clone();
        move |result| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(result);
            }
        }
    };
    let to_worker = worker.clone();
    let on_message = {
        let done = done.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            if data.is_null() {
                // It listens: send the workbook.
                let bytes = js_sys::Uint8Array::from(message.as_slice());
                if let Err(e) = to_worker.post_message(&bytes) {
                    done(Err(format!("the workbook could not be sent: {e:?}")));
                }
            } else if let Some(why) = data.as_string() {
                done(Err(why));
            } else {
                done(Ok(js_sys::Uint8Array::new(&data).to_vec()));
            }
        })
    };
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        web_sys::console::error_2(&"the XLSX worker".into(), &e);
        done(Err("the XLSX writer failed (offline before its first use?)".to_owned()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = rx.await.unwrap_or_else(|_| Err("the XLSX writer stopped".to_owned()));
    worker.terminate();
    // The handlers live until here: the worker is ended, nothing calls them.
    drop((on_message, on_error));
    result
}
