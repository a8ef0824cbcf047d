//! An in-memory store: the reference the IndexedDB store is checked against.

use std::cell::RefCell;
use std::collections::BTreeMap;

use lotse_sync::client::Persist;
use lotse_sync::{BundleId, DocAddr, Generation, Seq};

use super::{DocStore, DraftStore, Loaded, StoreError};

#[derive(Default)]
struct Doc {
    chunks: Vec<Vec<u8>>,
    cursor: Seq,
    at: Option<BundleId>,
    generation: Generation,
    outbox: BTreeMap<BundleId, Vec<u8>>,
}

#[derive(Default)]
pub struct MemoryStore {
    docs: RefCell<BTreeMap<DocAddr, Doc>>,
    drafts: RefCell<BTreeMap<String, String>>,
}

impl DocStore for MemoryStore {
    async fn load(&self, addr: DocAddr) -> Result<Loaded, StoreError> {
        let docs = self.docs.borrow();
        Ok(docs.get(&addr).map_or_else(Loaded::default, |d| Loaded {
            chunks: d.chunks.clone(),
            cursor: d.cursor,
            generation: d.generation,
            at: d.at,
            outbox: d.outbox.iter().map(|(k, v)| (*k, v.clone())).collect(),
        }))
    }

    async fn persist(&self, op: &Persist) -> Result<(), StoreError> {
        let mut docs = self.docs.borrow_mut();
        match op {
            Persist::Local { addr, bundle_id, bytes } => {
                let d = docs.entry(*addr).or_default();
                d.chunks.push(bytes.clone());
                d.outbox.insert(*bundle_id, bytes.clone());
            }
            Persist::Remote { addr, bytes, cursor, at } => {
                let d = docs.entry(*addr).or_default();
                d.chunks.extend(bytes.clone());
                (d.cursor, d.at) = (*cursor, *at);
            }
            Persist::Acked { addr, bundle_id, cursor, at } => {
                let d = docs.entry(*addr).or_default();
                d.outbox.remove(bundle_id);
                (d.cursor, d.at) = (*cursor, *at);
            }
            Persist::Compact { addr, bytes } => {
                let d = docs.entry(*addr).or_default();
                d.chunks = vec![bytes.clone()];
            }
            Persist::Generation { addr, generation } => docs.entry(*addr).or_default().generation = *generation,
        }
        Ok(())
    }

    async fn delete_epoch(&self, addr: DocAddr) -> Result<(), StoreError> {
        self.docs.borrow_mut().remove(&addr);
        Ok(())
    }
}

impl DraftStore for MemoryStore {
    async fn put_draft(&self, key: &str, json: &str) -> Result<(), StoreError> {
        self.drafts.borrow_mut().insert(key.to_owned(), json.to_owned());
        Ok(())
    }

    async fn get_draft(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.drafts.borrow().get(key).cloned())
    }

    async fn delete_draft(&self, key: &str) -> Result<(), StoreError> {
        self.drafts.borrow_mut().remove(key);
        Ok(())
    }
}
