//! A returning start's reads, begun before the app mounts: the store
//! opened, the app lock read and, if it is off, the first screen's rows
//! read, while the language's messages load and the shell draws (the
//! IndexedDB waits then overlap them instead of following them).

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;

use super::lock::tries_left;
use super::notebook::{load_notebook, Stored};
use crate::device::Device;
use crate::store::idb::{IdbStore, DB_NAME};
use crate::store::StoreError;

/// What the early reads found.
pub enum Opened {
    /// The app lock is off: the rows of the first screen.
    Open(Box<Stored>),
    /// The app lock is on, with these tries left: nothing was read.
    Locked(u32),
    /// The lock could not be read: the app goes on as unlocked and opens
    /// the store again (which says why, if it fails).
    Unread,
}

/// The early reads' answer, taken once by the app (`app::App`).
#[derive(Clone, Default)]
pub struct Early(Rc<RefCell<Option<oneshot::Receiver<Opened>>>>);

impl Early {
    /// Begins the reads for the device saved here; nothing for a device
    /// not set up (its first screen reads nothing).
    pub fn begin() -> Early {
        let Some(device) = Device::load() else { return Early::default() };
        let (tx, rx) = oneshot::channel();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = tx.send(read(&device).await);
        });
        Early(Rc::new(RefCell::new(Some(rx))))
    }

    /// The answer, once; `None` if no reads were begun or it was taken.
    pub async fn take(&self) -> Option<Opened> {
        let rx = self.0.borrow_mut().take()?;
        rx.await.ok()
    }
}

/// Opens the store, reads the app lock and, if it is off, `device`'s rows.
pub async fn read(device: &Device) -> Opened {
    let store = match IdbStore::open(DB_NAME).await {
        Ok(store) => store,
        Err(e) => return unread(e),
    };
    super::mark("lotse-store-open");
    match tries_left(&store).await {
        Ok(None) => Opened::Open(Box::new(load_notebook(device, Rc::new(store)).await)),
        Ok(Some(left)) => {
            store.close();
            Opened::Locked(left)
        }
        Err(e) => {
            store.close();
            unread(e)
        }
    }
}

fn unread(e: StoreError) -> Opened {
    web_sys::console::error_1(&format!("reading the app lock: {e}").into());
    Opened::Unread
}
