//! Files in and out: a download made on the device (a Blob, an object URL
//! and a click on an `<a download>` that is never in the page), and the
//! bytes of a file the person picked.

use lotse_model::sheet::Workbook;
use wasm_bindgen::{JsCast, JsValue};

/// The type of a CSV download.
pub const CSV: &str = "text/csv;charset=utf-8";
/// The type of a JSON download.
pub const JSON: &str = "application/json";
/// The type of an HTML download (a page to read and print).
pub const HTML: &str = "text/html;charset=utf-8";
/// The type of an XLSX download.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The two kinds of file a table downloads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
        }
    }
}

/// Saves `book` as a file named `name`: as CSV made here (one sheet as
/// itself, several as one file, each under its title), or as XLSX written
/// by the XLSX worker (`crate::hooks::xlsx`). What the report's and the
/// lists' downloads share.
pub async fn save_book(name: &str, book: &Workbook, kind: FileKind) -> Result<(), JsValue> {
    match kind {
        FileKind::Csv => {
            let text = match book.sheets.as_slice() {
                [one] => one.to_csv(),
                _ => book.to_csv(),
            };
            download(name, text.as_bytes(), CSV)
        }
        FileKind::Xlsx => {
            let bytes = crate::hooks::xlsx::write(book).await.map_err(|e| JsValue::from_str(&e))?;
            download(name, &bytes, XLSX)
        }
    }
}

/// Saves `bytes` as a file named `name` of type `mime`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), JsValue> {
    let global = js_sys::global();
    let blob_ctor: js_sys::Function = js_sys::Reflect::get(&global, &"Blob".into())?.dyn_into()?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"type".into(), &mime.into())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = js_sys::Reflect::construct(&blob_ctor, &js_sys::Array::of2(&parts, &options))?;
    let url_ctor = js_sys::Reflect::get(&global, &"URL".into())?;
    let create: js_sys::Function = js_sys::Reflect::get(&url_ctor, &"createObjectURL".into())?.dyn_into()?;
    let url = create.call1(&url_ctor, &blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlElement = document.create_element("a")?.dyn_into()?;
    a.set_attribute("href", &url.as_string().unwrap_or_default())?;
    a.set_attribute("download", name)?;
    a.click();
    // The click has started the download; the URL can go after this task.
    let revoke: js_sys::Function = js_sys::Reflect::get(&url_ctor, &"revokeObjectURL".into())?.dyn_into()?;
    let later = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = revoke.call1(&JsValue::UNDEFINED, &url);
    });
    if let Some(w) = web_sys::window() {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 10_000)?;
    }
    Ok(())
}

/// The name and bytes of the file picked in `input` (`<input type="file">`),
/// if one is.
pub async fn picked(input: &web_sys::HtmlInputElement) -> Result<Option<(String, Vec<u8>)>, JsValue> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return Ok(None) };
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await?;
    Ok(Some((file.name(), js_sys::Uint8Array::new(&buffer).to_vec())))
}
