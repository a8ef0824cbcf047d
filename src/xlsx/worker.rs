//! The XLSX worker's side: one workbook in, its file's bytes out.

use lotse_model::sheet::Workbook;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The bytes of the XLSX file of `message` (a postcard `Workbook`), or why
/// there are none.
pub fn answer(message: &[u8]) -> Result<Vec<u8>, String> {
    let book: Workbook = postcard::from_bytes(message).map_err(|e| format!("the workbook does not decode: {e}"))?;
    lotse_xlsx::write(&book).map_err(|e| e.to_string())
}

/// The worker's entry point (`src/bin/lotse-xlsx-writer.rs`).
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let sent = match answer(&js_sys::Uint8Array::new(&ev.data()).to_vec()) {
            Ok(bytes) => {
                let file = js_sys::Uint8Array::from(bytes.as_slice());
                reply.post_message_with_transfer(&file, &js_sys::Array::of1(&file.buffer()))
            }
            Err(why) => reply.post_message(&JsValue::from_str(&why)),
        };
        if let Err(e) = sent {
            web_sys::console::error_2(&"posting the XLSX to the page".into(), &e);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget(); // for the worker's life
                         // It listens: the page may send the workbook now.
    let _ = scope.post_message(&JsValue::NULL);
}
