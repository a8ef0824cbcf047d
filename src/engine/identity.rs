//! Who this device is to the relay: its Ed25519 signing key
//! ([`DeviceKey`]), made once and kept in IndexedDB (`keys`, under
//! `device`), encrypted with AES-GCM by a WebCrypto key that was made
//! non-extractable: the browser keeps that key's bytes to itself, so a copy
//! of the database (a backup, a sync of the profile, a script reading the
//! object stores) holds only ciphertext and a handle that does not open
//! outside this browser profile. The secret is never in localStorage.
//!
//! Only the engine worker uses this: the page's binary must not link
//! Ed25519.

use js_sys::{Array, Object, Reflect, Uint8Array};
use lotse_sync::membership::DeviceKey;
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

fn failed(what: &str, e: JsValue) -> StoreError {
    let name = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    StoreError::Idb(format!("the device key ({what}): {name}"))
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
    let field = |name: &str| Reflect::get(&entry, &name.into()).map_err(|e| failed("reading it", e));
    let wrap: CryptoKey = field(WRAP)?.dyn_into().map_err(|e| failed("its wrapping key", e))?;
    let iv: Uint8Array = field(IV)?.dyn_into().map_err(|e| failed("its IV", e))?;
    let sealed = Uint8Array::new(&field(SEALED)?).to_vec();
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &iv);
    let plain = call("opening it", subtle()?.decrypt_with_object_and_u8_array(&params, &wrap, &sealed)).await?;
    let secret: [u8; 32] = Uint8Array::new(&plain)
        .to_vec()
        .try_into()
        .map_err(|b: Vec<u8>| StoreError::Idb(format!("the device key is {} bytes, not 32", b.len())))?;
    Ok(Some(DeviceKey::from_secret(secret)))
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
