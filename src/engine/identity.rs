//! Who this device is to the relay: its Ed25519 signing key
//! ([`DeviceKey`]), made once and kept in IndexedDB (`keys`, under
//! `device`), encrypted with AES-GCM by a WebCrypto key that was made
//! non-extractable: the browser keeps that key's bytes to itself, so a copy
//! of the database (a backup, a sync of the profile, a script reading the
//! object stores) holds only ciphertext and a handle that does not open
//! outside this browser profile. The secret is never in localStorage.
//!
//! The document keys this device holds are kept the same way, one entry
//! per key (`doc:<document>:<epoch>:<key id>`, with the key's id beside
//! it; a document's first key may sit under `doc:<document>:<epoch>`, as
//! versions before rotation kept it): a coordinator's device makes a
//! document's first key when it founds the network or adds the community,
//! and a rotation's when it retires a device; every other key reaches a
//! device sealed to it in the membership log. A document's keys are its
//! keyring: the old ones stay, so its old log still opens. They are never
//! in localStorage and never in a join link.
//!
//! **The app lock.** With a PIN set, no entry holds a `CryptoKey` (a
//! non-extractable key in IndexedDB is still on the phone's disk, and
//! opens for whoever runs this browser profile): each is wrapped by a
//! random storage key instead, itself wrapped under the PIN's Argon2id key
//! in the entry `lock` (`lotse_sync::lock`), beside the count of wrong
//! tries. The storage key lives in this worker's memory once a PIN opened
//! it ([`unlock`]); turning the lock on or off rewraps every entry in one
//! transaction. The tenth wrong PIN in a row empties the whole database.
//!
//! Only the engine worker uses this: the page's binary must not link
//! Ed25519, nor Argon2.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, Uint8Array};
use lotse_sync::envelope::{CommunityKey, Keyring};
use lotse_sync::lock::{tries_left, Cost, Lock, Pin, StorageKey, COST, TRIES};
use lotse_sync::membership::DeviceKey;
use lotse_sync::{DocAddr, KeyId};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, SubtleCrypto};

use super::protocol::PinRefused;
use crate::device::{random, WebEntropy};
use crate::store::idb::IdbStore;
use crate::store::StoreError;

/// The entry of `keys` that holds the device's key.
const DEVICE: &str = "device";

/// The fields of that entry: the wrapping key (a `CryptoKey`), the IV and
/// the encrypted 32-byte secret.
const WRAP: &str = "wrap";
const IV: &str = "iv";
const SEALED: &str = "sealed";
/// A document key's entry also holds the key's id.
const KEY_ID: &str = "id";
/// With the app lock on, an entry holds only its key wrapped by the
/// storage key, under this field.
const LOCKED: &str = "locked";

/// The entry of `keys` that holds the app lock (postcard bytes of a
/// [`Lock`] under [`LOCKED`]) and the wrong tries in a row under [`WRONG`].
pub const LOCK: &str = "lock";
pub const WRONG: &str = "wrong";

/// What this worker knows of the app lock.
#[derive(Clone)]
enum Vault {
    /// Not looked yet: a key is wrapped only after looking at the store.
    Unknown,
    /// No lock: keys are wrapped by WebCrypto keys.
    Open,
    /// Opened by the PIN.
    Unlocked(StorageKey),
}

thread_local! {
    static VAULT: RefCell<Vault> = const { RefCell::new(Vault::Unknown) };
    /// Moves whenever the vault does: a key sealed under the old one is
    /// sealed again (see [`keep`]).
    static VAULT_MOVES: Cell<u32> = const { Cell::new(0) };
}

fn vault() -> Vault {
    VAULT.with(|v| v.borrow().clone())
}

fn set_vault(to: Vault) {
    VAULT.with(|v| *v.borrow_mut() = to);
    VAULT_MOVES.with(|m| m.set(m.get().wrapping_add(1)));
}

fn failed(what: &str, e: JsValue) -> StoreError {
    let name = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    StoreError::Idb(format!("a kept key ({what}): {name}"))
}

/// WebCrypto of the worker (or of a window, in the browser tests).
fn subtle() -> Result<SubtleCrypto, StoreError> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .ok_or_else(|| StoreError::Refused("WebCrypto is not available here".into()))?;
    Ok(crypto.subtle())
}

async fn call(what: &str, promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, StoreError> {
    let promise = promise.map_err(|e| failed(what, e))?;
    JsFuture::from(promise).await.map_err(|e| failed(what, e))
}

/// This device's signing key: the one stored, or a new one, stored before
/// it is returned.
pub async fn device_key(store: &IdbStore) -> Result<DeviceKey, StoreError> {
    if let Some(key) = stored(store).await? {
        return Ok(key);
    }
    let secret: [u8; 32] = random();
    let entry = seal(store, DEVICE, &secret).await?;
    if store.add_key(DEVICE, &entry).await? {
        return Ok(DeviceKey::from_secret(secret));
    }
    // Another engine stored one first (two tabs at the first start): its
    // key is the device's.
    stored(store).await?.ok_or_else(|| StoreError::Idb("the device key vanished while it was made".into()))
}

/// The stored key, if there is one.
async fn stored(store: &IdbStore) -> Result<Option<DeviceKey>, StoreError> {
    let entry = store.get_key(DEVICE).await?;
    if entry.is_undefined() || entry.is_null() {
        return Ok(None);
    }
    Ok(Some(DeviceKey::from_secret(unseal(DEVICE, &entry).await?)))
}

/// The keyrings this device holds of `addrs` (those it holds no key of
/// are missing from the answer).
pub async fn document_keys(store: &IdbStore, addrs: &[DocAddr]) -> Result<BTreeMap<DocAddr, Keyring>, StoreError> {
    let mut rings = BTreeMap::new();
    for &addr in addrs {
        let prefix = crate::store::key_entries(addr);
        let mut keys = Vec::new();
        for (name, entry) in store.keys_named(&prefix).await? {
            // `doc:<document>:<epoch>` or `…:<key id>`, not another epoch's
            // (`doc:<document>:1` is a prefix of `doc:<document>:12`).
            if !(name == prefix || name.strip_prefix(&prefix).is_some_and(|rest| rest.starts_with(':'))) {
                continue;
            }
            let id = Reflect::get(&entry, &KEY_ID.into())
                .ok()
                .and_then(|v| v.as_f64())
                .ok_or_else(|| StoreError::Idb(format!("a key of {addr} has no id")))?;
            keys.push(CommunityKey::from_bytes(KeyId(id as u32), unseal(&name, &entry).await?));
        }
        if let Some(ring) = Keyring::of(keys) {
            rings.insert(addr, ring);
        }
    }
    Ok(rings)
}

/// Keeps a key of `addr` beside those kept before (a key of an id already
/// kept is written again with the same bytes: one id names one key).
pub async fn keep_document_key(store: &IdbStore, addr: DocAddr, key: &CommunityKey) -> Result<(), StoreError> {
    let name = format!("{}:{}", crate::store::key_entries(addr), key.id.0);
    loop {
        let moves = VAULT_MOVES.with(Cell::get);
        let entry = seal(store, &name, key.bytes()).await?;
        Reflect::set(&entry, &KEY_ID.into(), &f64::from(key.id.0).into())
            .map_err(|e| failed("storing a key's id", e))?;
        store.put_key(&name, &entry).await?;
        // The lock was turned on or off while this was sealed: the rewrap
        // may have read the entries before this one was there.
        if moves == VAULT_MOVES.with(Cell::get) {
            return Ok(());
        }
    }
}

/// The 32-byte secret the entry `name` (made by [`seal`]) holds.
async fn unseal(name: &str, entry: &JsValue) -> Result<[u8; 32], StoreError> {
    let locked = Reflect::get(entry, &LOCKED.into()).map_err(|e| failed("reading it", e))?;
    if !locked.is_undefined() {
        let Vault::Unlocked(storage) = vault() else {
            return Err(StoreError::Refused("the app is locked".into()));
        };
        return storage
            .unwrap(name, &Uint8Array::new(&locked).to_vec())
            .map_err(|e| StoreError::Idb(format!("a kept key ({name}): {e}")));
    }
    web_unseal(entry).await
}

/// The secret of an entry made by [`web_seal`].
async fn web_unseal(entry: &JsValue) -> Result<[u8; 32], StoreError> {
    let field = |name: &str| Reflect::get(entry, &name.into()).map_err(|e| failed("reading it", e));
    let wrap: CryptoKey = field(WRAP)?.dyn_into().map_err(|e| failed("its wrapping key", e))?;
    let iv: Uint8Array = field(IV)?.dyn_into().map_err(|e| failed("its IV", e))?;
    let sealed = Uint8Array::new(&field(SEALED)?).to_vec();
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &iv);
    let plain = call("opening it", subtle()?.decrypt_with_object_and_u8_array(&params, &wrap, &sealed)).await?;
    Uint8Array::new(&plain)
        .to_vec()
        .try_into()
        .map_err(|b: Vec<u8>| StoreError::Idb(format!("a kept key is {} bytes, not 32", b.len())))
}

/// The entry `keys` holds of `secret` under `name`: wrapped by the storage
/// key while the lock is on, else by a WebCrypto key.
async fn seal(store: &IdbStore, name: &str, secret: &[u8; 32]) -> Result<JsValue, StoreError> {
    if matches!(vault(), Vault::Unknown) {
        // Never a key the PIN does not guard, while a lock is on.
        if store.get_key(LOCK).await?.is_undefined() {
            set_vault(Vault::Open);
        } else {
            return Err(StoreError::Refused("the app is locked".into()));
        }
    }
    match vault() {
        Vault::Unlocked(storage) => locked_entry(&storage, name, secret),
        _ => web_seal(secret).await,
    }
}

fn locked_entry(storage: &StorageKey, name: &str, secret: &[u8; 32]) -> Result<JsValue, StoreError> {
    let entry = Object::new();
    let wrapped = Uint8Array::from(storage.wrap(&mut WebEntropy, name, secret).as_slice());
    Reflect::set(&entry, &LOCKED.into(), &wrapped).map_err(|e| failed("storing it", e))?;
    Ok(entry.into())
}

/// A new non-extractable AES-GCM key, and `secret` encrypted with it under
/// a fresh IV.
async fn web_seal(secret: &[u8; 32]) -> Result<JsValue, StoreError> {
    let subtle = subtle()?;
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let made = call(
        "making its wrapping key",
        subtle.generate_key_with_object(&AesKeyGenParams::new("AES-GCM", 256), false, &usages),
    )
    .await?;
    let wrap: CryptoKey = made.dyn_into().map_err(|e| failed("its wrapping key", e))?;
    let iv = Uint8Array::from(random::<12>().as_slice());
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &iv);
    let sealed = call("encrypting it", subtle.encrypt_with_object_and_u8_array(&params, &wrap, secret)).await?;
    let entry = Object::new();
    for (name, value) in [(WRAP, JsValue::from(wrap)), (IV, iv.into()), (SEALED, Uint8Array::new(&sealed).into())] {
        Reflect::set(&entry, &name.into(), &value).map_err(|e| failed("storing it", e))?;
    }
    Ok(entry.into())
}

/// Whether `name` is an entry of `keys` that holds a key (not the lock, a
/// refusal or the membership last read).
fn holds_a_key(name: &str) -> bool {
    name == DEVICE || name.starts_with("doc:")
}

/// The lock kept on the device and its wrong tries, if it is on.
async fn kept_lock(store: &IdbStore) -> Result<Option<Lock>, StoreError> {
    let entry = store.get_key(LOCK).await?;
    if entry.is_undefined() || entry.is_null() {
        return Ok(None);
    }
    let bytes = Reflect::get(&entry, &LOCKED.into()).map_err(|e| failed("reading the lock", e))?;
    Lock::from_bytes(&Uint8Array::new(&bytes).to_vec()).map(Some).map_err(|e| StoreError::Idb(e.to_string()))
}

fn lock_entry(lock: &Lock) -> Result<JsValue, StoreError> {
    let entry = Object::new();
    Reflect::set(&entry, &LOCKED.into(), &Uint8Array::from(lock.to_bytes().as_slice()))
        .and_then(|_| Reflect::set(&entry, &WRONG.into(), &0.into()))
        .map_err(|e| failed("storing the lock", e))?;
    Ok(entry.into())
}

/// Opens `lock` with `pin`, counting the try first: the count is durable
/// before the derivation starts, so closing the app while it runs does not
/// take a try back. The tenth wrong try in a row wipes the device.
async fn check(store: &IdbStore, lock: &Lock, pin: &Pin) -> Result<StorageKey, PinRefused> {
    let wrong = store.update_count(LOCK, WRONG, |n| n.saturating_add(1)).await?.unwrap_or(1);
    // A try counted past the last (the app closed during it) wipes at once.
    if wrong > TRIES {
        wipe(store).await?;
        return Err(PinRefused::Wiped);
    }
    let started = js_sys::Date::now();
    let opened = lock.open(pin);
    // For the bench (`e2e/bench/browser.mjs pin`): the derivation's time here.
    web_sys::console::info_1(&format!("lotse-pin-derived-ms {}", js_sys::Date::now() - started).into());
    match opened {
        Ok(storage) => {
            store.update_count(LOCK, WRONG, |_| 0).await?;
            Ok(storage)
        }
        Err(_) => match tries_left(wrong) {
            Some(left) => Err(PinRefused::Wrong { left }),
            None => {
                wipe(store).await?;
                Err(PinRefused::Wiped)
            }
        },
    }
}

/// Opens the device's keys with `pin` if the app lock is on (else there is
/// nothing to open).
pub async fn unlock(store: &IdbStore, pin: &str) -> Result<(), PinRefused> {
    let Some(lock) = kept_lock(store).await? else {
        set_vault(Vault::Open);
        return Ok(());
    };
    let pin = Pin::parse(pin).map_err(|_| PinRefused::NotAPin)?;
    let storage = check(store, &lock, &pin).await?;
    set_vault(Vault::Unlocked(storage));
    Ok(())
}

/// Every kept key with its entry's name, opened.
async fn every_key(store: &IdbStore) -> Result<Vec<(String, JsValue, [u8; 32])>, StoreError> {
    let mut keys = vec![];
    for (name, entry) in store.keys_named("").await? {
        if holds_a_key(&name) {
            let secret = unseal(&name, &entry).await?;
            keys.push((name, entry, secret));
        }
    }
    Ok(keys)
}

/// Rewraps every kept key as `wrap` makes it (keeping a document key's id)
/// and puts or deletes the lock, all in one transaction.
async fn rewrap(
    store: &IdbStore,
    keys: Vec<(String, JsValue, [u8; 32])>,
    lock: Option<&Lock>,
    storage: Option<&StorageKey>,
) -> Result<(), StoreError> {
    let mut puts = vec![];
    for (name, old, secret) in keys {
        let entry = match storage {
            Some(storage) => locked_entry(storage, &name, &secret)?,
            None => web_seal(&secret).await?,
        };
        let id = Reflect::get(&old, &KEY_ID.into()).map_err(|e| failed("reading a key's id", e))?;
        if !id.is_undefined() {
            Reflect::set(&entry, &KEY_ID.into(), &id).map_err(|e| failed("storing a key's id", e))?;
        }
        puts.push((name, entry));
    }
    match lock {
        Some(lock) => {
            puts.push((LOCK.to_owned(), lock_entry(lock)?));
            store.replace_keys(&puts, &[]).await
        }
        None => store.replace_keys(&puts, &[LOCK]).await,
    }
}

/// Turns the app lock on with `pin`: every kept key is wrapped by a new
/// storage key from here on.
pub async fn set_lock(store: &IdbStore, pin: &str) -> Result<(), PinRefused> {
    set_lock_at(store, pin, COST).await
}

/// [`set_lock`] at another cost (the browser tests' cheap one; the cost is
/// kept with the lock, and a new PIN takes [`COST`]).
pub async fn set_lock_at(store: &IdbStore, pin: &str, cost: Cost) -> Result<(), PinRefused> {
    let pin = Pin::parse(pin).map_err(|_| PinRefused::NotAPin)?;
    if kept_lock(store).await?.is_some() {
        return Err(PinRefused::NotNow);
    }
    set_vault(Vault::Open);
    let keys = every_key(store).await?;
    let storage = StorageKey::new(&mut WebEntropy);
    let lock = Lock::new(&mut WebEntropy, &pin, &storage, cost).map_err(|e| StoreError::Idb(e.to_string()))?;
    rewrap(store, keys, Some(&lock), Some(&storage)).await?;
    set_vault(Vault::Unlocked(storage));
    Ok(())
}

/// A new PIN for the same storage key (and a new salt); `old` counts as a try.
pub async fn change_pin(store: &IdbStore, old: &str, new: &str) -> Result<(), PinRefused> {
    let (old, new) = (Pin::parse(old), Pin::parse(new).map_err(|_| PinRefused::NotAPin)?);
    let lock = kept_lock(store).await?.ok_or(PinRefused::NotNow)?;
    let storage = check(store, &lock, &old.map_err(|_| PinRefused::NotAPin)?).await?;
    let lock = Lock::new(&mut WebEntropy, &new, &storage, COST).map_err(|e| StoreError::Idb(e.to_string()))?;
    store.put_key(LOCK, &lock_entry(&lock)?).await?;
    Ok(())
}

/// Turns the app lock off (`pin` counts as a try): every key goes back
/// under a WebCrypto key.
pub async fn remove_lock(store: &IdbStore, pin: &str) -> Result<(), PinRefused> {
    let pin = Pin::parse(pin).map_err(|_| PinRefused::NotAPin)?;
    let lock = kept_lock(store).await?.ok_or(PinRefused::NotNow)?;
    let storage = check(store, &lock, &pin).await?;
    set_vault(Vault::Unlocked(storage));
    let keys = every_key(store).await?;
    rewrap(store, keys, None, None).await?;
    set_vault(Vault::Open);
    Ok(())
}

/// Empties the device's database: this connection's transaction first
/// (at once, whoever else holds the database open), then the database
/// itself, which waits for every other tab's connection to close (each
/// closes on the request), so nothing an engine writes late survives.
/// Before the database goes, the store is scrubbed: deleting a database
/// does not take its bytes off the disk either (`IdbStore::scrub`).
pub(crate) async fn wipe(store: &IdbStore) -> Result<(), StoreError> {
    set_vault(Vault::Unknown);
    store.wipe().await?;
    if let Err(e) = store.scrub(crate::store::idb::SCRUB_BYTES).await {
        web_sys::console::warn_1(&format!("scrubbing the wiped store: {e}").into());
    }
    store.close();
    IdbStore::delete(&store.name()).await
}

/// Forgets the storage key, as a worker that starts knows none: the next
/// key read needs the PIN again.
pub fn forget_storage_key() {
    set_vault(Vault::Unknown);
}
