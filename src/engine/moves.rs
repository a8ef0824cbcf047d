//! Erasure on the device: a coordinator's rewrite of a community document
//! into a new epoch, and every device's move to it (issue 13; the protocol
//! is in docs/protocol.md, "Moving a document to a new epoch").
//!
//! The page names a document by its first address (epoch 0) for its whole
//! life: its rows, its routes and its messages stay the same across moves.
//! The engine keeps which epoch each document shows (`epoch:<document>` in
//! IndexedDB's `keys`, written before the old epoch is deleted) and turns
//! the page's name into that address ([`Engine::real`]) and back
//! ([`Engine::named`]). During a move a device holds both epochs and shows
//! the old one; once the old one is deleted it shows the new one, and the
//! page is sent its rows whole (they drop the erased records).

use std::collections::BTreeMap;

use lotse_model::erasure::{self, ErasedIds};
use lotse_sync::client::{Carrying, RewriteError};
use lotse_sync::{DocAddr, DocumentId, Epoch};
use wasm_bindgen::JsCast;

use super::core::{device_actor, Engine, News};
use super::protocol::{EpochMove, EraseRefused, MoveState, MovedDevice, Receipt};
use super::scope::now;
use crate::store::idb::IdbStore;
use crate::store::{DocStore, StoreError};

/// The entry of `keys` that says which epoch a document shows (absent:
/// its first).
fn epoch_entry(doc: DocumentId) -> String {
    format!("epoch:{doc}")
}

/// The entries of `keys` that hold this coordinator's receipts.
const RECEIPTS: &str = "receipt:";

/// Counts by collection name: what a receipt keeps of [`ErasedIds`] (never
/// the ids).
fn counts(ids: &ErasedIds) -> Vec<(String, usize)> {
    ids.counts().into_iter().map(|(kind, n)| (kind.collection().to_owned(), n)).collect()
}

/// The epochs this device shows of its documents, as kept (only those
/// past their first).
pub(crate) async fn shown_epochs(store: &IdbStore) -> Result<BTreeMap<DocumentId, Epoch>, StoreError> {
    let mut shown = BTreeMap::new();
    for (name, value) in store.keys_named("epoch:").await? {
        let doc = name.strip_prefix("epoch:").and_then(|d| d.parse::<DocumentId>().ok());
        if let (Some(doc), Some(epoch)) = (doc, value.as_f64()) {
            shown.insert(doc, Epoch(epoch as u32));
        }
    }
    Ok(shown)
}

/// The receipts this device kept, oldest first.
pub(crate) async fn kept_receipts(store: &IdbStore) -> Result<Vec<Receipt>, StoreError> {
    let mut receipts: Vec<Receipt> = store
        .keys_named(RECEIPTS)
        .await?
        .into_iter()
        .filter_map(|(_, value)| postcard::from_bytes(&value.dyn_ref::<js_sys::Uint8Array>()?.to_vec()).ok())
        .collect();
    receipts.sort_by_key(|r| r.made_at);
    Ok(receipts)
}

/// Why an erasure did not start.
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("only a coordinator's device erases")]
    NotCoordinator,
    #[error("this device does not hold that document")]
    NotHeld,
    #[error("nothing to erase")]
    Nothing,
    #[error("the rewrite could not be made: {0}")]
    Model(String),
    #[error(transparent)]
    Rewrite(#[from] RewriteError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EraseError {
    /// What the page is told (`coordinator`: this device is one).
    pub fn refused(self, coordinator: bool) -> EraseRefused {
        match self {
            EraseError::NotCoordinator => EraseRefused::NotCoordinator,
            EraseError::Rewrite(RewriteError::NotCoordinator) if !coordinator => EraseRefused::NotCoordinator,
            EraseError::Rewrite(
                RewriteError::NotCoordinator
                | RewriteError::NotSettled(_)
                | RewriteError::NoKey(_)
                | RewriteError::NotCurrent(_)
                | RewriteError::NotOpen(_),
            ) => EraseRefused::NotSynced,
            EraseError::Rewrite(RewriteError::Moving(_)) => EraseRefused::Busy,
            other => EraseRefused::Failed(other.to_string()),
        }
    }
}

impl Engine {
    /// The address `addr` (the page's name of a document, or an address
    /// of the engine's own) stands for now: a document's first address is
    /// the epoch it shows; every other address is itself.
    pub(crate) fn real(&self, addr: DocAddr) -> DocAddr {
        if addr.epoch != Epoch(0) {
            return addr;
        }
        match self.epochs.borrow().get(&addr.doc) {
            Some(epoch) => DocAddr { doc: addr.doc, epoch: *epoch },
            None => addr,
        }
    }

    /// The page's name of `addr`, if `addr` is the epoch its document
    /// shows (the new epoch of a move under way is not shown yet).
    pub(crate) fn named(&self, addr: DocAddr) -> Option<DocAddr> {
        let name = DocAddr { doc: addr.doc, epoch: Epoch(0) };
        (self.real(name) == addr).then_some(name)
    }

    /// Answers an erasure request: rewrites each document `names` names
    /// (the page's names) without the records `erased` (the model's plan)
    /// into a new epoch under a new key, signed by this coordinator's
    /// device, and keeps a receipt (counts and dates only). Devices have
    /// until `deadline_days` from now to move; the relay then refuses
    /// those that did not. A document whose rewrite is refused stops the
    /// request there: the receipt names those rewritten before it.
    pub async fn erase(
        &self,
        names: &[DocAddr],
        erased: &ErasedIds,
        unlinked: &ErasedIds,
        requested_on: String,
        deadline_days: u32,
    ) -> Result<(), EraseError> {
        if !self.is_coordinator() {
            return Err(EraseError::NotCoordinator);
        }
        if erased.is_empty() {
            return Err(EraseError::Nothing);
        }
        let made_at = now();
        let deadline = (made_at / 1000.0) as u64 + u64::from(deadline_days) * 86_400;
        let mut moves = vec![];
        let mut result = Ok(());
        for name in names {
            match self.rewrite(*name, erased, made_at, deadline).await {
                Ok(to) => moves.push((to.doc, to.epoch.0)),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        if moves.is_empty() {
            return result;
        }
        let receipt = Receipt {
            requested_on,
            made_at: made_at as u64,
            removed: counts(erased),
            unlinked: counts(unlinked),
            deadline,
            moves,
            seen_moved: vec![],
            seen_done: None,
        };
        self.keep_receipt(&receipt).await?;
        self.receipts.borrow_mut().push(receipt);
        self.refresh_state();
        result
    }

    /// Rewrites one document (see [`Engine::erase`]); the new epoch.
    async fn rewrite(&self, name: DocAddr, erased: &ErasedIds, at: f64, deadline: u64) -> Result<DocAddr, EraseError> {
        let from = self.real(name);
        self.ensure_open(from).await.map_err(|_| EraseError::NotHeld)?;
        let actor = device_actor(&self.key);
        let rewritten = self
            .read(from, |doc| erasure::rewrite(doc, erased, actor, at as i64))
            .ok_or(EraseError::NotHeld)?
            .map_err(|e| EraseError::Model(e.to_string()))?;
        let started = self.core.borrow_mut().rewrite(at as u64, from, rewritten, deadline)?;
        self.enqueue(started.effects);
        Ok(started.to)
    }

    /// The move of `from` reached the point where this device's own writes
    /// to the old epoch are carried into the new one.
    pub(crate) fn carry(&self, from: DocAddr) {
        let at = now();
        let result = self.core.borrow_mut().carry(at as u64, from, |c: Carrying<'_>| {
            erasure::carry_own(c.old, c.base, c.own, c.new, at as i64).map(|report| {
                if !report.is_empty() {
                    // Counts only: which records is nobody's business here.
                    web_sys::console::info_1(&format!("carried into the new epoch: {report:?}").into());
                }
            })
        });
        match result {
            Ok(effects) => self.enqueue(effects),
            // Asked again at the next tick.
            Err(e) => web_sys::console::warn_1(&format!("carrying into the new epoch: {e}").into()),
        }
    }

    /// Deletes the epoch `addr` from the store. If the document showed it,
    /// it shows the next one from now on (kept first, so a crash in
    /// between shows the new epoch and deletes the old one again).
    pub(crate) async fn delete_epoch(&self, addr: DocAddr) {
        let name = DocAddr { doc: addr.doc, epoch: Epoch(0) };
        let shown = self.real(name) == addr;
        let to = DocAddr { doc: addr.doc, epoch: Epoch(addr.epoch.0 + 1) };
        let mut result = Ok(());
        if shown {
            result = self.store.put_key(&epoch_entry(addr.doc), &f64::from(to.epoch.0).into()).await;
            if result.is_ok() {
                self.epochs.borrow_mut().insert(addr.doc, to.epoch);
            }
        }
        if result.is_ok() {
            result = self.store.delete_epoch(addr).await;
        }
        // The page's rows live under the document's first address: gone
        // with epoch 0, otherwise dropped here (they hold the erased).
        if result.is_ok() && shown && addr.epoch != Epoch(0) {
            result = self.store.delete_rows(name).await;
        }
        let event = match result {
            Ok(()) => {
                self.docs.borrow_mut().remove(&addr);
                self.forget_slot(addr);
                lotse_sync::client::ClientEvent::EpochDeleted { addr }
            }
            Err(e) => {
                web_sys::console::error_1(&format!("deleting epoch {addr}: {e}").into());
                lotse_sync::client::ClientEvent::EpochDeleteFailed { addr }
            }
        };
        let deleted = matches!(event, lotse_sync::client::ClientEvent::EpochDeleted { .. });
        self.handle(event);
        if shown && self.real(name) == to {
            self.tell(News::Switched(name));
        }
        // The deleted epoch's bytes stay on the disk until LevelDB compacts.
        if deleted && shown {
            if let Err(e) = self.store.scrub(crate::store::idb::SCRUB_BYTES).await {
                web_sys::console::warn_1(&format!("scrubbing the store after an erasure: {e}").into());
            }
        }
    }

    /// The relay refused this device on a document it did not move before
    /// an erasure's deadline: it still holds what was erased and can never
    /// move now. Its store is wiped (keys and documents; what it wrote
    /// since its last sync is lost with them) and it must join again.
    pub(crate) async fn left_behind(&self) {
        self.disconnect();
        if let Err(e) = super::identity::wipe(&self.store).await {
            web_sys::console::error_1(&format!("wiping a device left behind: {e}").into());
        }
        self.tell(News::Wiped(super::protocol::WipeReason::LeftBehind));
    }

    /// Notes in this device's receipts when it first read that a device
    /// moved, and that a request's moves wait for no one any more (kept, so
    /// the receipt says when).
    pub(crate) fn note_moves(&self, moves: &[EpochMove]) {
        let at = now() as u64;
        let mut changed = vec![];
        for receipt in self.receipts.borrow_mut().iter_mut() {
            let mine: Vec<&EpochMove> = moves.iter().filter(|m| receipt.moves.contains(&(m.doc, m.to))).collect();
            if mine.len() != receipt.moves.len() {
                continue;
            }
            let before = (receipt.seen_moved.len(), receipt.seen_done);
            for key in mine.iter().flat_map(|m| m.devices.iter().map(|d| d.key)) {
                let moved =
                    mine.iter().flat_map(|m| &m.devices).filter(|d| d.key == key).all(|d| d.state == MoveState::Moved);
                if moved && !receipt.seen_moved.iter().any(|(k, _)| *k == key) {
                    receipt.seen_moved.push((key, at));
                }
            }
            let waiting = mine.iter().flat_map(|m| &m.devices).any(|d| d.state == MoveState::Waiting);
            if !waiting && receipt.seen_done.is_none() {
                receipt.seen_done = Some(at);
            }
            if before != (receipt.seen_moved.len(), receipt.seen_done) {
                changed.push(receipt.clone());
            }
        }
        let Some(engine) = self.me.upgrade() else { return };
        for receipt in changed {
            let engine = engine.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = engine.keep_receipt(&receipt).await {
                    web_sys::console::warn_1(&format!("keeping a receipt: {e}").into());
                }
            });
        }
    }

    async fn keep_receipt(&self, receipt: &Receipt) -> Result<(), StoreError> {
        let bytes = postcard::to_allocvec(receipt).expect("postcard into a Vec");
        let entry = format!("{RECEIPTS}{:016}", receipt.made_at);
        self.store.put_key(&entry, &js_sys::Uint8Array::from(bytes.as_slice()).into()).await
    }

    /// Every move the membership names of a document this device holds,
    /// with the devices owed it and whether each moved.
    pub(crate) fn epoch_moves(&self) -> Vec<EpochMove> {
        let core = self.core.borrow();
        let Some(membership) = core.membership() else { return vec![] };
        let held: Vec<DocumentId> = self.device.borrow().documents().iter().map(|a| a.doc).collect();
        membership
            .moves()
            .iter()
            .filter(|(addr, _)| held.contains(&addr.doc))
            .map(|(addr, m)| {
                let waiting = membership.not_moved(*addr);
                let dropped = core.doc(*addr).map(erasure::dropped_by_device).unwrap_or_default();
                EpochMove {
                    doc: addr.doc,
                    to: addr.epoch.0,
                    deadline: m.deadline,
                    devices: m
                        .owed
                        .iter()
                        .map(|d| MovedDevice {
                            key: d.0,
                            state: if m.moved.contains(d) || *d == m.by {
                                MoveState::Moved
                            } else if waiting.contains(d) {
                                MoveState::Waiting
                            } else {
                                MoveState::Gone
                            },
                            dropped: dropped
                                .get(&automerge::ActorId::from(d.0.as_slice()).to_hex_string())
                                .map(|counts| {
                                    counts.iter().map(|(kind, n)| (kind.collection().to_owned(), *n)).collect()
                                })
                                .unwrap_or_default(),
                        })
                        .collect(),
                    this_device: m.by == self.key.id(),
                }
            })
            .collect()
    }
}
