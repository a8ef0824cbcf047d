//! One contract for every relay store: the in-memory reference from
//! `lotse_sync`, the SQLite store and the PostgreSQL store must behave the
//! same.
//!
//! Each scenario is a generic function over `RelayStore`; `contract!` turns
//! it into one test per store. The PostgreSQL store runs in a throwaway
//! cluster this binary starts (`common::pg`), a fresh database per test.

mod common;

use lotse_relay::{PgStore, SqliteStore};
use lotse_sync::membership::MEMBERSHIP_EPOCH;
use lotse_sync::relay::{MemoryStore, NewBundle, PageLimit, RelayStore, StoredSnapshot};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};

fn addr(doc: u8, epoch: u32) -> DocAddr {
    DocAddr { doc: DocumentId([doc; 16]), epoch: Epoch(epoch) }
}

fn id(n: u8) -> BundleId {
    BundleId([n; 16])
}

fn seqs<S: RelayStore>(store: &S, at: DocAddr, since: u64) -> Vec<u64> {
    store.bundles_since(at, Seq(since)).unwrap().iter().map(|b| b.seq.0).collect()
}

fn appends_are_numbered_from_one_without_gaps<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    assert_eq!(store.head(a).unwrap(), Seq(0), "an empty log has head 0");
    for n in 1..=5u8 {
        let (seq, fresh) = store.append(a, id(n), KeyId(7), &[n; 3]).unwrap();
        assert_eq!((seq, fresh), (Seq(u64::from(n)), true));
    }
    assert_eq!(store.head(a).unwrap(), Seq(5));
    let all = store.bundles_since(a, Seq(0)).unwrap();
    assert_eq!(all.iter().map(|b| b.seq.0).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let third = &all[2];
    assert_eq!((third.bundle_id, third.key_id, third.sealed.as_slice()), (id(3), KeyId(7), &[3u8; 3][..]));
}

fn a_repeated_bundle_id_returns_its_old_seq_and_stores_nothing<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    store.append(a, id(1), KeyId(1), b"first").unwrap();
    store.append(a, id(2), KeyId(1), b"second").unwrap();
    // The same id again, even with other bytes: the old seq, not fresh.
    assert_eq!(store.append(a, id(1), KeyId(9), b"other bytes").unwrap(), (Seq(1), false));
    assert_eq!(store.head(a).unwrap(), Seq(2));
    let all = store.bundles_since(a, Seq(0)).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].sealed, b"first", "the first write wins");
    assert_eq!(store.append(a, id(3), KeyId(1), b"third").unwrap(), (Seq(3), true), "numbering goes on");
}

fn bundles_since_returns_only_what_follows_the_cursor<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    for n in 1..=4 {
        store.append(a, id(n), KeyId(1), &[n]).unwrap();
    }
    assert_eq!(seqs(&store, a, 0), [1, 2, 3, 4]);
    assert_eq!(seqs(&store, a, 2), [3, 4]);
    assert_eq!(seqs(&store, a, 4), Vec::<u64>::new(), "at the head");
    assert_eq!(seqs(&store, a, 99), Vec::<u64>::new(), "past the head");
    assert!(store.bundles_since(addr(9, 0), Seq(0)).unwrap().is_empty(), "an unknown log is empty");
}

fn each_document_and_epoch_has_its_own_log<S: RelayStore>(mut store: S) {
    let (a0, a1, b0) = (addr(1, 0), addr(1, 1), addr(2, 0));
    assert_eq!(store.append(a0, id(1), KeyId(1), b"a0").unwrap(), (Seq(1), true));
    // The same bundle id in another epoch or document is another bundle.
    assert_eq!(store.append(a1, id(1), KeyId(2), b"a1").unwrap(), (Seq(1), true));
    assert_eq!(store.append(b0, id(1), KeyId(1), b"b0").unwrap(), (Seq(1), true));
    assert_eq!(store.append(a0, id(2), KeyId(1), b"a0'").unwrap(), (Seq(2), true));
    assert_eq!([store.head(a0).unwrap(), store.head(a1).unwrap(), store.head(b0).unwrap()], [Seq(2), Seq(1), Seq(1)]);
    assert_eq!(store.bundles_since(a1, Seq(0)).unwrap()[0].sealed, b"a1");
    assert_eq!(store.bundles_since(b0, Seq(0)).unwrap()[0].sealed, b"b0");
    store.put_snapshot(a1, StoredSnapshot { covers: Seq(1), key_id: KeyId(2), sealed: b"s".to_vec() }).unwrap();
    assert!(store.snapshot(a0).unwrap().is_none(), "a snapshot belongs to one epoch");
}

fn a_snapshot_is_kept_only_when_it_covers_more<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    assert_eq!(store.snapshot(a).unwrap(), None);
    let snap =
        |covers, sealed: &[u8]| StoredSnapshot { covers: Seq(covers), key_id: KeyId(3), sealed: sealed.to_vec() };
    store.put_snapshot(a, snap(5, b"five")).unwrap();
    assert_eq!(store.snapshot(a).unwrap(), Some(snap(5, b"five")));
    store.put_snapshot(a, snap(3, b"three")).unwrap();
    assert_eq!(store.snapshot(a).unwrap(), Some(snap(5, b"five")), "an older snapshot is ignored");
    store.put_snapshot(a, snap(5, b"five again")).unwrap();
    assert_eq!(store.snapshot(a).unwrap(), Some(snap(5, b"five")), "an equal one too");
    store.put_snapshot(a, snap(8, b"eight")).unwrap();
    assert_eq!(store.snapshot(a).unwrap(), Some(snap(8, b"eight")), "a newer one replaces it");
}

fn large_and_empty_bundles_come_back_byte_for_byte<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    let large: Vec<u8> = (0..2_000_000u32).map(|i| (i * 31 % 251) as u8).collect();
    store.append(a, id(1), KeyId(u32::MAX), &large).unwrap();
    store.append(a, id(2), KeyId(0), &[]).unwrap();
    let all = store.bundles_since(a, Seq(0)).unwrap();
    assert_eq!(all[0].sealed, large);
    assert_eq!(all[0].key_id, KeyId(u32::MAX));
    assert!(all[1].sealed.is_empty());
}

fn a_batch_is_numbered_in_order_per_log_and_a_repeat_inside_it_gets_the_first_seq<S: RelayStore>(mut store: S) {
    let (a, b) = (addr(1, 0), addr(2, 0));
    store.append(a, id(9), KeyId(1), b"before").unwrap();
    let new = |at, n: u8, sealed: &'static [u8]| NewBundle { addr: at, bundle_id: id(n), key_id: KeyId(1), sealed };
    let batch = [
        new(a, 1, b"a1"),
        new(b, 1, b"b1"),
        new(a, 2, b"a2"),
        new(a, 1, b"a1 again"),
        new(a, 9, b"before, again"),
        new(b, 2, b"b2"),
    ];
    let done = store.append_batch(&batch).unwrap();
    assert_eq!(
        done,
        [(Seq(2), true), (Seq(1), true), (Seq(3), true), (Seq(2), false), (Seq(1), false), (Seq(2), true)]
    );
    assert_eq!(seqs(&store, a, 0), [1, 2, 3]);
    assert_eq!(store.bundles_since(a, Seq(1)).unwrap()[0].sealed, b"a1", "the first of a repeated id is kept");
    assert_eq!(store.head(b).unwrap(), Seq(2));
    assert!(store.append_batch(&[]).unwrap().is_empty(), "an empty batch is nothing");
}

fn a_page_ends_at_its_bundle_count_or_with_the_bundle_that_reaches_its_bytes<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    for n in 1..=6 {
        store.append(a, id(n), KeyId(1), &[n; 10]).unwrap();
    }
    let page = |store: &S, since, bundles, bytes| -> Vec<u64> {
        store.bundles_page(a, Seq(since), PageLimit { bundles, bytes }).unwrap().iter().map(|b| b.seq.0).collect()
    };
    assert_eq!(page(&store, 0, 2, usize::MAX), [1, 2]);
    assert_eq!(page(&store, 2, 2, usize::MAX), [3, 4]);
    assert_eq!(page(&store, 0, 100, 25), [1, 2, 3], "the third brings it to 30 bytes");
    assert_eq!(page(&store, 0, 100, 20), [1, 2]);
    assert_eq!(page(&store, 3, 100, 1), [4], "at least one bundle, however large");
    assert_eq!(page(&store, 5, 100, 1_000), [6]);
    assert_eq!(page(&store, 6, 100, 1_000), Vec::<u64>::new());
    assert_eq!(store.bundles_page(a, Seq(0), PageLimit::ALL).unwrap(), store.bundles_since(a, Seq(0)).unwrap());
}

fn memory() -> (MemoryStore, ()) {
    (MemoryStore::default(), ())
}

fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (SqliteStore::open_in(dir.path()).unwrap(), dir)
}

fn postgres() -> (PgStore, ()) {
    (common::pg::store(), ())
}

macro_rules! contract {
    ($store:ident: $($scenario:ident),* $(,)?) => {
        mod $store {
            $(
                #[test]
                fn $scenario() {
                    let (store, _keep) = super::$store();
                    super::$scenario(store);
                }
            )*
        }
    };
}

macro_rules! every_store {
    ($($store:ident),*) => {
        $(contract!($store:
            appends_are_numbered_from_one_without_gaps,
            a_repeated_bundle_id_returns_its_old_seq_and_stores_nothing,
            bundles_since_returns_only_what_follows_the_cursor,
            each_document_and_epoch_has_its_own_log,
            a_snapshot_is_kept_only_when_it_covers_more,
            large_and_empty_bundles_come_back_byte_for_byte,
            a_batch_is_numbered_in_order_per_log_and_a_repeat_inside_it_gets_the_first_seq,
            a_page_ends_at_its_bundle_count_or_with_the_bundle_that_reaches_its_bytes,
            the_membership_logs_are_every_log_at_the_membership_epoch_in_order,
            a_log_keeps_its_generation_until_it_is_renewed,
            the_bundle_at_a_seq_is_named_by_its_id,
            deleting_an_epoch_takes_its_log_and_snapshot_and_nothing_else,
        );)*
    };
}

fn deleting_an_epoch_takes_its_log_and_snapshot_and_nothing_else<S: RelayStore>(mut store: S) {
    let (old, new, other) = (addr(1, 0), addr(1, 1), addr(2, 0));
    for (at, n) in [(old, 1), (old, 2), (new, 3), (other, 4)] {
        store.append(at, id(n), KeyId(1), &[n; 5]).unwrap();
    }
    for at in [old, new, other] {
        store.put_snapshot(at, StoredSnapshot { covers: Seq(1), key_id: KeyId(1), sealed: b"s".to_vec() }).unwrap();
    }
    let generation = store.generation(old).unwrap();
    store.delete_epoch(old).unwrap();
    assert_eq!(store.head(old).unwrap(), Seq(0));
    assert!(store.bundles_since(old, Seq(0)).unwrap().is_empty());
    assert!(store.snapshot(old).unwrap().is_none());
    assert_ne!(store.generation(old).unwrap(), generation, "a log appended again would be another life of it");
    assert_eq!(seqs(&store, new, 0), [1], "the new epoch stays");
    assert_eq!(seqs(&store, other, 0), [1], "another document stays");
    assert!(store.snapshot(new).unwrap().is_some() && store.snapshot(other).unwrap().is_some());
    store.delete_epoch(old).unwrap();
    store.delete_epoch(addr(9, 3)).unwrap();
    assert_eq!(seqs(&store, new, 0), [1], "deleting again, or what is not there, does nothing");
}

fn the_membership_logs_are_every_log_at_the_membership_epoch_in_order<S: RelayStore>(mut store: S) {
    assert!(store.membership_logs().unwrap().is_empty());
    let epoch = MEMBERSHIP_EPOCH.0;
    store.append(addr(2, epoch), id(1), KeyId(0), b"two, first").unwrap();
    store.append(addr(1, epoch), id(2), KeyId(0), b"one, first").unwrap();
    store.append(addr(1, 0), id(3), KeyId(1), b"a document's bundle").unwrap();
    store.append(addr(2, epoch), id(4), KeyId(0), b"two, second").unwrap();
    let logs = store.membership_logs().unwrap();
    let want = vec![
        (DocumentId([1; 16]), vec![b"one, first".to_vec()]),
        (DocumentId([2; 16]), vec![b"two, first".to_vec(), b"two, second".to_vec()]),
    ];
    assert_eq!(logs, want);
}

fn a_log_keeps_its_generation_until_it_is_renewed<S: RelayStore>(mut store: S) {
    let (a, b, empty) = (addr(1, 0), addr(2, 0), addr(3, 0));
    store.append(a, id(1), KeyId(1), b"one").unwrap();
    let first = store.generation(a).unwrap();
    assert!(!first.is_none(), "an appended log has a generation");
    store.append(a, id(2), KeyId(1), b"two").unwrap();
    assert_eq!(store.generation(a).unwrap(), first, "appends keep it");
    let unread = store.generation(empty).unwrap();
    assert!(!unread.is_none(), "a log gets one when first read");
    assert_eq!(store.generation(empty).unwrap(), unread, "and keeps it");
    assert_eq!(store.head(empty).unwrap(), Seq(0), "reading it stores no bundle");
    store.append(b, id(1), KeyId(1), b"other").unwrap();
    let other = store.generation(b).unwrap();
    assert!(other != first && other != unread, "each log its own");
    let renewed = store.renew_generation(a).unwrap();
    assert!(renewed != first && store.generation(a).unwrap() == renewed, "renewed: a new one");
    assert_eq!(store.generation(b).unwrap(), other, "the others keep theirs");
    assert_eq!(seqs(&store, a, 0), [1, 2], "renewing keeps the log");
    assert!(store.renew_all_generations().unwrap() >= 3);
    for (log, old) in [(a, renewed), (b, other), (empty, unread)] {
        assert!(store.generation(log).unwrap() != old, "{log}: every log renewed");
    }
}

/// What the relay checks a device's `Subscribe.at` against (protocol 8).
fn the_bundle_at_a_seq_is_named_by_its_id<S: RelayStore>(mut store: S) {
    let a = addr(1, 0);
    for n in 1..=3 {
        store.append(a, id(n), KeyId(1), &[n; 40]).unwrap();
    }
    assert_eq!(store.bundle_id_at(a, Seq(2)).unwrap(), Some(id(2)));
    assert_eq!(store.bundle_id_at(a, Seq(3)).unwrap(), Some(id(3)), "at the head");
    assert_eq!(store.bundle_id_at(a, Seq(0)).unwrap(), None, "nothing at 0");
    assert_eq!(store.bundle_id_at(a, Seq(4)).unwrap(), None, "nothing past the head");
    assert_eq!(store.bundle_id_at(addr(2, 0), Seq(1)).unwrap(), None, "nothing in an unknown log");
}

every_store!(memory, sqlite, postgres);

#[test]
fn the_sqlite_store_keeps_everything_after_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (addr(1, 0), addr(2, 3));
    {
        let mut store = SqliteStore::open_in(dir.path()).unwrap();
        for n in 1..=3 {
            store.append(a, id(n), KeyId(1), &[n]).unwrap();
        }
        store.append(b, id(1), KeyId(4), b"b").unwrap();
        store.put_snapshot(a, StoredSnapshot { covers: Seq(2), key_id: KeyId(1), sealed: b"snap".to_vec() }).unwrap();
    }
    let mut store = SqliteStore::open_in(dir.path()).unwrap();
    assert_eq!(store.head(a).unwrap(), Seq(3));
    assert_eq!(seqs(&store, a, 0), [1, 2, 3]);
    assert_eq!(store.bundles_since(b, Seq(0)).unwrap()[0].sealed, b"b");
    assert_eq!(store.snapshot(a).unwrap().map(|s| (s.covers, s.sealed)), Some((Seq(2), b"snap".to_vec())));
    assert_eq!(store.append(a, id(2), KeyId(1), &[2]).unwrap(), (Seq(2), false), "idempotent across restarts");
    assert_eq!(store.append(a, id(4), KeyId(1), &[4]).unwrap(), (Seq(4), true), "numbering resumes at the head");
}

#[test]
fn the_postgres_store_keeps_everything_for_another_relay_and_after_reopening() {
    let url = common::pg::database();
    let (a, b) = (addr(1, 0), addr(2, 3));
    {
        let mut store = common::pg::open(&url);
        for n in 1..=3 {
            store.append(a, id(n), KeyId(1), &[n]).unwrap();
        }
        store.append(b, id(1), KeyId(4), b"b").unwrap();
        store.put_snapshot(a, StoredSnapshot { covers: Seq(2), key_id: KeyId(1), sealed: b"snap".to_vec() }).unwrap();
    }
    let mut store = common::pg::open(&url);
    assert_eq!(store.head(a).unwrap(), Seq(3));
    assert_eq!(seqs(&store, a, 0), [1, 2, 3]);
    assert_eq!(store.bundles_since(b, Seq(0)).unwrap()[0].sealed, b"b");
    assert_eq!(store.snapshot(a).unwrap().map(|s| (s.covers, s.sealed)), Some((Seq(2), b"snap".to_vec())));
    assert_eq!(store.append(a, id(2), KeyId(1), &[2]).unwrap(), (Seq(2), false), "idempotent across relays");
    assert_eq!(store.append(a, id(4), KeyId(1), &[4]).unwrap(), (Seq(4), true), "numbering resumes at the head");
}

#[test]
fn a_postgres_batch_that_fails_in_its_middle_leaves_nothing_and_uses_up_no_seq() {
    let url = common::pg::database();
    let mut store = common::pg::open(&url);
    let a = addr(1, 0);
    store.append(a, id(1), KeyId(1), b"one").unwrap();
    // The third bundle of the log cannot be written, as on a full disk.
    let mut admin = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER refuse BEFORE INSERT ON bundles FOR EACH ROW WHEN (NEW.seq = 3) EXECUTE FUNCTION refuse();",
        )
        .unwrap();
    let batch: Vec<(BundleId, Vec<u8>)> = (2..=4).map(|n| (id(n), vec![n])).collect();
    let new: Vec<NewBundle<'_>> =
        batch.iter().map(|(i, s)| NewBundle { addr: a, bundle_id: *i, key_id: KeyId(1), sealed: s }).collect();
    let err = store.append_batch(&new).unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(store.head(a).unwrap(), Seq(1), "none of the batch is stored, its head did not move");
    admin.batch_execute("DROP TRIGGER refuse ON bundles").unwrap();
    assert_eq!(store.append_batch(&new).unwrap(), [(Seq(2), true), (Seq(3), true), (Seq(4), true)]);
}

#[test]
fn two_relays_appending_to_one_log_at_once_leave_no_gap_and_no_duplicate() {
    let url = common::pg::database();
    let a = addr(1, 0);
    let b = addr(2, 0);
    // Each relay appends 150 bundles in batches of 1 to 7 to two logs
    // (in either order, so their locks cross), and both send the same 30.
    let relays: Vec<_> = (0..2u8)
        .map(|r| {
            let mut store = common::pg::open(&url);
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                let mut n = 0u32;
                let mut size = 1 + usize::from(r);
                while n < 150 {
                    let batch: Vec<(DocAddr, BundleId, Vec<u8>)> = (0..size)
                        .map(|k| {
                            let m = n + k as u32;
                            let shared = m.is_multiple_of(5);
                            let mut bid = [0u8; 16];
                            bid[..4].copy_from_slice(&m.to_be_bytes());
                            bid[4] = if shared { 0xee } else { r };
                            let at = if shared || (m + u32::from(r)).is_multiple_of(2) { a } else { b };
                            (at, BundleId(bid), m.to_be_bytes().to_vec())
                        })
                        .collect();
                    let new: Vec<NewBundle<'_>> = batch
                        .iter()
                        .map(|(at, i, s)| NewBundle { addr: *at, bundle_id: *i, key_id: KeyId(1), sealed: s })
                        .collect();
                    let done = store.append_batch(&new).unwrap();
                    acked.extend(batch.iter().zip(done).map(|((at, i, _), (seq, _))| (*at, *i, seq)));
                    n += size as u32;
                    size = size % 7 + 1;
                }
                acked
            })
        })
        .collect();
    let acked: Vec<(DocAddr, BundleId, Seq)> = relays.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let store = common::pg::open(&url);
    for at in [a, b] {
        let log = store.bundles_since(at, Seq(0)).unwrap();
        let seqs: Vec<u64> = log.iter().map(|x| x.seq.0).collect();
        assert_eq!(seqs, (1..=log.len() as u64).collect::<Vec<_>>(), "contiguous from 1");
        let mut ids: Vec<BundleId> = log.iter().map(|x| x.bundle_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), log.len(), "each bundle once");
        assert_eq!(store.head(at).unwrap(), Seq(log.len() as u64));
        // Every acknowledged seq is where that bundle is.
        for (_, i, seq) in acked.iter().filter(|(x, _, _)| *x == at) {
            assert_eq!(log[seq.0 as usize - 1].bundle_id, *i);
        }
    }
}
