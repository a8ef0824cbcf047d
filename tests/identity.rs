//! The device's signing key and the statements it signed, as the engine
//! keeps them in IndexedDB, in real Chromium.

use js_sys::{Reflect, Uint8Array};
use lotse::engine::identity::device_key;
use lotse::store::idb::IdbStore;
use lotse_sync::BundleId;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_device_key_is_made_once_and_kept_only_wrapped_by_a_key_the_browser_does_not_hand_out() {
    IdbStore::delete("lotse-test-identity").await.unwrap();
    let store = IdbStore::open("lotse-test-identity").await.unwrap();
    let first = device_key(&store).await.unwrap();
    assert_eq!(device_key(&store).await.unwrap().id(), first.id(), "the same key at the next start");
    store.close();
    let again = IdbStore::open("lotse-test-identity").await.unwrap();
    assert_eq!(device_key(&again).await.unwrap().id(), first.id(), "and after the app was closed");

    let entry = again.get_key("device").await.unwrap();
    let wrap: web_sys::CryptoKey = Reflect::get(&entry, &"wrap".into()).unwrap().dyn_into().unwrap();
    assert!(!wrap.extractable(), "the wrapping key cannot be exported");
    let sealed = Uint8Array::new(&Reflect::get(&entry, &"sealed".into()).unwrap()).to_vec();
    assert_eq!(sealed.len(), 32 + 16, "the secret and AES-GCM's tag");
    assert!(!sealed.windows(8).any(|w| first.secret().windows(8).any(|s| s == w)), "no part of the secret in clear");
}

#[wasm_bindgen_test]
async fn two_engines_starting_at_once_keep_one_key() {
    IdbStore::delete("lotse-test-identity-race").await.unwrap();
    let a = IdbStore::open("lotse-test-identity-race").await.unwrap();
    let b = IdbStore::open("lotse-test-identity-race").await.unwrap();
    let (ka, kb) = futures::join!(device_key(&a), device_key(&b));
    assert_eq!(ka.unwrap().id(), kb.unwrap().id());
}

#[wasm_bindgen_test]
async fn kept_statements_come_back_in_the_order_made_and_leave_once_answered() {
    IdbStore::delete("lotse-test-statements").await.unwrap();
    let store = IdbStore::open("lotse-test-statements").await.unwrap();
    // Ids that sort the other way round than they were made.
    let (founding, invitation) = (BundleId([9; 16]), BundleId([1; 16]));
    store.put_statement(founding, &[1, 1]).await.unwrap();
    store.put_statement(invitation, &[2, 2]).await.unwrap();
    store.put_statement(founding, &[1, 1]).await.unwrap();
    store.close();
    let store = IdbStore::open("lotse-test-statements").await.unwrap();
    assert_eq!(store.statements().await.unwrap(), vec![vec![1, 1], vec![2, 2]]);
    store.delete_statement(founding).await.unwrap();
    assert_eq!(store.statements().await.unwrap(), vec![vec![2, 2]]);
    store.delete_statement(invitation).await.unwrap();
    assert!(store.statements().await.unwrap().is_empty());
}
