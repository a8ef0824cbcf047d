//! Whether the app lock is on, read from the store before anything
//! personal is read: the page draws the lock screen instead of the
//! notebook until the engine opened the keys with the right PIN.

use leptos::prelude::*;
use lotse_sync::lock::TRIES;

use crate::engine::identity::{LOCK, WRONG};
use crate::store::idb::IdbStore;
use crate::store::StoreError;

/// The app lock as the pages know it (context).
#[derive(Clone, Copy)]
pub struct AppLock {
    /// A PIN is set on this device.
    pub on: RwSignal<bool>,
}

/// The tries left if the app lock is on (`None`: it is off). Only reads
/// the lock's entry: what the PIN guards stays with the engine.
pub async fn tries_left(store: &IdbStore) -> Result<Option<u32>, StoreError> {
    let entry = store.get_key(LOCK).await?;
    if entry.is_undefined() || entry.is_null() {
        return Ok(None);
    }
    let wrong = js_sys::Reflect::get(&entry, &WRONG.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    Ok(Some(TRIES.saturating_sub(wrong as u32)))
}
