//! The app lock in real Chromium: with a PIN set, no entry of `keys` holds
//! a key that opens without it; the right PIN opens, a wrong one is
//! counted, the tenth wipes the database. A file of its own: the storage
//! key the PIN opens is the worker's (one per test binary).

use js_sys::{Reflect, Uint8Array};
use lotse::engine::identity::{
    change_pin, device_key, document_keys, forget_storage_key, keep_document_key, remove_lock, set_lock_at, unlock,
};
use lotse::engine::protocol::PinRefused;
use lotse::store::idb::IdbStore;
use lotse::store::DraftStore;
use lotse_sync::envelope::CommunityKey;
use lotse_sync::lock::Cost;
use lotse_sync::{DocAddr, DocumentId, Epoch, KeyId};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Cheap, so ten tries fit the runner's time; a new PIN takes the real cost.
const CHEAP: Cost = Cost { memory_kib: 1024, passes: 1 };

/// Every value of `keys`, raw, with its name.
async fn raw_entries(store: &IdbStore) -> Vec<(String, JsValue)> {
    store.keys_named("").await.unwrap()
}

/// Every byte string anywhere in an entry (its fields, one level deep).
fn bytes_in(entry: &JsValue) -> Vec<Vec<u8>> {
    let mut out = vec![];
    for field in js_sys::Object::keys::<js_sys::Object>(entry.unchecked_ref()).iter() {
        let value = Reflect::get(entry, &field).unwrap();
        if value.is_instance_of::<Uint8Array>() {
            out.push(Uint8Array::new(&value).to_vec());
        }
    }
    out
}

fn holds_a_crypto_key(entry: &JsValue) -> bool {
    js_sys::Object::keys::<js_sys::Object>(entry.unchecked_ref())
        .iter()
        .any(|f| Reflect::get(entry, &f).unwrap().is_instance_of::<web_sys::CryptoKey>())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[wasm_bindgen_test]
async fn with_the_lock_on_no_kept_key_opens_without_the_pin_and_the_right_pin_opens_them_all() {
    forget_storage_key();
    IdbStore::delete("lotse-test-lock").await.unwrap();
    let store = IdbStore::open("lotse-test-lock").await.unwrap();
    let device = device_key(&store).await.unwrap();
    // Two epochs of one document, two keys of the first.
    let [a0, a1] = [0, 1].map(|e| DocAddr { doc: DocumentId([7; 16]), epoch: Epoch(e) });
    let keys =
        [(a0, CommunityKey::from_bytes(KeyId(0), [0x11; 32])), (a0, CommunityKey::from_bytes(KeyId(1), [0x22; 32]))];
    for (addr, key) in &keys {
        keep_document_key(&store, *addr, key).await.unwrap();
    }
    keep_document_key(&store, a1, &CommunityKey::from_bytes(KeyId(0), [0x33; 32])).await.unwrap();
    let before = document_keys(&store, &[a0, a1]).await.unwrap();

    assert_eq!(set_lock_at(&store, "12345", CHEAP).await, Err(PinRefused::NotAPin), "five digits are too few");
    set_lock_at(&store, "246810", CHEAP).await.unwrap();
    assert_eq!(set_lock_at(&store, "135790", CHEAP).await, Err(PinRefused::NotNow), "it is on already");

    // The raw store: no CryptoKey anywhere, no secret in clear, every key
    // entry wrapped for the PIN only.
    let entries = raw_entries(&store).await;
    let secrets: Vec<Vec<u8>> =
        [device.secret().to_vec(), vec![0x11; 32], vec![0x22; 32], vec![0x33; 32]].into_iter().collect();
    let mut key_entries = 0;
    for (name, entry) in &entries {
        assert!(!holds_a_crypto_key(entry), "{name} holds a CryptoKey");
        for bytes in bytes_in(entry) {
            for secret in &secrets {
                assert!(!contains(&bytes, &secret[..8]), "{name} holds a secret in clear");
            }
        }
        if name == "device" || name.starts_with("doc:") {
            key_entries += 1;
            assert!(Reflect::get(entry, &"locked".into()).unwrap().is_instance_of::<Uint8Array>(), "{name}");
        }
    }
    assert_eq!(key_entries, 4, "the device key and three document keys");

    // A worker that starts knows no storage key: nothing opens, nothing
    // new is kept unwrapped.
    forget_storage_key();
    assert!(device_key(&store).await.is_err());
    assert!(document_keys(&store, &[a0]).await.is_err());
    assert!(keep_document_key(&store, a1, &CommunityKey::from_bytes(KeyId(1), [0x44; 32])).await.is_err());

    assert_eq!(unlock(&store, "246811").await, Err(PinRefused::Wrong { left: 9 }));
    assert_eq!(unlock(&store, "246812").await, Err(PinRefused::Wrong { left: 8 }));
    unlock(&store, "246810").await.unwrap();
    assert_eq!(device_key(&store).await.unwrap().id(), device.id());
    assert_eq!(document_keys(&store, &[a0, a1]).await.unwrap(), before);
    let lock = store.get_key("lock").await.unwrap();
    assert_eq!(Reflect::get(&lock, &"wrong".into()).unwrap().as_f64(), Some(0.0), "the right PIN resets the count");
    // A key kept while the lock is on is wrapped for the PIN too.
    keep_document_key(&store, a1, &CommunityKey::from_bytes(KeyId(1), [0x44; 32])).await.unwrap();
    let kept = store.get_key(&format!("doc:{}:1:1", a1.doc)).await.unwrap();
    assert!(!holds_a_crypto_key(&kept) && !Reflect::get(&kept, &"locked".into()).unwrap().is_undefined());

    // A new PIN: the old one no longer opens.
    assert_eq!(change_pin(&store, "000000", "135790").await, Err(PinRefused::Wrong { left: 9 }));
    change_pin(&store, "246810", "135790").await.unwrap();
    forget_storage_key();
    assert_eq!(unlock(&store, "246810").await, Err(PinRefused::Wrong { left: 9 }));
    unlock(&store, "135790").await.unwrap();

    // Off again: every key back under a WebCrypto key, and the lock gone.
    remove_lock(&store, "135790").await.unwrap();
    assert!(store.get_key("lock").await.unwrap().is_undefined());
    for (name, entry) in raw_entries(&store).await {
        if name == "device" || name.starts_with("doc:") {
            assert!(holds_a_crypto_key(&entry), "{name}");
        }
    }
    forget_storage_key();
    assert_eq!(device_key(&store).await.unwrap().id(), device.id());
    assert_eq!(document_keys(&store, &[a0]).await.unwrap().get(&a0), before.get(&a0));
}

#[wasm_bindgen_test]
async fn the_tenth_wrong_pin_wipes_every_store_of_the_device() {
    forget_storage_key();
    IdbStore::delete("lotse-test-lock-wipe").await.unwrap();
    let store = IdbStore::open("lotse-test-lock-wipe").await.unwrap();
    device_key(&store).await.unwrap();
    keep_document_key(
        &store,
        DocAddr { doc: DocumentId([3; 16]), epoch: Epoch(0) },
        &CommunityKey::from_bytes(KeyId(0), [9; 32]),
    )
    .await
    .unwrap();
    store.put_statement(lotse_sync::BundleId([1; 16]), &[1, 2, 3]).await.unwrap();
    let addr = DocAddr { doc: DocumentId([3; 16]), epoch: Epoch(0) };
    store.put_rows(addr, &[vec![1, 2]], &[]).await.unwrap();
    store.put_draft("contact:new", "{\"name\":\"Ayşe\"}").await.unwrap();
    set_lock_at(&store, "999999", CHEAP).await.unwrap();
    forget_storage_key();

    for left in (1..10).rev() {
        assert_eq!(unlock(&store, "000001").await, Err(PinRefused::Wrong { left }));
    }
    // Not a PIN: refused before it is counted.
    assert_eq!(unlock(&store, "1").await, Err(PinRefused::NotAPin));
    assert_eq!(unlock(&store, "000001").await, Err(PinRefused::Wiped));

    let after = IdbStore::open("lotse-test-lock-wipe").await.unwrap();
    assert!(raw_entries(&after).await.is_empty(), "no key, no lock");
    assert!(after.statements().await.unwrap().is_empty());
    assert_eq!(after.current_rows(addr).await.unwrap(), None);
    assert_eq!(after.get_draft("contact:new").await.unwrap(), None);
    // Even the right PIN finds nothing to open now.
    unlock(&after, "999999").await.unwrap();
}
