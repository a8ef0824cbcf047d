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
//! Only the engine worker uses this: the page's binary must not link
//! Ed25519.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, Uint8Array};
use lotse_sync::envelope::{CommunityKey, Keyring};
use lotse_sync::membership::DeviceKey;
use lotse_sync::{DocAddr, KeyId};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, SubtleCrypto};

use crate::device::random;
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
    let entry = seal(&secret).await?;
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
    Ok(Some(DeviceKey::from_secret(unseal(&entry).await?)))
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
            keys.push(CommunityKey::from_bytes(KeyId(id as u32), unseal(&entry).await?));
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
    let entry = seal(key.bytes()).await?;
    Reflect::set(&entry, &KEY_ID.into(), &f64::from(key.id.0).into()).map_err(|e| failed("storing a key's id", e))?;
    store.put_key(&format!("{}:{}", crate::store::key_entries(addr), key.id.0), &entry).await
}

/// The 32-byte secret an entry made by [`seal`] holds.
async fn unseal(entry: &JsValue) -> Result<[u8; 32], StoreError> {
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

/// A new non-extractable AES-GCM key, and `secret` encrypted with it under
/// a fresh IV: the entry `keys` holds.
async fn seal(secret: &[u8; 32]) -> Result<JsValue, StoreError> {
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
