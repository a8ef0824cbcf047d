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

#[wasm_bindgen_test]
async fn document_keys_are_kept_wrapped_each_under_its_document_and_a_newer_one_joins_the_older_in_its_keyring() {
    use lotse::engine::identity::{document_keys, keep_document_key};
    use lotse_sync::envelope::CommunityKey;
    use lotse_sync::{DocAddr, DocumentId, Epoch, KeyId};

    IdbStore::delete("lotse-test-document-keys").await.unwrap();
    let store = IdbStore::open("lotse-test-document-keys").await.unwrap();
    let [a, b, c] = [1u8, 2, 3].map(|n| DocAddr { doc: DocumentId([n; 16]), epoch: Epoch(0) });
    let ka = CommunityKey::from_bytes(KeyId(0), [0x5a; 32]);
    keep_document_key(&store, a, &ka).await.unwrap();
    keep_document_key(&store, b, &CommunityKey::from_bytes(KeyId(8), [0x6b; 32])).await.unwrap();
    store.close();
    let store = IdbStore::open("lotse-test-document-keys").await.unwrap();
    let kept = document_keys(&store, &[a, b, c]).await.unwrap();
    assert_eq!(kept.get(&a).map(|ring| ring.newest()), Some(&ka));
    assert_eq!(kept.get(&b).map(|ring| ring.newest().id), Some(KeyId(8)));
    assert!(!kept.contains_key(&c), "a document this device holds no key of");

    let entry = store.get_key(&format!("doc:{}:0:0", a.doc)).await.unwrap();
    let sealed = Uint8Array::new(&Reflect::get(&entry, &"sealed".into()).unwrap()).to_vec();
    assert!(!sealed.windows(8).any(|w| w == [0x5a; 8]), "no part of the key in clear");

    // A rotation's key joins the keyring; the old one stays, for the old log.
    let newer = CommunityKey::from_bytes(KeyId(1), [0x7c; 32]);
    keep_document_key(&store, a, &newer).await.unwrap();
    keep_document_key(&store, a, &newer).await.unwrap();
    let ring = document_keys(&store, &[a]).await.unwrap().remove(&a).unwrap();
    assert_eq!(ring.ids().collect::<Vec<_>>(), vec![KeyId(0), KeyId(1)]);
    assert_eq!((ring.newest(), ring.get(KeyId(0))), (&newer, Some(&ka)));

    // Another epoch's keys are its own, even where its name starts like
    // this one's (epoch 1, epoch 12).
    let [one, twelve] = [1, 12].map(|e| DocAddr { doc: a.doc, epoch: Epoch(e) });
    keep_document_key(&store, twelve, &CommunityKey::from_bytes(KeyId(5), [0x11; 32])).await.unwrap();
    let kept = document_keys(&store, &[one, twelve]).await.unwrap();
    assert!(!kept.contains_key(&one));
    assert_eq!(kept[&twelve].ids().collect::<Vec<_>>(), vec![KeyId(5)]);

    // A key kept before keys rotated, under the document's name alone.
    let old = store.get_key(&format!("doc:{}:0:8", b.doc)).await.unwrap();
    let d = DocAddr { doc: DocumentId([4; 16]), epoch: Epoch(0) };
    store.put_key(&format!("doc:{}:0", d.doc), &old).await.unwrap();
    keep_document_key(&store, d, &CommunityKey::from_bytes(KeyId(9), [0x22; 32])).await.unwrap();
    let ring = document_keys(&store, &[d]).await.unwrap().remove(&d).unwrap();
    assert_eq!(ring.ids().collect::<Vec<_>>(), vec![KeyId(8), KeyId(9)]);
}
