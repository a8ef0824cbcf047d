//! One contract for every document store (and one for every draft store):
//! the in-memory reference and IndexedDB pass the same function (STYLE.md
//! rule 7), in real Chromium.

use lotse::store::idb::IdbStore;
use lotse::store::memory::MemoryStore;
use lotse::store::{DocStore, DraftStore, Loaded};
use lotse_sync::client::Persist;
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, Seq};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn addr(n: u8) -> DocAddr {
    DocAddr { doc: DocumentId([n; 16]), epoch: Epoch(0) }
}

fn sorted(mut l: Loaded) -> Loaded {
    l.chunks.sort();
    l.outbox.sort();
    l
}

async fn contract<S: DocStore>(store: &S) {
    let (a, b) = (addr(1), addr(2));
    assert_eq!(store.load(a).await.unwrap(), Loaded::default(), "a new document is empty");

    let id1 = BundleId([1; 16]);
    let id2 = BundleId([2; 16]);
    store.persist(&Persist::Local { addr: a, bundle_id: id1, bytes: vec![1, 1] }).await.unwrap();
    store.persist(&Persist::Local { addr: a, bundle_id: id2, bytes: vec![2, 2] }).await.unwrap();
    let at = |n: u8| Some(BundleId([n; 16]));
    store.persist(&Persist::Remote { addr: a, bytes: Some(vec![3, 3]), cursor: Seq(4), at: at(4) }).await.unwrap();
    store.persist(&Persist::Remote { addr: a, bytes: None, cursor: Seq(5), at: at(5) }).await.unwrap();
    let l = sorted(store.load(a).await.unwrap());
    assert_eq!(l.chunks, vec![vec![1, 1], vec![2, 2], vec![3, 3]]);
    assert_eq!(l.outbox, vec![(id1, vec![1, 1]), (id2, vec![2, 2])]);
    assert_eq!((l.cursor, l.at), (Seq(5), at(5)), "the bundle at the cursor is kept with it");

    store.persist(&Persist::Acked { addr: a, bundle_id: id1, cursor: Seq(6), at: at(6) }).await.unwrap();
    let l = sorted(store.load(a).await.unwrap());
    assert_eq!(l.outbox, vec![(id2, vec![2, 2])], "an acknowledged bundle leaves the outbox");
    assert_eq!((l.cursor, l.at), (Seq(6), at(6)));
    assert_eq!(l.chunks.len(), 3, "acknowledging keeps the change itself");

    store.persist(&Persist::Compact { addr: a, bytes: vec![9; 8] }).await.unwrap();
    let l = store.load(a).await.unwrap();
    assert_eq!(l.chunks, vec![vec![9; 8]], "compaction replaces the chunks by the full save");
    assert_eq!(l.outbox, vec![(id2, vec![2, 2])], "compaction keeps the outbox");
    assert_eq!(l.cursor, Seq(6));

    assert_eq!(l.generation, lotse_sync::Generation::NONE, "no generation stored yet");
    let generation = lotse_sync::Generation([0xa5; 16]);
    store.persist(&Persist::Generation { addr: a, generation }).await.unwrap();
    let l = store.load(a).await.unwrap();
    assert_eq!(l.generation, generation, "the log's generation is kept beside the cursor");
    assert_eq!((l.cursor, l.at, l.chunks.len()), (Seq(6), at(6), 1), "and changes nothing else");

    assert_eq!(store.load(b).await.unwrap(), Loaded::default(), "documents are separate");
    store.persist(&Persist::Local { addr: b, bundle_id: id1, bytes: vec![7] }).await.unwrap();
    assert_eq!(store.load(b).await.unwrap().outbox, vec![(id1, vec![7])]);
    assert_eq!(store.load(a).await.unwrap().chunks, vec![vec![9; 8]]);

    // Erasure: the old epoch goes whole, its next epoch and other documents stay.
    let a_next = DocAddr { epoch: Epoch(1), ..a };
    store.persist(&Persist::Local { addr: a_next, bundle_id: id1, bytes: vec![8] }).await.unwrap();
    store.delete_epoch(a).await.unwrap();
    assert_eq!(store.load(a).await.unwrap(), Loaded::default(), "nothing of the deleted epoch is left");
    assert_eq!(store.load(a_next).await.unwrap().chunks, vec![vec![8]], "the next epoch stays");
    assert_eq!(store.load(b).await.unwrap().outbox, vec![(id1, vec![7])], "another document stays");
    store.delete_epoch(a).await.expect("deleting an epoch that is gone is fine");
}

async fn draft_contract<S: DraftStore>(store: &S) {
    let (form, other) = ("contact:new", "contact:0b7e4f6e-8a3c-4d1e-9f2a-1c2d3e4f5a6b");
    assert_eq!(store.get_draft(form).await.unwrap(), None, "no draft yet");
    store.delete_draft(form).await.expect("deleting a draft that is not there is fine");

    store.put_draft(form, r#"{"name":"Ay"}"#).await.unwrap();
    assert_eq!(store.get_draft(form).await.unwrap().as_deref(), Some(r#"{"name":"Ay"}"#));
    store.put_draft(form, r#"{"name":"Ayşe"}"#).await.unwrap();
    assert_eq!(store.get_draft(form).await.unwrap().as_deref(), Some(r#"{"name":"Ayşe"}"#), "the newest wins");

    store.put_draft(other, "{}").await.unwrap();
    store.delete_draft(form).await.unwrap();
    assert_eq!(store.get_draft(form).await.unwrap(), None, "deleted");
    assert_eq!(store.get_draft(other).await.unwrap().as_deref(), Some("{}"), "drafts are separate");
    store.put_draft(form, "").await.unwrap();
    assert_eq!(store.get_draft(form).await.unwrap().as_deref(), Some(""), "empty text is a draft too");
}

#[wasm_bindgen_test]
async fn the_memory_store_passes_the_contract() {
    contract(&MemoryStore::default()).await;
    draft_contract(&MemoryStore::default()).await;
}

#[wasm_bindgen_test]
async fn the_indexeddb_store_passes_the_contract() {
    IdbStore::delete("lotse-test-contract").await.unwrap();
    let store = IdbStore::open("lotse-test-contract").await.unwrap();
    contract(&store).await;
    draft_contract(&store).await;
}

/// What only IndexedDB holds of an epoch (its rows and its keys) goes with
/// it; keys of another epoch whose number starts the same, of another
/// document and the device's own stay.
#[wasm_bindgen_test]
async fn deleting_an_epoch_in_indexeddb_deletes_its_rows_and_keys_too() {
    IdbStore::delete("lotse-test-erase").await.unwrap();
    let store = IdbStore::open("lotse-test-erase").await.unwrap();
    let doc = DocumentId([7; 16]);
    let (old, newer, other) = (
        DocAddr { doc, epoch: Epoch(1) },
        DocAddr { doc, epoch: Epoch(12) },
        DocAddr { doc: DocumentId([8; 16]), epoch: Epoch(1) },
    );
    for addr in [old, newer, other] {
        store.persist(&Persist::Local { addr, bundle_id: BundleId([1; 16]), bytes: vec![1] }).await.unwrap();
        store.persist(&Persist::Generation { addr, generation: lotse_sync::Generation([3; 16]) }).await.unwrap();
        store.put_rows(addr, &[vec![4]], &store.known_chunks(addr)).await.unwrap();
        let entries = lotse::store::key_entries(addr);
        for name in [entries.clone(), format!("{entries}:0"), format!("{entries}:1")] {
            store.put_key(&name, &"sealed".into()).await.unwrap();
        }
    }
    store.put_key("device", &"me".into()).await.unwrap();

    store.delete_epoch(old).await.unwrap();
    assert_eq!(store.current_rows(old).await.unwrap(), None, "its rows are gone");
    assert_eq!(store.load(old).await.unwrap(), Loaded::default());
    let left: Vec<String> =
        store.keys_named(&lotse::store::key_entries(old)).await.unwrap().into_iter().map(|(n, _)| n).collect();
    assert!(left.iter().all(|n| n.starts_with(&lotse::store::key_entries(newer))), "its keys are gone: {left:?}");
    assert_eq!(left.len(), 3, "epoch 12's keys share its prefix and stay");
    for addr in [newer, other] {
        assert_eq!(store.current_rows(addr).await.unwrap(), Some(vec![vec![4]]), "{addr} keeps its rows");
        assert_eq!(store.keys_named(&lotse::store::key_entries(addr)).await.unwrap().len(), 3, "{addr} keeps its keys");
        assert_eq!(store.load(addr).await.unwrap().chunks, vec![vec![1]]);
    }
    assert_eq!(store.get_key("device").await.unwrap().as_string().as_deref(), Some("me"), "the device's key stays");
    // After a reopen too: the deletion was committed, not only forgotten by this tab.
    store.close();
    let again = IdbStore::open("lotse-test-erase").await.unwrap();
    assert_eq!(again.load(old).await.unwrap(), Loaded::default());
    assert_eq!(again.load(newer).await.unwrap().chunks, vec![vec![1]]);

    // The page's rows under the document's first address go on their own
    // (a later erasure), and a scrub leaves nothing of its own behind.
    again.delete_rows(newer).await.unwrap();
    assert_eq!(again.current_rows(newer).await.unwrap(), None);
    assert_eq!(again.current_rows(other).await.unwrap(), Some(vec![vec![4]]), "another document's rows stay");
    again.scrub(1 << 20).await.unwrap();
    assert_eq!(again.keys_named("scrub-").await.unwrap().len(), 0, "the scrub's values are deleted again");
    assert_eq!(again.get_key("device").await.unwrap().as_string().as_deref(), Some("me"), "what was kept stays");
    assert_eq!(again.load(newer).await.unwrap().chunks, vec![vec![1]]);
}

#[wasm_bindgen_test]
async fn a_draft_in_indexeddb_survives_the_app_being_closed() {
    IdbStore::delete("lotse-test-drafts").await.unwrap();
    let store = IdbStore::open("lotse-test-drafts").await.unwrap();
    store.put_draft("contact:new", r#"{"name":"Leyla"}"#).await.unwrap();
    store.put_draft("gone", "1").await.unwrap();
    store.delete_draft("gone").await.unwrap();
    store.close();
    let again = IdbStore::open("lotse-test-drafts").await.unwrap();
    assert_eq!(again.get_draft("contact:new").await.unwrap().as_deref(), Some(r#"{"name":"Leyla"}"#));
    assert_eq!(again.get_draft("gone").await.unwrap(), None);
}

/// A database the first version of the app made (no `drafts` store) opens
/// as version 2 with its documents kept and drafts working.
#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_and_keeps_its_documents() {
    use wasm_bindgen::JsCast;
    let name = "lotse-test-upgrade";
    IdbStore::delete(name).await.unwrap();
    // Make version 1 by hand: the three stores of the first version, and a
    // document's cursor in `meta`.
    let a = addr(5);
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let open = factory.open_with_u32(name, 1).unwrap();
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = std::cell::RefCell::new(Some(tx));
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut()>::new({
        let open = open.clone();
        move || {
            let db: web_sys::IdbDatabase = open.result().unwrap().unchecked_into();
            for store in ["chunks", "outbox", "meta"] {
                db.create_object_store(store).unwrap();
            }
            let meta = open.transaction().unwrap().object_store("meta").unwrap();
            meta.put_with_key(&3.into(), &lotse::store::doc_key(a).into()).unwrap();
        }
    });
    let success = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if let Some(t) = tx.borrow_mut().take() {
            let _ = t.send(());
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    open.set_onsuccess(Some(success.as_ref().unchecked_ref()));
    rx.await.unwrap();
    let v1: web_sys::IdbDatabase = open.result().unwrap().unchecked_into();
    assert_eq!(v1.version(), 1.0);
    assert!(!v1.object_store_names().contains("drafts"));
    v1.close();

    let store = IdbStore::open(name).await.unwrap();
    assert_eq!(store.load(a).await.unwrap().cursor, Seq(3), "the document's state is kept");
    store.put_draft("contact:new", "{}").await.unwrap();
    assert_eq!(store.get_draft("contact:new").await.unwrap().as_deref(), Some("{}"));
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_everything_when_the_app_is_closed_and_opened_again() {
    IdbStore::delete("lotse-test-reopen").await.unwrap();
    let store = IdbStore::open("lotse-test-reopen").await.unwrap();
    let a = addr(3);
    store.persist(&Persist::Local { addr: a, bundle_id: BundleId([5; 16]), bytes: vec![5] }).await.unwrap();
    let at = Some(BundleId([6; 16]));
    store.persist(&Persist::Remote { addr: a, bytes: Some(vec![6]), cursor: Seq(2), at }).await.unwrap();
    store.close();
    let again = IdbStore::open("lotse-test-reopen").await.unwrap();
    let l = sorted(again.load(a).await.unwrap());
    assert_eq!(l.at, at, "the bundle at the cursor survives a restart");
    assert_eq!(l.chunks, vec![vec![5], vec![6]]);
    assert_eq!(l.outbox, vec![(BundleId([5; 16]), vec![5])]);
    assert_eq!(l.cursor, Seq(2));
}

#[wasm_bindgen_test]
async fn compacting_in_one_tab_keeps_a_chunk_another_tab_just_wrote() {
    IdbStore::delete("lotse-test-tabs").await.unwrap();
    let tab_a = IdbStore::open("lotse-test-tabs").await.unwrap();
    let tab_b = IdbStore::open("lotse-test-tabs").await.unwrap();
    let a = addr(4);
    tab_a.persist(&Persist::Local { addr: a, bundle_id: BundleId([1; 16]), bytes: vec![1] }).await.unwrap();
    tab_a.load(a).await.unwrap();
    tab_b.persist(&Persist::Local { addr: a, bundle_id: BundleId([2; 16]), bytes: vec![2] }).await.unwrap();
    // Tab A has not read B's chunk yet when it compacts.
    tab_a.persist(&Persist::Compact { addr: a, bytes: vec![1, 1, 1] }).await.unwrap();
    let l = sorted(tab_b.load(a).await.unwrap());
    assert_eq!(l.chunks, vec![vec![1, 1, 1], vec![2]], "B's chunk survives A's compaction");
    assert_eq!(tab_a.unseen_chunks(a).await.unwrap(), vec![vec![2]], "A then reads what B wrote");
}

#[wasm_bindgen_test]
async fn stored_rows_count_as_current_only_while_they_reflect_exactly_the_stored_chunks() {
    IdbStore::delete("lotse-test-rows").await.unwrap();
    let tab_a = IdbStore::open("lotse-test-rows").await.unwrap();
    let a = addr(5);
    assert_eq!(tab_a.current_rows(a).await.unwrap(), None, "no rows at first");
    tab_a.persist(&Persist::Local { addr: a, bundle_id: BundleId([1; 16]), bytes: vec![1] }).await.unwrap();
    tab_a.put_rows(a, &[vec![7, 7], vec![1]], &tab_a.known_chunks(a)).await.unwrap();
    assert_eq!(
        tab_a.current_rows(a).await.unwrap(),
        Some(vec![vec![7, 7], vec![1]]),
        "rows of every stored chunk are current, every part"
    );
    assert_eq!(tab_a.current_rows(addr(6)).await.unwrap(), None, "another document has none");

    // Tried: another tab stores a chunk the rows do not reflect.
    let tab_b = IdbStore::open("lotse-test-rows").await.unwrap();
    tab_b.persist(&Persist::Remote { addr: a, bytes: Some(vec![2]), cursor: Seq(1), at: None }).await.unwrap();
    assert_eq!(tab_a.current_rows(a).await.unwrap(), None, "a chunk the rows miss makes them stale");
    tab_a.unseen_chunks(a).await.unwrap();
    tab_a.put_rows(a, &[vec![8]], &tab_a.known_chunks(a)).await.unwrap();
    assert_eq!(tab_a.current_rows(a).await.unwrap(), Some(vec![vec![8]]));
    // Several documents in one read: each answered on its own.
    assert_eq!(
        tab_a.current_rows_of(&[addr(6), a]).await.unwrap(),
        vec![None, Some(vec![vec![8]])],
        "one read of two documents: none for the one without rows"
    );

    // Tried: a compaction replaces the chunks the rows were stamped with.
    tab_a.persist(&Persist::Compact { addr: a, bytes: vec![1, 2] }).await.unwrap();
    assert_eq!(tab_b.current_rows(a).await.unwrap(), None, "rows from before a compaction are stale");
    // A cursor-only write stores no chunk: the rows stay current.
    tab_a.put_rows(a, &[vec![9]], &tab_a.known_chunks(a)).await.unwrap();
    tab_a.persist(&Persist::Remote { addr: a, bytes: None, cursor: Seq(2), at: None }).await.unwrap();
    assert_eq!(tab_b.current_rows(a).await.unwrap(), Some(vec![vec![9]]));
}
