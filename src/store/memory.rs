//! An in-memory store: the reference the IndexedDB store is checked against.

use std::cell::RefCell;
use std::collections::BTreeMap;

use lotse_sync::client::Persist;
use lotse_sync::{BundleId, DocAddr, Seq};

use super::{DocStore, Loaded, StoreError};

#[derive(Default)]
pub struct MemoryStore {
    docs: RefCell<BTreeMap<DocAddr, (Vec<Vec<u8>>, Seq, BTreeMap<BundleId, Vec<u8>>)>>,
}

impl DocStore for MemoryStore {
    async fn load(&self, addr: DocAddr) -> Result<Loaded, StoreError> {
        let docs = self.docs.borrow();
        Ok(docs.get(&addr).map_or_else(Loaded::default, |(chunks, cursor, outbox)| Loaded {
            chunks: chunks.clone(),
            cursor: *cursor,
            outbox: outbox.iter().map(|(k, v)| (*k, v.clone())).collect(),
        }))
    }

    async fn persist(&self, op: &Persist) -> Result<(), StoreError> {
        let mut docs = self.docs.borrow_mut();
        match op {
            Persist::Local { addr, bundle_id, bytes } => {
                let d = docs.entry(*addr).or_default();
                d.0.push(bytes.clone());
                d.2.insert(*bundle_id, bytes.clone());
            }
            Persist::Remote { addr, bytes, cursor } => {
                let d = docs.entry(*addr).or_default();
                d.0.extend(bytes.clone());
                d.1 = *cursor;
            }
            Persist::Acked { addr, bundle_id, cursor } => {
                let d = docs.entry(*addr).or_default();
                d.2.remove(bundle_id);
                d.1 = *cursor;
            }
            Persist::Compact { addr, bytes } => {
                let d = docs.entry(*addr).or_default();
                d.0 = vec![bytes.clone()];
            }
        }
        Ok(())
    }
}
