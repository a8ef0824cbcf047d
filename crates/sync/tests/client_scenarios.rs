//! Focused scenarios of the device's state machine against a real relay
//! core on a well-behaved simulated network: bad bundles in the log, a new
//! device starting from a snapshot, a relay that lost its log, and one
//! regression test for each bug the simulation found.

mod support;

use std::collections::VecDeque;

use automerge::AutoCommit;
use automerge::ChangeHash;
use lotse_sync::client::{
    Access, ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, LocalChange, OpenDoc, Persist, Problem,
    RewriteError, SnapshotError,
};
use lotse_sync::envelope::{CommunityKey, EnvelopeError, Keyring, Kind};
use lotse_sync::membership::{membership_addr, testing, Grant, Membership, Role, Standing, Statement};
use lotse_sync::relay::{ConnId, RelayEvent, RelayStore, StoredSnapshot};
use lotse_sync::wire::{ClientFrame, ErrorCode, Push, PutSnapshot, RelayFrame, Subscribe};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Millis, Seq};
use support::{community_key, heads, root_map, Disk, Msg, Relay, SimEntropy, World, ADDR};

const TICK: Millis = 100;

fn config() -> ClientConfig {
    ClientConfig { resend_after: 1_000, resync_every: 4_000, snapshot_every: 4, compact_every: 5 }
}

/// No snapshots: a device that joins reads the whole log.
fn config_without_snapshots() -> ClientConfig {
    ClientConfig { snapshot_every: 1_000, ..config() }
}

/// Runs until nothing has happened for a while and nothing is in flight.
fn settle(w: &mut World) {
    w.settle(TICK, 3 * w.config.resync_every, 60_000).expect("the world goes quiet");
}

fn assert_converged(w: &World) {
    let want = w.devices[0].core.doc(ADDR).expect("open");
    for (d, dev) in w.devices.iter().enumerate() {
        let doc = dev.core.doc(ADDR).expect("open");
        assert_eq!(root_map(doc), root_map(want), "device {d}");
        assert_eq!(heads(doc), heads(want), "device {d}");
        assert_eq!(dev.core.cursor(ADDR), Some(w.relay.head()), "device {d}");
        assert_eq!(dev.core.status().pending, 0, "device {d}");
    }
    w.relay.check_log().unwrap();
}

/// Something that is not a device of the community pushes `sealed` into the
/// log over a connection of its own.
/// `seal` gets the bundle id the push will carry.
fn push_foreign(w: &mut World, key_id: KeyId, seal: impl FnOnce(BundleId) -> Vec<u8>) {
    let conn = ConnId(1_000_000);
    w.relay.connect_insider(conn);
    let bundle_id = BundleId(w.rng.next_u64().to_le_bytes().repeat(2).try_into().unwrap());
    let sealed = seal(bundle_id);
    w.relay_frame(conn, ClientFrame::Push(Push { addr: ADDR, bundle_id, key_id, sealed }).encode());
}

/// Seals `body` as the bundle the push will carry, signed by the insider
/// (a member) as a device signs it.
fn seal_with<'a>(key: &'a CommunityKey, body: &'a [u8]) -> impl FnOnce(BundleId) -> Vec<u8> + 'a {
    move |id| {
        let signer = support::insider_key();
        key.seal_signed(&mut SimEntropy(support::Rng::new(99)), ADDR, Kind::Bundle(id), &signer, Seq(0), body)
    }
}

/// The bundle a `Send` pushes, if it is a push.
fn pushed(effect: &ClientEffect) -> Option<BundleId> {
    match effect {
        ClientEffect::Send(bytes) => match ClientFrame::decode(bytes) {
            Ok(ClientFrame::Push(p)) => Some(p.bundle_id),
            _ => None,
        },
        _ => None,
    }
}

fn problems_at(w: &World, d: usize) -> Vec<(Seq, &Problem)> {
    w.devices[d]
        .problems
        .iter()
        .map(|p| match p {
            Problem::Undecryptable { seq, .. }
            | Problem::NotAutomerge { seq, .. }
            | Problem::UnknownSigner { seq, .. }
            | Problem::WrittenAfterRetirement { seq, .. }
            | Problem::ForeignAuthor { seq, .. } => (*seq, p),
            other => (Seq(0), other),
        })
        .collect()
}

#[test]
fn a_bundle_that_does_not_decrypt_is_reported_and_skipped_without_losing_later_bundles() {
    let mut w = World::new(1, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    // Sealed with another community's key under our key id, garbage, and
    // sealed under a key id this community does not have.
    let stranger = CommunityKey::from_bytes(KeyId(1), [9; 32]);
    push_foreign(&mut w, KeyId(1), seal_with(&stranger, b"someone else's change"));
    push_foreign(&mut w, KeyId(1), |_| [0xde, 0xad, 0xbe, 0xef].repeat(20));
    push_foreign(&mut w, KeyId(77), seal_with(&stranger, b"rotated away"));
    w.write(0, "after", "2");
    settle(&mut w);

    // Devices 0 and 1 saw the bad bundles live; device 2 joins later and
    // reads them from the backlog.
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    assert_eq!(w.relay.head(), Seq(5));
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("before").map(String::as_str), Some("1"), "device {d}");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(
            matches!(
                problems.as_slice(),
                [
                    (Seq(2), Problem::Undecryptable { error: EnvelopeError::Undecryptable, .. }),
                    (Seq(3), Problem::Undecryptable { error: EnvelopeError::Undecryptable, .. }),
                    (Seq(4), Problem::Undecryptable { error: EnvelopeError::UnknownKey { found: 77, have: 1 }, .. }),
                ]
            ),
            "device {d}: {problems:?}"
        );
    }
}

/// A member who holds the community key pushes changes in others' names:
/// signed by a key that is no member's, under a current device's name with
/// its own signature, and unsigned as version 4 sealed them. Every device
/// (one that joins later too) sets each aside, applies what came after,
/// and names the reason.
#[test]
fn bundles_signed_by_no_member_or_under_another_name_are_set_aside_and_reported() {
    let mut w = World::new(6, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let stranger = testing::key(9_999);
    push_foreign(&mut w, community_key().id, |id| support::signed_change(&stranger, Seq(50), id, "forged", "stranger"));
    push_foreign(&mut w, community_key().id, |id| {
        // The insider's change and signature under device 0's name.
        let sealed = support::signed_change(&support::insider_key(), Seq(50), id, "forged", "renamed");
        let key = community_key();
        let mut plain = key.open(key.id, ADDR, Kind::Bundle(id), &sealed).unwrap();
        plain[..32].copy_from_slice(&support::device_key(0).id().0);
        key.seal(&mut SimEntropy(support::Rng::new(7)), ADDR, Kind::Bundle(id), &plain)
    });
    push_foreign(&mut w, community_key().id, |id| {
        let key = community_key();
        key.seal(&mut SimEntropy(support::Rng::new(8)), ADDR, Kind::Bundle(id), b"version 4")
    });
    w.write(0, "after", "2");
    settle(&mut w);
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("forged"), None, "device {d} applied a forged bundle");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        let stranger = stranger.id();
        let device_0 = support::device_key(0).id();
        assert!(
            matches!(
                problems.as_slice(),
                [
                    (Seq(2), Problem::UnknownSigner { signer, .. }),
                    (Seq(3), Problem::Undecryptable { error: EnvelopeError::BadSignature { signer: named }, .. }),
                    (Seq(4), Problem::Undecryptable { error: EnvelopeError::Unsigned(9), .. }),
                ] if *signer == stranger && *named == device_0
            ),
            "device {d}: {problems:?}"
        );
    }
}

/// A member signs a bundle with its own key but writes the change as
/// another device (a device's Automerge actor is its public key): every
/// device, one that joins later too, sets it aside and names both. The
/// same member's change under its own actor, and one under an actor that
/// names no device, are applied.
#[test]
fn a_change_written_as_another_device_is_set_aside_and_names_signer_and_actor() {
    let mut w = World::new(8, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let insider = support::insider_key();
    let as_device = |actor: Vec<u8>, field: &'static str| {
        let insider = insider.clone();
        move |id: BundleId| {
            let mut doc = AutoCommit::new().with_actor(automerge::ActorId::from(actor));
            support::put(&mut doc, 0, field, "x").expect("a fresh document");
            let body = doc.save_after(&[]);
            let mut entropy = SimEntropy(support::Rng::new(5));
            community_key().seal_signed(&mut entropy, ADDR, Kind::Bundle(id), &insider, Seq(50), &body)
        }
    };
    let device_0 = support::device_key(0).id();
    push_foreign(&mut w, community_key().id, as_device(device_0.0.to_vec(), "forged"));
    push_foreign(&mut w, community_key().id, as_device(insider.id().0.to_vec(), "own"));
    push_foreign(&mut w, community_key().id, as_device(vec![7; 16], "nameless"));
    settle(&mut w);
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("forged"), None, "device {d} applied a change written as device 0");
        assert_eq!(map.get("own").map(String::as_str), Some("x"), "device {d}");
        assert_eq!(map.get("nameless").map(String::as_str), Some("x"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(
            matches!(
                problems.as_slice(),
                [(Seq(2), Problem::ForeignAuthor { signer, actor, .. })]
                    if *signer == insider.id() && actor.as_slice() == device_0.0.as_slice()
            ),
            "device {d}: {problems:?}"
        );
    }
}

/// The membership orders retirement, the relay each log; "after" is said
/// from the signer's side: what it signed having read its own retirement.
/// A change it signed before counts (its history stays), one it signed
/// after is applied nowhere, even when a current member pushes it.
#[test]
fn what_a_retired_device_signed_before_its_retirement_counts_and_what_it_signed_after_does_not() {
    let mut w = World::new(7, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "first", "1");
    settle(&mut w);

    let retired = support::retired_key();
    let before = Seq(support::RETIRED_AT.0 - 1);
    push_foreign(&mut w, community_key().id, |id| support::signed_change(&retired, before, id, "early", "kept"));
    push_foreign(&mut w, community_key().id, |id| {
        support::signed_change(&retired, support::RETIRED_AT, id, "late", "dropped")
    });
    w.write(0, "last", "2");
    settle(&mut w);
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("early").map(String::as_str), Some("kept"), "device {d}");
        assert_eq!(map.get("late"), None, "device {d} applied what a retired device wrote after");
        assert_eq!(map.get("last").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        let retired = retired.id();
        assert!(
            matches!(
                problems.as_slice(),
                [(Seq(3), Problem::WrittenAfterRetirement { signer, .. })] if *signer == retired
            ),
            "device {d}: {problems:?}"
        );
    }
}

/// A snapshot signed by no member, or by a retired device after its
/// retirement, is refused like a forged one: the new device reads the log.
#[test]
fn a_snapshot_signed_by_no_member_or_after_retirement_is_refused_and_the_log_read() {
    let mut w = World::new(8, 1, config_without_snapshots());
    w.connect(0);
    let key = community_key();
    for (n, (signer, read)) in
        [(testing::key(9_999), Seq(50)), (support::retired_key(), support::RETIRED_AT)].into_iter().enumerate()
    {
        for i in 0..4 {
            w.write(0, &format!("k{n}{i}"), &i.to_string());
        }
        settle(&mut w);
        let head = w.relay.head();
        let doc = w.devices[0].core.doc(ADDR).unwrap().clone().save();
        let mut entropy = SimEntropy(support::Rng::new(n as u64));
        let sealed = key.seal_signed(&mut entropy, ADDR, Kind::Snapshot(head), &signer, read, &doc);
        w.relay.store.put_snapshot(ADDR, StoredSnapshot { covers: head, key_id: key.id, sealed }).unwrap();
        let d = w.add_device();
        w.connect(d);
        settle(&mut w);
        assert_converged(&w);
        let refused: Vec<_> =
            w.devices[d].problems.iter().filter(|p| matches!(p, Problem::SnapshotRefused { .. })).collect();
        let expected = [
            SnapshotError::UnknownSigner(testing::key(9_999).id()),
            SnapshotError::WrittenAfterRetirement(support::retired_key().id()),
        ];
        assert!(
            matches!(refused.as_slice(), [Problem::SnapshotRefused { error, .. }] if *error == expected[n]),
            "device {d}: {refused:?}"
        );
    }
}

/// A device of `NET` holding `key` of `ADDR`, connected to no relay but
/// past a `Welcome`: the test hands it the relay's frames itself.
fn device_alone(me: lotse_sync::membership::DeviceKey, key: CommunityKey) -> ClientCore<SimEntropy> {
    let mut core = ClientCore::new(SimEntropy(support::Rng::new(1)), config());
    core.set_identity(Identity { key: me, network: support::NET });
    let open = OpenDoc {
        addr: ADDR,
        keys: Keyring::new(key),
        doc: AutoCommit::new(),
        cursor: Seq(0),
        generation: lotse_sync::Generation::NONE,
        at: None,
        outbox: vec![],
        chunks: 0,
    };
    core.open(0, open);
    core.handle(0, ClientEvent::Connected);
    let welcome = RelayFrame::Welcome(lotse_sync::wire::Welcome {
        version: lotse_sync::wire::PROTOCOL_VERSION,
        max_frame: 1 << 20,
        challenge: [1; 32],
    });
    core.handle(0, ClientEvent::Received(welcome.encode()));
    core
}

/// A device that has not read the membership as far as a bundle's signer
/// had waits before it judges: the signer's retirement may be in what it
/// has not read. So a retired device's late bundle is set aside however
/// early it comes, and a member's is applied once the log was read to it.
#[test]
fn a_bundle_waits_until_the_membership_was_read_as_far_as_its_signer_had() {
    let mut core = device_alone(support::device_key(0), community_key());
    let bundle = |seq: u64, sealed: Vec<u8>, id: BundleId| {
        let b =
            lotse_sync::wire::Bundle { addr: ADDR, seq: Seq(seq), bundle_id: id, key_id: community_key().id, sealed };
        ClientEvent::Received(RelayFrame::Bundle(b).encode())
    };
    let statement = |seq: usize, s: &lotse_sync::membership::Signed| {
        let b = lotse_sync::wire::Bundle {
            addr: membership_addr(support::NET),
            seq: Seq(seq as u64),
            bundle_id: s.id(),
            key_id: KeyId(0),
            sealed: s.encode(),
        };
        ClientEvent::Received(RelayFrame::Bundle(b).encode())
    };
    let applied = |effects: &[ClientEffect]| {
        effects.iter().find_map(|e| match e {
            ClientEffect::Persist(Persist::Remote { bytes, cursor, .. }) => Some((bytes.is_some(), *cursor)),
            _ => None,
        })
    };
    let (late, kept) = (BundleId([1; 16]), BundleId([2; 16]));
    let retired = support::retired_key();
    let effects =
        core.handle(0, bundle(1, support::signed_change(&retired, support::RETIRED_AT, late, "late", "x"), late));
    assert_eq!(applied(&effects), None, "nothing of the membership read yet: it waits");
    assert!(!core.status().caught_up);
    let effects =
        core.handle(0, bundle(2, support::signed_change(&support::device_key(1), Seq(2), kept, "kept", "y"), kept));
    assert_eq!(applied(&effects), None, "in line behind the first");
    let log = support::membership_log();
    for (i, s) in log.iter().enumerate().take(log.len() - 1) {
        let effects = core.handle(0, statement(i + 1, s));
        assert_eq!(applied(&effects), None, "the signer is a member, but it had read further than this device");
    }
    let effects = core.handle(0, statement(log.len(), log.last().unwrap()));
    assert!(
        effects.iter().any(|e| matches!(e, ClientEffect::Problem(Problem::WrittenAfterRetirement { seq: Seq(1), .. }))),
        "{effects:?}"
    );
    assert_eq!(applied(&effects), Some((false, Seq(1))), "set aside, the cursor past it");
    // The member's bundle behind it is applied (its write waits for the first's).
    assert_eq!(core.cursor(ADDR), Some(Seq(2)));
    let map = root_map(core.doc(ADDR).unwrap());
    assert_eq!((map.get("late"), map.contains_key("kept")), (None, true));
}

/// A bundle sealed with a key the membership named for the document but
/// this device was not handed (a rotation sealed before its enrolment was
/// read) waits for the grant: no report, the cursor held, not caught up,
/// and the document not asked for again however long it waits; the
/// coordinator's `Keys` lets it through. A bundle under a key no statement
/// named is set aside once the membership was read well after it came.
#[test]
fn a_bundle_under_a_key_the_device_is_owed_waits_for_it_and_one_under_a_key_nobody_named_is_set_aside() {
    let me = support::device_key(0);
    let founder = support::founder();
    let mut entropy = SimEntropy(support::Rng::new(3));
    let old = community_key();
    let new = old.next(&mut entropy).expect("the next id");
    let invite = testing::key(77);
    let grant = |key: &CommunityKey| lotse_sync::membership::Grant { addr: ADDR, key: key.id };
    let keys = |key: &CommunityKey, entropy: &mut SimEntropy| {
        let to = me.agreement().public();
        lotse_sync::grant::seal_keys(entropy, support::NET, me.id(), to, &[(ADDR, key.clone())]).expect("sealed")
    };
    let inv = Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![ADDR.doc], expires: u64::MAX };
    let log = [
        testing::found_holding(&founder, support::NET, &[ADDR.doc], &[grant(&old)]),
        founder.sign(support::NET, inv),
        testing::enrol(&invite, support::NET, &me),
        founder.sign(support::NET, keys(&old, &mut entropy)),
        founder.sign(support::NET, Statement::Rotate { grant: grant(&new), to: vec![] }),
    ];
    let mut core = device_alone(me.clone(), old.clone());
    let admitted = lotse_sync::wire::Authenticated { network: support::NET, role: Role::Mentor };
    core.handle(0, ClientEvent::Received(RelayFrame::Authenticated(admitted).encode()));
    let statement = |seq: usize, s: &lotse_sync::membership::Signed| {
        let addr = membership_addr(support::NET);
        let b = lotse_sync::wire::Bundle {
            addr,
            seq: Seq(seq as u64),
            bundle_id: s.id(),
            key_id: KeyId(0),
            sealed: s.encode(),
        };
        ClientEvent::Received(RelayFrame::Bundle(b).encode())
    };
    let caught_up = |head: usize| {
        let c = lotse_sync::wire::CaughtUp {
            addr: membership_addr(support::NET),
            head: Seq(head as u64),
            snapshot: Seq(0),
            generation: lotse_sync::Generation([7; 16]),
        };
        ClientEvent::Received(RelayFrame::CaughtUp(c).encode())
    };
    for (i, s) in log.iter().enumerate() {
        core.handle(0, statement(i + 1, s));
    }
    core.handle(0, caught_up(log.len()));
    // A change the founder sealed with the new key.
    let bundle = |seq: u64, key: &CommunityKey, id: BundleId| {
        let mut doc = AutoCommit::new();
        support::put(&mut doc, 0, &format!("k{seq}"), "v").expect("a put");
        let mut e = SimEntropy(support::Rng::new(seq));
        let sealed = key.seal_signed(&mut e, ADDR, Kind::Bundle(id), &founder, Seq(5), &doc.save_after(&[]));
        let b = lotse_sync::wire::Bundle { addr: ADDR, seq: Seq(seq), bundle_id: id, key_id: key.id, sealed };
        ClientEvent::Received(RelayFrame::Bundle(b).encode())
    };
    let stored = |effects: &[ClientEffect]| {
        effects.iter().find_map(|e| match e {
            ClientEffect::Persist(Persist::Remote { cursor, .. }) => Some(*cursor),
            _ => None,
        })
    };
    let effects = core.handle(10, bundle(1, &new, BundleId([1; 16])));
    assert_eq!(stored(&effects), None, "it waits");
    assert!(!effects.iter().any(|e| matches!(e, ClientEffect::Problem(_))), "{effects:?}");
    assert!(!core.status().caught_up);
    // However long: the document is not asked for again, nothing reported.
    for t in (100..=10 * config().resync_every).step_by(TICK as usize) {
        for e in core.handle(t, ClientEvent::Tick) {
            match e {
                ClientEffect::Send(bytes) => match ClientFrame::decode(&bytes) {
                    Ok(ClientFrame::Subscribe(s)) => assert_ne!(s.addr, ADDR, "asked for the log again at {t}"),
                    Ok(ClientFrame::Push(p)) => panic!("pushed {} at {t}", p.bundle_id),
                    _ => {}
                },
                ClientEffect::Problem(p) => panic!("reported {p:?} at {t}"),
                _ => {}
            }
        }
    }
    assert_eq!(core.cursor(ADDR), Some(Seq(0)));
    // The coordinator hands the new key over: the bundle is applied.
    let now = 20 * config().resync_every;
    let effects = core.handle(now, statement(log.len() + 1, &founder.sign(support::NET, keys(&new, &mut entropy))));
    assert!(effects.iter().any(|e| matches!(e, ClientEffect::KeysGranted(k) if k == &vec![(ADDR, new.clone())])));
    assert_eq!(stored(&effects), Some(Seq(1)), "{effects:?}");
    assert_eq!(core.key_ids(ADDR), Some(vec![old.id, new.id]));
    assert!(root_map(core.doc(ADDR).unwrap()).contains_key("k1"));

    // A key nobody named: read the membership on first, then set aside.
    let stranger = CommunityKey::from_bytes(KeyId(9), [9; 32]);
    let effects = core.handle(now + 1, bundle(2, &stranger, BundleId([2; 16])));
    assert_eq!(stored(&effects), None, "a rotation may not be read yet");
    let effects = core.handle(now + 1 + config().resend_after, caught_up(log.len() + 1));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            ClientEffect::Problem(Problem::Undecryptable {
                seq: Seq(2),
                error: EnvelopeError::UnknownKey { found: 9, have: 2 },
                ..
            })
        )),
        "{effects:?}"
    );
    assert_eq!(core.cursor(ADDR), Some(Seq(2)), "set aside, the cursor past it");
}

#[test]
fn a_bundle_that_decrypts_but_is_not_automerge_is_reported_and_skipped() {
    let mut w = World::new(2, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let key = community_key();
    push_foreign(&mut w, key.id, seal_with(&key, b"plain text, not a change"));
    w.write(0, "after", "2");
    settle(&mut w);

    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("before").map(String::as_str), Some("1"), "device {d}");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(matches!(problems.as_slice(), [(Seq(2), Problem::NotAutomerge { .. })]), "device {d}: {problems:?}");
    }
}

/// Bug: `AutoCommit::load_incremental` into a document that already has
/// content loads the chunks it can parse and silently drops the rest. A
/// device with a document applied half of such a bundle and reported
/// nothing; plain garbage passed as an empty bundle.
#[test]
fn a_bundle_with_garbage_after_a_valid_change_is_reported_not_half_applied() {
    let mut w = World::new(5, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let key = community_key();
    let mut bytes = {
        let mut doc = AutoCommit::new();
        support::put(&mut doc, 0, "smuggled", "x").unwrap();
        doc.save()
    };
    bytes.extend(b"trailing garbage");
    push_foreign(&mut w, key.id, seal_with(&key, &bytes));
    w.write(0, "after", "2");
    settle(&mut w);
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("smuggled"), None, "device {d} applied part of a bad bundle");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(matches!(problems.as_slice(), [(Seq(2), Problem::NotAutomerge { .. })]), "device {d}: {problems:?}");
    }
}

#[test]
fn a_new_device_starts_from_the_newest_snapshot() {
    let mut w = World::new(3, 1, config());
    w.connect(0);
    for i in 0..10 {
        w.write(0, &format!("k{i}"), &i.to_string());
        w.run_for(50, 50);
    }
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("the relay got a PutSnapshot");
    assert!(snapshot.covers >= Seq(config().snapshot_every), "snapshot covers {}", snapshot.covers.0);
    assert!(snapshot.covers < w.relay.head(), "this test wants bundles after the snapshot");

    w.add_device();
    w.connect(1);
    settle(&mut w);

    // The document's frames (the membership log's come too).
    let frames: Vec<&RelayFrame> = w.devices[1]
        .received
        .iter()
        .filter(|f| match f {
            RelayFrame::Snapshot(s) => s.addr == ADDR,
            RelayFrame::Bundle(b) => b.addr == ADDR,
            _ => false,
        })
        .collect();
    let RelayFrame::Snapshot(first) = frames[0] else { panic!("first frame is not a snapshot: {frames:?}") };
    assert_eq!(first.covers, snapshot.covers);
    let later: Vec<u64> = frames[1..]
        .iter()
        .map(|f| match f {
            RelayFrame::Bundle(b) => b.seq.0,
            other => panic!("a second snapshot: {other:?}"),
        })
        .collect();
    let expected: Vec<u64> = (snapshot.covers.0 + 1..=w.relay.head().0).collect();
    assert_eq!(later, expected);
    assert_converged(&w);
    assert_eq!(root_map(w.devices[1].core.doc(ADDR).unwrap()).len(), 10);
}

#[test]
fn a_relay_that_lost_its_log_gets_every_document_pushed_again() {
    let mut w = World::new(4, 2, config());
    w.connect(0);
    w.connect(1);
    for i in 0..3 {
        w.write(0, &format!("a{i}"), "x");
        w.write(1, &format!("b{i}"), "y");
        w.run_for(50, 50);
    }
    settle(&mut w);
    assert!(w.relay.head() >= Seq(6));

    // The relay comes back from an empty disk; every connection drops.
    w.relay = Relay::new();
    w.disconnect(0);
    w.disconnect(1);
    w.write(1, "offline", "z");
    w.connect(0);
    w.connect(1);
    settle(&mut w);

    for d in [0, 1] {
        assert!(
            w.devices[d].problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::CursorAhead, .. })),
            "device {d}: {:?}",
            w.devices[d].problems
        );
    }
    w.devices.iter_mut().for_each(|d| d.problems.clear());
    w.add_device();
    w.connect(2);
    w.write(2, "late", "w");
    settle(&mut w);
    assert_converged(&w);
    let map = root_map(w.devices[2].core.doc(ADDR).unwrap());
    assert_eq!(map.len(), 3 + 3 + 2, "{map:?}");
    assert!(w.devices.iter().all(|d| d.problems.is_empty()));
}

/// Seed 46 of the simulation with restores: a device whose push was
/// acknowledged before any `CaughtUp` named the log's generation kept a
/// cursor of no generation. After the relay was restored from a backup and
/// the log grew back past that cursor, its subscribe matched any log: it
/// read on from the wrong place, missed the other device's edits, and its
/// own acknowledged edit was gone from the relay. Now the `Ack` names the
/// generation, and a cursor past 0 of none is not trusted.
#[test]
fn an_edit_acknowledged_before_the_log_named_its_generation_survives_a_restore() {
    let mut p = Pair::new(2);
    let before = p.relay.backup();
    for d in [0, 1] {
        p.open(d, ADDR);
    }
    p.lose_caught_up[0] = true;
    p.connect(0);
    p.change(0, "mine");
    assert_eq!(p.disks[0].cursor, Seq(1), "cursored past its own bundle by the Ack");
    assert!(p.disks[0].outbox.is_empty(), "acknowledged: dropped from the outbox");
    let generation = p.disks[0].generation;
    assert!(!generation.is_none(), "the Ack named the log's generation, and it is stored");

    // The relay comes back from the backup (the log did not exist yet) and
    // device 1's edits make the log longer than device 0's cursor.
    p.relay.put_back(before, true);
    p.lose_caught_up[0] = false;
    p.reconnect(1);
    p.change(1, "theirs 1");
    p.change(1, "theirs 2");
    assert_eq!(p.relay.head(), Seq(2));

    p.reconnect(0);
    assert!(
        p.problems[0].iter().any(|e| matches!(e, Problem::Relay { code: ErrorCode::CursorAhead, .. })),
        "the relay names another generation: {:?}",
        p.problems[0]
    );
    p.reconnect(1);
    assert_eq!(p.heads(0), p.heads(1), "each has the other's edits");
    for key in ["mine", "theirs 1", "theirs 2"] {
        assert!(root_map(p.devices[0].1.doc(ADDR).unwrap()).contains_key(key), "{key}");
    }
    assert!(p.relay.log().len() >= 3, "the relay's log holds device 0's edit again");
    assert!(p.disks[0].generation != generation && !p.disks[0].generation.is_none());
}

/// Seed 1489 of the simulation with restores: the bundle that pushes the
/// whole document again after a lost log failed to be stored. The device
/// then subscribed from 0 of no generation, which the relay took, and
/// the edit the relay had lost (acknowledged long before, at a seq past
/// the device's cursor) never reached it again.
#[test]
fn a_whole_document_push_whose_write_failed_is_made_again() {
    let mut p = Pair::new(2);
    p.open(1, ADDR);
    p.connect(1);
    // Device 0 holds an edit the relay acknowledged in a life of the log
    // that is gone: its cursor 0 is of that generation.
    let mut doc = AutoCommit::new().with_actor(support::actor(0, 0));
    support::put(&mut doc, 0, "mine", "v").unwrap();
    let old = lotse_sync::Generation([0x01; 16]);
    let open = OpenDoc {
        addr: ADDR,
        keys: Keyring::new(community_key()),
        doc,
        cursor: Seq(0),
        generation: old,
        at: None,
        outbox: vec![],
        chunks: 1,
    };
    p.restart_with(0, open);
    p.hold[0] = true;
    p.connect(0);
    assert!(matches!(p.out(0), Persist::Local { .. }), "the whole document, pushed again: {:?}", p.held[0]);
    p.answer(0, false);
    assert!(p.held[0].is_empty(), "nothing written before the next tick");
    p.tick(0);
    assert!(matches!(p.out(0), Persist::Local { .. }), "made again: {:?}", p.held[0]);
    while !p.held[0].is_empty() {
        p.answer(0, true);
    }
    p.tick(0);
    assert!(root_map(p.devices[1].1.doc(ADDR).unwrap()).contains_key("mine"), "the relay has the edit again");
    assert!(p.disks[0].generation != old && !p.disks[0].generation.is_none());
}

/// A device that read part of the log (or had a push acknowledged by a
/// relay of version 5) holds a cursor of no generation: it may point into
/// a log the relay lost since. The device reads from 0 and pushes its
/// document again rather than trust it.
#[test]
fn a_cursor_of_no_generation_is_not_trusted() {
    let mut p = Pair::new(1);
    p.open(0, ADDR);
    p.connect(0);
    p.change(0, "mine");
    p.disks[0].generation = lotse_sync::Generation::NONE;
    let open = p.disks[0].load(&support::actor(0, 0));
    assert_eq!(open.cursor, Seq(1));
    p.restart_with(0, open);
    p.reconnect(0);
    let subs: Vec<Subscribe> = p.seen[0]
        .iter()
        .filter_map(|e| match e {
            ClientEffect::Send(b) => match ClientFrame::decode(b) {
                Ok(ClientFrame::Subscribe(s)) if s.addr == ADDR => Some(s),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(subs.last().map(|s| s.since), Some(Seq(0)), "{subs:?}");
    assert_eq!(p.relay.head(), Seq(2), "the whole document pushed again");
    assert!(!p.disks[0].generation.is_none());
}

/// Writes ten records on device 0 (it uploads a snapshot on the way), then
/// has an attacker put `forge(held snapshot)` at the relay as its snapshot.
fn world_with_a_forged_snapshot(seed: u64, forge: impl FnOnce(&StoredSnapshot, Seq) -> (Seq, Vec<u8>)) -> World {
    let mut w = World::new(seed, 1, config());
    w.connect(0);
    for i in 0..10 {
        w.write(0, &format!("k{i}"), &i.to_string());
        w.run_for(50, 50);
    }
    settle(&mut w);
    let held = w.relay.snapshot().expect("device 0 uploaded a snapshot");
    assert!(held.covers < w.relay.head(), "this test wants bundles after the snapshot");
    let (covers, sealed) = forge(&held, w.relay.head());
    let conn = ConnId(1_000_000);
    w.relay.connect_insider(conn);
    let put = ClientFrame::PutSnapshot(PutSnapshot { addr: ADDR, covers, key_id: held.key_id, sealed });
    w.relay_frame(conn, put.encode());
    assert_eq!(w.relay.snapshot().map(|s| s.covers), Some(covers), "the relay keeps what it cannot check");
    w
}

/// A device joins the world (after `world_with_a_forged_snapshot`) and
/// settles: it must have every record, never have said it was caught up
/// while it lacked one, have refused the snapshot once and subscribed to
/// the log alone once.
fn a_new_device_reads_the_log_past_the_forged_snapshot(mut w: World, covers: Seq) {
    let d = w.add_device();
    w.connect(d);
    let mut caught_up_early = false;
    for _ in 0..200 {
        w.run_for(TICK, TICK);
        let records = root_map(w.devices[d].core.doc(ADDR).unwrap()).len();
        caught_up_early |= w.devices[d].core.status().caught_up && records < 10;
    }
    settle(&mut w);
    assert!(!caught_up_early, "the device said it was caught up over a gap");
    assert_converged(&w);
    assert_eq!(root_map(w.devices[d].core.doc(ADDR).unwrap()).len(), 10);
    assert!(
        matches!(w.devices[d].problems.as_slice(), [Problem::SnapshotRefused { covers: c, .. }] if *c == covers),
        "{:?}",
        w.devices[d].problems
    );
    let snapshots = w.devices[d].received.iter().filter(|f| matches!(f, RelayFrame::Snapshot(_))).count();
    assert_eq!(snapshots, 1, "the refused snapshot is not sent again");
}

#[test]
fn a_captured_snapshot_put_back_with_a_raised_covers_is_refused_and_the_log_read_instead() {
    let mut covers = Seq(0);
    let w = world_with_a_forged_snapshot(8, |held, head| {
        covers = head;
        (head, held.sealed.clone())
    });
    a_new_device_reads_the_log_past_the_forged_snapshot(w, covers);
}

#[test]
fn a_garbage_snapshot_is_refused_once_and_the_log_read_instead() {
    let mut covers = Seq(0);
    let w = world_with_a_forged_snapshot(9, |_, head| {
        covers = head;
        (head, vec![0x5a; 80])
    });
    a_new_device_reads_the_log_past_the_forged_snapshot(w, covers);
}

#[test]
fn a_snapshot_that_opens_but_does_not_load_is_refused_and_nothing_of_it_applied() {
    let key = community_key();
    let mut covers = Seq(0);
    let w = world_with_a_forged_snapshot(10, |_, head| {
        covers = head;
        // Only a key holder can make this: sealed right, but not Automerge.
        (head, key.seal(&mut SimEntropy(support::Rng::new(3)), ADDR, Kind::Snapshot(head), b"not a document"))
    });
    a_new_device_reads_the_log_past_the_forged_snapshot(w, covers);
}

#[test]
fn a_bundle_pushed_again_under_another_id_does_not_open_and_is_set_aside() {
    let mut w = World::new(11, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "first", "1");
    settle(&mut w);
    // Someone without the key copies bundle 1 under a new id.
    let copied = w.relay.log()[0].clone();
    push_foreign(&mut w, copied.key_id, |_| copied.sealed.clone());
    w.write(0, "after", "2");
    settle(&mut w);
    assert_converged(&w);
    assert_eq!(w.relay.head(), Seq(3));
    for d in [0, 1] {
        assert!(
            matches!(
                problems_at(&w, d).as_slice(),
                [(Seq(2), Problem::Undecryptable { error: EnvelopeError::Undecryptable, .. })]
            ),
            "device {d}: {:?}",
            w.devices[d].problems
        );
    }
}

/// Bug: a snapshot upload that got no answer (the frame was lost) or was
/// refused (the store failed) left the device waiting for
/// `SnapshotStored` for as long as the connection lasted: it never uploaded
/// a snapshot again, and new devices replayed an ever longer log.
#[test]
fn a_lost_snapshot_upload_is_sent_again() {
    let mut w = World::new(6, 1, config());
    let mut lost = false;
    w.lose = Some(Box::new(move |msg| match msg {
        Msg::ToRelay { bytes, .. }
            if !lost && matches!(ClientFrame::decode(bytes), Ok(ClientFrame::PutSnapshot(_))) =>
        {
            lost = true;
            true
        }
        _ => false,
    }));
    w.connect(0);
    for i in 0..6 {
        w.write(0, &format!("k{i}"), "v");
        w.run_for(50, 50);
    }
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("a snapshot is uploaded after the lost one");
    assert!(snapshot.covers >= Seq(config().snapshot_every));
}

#[test]
fn a_snapshot_the_relay_failed_to_store_is_sent_again() {
    let mut w = World::new(7, 1, config());
    w.relay.store.fail_snapshots = true;
    w.connect(0);
    for i in 0..6 {
        w.write(0, &format!("k{i}"), "v");
        w.run_for(50, 50);
    }
    settle(&mut w);
    assert!(w.relay.snapshot().is_none());
    assert!(w.devices[0].problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::StoreFailed, .. })));
    w.relay.store.fail_snapshots = false;
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("the snapshot is uploaded again once the store works");
    assert_eq!(snapshot.covers, Seq(6));
}

/// Devices and one relay, frames delivered at once in order; for tests
/// that need more than one document, or to answer each write by hand.
/// `effects` without the writes of a log's generation (which `Pair` stores
/// at once).
fn without_generation(effects: Vec<ClientEffect>) -> Vec<ClientEffect> {
    effects.into_iter().filter(|e| !matches!(e, ClientEffect::Persist(Persist::Generation { .. }))).collect()
}

struct Pair {
    relay: Relay,
    devices: Vec<(ConnId, ClientCore<SimEntropy>)>,
    problems: Vec<Vec<Problem>>,
    /// Each device's store (meaningful for tests of one document).
    disks: Vec<Disk>,
    /// The device's writes wait for the test to answer them.
    hold: Vec<bool>,
    /// Writes waiting for an answer, oldest first.
    held: Vec<VecDeque<Persist>>,
    /// Every effect each device emitted, in order.
    seen: Vec<Vec<ClientEffect>>,
    /// The relay's `CaughtUp` frames for the device are lost on the way.
    lose_caught_up: Vec<bool>,
}

impl Pair {
    fn new(n: usize) -> Self {
        Self::with_config(n, config())
    }

    fn with_config(n: usize, config: ClientConfig) -> Self {
        let mut relay = Relay::new();
        let devices = (0..n)
            .map(|i| {
                let conn = ConnId(i as u64 + 1);
                relay.handle(RelayEvent::Connected(conn));
                let mut core = ClientCore::new(SimEntropy(support::Rng::new(i as u64)), config);
                core.set_identity(Identity { key: support::device_key(i), network: support::NET });
                (conn, core)
            })
            .collect();
        Pair {
            relay,
            devices,
            problems: vec![Vec::new(); n],
            disks: vec![Disk::default(); n],
            hold: vec![false; n],
            held: vec![VecDeque::new(); n],
            seen: vec![Vec::new(); n],
            lose_caught_up: vec![false; n],
        }
    }

    /// Carries out effects until nothing is left to deliver; writes of a
    /// device that holds them wait, the others succeed at once.
    fn run(&mut self, device: usize, effects: Vec<ClientEffect>) {
        let mut queue: VecDeque<(usize, ClientEffect)> = effects.into_iter().map(|e| (device, e)).collect();
        while let Some((d, effect)) = queue.pop_front() {
            self.seen[d].push(effect.clone());
            let bytes = match effect {
                ClientEffect::Send(bytes) => bytes,
                ClientEffect::Problem(p) => {
                    self.problems[d].push(p);
                    continue;
                }
                // The log's generation is stored at once: the writes held
                // are the document's.
                ClientEffect::Persist(p) if self.hold[d] && !matches!(p, Persist::Generation { .. }) => {
                    assert!(self.held[d].is_empty(), "device {d} has two writes out: {p:?}");
                    self.held[d].push_back(p);
                    continue;
                }
                ClientEffect::Persist(p) => {
                    self.disks[d].apply(&p);
                    let addr = p.addr();
                    let next = self.devices[d].1.handle(0, ClientEvent::Persisted { addr });
                    queue.extend(next.into_iter().map(|e| (d, e)));
                    continue;
                }
                _ => continue,
            };
            let replies = self.relay.handle(RelayEvent::Frame(self.devices[d].0, bytes));
            queue.extend(self.deliver(replies));
        }
    }

    /// Answers device `d`'s write that is out: made (`ok`) or failed.
    /// Returns what the device did in answer, after carrying it out.
    fn answer(&mut self, d: usize, ok: bool) -> Vec<ClientEffect> {
        let p = self.held[d].pop_front().expect("a write is out");
        let addr = p.addr();
        let event = if ok {
            self.disks[d].apply(&p);
            ClientEvent::Persisted { addr }
        } else {
            ClientEvent::PersistFailed { addr }
        };
        let effects = self.devices[d].1.handle(0, event);
        self.run(d, effects.clone());
        without_generation(effects)
    }

    /// Device `d`'s timer fires; returns what it did.
    fn tick(&mut self, d: usize) -> Vec<ClientEffect> {
        let effects = self.devices[d].1.handle(0, ClientEvent::Tick);
        self.run(d, effects.clone());
        without_generation(effects)
    }

    /// The write device `d` has out.
    fn out(&self, d: usize) -> &Persist {
        self.held[d].front().expect("a write is out")
    }

    /// Hands the relay's frames to the devices they are for (frames for a
    /// connection that is no device are dropped); returns what they do next.
    fn deliver(&mut self, replies: Vec<(ConnId, Vec<u8>)>) -> Vec<(usize, ClientEffect)> {
        let mut next = Vec::new();
        for (conn, reply) in replies {
            let Some(to) = self.devices.iter().position(|(c, _)| *c == conn) else { continue };
            if self.lose_caught_up[to] && matches!(RelayFrame::decode(&reply), Ok(RelayFrame::CaughtUp(_))) {
                continue;
            }
            let effects = self.devices[to].1.handle(0, ClientEvent::Received(reply));
            next.extend(effects.into_iter().map(|e| (to, e)));
        }
        next
    }

    fn open(&mut self, d: usize, addr: DocAddr) {
        self.open_with(d, addr, community_key());
    }

    fn open_with(&mut self, d: usize, addr: DocAddr, key: CommunityKey) {
        let open = OpenDoc {
            addr,
            keys: Keyring::new(key),
            doc: AutoCommit::new().with_actor(support::actor(d, addr.epoch.0.into())),
            cursor: Seq(0),
            generation: lotse_sync::Generation::NONE,
            at: None,
            outbox: vec![],
            chunks: 0,
        };
        let effects = self.devices[d].1.open(0, open);
        self.run(d, effects);
    }

    fn connect(&mut self, d: usize) {
        let effects = self.devices[d].1.handle(0, ClientEvent::Connected);
        self.run(d, effects);
    }

    /// Device `d`'s app starts anew (not connected) with `open` as its
    /// store holds the document.
    fn restart_with(&mut self, d: usize, open: OpenDoc) {
        let mut core = ClientCore::new(SimEntropy(support::Rng::new(100 + d as u64)), config());
        core.set_identity(Identity { key: support::device_key(d), network: support::NET });
        self.devices[d].1 = core;
        let effects = self.devices[d].1.open(0, open);
        self.run(d, effects);
    }

    /// Device `d` loses its connection and makes a new one (to a relay that
    /// may have restarted in between).
    fn reconnect(&mut self, d: usize) {
        let conn = self.devices[d].0;
        self.relay.handle(RelayEvent::Disconnected(conn));
        let effects = self.devices[d].1.handle(0, ClientEvent::Disconnected);
        self.run(d, effects);
        self.relay.handle(RelayEvent::Connected(conn));
        self.connect(d);
    }

    fn write(&mut self, d: usize, addr: DocAddr, key: &str) {
        let change = self.devices[d].1.change(0, addr, |doc| support::put(doc, 0, key, "v")).unwrap();
        self.run(d, change.effects);
    }

    /// Puts `key` on device `d`; returns what `change` returned (its
    /// effects already carried out) and the hash of the change.
    fn change(&mut self, d: usize, key: &str) -> (LocalChange<()>, ChangeHash) {
        let core = &mut self.devices[d].1;
        let change = core.change(0, ADDR, |doc| support::put(doc, 0, key, "v")).unwrap();
        let hash = core.inspect(ADDR, |doc| doc.get_last_local_change().unwrap().hash()).unwrap();
        self.run(d, change.effects.clone());
        (change, hash)
    }

    fn has(&mut self, d: usize, hash: ChangeHash) -> bool {
        self.devices[d].1.inspect(ADDR, |doc| doc.get_change_by_hash(&hash).is_some()).unwrap()
    }

    fn heads(&self, d: usize) -> Vec<ChangeHash> {
        heads(self.devices[d].1.doc(ADDR).unwrap())
    }

    /// What a restart of device `d` from its store would hold.
    fn restarted_heads(&self, d: usize) -> Vec<ChangeHash> {
        heads(&self.disks[d].load(&support::actor(d, 0)).doc)
    }

    /// Every effect device `d` emitted from `from` on.
    fn seen_since(&self, d: usize, from: usize) -> &[ClientEffect] {
        &self.seen[d][from..]
    }

    /// Every bundle device `d` ever pushed, in order.
    fn pushes(&self, d: usize) -> Vec<BundleId> {
        self.seen[d].iter().filter_map(pushed).collect()
    }

    /// The bundle ids in the relay's log of `ADDR`, in order.
    fn logged(&self) -> Vec<BundleId> {
        self.relay.log().into_iter().map(|b| b.bundle_id).collect()
    }

    /// Something that is no device pushes `sealed` into `addr`'s log.
    fn push_foreign(&mut self, addr: DocAddr, key_id: KeyId, sealed: Vec<u8>) {
        let conn = ConnId(1_000_000);
        self.relay.connect_insider(conn);
        let push = ClientFrame::Push(Push { addr, bundle_id: BundleId([0xf0; 16]), key_id, sealed });
        let replies = self.relay.handle(RelayEvent::Frame(conn, push.encode()));
        for (d, effect) in self.deliver(replies) {
            self.run(d, vec![effect]);
        }
    }

    fn keys(&self, d: usize, addr: DocAddr) -> Vec<String> {
        root_map(self.devices[d].1.doc(addr).unwrap()).into_keys().collect()
    }
}

#[test]
fn two_epochs_of_one_document_are_separate_logs() {
    let old = ADDR;
    let new = DocAddr { epoch: Epoch(1), ..ADDR };
    let mut p = Pair::new(2);
    p.open(0, old);
    p.connect(0);
    p.connect(1);
    p.write(0, old, "erased");
    let log = |p: &Pair, addr| p.relay.store.inner.bundles_since(addr, Seq(0)).unwrap().len();
    assert_eq!(log(&p, old), 1);
    // The relay opens epoch 1's log only with a rewrite into it. Its
    // devices were admitted without an agreement key, so none owes a
    // move and the old log is deleted at once.
    let grant = Grant { addr: new, key: KeyId(2) };
    let rewrite = Statement::Rewrite { grant, to: vec![], base: Seq(1), heads: vec![], deadline: u64::MAX };
    let signed = support::founder().sign(support::NET, rewrite);
    let push =
        Push { addr: membership_addr(support::NET), bundle_id: signed.id(), key_id: KeyId(0), sealed: signed.encode() };
    p.relay.handle(RelayEvent::Frame(ConnId(1), ClientFrame::Push(push).encode()));
    p.open(0, new);
    p.open(1, new);
    p.write(0, new, "kept");
    p.write(1, new, "added");

    assert_eq!(p.keys(0, old), ["erased"]);
    assert_eq!(p.keys(0, new), ["added", "kept"]);
    assert_eq!(p.keys(1, new), ["added", "kept"]);
    assert!(p.devices[1].1.doc(old).is_none());
    assert_eq!((log(&p, old), log(&p, new)), (0, 2));
    assert_eq!(p.devices[0].1.cursor(new), Some(Seq(2)));
}

#[test]
fn each_document_is_sealed_with_its_own_key_and_a_bundle_sealed_with_the_wrong_one_is_refused() {
    // Same key id, different bytes: only the document's own key tells them apart.
    let (a, key_a) = (ADDR, CommunityKey::from_bytes(KeyId(1), [1; 32]));
    let (b, key_b) =
        (DocAddr { doc: DocumentId([8; 16]), epoch: Epoch(0) }, CommunityKey::from_bytes(KeyId(1), [2; 32]));
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open_with(d, a, key_a.clone());
        p.open_with(d, b, key_b.clone());
        p.connect(d);
    }
    p.write(0, a, "network");
    p.write(0, b, "community");

    // A bundle for A, sealed (for A's address) with B's key.
    let id = Kind::Bundle(BundleId([0xf0; 16]));
    let sealed = key_b.seal(&mut SimEntropy(support::Rng::new(99)), a, id, b"someone else's change");
    p.push_foreign(a, key_b.id, sealed);
    p.write(1, a, "after");
    p.write(1, b, "after");

    for d in [0, 1] {
        assert_eq!(p.keys(d, a), ["after", "network"], "device {d}");
        assert_eq!(p.keys(d, b), ["after", "community"], "device {d}");
        assert_eq!(p.devices[d].1.cursor(a), Some(Seq(3)), "device {d}");
        assert_eq!(p.devices[d].1.status().pending, 0, "device {d}");
        assert!(
            matches!(
                p.problems[d].as_slice(),
                [Problem::Undecryptable { addr, seq: Seq(2), error: EnvelopeError::Undecryptable }] if *addr == a
            ),
            "device {d}: {:?}",
            p.problems[d]
        );
    }
    // What went to the relay for B is sealed with B's key, not A's.
    let log_b = p.relay.store.inner.bundles_since(b, Seq(0)).unwrap();
    assert_eq!(log_b.len(), 2);
    for bundle in &log_b {
        let id = Kind::Bundle(bundle.bundle_id);
        assert!(key_b.open(bundle.key_id, b, id, &bundle.sealed).is_ok());
        assert!(key_a.open(bundle.key_id, b, id, &bundle.sealed).is_err());
    }
}

#[test]
fn incremental_patches_report_each_change_once_and_change_nothing() {
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    p.write(0, ADDR, "first");
    let heads_before = heads(p.devices[1].1.doc(ADDR).unwrap());
    let first = p.devices[1].1.diff_incremental(ADDR).unwrap();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(p.devices[1].1.diff_incremental(ADDR).unwrap().is_empty());
    assert_eq!(heads(p.devices[1].1.doc(ADDR).unwrap()), heads_before);
    assert_eq!(p.devices[1].1.status().pending, 0);

    p.write(0, ADDR, "second");
    let second = p.devices[1].1.diff_incremental(ADDR).unwrap();
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(p.devices[1].1.diff_incremental(DocAddr { epoch: Epoch(9), ..ADDR }).is_none());
}

/// Bug: an edit that failed halfway left its operations in the document's
/// open transaction, and the next successful change committed and pushed
/// them along.
#[test]
fn a_failed_edit_leaves_nothing_behind_for_the_next_change() {
    use automerge::transaction::Transactable;
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let failed = p.devices[0].1.change(0, ADDR, |doc| {
        doc.put(automerge::ROOT, "half", "made")?;
        Err::<(), _>(automerge::AutomergeError::Fail)
    });
    assert!(failed.is_err());
    assert_eq!(p.devices[0].1.status().pending, 0);
    p.write(0, ADDR, "whole");
    assert_eq!(p.keys(0, ADDR), ["whole"]);
    assert_eq!(p.keys(1, ADDR), ["whole"]);
}

/// Bug: the runner carried out `Changed` and `Send(Push)` after a failed
/// `Persist::Local`: the record showed and reached every other device,
/// while after a reload it was gone on this one.
#[test]
fn a_failed_local_write_is_neither_shown_nor_pushed_and_the_next_save_works() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (lost, lost_hash) = p.change(0, "lost");
    let lost_id = lost.bundle.expect("the edit changed the document");
    assert!(
        matches!(lost.effects.as_slice(), [ClientEffect::Persist(Persist::Local { bundle_id, .. })] if *bundle_id == lost_id),
        "only the write goes out before it succeeded: {:?}",
        lost.effects
    );
    assert_eq!(p.devices[0].1.status().pending, 1);

    let effects = p.answer(0, false);
    assert_eq!(effects, [ClientEffect::Discarded { addr: ADDR, bundle_id: lost_id }]);
    assert!(!p.has(0, lost_hash));
    assert!(p.keys(0, ADDR).is_empty());
    assert_eq!(p.devices[0].1.status().pending, 0);
    assert_eq!(p.restarted_heads(0), p.heads(0));
    assert!(p.pushes(0).is_empty());
    assert!(p.logged().is_empty());
    assert!(!p.seen[0].contains(&ClientEffect::Changed(ADDR)));

    let (kept, kept_hash) = p.change(0, "kept");
    let kept_id = kept.bundle.unwrap();
    let effects = p.answer(0, true);
    assert!(
        matches!(
            effects.as_slice(),
            [
                ClientEffect::Durable { addr: ADDR, bundle_id },
                ClientEffect::Changed(ADDR),
                push,
            ] if *bundle_id == kept_id && pushed(push) == Some(kept_id)
        ),
        "{effects:?}"
    );
    assert!(matches!(p.out(0), Persist::Acked { bundle_id, cursor: Seq(1), .. } if *bundle_id == kept_id));
    p.answer(0, true);

    assert_eq!(p.keys(0, ADDR), ["kept"]);
    assert_eq!(p.keys(1, ADDR), ["kept"]);
    assert!(p.has(1, kept_hash) && !p.has(1, lost_hash));
    assert_eq!(p.pushes(0), [kept_id]);
    assert_eq!(p.logged(), [kept_id]);
    assert_eq!(p.devices[0].1.status().pending, 0);
    assert_eq!(p.restarted_heads(0), [kept_hash]);
}

#[test]
fn a_change_made_on_top_of_a_failed_one_is_discarded_too() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (first, first_hash) = p.change(0, "first");
    let (second, second_hash) = p.change(0, "second");
    assert!(second.effects.is_empty(), "the second write waits for the first: {:?}", second.effects);
    let deps = p.devices[0].1.inspect(ADDR, |doc| doc.get_change_by_hash(&second_hash).unwrap().deps().to_vec());
    assert_eq!(deps, Some(vec![first_hash]));
    assert_eq!(p.devices[0].1.status().pending, 2);

    let effects = p.answer(0, false);
    assert_eq!(
        effects,
        [
            ClientEffect::Discarded { addr: ADDR, bundle_id: first.bundle.unwrap() },
            ClientEffect::Discarded { addr: ADDR, bundle_id: second.bundle.unwrap() },
        ]
    );
    assert!(p.held[0].is_empty(), "the second change's write was dropped");
    assert!(!p.has(0, first_hash) && !p.has(0, second_hash));
    assert_eq!(p.devices[0].1.status().pending, 0);
    assert_eq!(p.restarted_heads(0), p.heads(0));
    assert!(p.heads(0).is_empty());

    let (third, third_hash) = p.change(0, "third");
    let third_id = third.bundle.unwrap();
    let effects = p.answer(0, true);
    assert_eq!(effects[..2], [ClientEffect::Durable { addr: ADDR, bundle_id: third_id }, ClientEffect::Changed(ADDR)]);
    p.answer(0, true);
    assert_eq!(p.heads(0), [third_hash]);
    assert_eq!(p.keys(1, ADDR), ["third"]);
    assert_eq!(p.pushes(0), [third_id]);
    assert_eq!(p.logged(), [third_id]);
    assert_eq!(p.restarted_heads(0), [third_hash]);
}

#[test]
fn remote_changes_that_arrived_during_a_failed_local_write_survive_the_rollback() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (mine, mine_hash) = p.change(0, "mine");
    let from = p.seen[0].len();
    let (theirs, theirs_hash) = p.change(1, "theirs");
    assert!(p.has(0, theirs_hash), "a remote change is applied in memory at once");
    assert!(p.seen_since(0, from).is_empty(), "neither written nor shown while the local write is out");
    let (on_top, on_top_hash) = p.change(0, "on top");
    let deps = p.devices[0].1.inspect(ADDR, |doc| {
        let mut deps = doc.get_change_by_hash(&on_top_hash).unwrap().deps().to_vec();
        deps.sort();
        deps
    });
    let mut both = vec![mine_hash, theirs_hash];
    both.sort();
    assert_eq!(deps, Some(both), "built on the failed change and the remote one");

    let effects = p.answer(0, false);
    assert!(
        matches!(
            effects.as_slice(),
            [
                ClientEffect::Discarded { bundle_id: a, .. },
                ClientEffect::Discarded { bundle_id: b, .. },
                ClientEffect::Persist(Persist::Remote { bytes: Some(_), cursor: Seq(1), .. }),
            ] if Some(*a) == mine.bundle && Some(*b) == on_top.bundle
        ),
        "{effects:?}"
    );
    assert_eq!(p.heads(0), [theirs_hash]);
    assert!(!p.has(0, mine_hash) && !p.has(0, on_top_hash));
    assert_eq!(p.keys(0, ADDR), ["theirs"]);
    assert_eq!(p.answer(0, true), [ClientEffect::Changed(ADDR)], "shown once stored");
    assert_eq!(p.restarted_heads(0), p.heads(0));

    let (after, after_hash) = p.change(0, "after");
    p.answer(0, true);
    p.answer(0, true);
    assert_eq!(p.keys(0, ADDR), ["after", "theirs"]);
    assert_eq!(p.keys(1, ADDR), ["after", "theirs"]);
    assert!(p.has(1, after_hash) && !p.has(1, mine_hash) && !p.has(1, on_top_hash));
    assert_eq!(p.logged(), [theirs.bundle.unwrap(), after.bundle.unwrap()]);
    assert_eq!(p.restarted_heads(0), [after_hash]);
}

#[test]
fn a_failed_remote_write_is_not_cursored_past_and_is_fetched_again() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (_, one) = p.change(1, "one");
    assert!(matches!(p.out(0), Persist::Remote { bytes: Some(_), cursor: Seq(1), .. }), "{:?}", p.out(0));
    let (_, two) = p.change(1, "two");
    assert_eq!(p.held[0].len(), 1, "the second bundle's write waits");
    assert_eq!(p.devices[0].1.cursor(ADDR), Some(Seq(2)));
    assert!(!p.seen[0].contains(&ClientEffect::Changed(ADDR)), "not shown before stored");

    let effects = p.answer(0, false);
    let frames: Vec<_> = effects
        .iter()
        .map(|e| match e {
            ClientEffect::Send(bytes) => ClientFrame::decode(bytes).unwrap(),
            other => panic!("only a new subscription, not {other:?}"),
        })
        .collect();
    assert!(matches!(frames.as_slice(), [ClientFrame::Subscribe(s)] if s.since == Seq(0)), "{frames:?}");
    assert_eq!(p.disks[0].cursor, Seq(0), "the cursor of the dropped write was not stored");
    assert!(p.disks[0].chunks.is_empty());
    // The relay sent both again (the subscription ran on answering); their
    // writes wait behind the one that stores the changes again, which
    // waits for the next tick after a failure.
    assert!(p.held[0].is_empty());
    assert_eq!(p.devices[0].1.pending_writes(ADDR), 3);

    let effects = p.tick(0);
    let [ClientEffect::Persist(Persist::Remote { bytes: Some(bytes), cursor: Seq(0), .. })] = effects.as_slice() else {
        panic!("the changes are stored again, the cursor not moved: {effects:?}")
    };
    let mut restored = AutoCommit::load(bytes).unwrap();
    assert_eq!(heads(&restored), p.heads(1), "both bundles' changes, the dropped one's too");
    let effects = p.answer(0, true);
    assert!(
        matches!(effects.as_slice(), [ClientEffect::Persist(Persist::Remote { bytes: Some(_), cursor: Seq(1), .. })]),
        "{effects:?}"
    );
    let effects = p.answer(0, true);
    assert!(
        matches!(effects.as_slice(), [ClientEffect::Persist(Persist::Remote { bytes: Some(_), cursor: Seq(2), .. })]),
        "{effects:?}"
    );
    assert_eq!(p.answer(0, true), [ClientEffect::Changed(ADDR)]);
    assert_eq!(p.disks[0].cursor, Seq(2));
    assert!(!p.disks[0].generation.is_none());
    assert_eq!(p.devices[0].1.cursor(ADDR), Some(Seq(2)));
    assert_eq!(p.restarted_heads(0), p.heads(1));
    assert_eq!(p.heads(0), p.heads(1));
    assert!(p.has(0, one) && p.has(0, two) && restored.get_change_by_hash(&one).is_some());
}

/// Bug (found by the simulation): a local change made on top of a remote
/// change whose write had failed was stored without it. After a restart
/// Automerge held the local change back for its missing dependency, and
/// the next local change took its actor seq: a second change under a
/// seq the relay already had, refused by every other device.
#[test]
fn a_change_made_on_top_of_a_remote_change_whose_write_failed_loads_after_a_restart() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (_, theirs) = p.change(1, "theirs");
    // Offline from here on: the relay cannot send `theirs` again.
    let effects = p.devices[0].1.handle(0, ClientEvent::Disconnected);
    p.run(0, effects);
    assert!(p.answer(0, false).is_empty());
    let (mine, mine_hash) = p.change(0, "mine");
    assert!(mine.effects.is_empty(), "waits behind the write that stores `theirs` again");
    let deps = p.devices[0].1.inspect(ADDR, |doc| doc.get_change_by_hash(&mine_hash).unwrap().deps().to_vec());
    assert_eq!(deps, Some(vec![theirs]));

    p.tick(0);
    assert!(matches!(p.out(0), Persist::Remote { cursor: Seq(0), .. }), "{:?}", p.out(0));
    p.answer(0, true);
    assert!(matches!(p.out(0), Persist::Local { bundle_id, .. } if Some(*bundle_id) == mine.bundle));
    let effects = p.answer(0, true);
    assert_eq!(effects[0], ClientEffect::Durable { addr: ADDR, bundle_id: mine.bundle.unwrap() });

    assert!(p.held[0].is_empty());
    assert_eq!(p.disks[0].cursor, Seq(0));

    // A restart now, before the relay's copy of `theirs` is stored again
    // with its cursor: both load, and the next change takes a new seq.
    let open = p.disks[0].load(&support::actor(0, 0));
    let mut restarted = open.doc;
    assert!(restarted.get_missing_deps(&[]).is_empty());
    assert_eq!(heads(&restarted), [mine_hash]);
    support::put(&mut restarted, 1, "next", "v").unwrap();
    let next = restarted.get_last_local_change().unwrap();
    assert_eq!(next.seq(), 2, "the change after `mine` in this actor's sequence");
}

/// An acknowledgement whose write failed leaves the bundle in the outbox
/// (on disk it never left): it is pushed again, and the relay answers with
/// the seq it got the first time.
#[test]
fn a_bundle_whose_acknowledgement_was_not_stored_is_pushed_again() {
    let mut p = Pair::new(2);
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let (change, _) = p.change(0, "once");
    let id = change.bundle.unwrap();
    p.answer(0, true);
    assert!(matches!(p.out(0), Persist::Acked { bundle_id, .. } if *bundle_id == id));

    p.answer(0, false);
    assert_eq!(p.disks[0].outbox.len(), 1, "the disk still holds the bundle to push");
    assert_eq!(p.pushes(0), [id, id]);
    while !p.held[0].is_empty() {
        p.answer(0, true);
    }
    assert!(p.disks[0].outbox.is_empty());
    assert_eq!(p.disks[0].cursor, Seq(1));
    assert_eq!(p.logged(), [id]);
    assert_eq!(p.devices[0].1.status().pending, 0);
    assert_eq!(p.keys(1, ADDR), ["once"]);
}

/// Bug: compaction (a full save) went out with the change that made the
/// document due, before that change was stored: had its write failed, the
/// compaction would have stored it anyway.
#[test]
fn compaction_never_contains_a_change_that_is_not_durable() {
    let mut p = Pair::with_config(2, ClientConfig { compact_every: 3, ..config_without_snapshots() });
    p.hold[0] = true;
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let compactions = |p: &Pair| -> Vec<Vec<u8>> {
        p.seen[0]
            .iter()
            .filter_map(|e| match e {
                ClientEffect::Persist(Persist::Compact { bytes, .. }) => Some(bytes.clone()),
                _ => None,
            })
            .collect()
    };
    let mut stored = Vec::new();
    for key in ["a", "b"] {
        stored.push(p.change(0, key).1);
        p.answer(0, true); // Local
        p.answer(0, true); // Acked
    }
    let (c, c_hash) = p.change(0, "c");
    let (d, d_hash) = p.change(0, "d");
    assert!(compactions(&p).is_empty(), "due only once a third chunk is stored");
    let effects = p.answer(0, false);
    assert_eq!(
        effects,
        [
            ClientEffect::Discarded { addr: ADDR, bundle_id: c.bundle.unwrap() },
            ClientEffect::Discarded { addr: ADDR, bundle_id: d.bundle.unwrap() },
        ]
    );

    let (e, e_hash) = p.change(0, "e");
    let effects = p.answer(0, true);
    assert!(
        matches!(
            effects.as_slice(),
            [
                ClientEffect::Durable { bundle_id, .. },
                ClientEffect::Changed(ADDR),
                push,
                ClientEffect::Persist(Persist::Compact { .. }),
            ] if Some(*bundle_id) == e.bundle && pushed(push) == e.bundle
        ),
        "{effects:?}"
    );
    let [compacted] = compactions(&p).try_into().expect("one compaction");
    let mut compacted = AutoCommit::load(&compacted).unwrap();
    assert_eq!(heads(&compacted), [e_hash]);
    for h in stored.iter().chain([&e_hash]) {
        assert!(compacted.get_change_by_hash(h).is_some());
    }
    assert!(compacted.get_change_by_hash(&c_hash).is_none() && compacted.get_change_by_hash(&d_hash).is_none());

    // A failed compaction loses nothing; the next comes at the next threshold.
    let effects = p.answer(0, false);
    assert!(matches!(effects.as_slice(), [ClientEffect::Persist(Persist::Acked { .. })]), "{effects:?}");
    p.answer(0, true);
    assert_eq!(p.restarted_heads(0), [e_hash]);
    let (_, f_hash) = p.change(0, "f");
    p.answer(0, true);
    p.answer(0, true);
    assert_eq!(compactions(&p).len(), 1);
    let (_, g_hash) = p.change(0, "g");
    let (_, h_hash) = p.change(0, "h");
    let effects = p.answer(0, true);
    assert!(
        matches!(effects.last(), Some(ClientEffect::Persist(Persist::Local { .. }))),
        "the next write goes out, not a compaction while h is not stored: {effects:?}"
    );
    assert_eq!(compactions(&p).len(), 1);
    // h, then the acknowledgements, are stored; then, with nothing left to
    // write, the compaction.
    while compactions(&p).len() == 1 {
        assert!(matches!(p.out(0), Persist::Local { .. } | Persist::Acked { .. }), "{:?}", p.out(0));
        p.answer(0, true);
    }
    assert_eq!(p.devices[0].1.status().pending, 0);
    let mut second = AutoCommit::load(&compactions(&p)[1]).unwrap();
    assert_eq!(heads(&second), [h_hash]);
    assert!(second.get_change_by_hash(&f_hash).is_some() && second.get_change_by_hash(&g_hash).is_some());
    p.answer(0, true);
    assert!(p.held[0].is_empty());
    assert_eq!(p.disks[0].chunks.len(), 1);
    assert_eq!(p.restarted_heads(0), p.heads(1));
}

/// A change not stored yet is in memory, so a view that reads the document
/// (told to by an earlier change's `Changed`) may see it: if it is then
/// discarded, the view is told to read again and its patches take it back.
#[test]
fn a_view_that_saw_a_change_later_discarded_is_told_and_given_the_way_back() {
    let mut p = Pair::new(1);
    p.hold[0] = true;
    p.open(0, ADDR);
    p.connect(0);
    p.change(0, "a");
    let (b, b_hash) = p.change(0, "b");
    let effects = p.answer(0, true);
    assert!(effects.contains(&ClientEffect::Changed(ADDR)), "{effects:?}");
    let seen = p.devices[0].1.diff_incremental(ADDR).unwrap();
    assert_eq!(seen.len(), 2, "the view sees a and b: {seen:?}");

    assert!(matches!(p.out(0), Persist::Local { bundle_id, .. } if Some(*bundle_id) == b.bundle));
    let effects = p.answer(0, false);
    assert_eq!(
        effects[..2],
        [ClientEffect::Discarded { addr: ADDR, bundle_id: b.bundle.unwrap() }, ClientEffect::Changed(ADDR)]
    );
    assert!(!p.has(0, b_hash));
    let back = p.devices[0].1.diff_incremental(ADDR).unwrap();
    assert!(
        matches!(back.as_slice(), [automerge::Patch { action: automerge::PatchAction::DeleteMap { key }, .. }] if key == "b"),
        "{back:?}"
    );
    assert!(p.devices[0].1.diff_incremental(ADDR).unwrap().is_empty());
    p.change(0, "c");
    assert_eq!(p.devices[0].1.diff_incremental(ADDR).unwrap().len(), 1);
    assert_eq!(p.keys(0, ADDR), ["a", "c"]);
}

#[test]
fn a_document_opened_from_many_chunks_is_saved_whole_once_its_writes_are_stored() {
    let mut p = Pair::new(1);
    p.hold[0] = true;
    p.open(0, ADDR);
    let (_, first) = p.change(0, "a");
    // Asked while a write is out: the whole save waits for it, so it never
    // holds a change that may yet be discarded.
    let asked = p.devices[0].1.compact(ADDR);
    assert!(asked.is_empty(), "nothing is written while a write is out: {asked:?}");
    let effects = p.answer(0, true);
    let whole: Vec<Vec<u8>> = effects
        .iter()
        .filter_map(|e| match e {
            ClientEffect::Persist(Persist::Compact { bytes, .. }) => Some(bytes.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(whole.len(), 1, "one whole save once the change is stored: {effects:?}");
    let mut reopened = AutoCommit::load(&whole[0]).unwrap();
    assert!(reopened.get_change_by_hash(&first).is_some(), "the save holds the stored change");
    p.answer(0, true);
    assert_eq!(p.disks[0].chunks, whole, "the store holds the one save");
}

#[test]
fn a_retired_device_gets_nothing_written_after_its_retirement_and_its_own_writes_reach_nobody() {
    let mut w = World::new(11, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);
    assert_eq!(root_map(w.devices[1].core.doc(ADDR).unwrap()).get("before").map(String::as_str), Some("1"));

    // A coordinator (no simulated device) hands the retirement over a
    // connection of its own: the signature is what counts.
    let retire = support::founder().sign(support::NET, Statement::Retire { device: support::device_key(1).id() });
    let conn = ConnId(2_000_000);
    w.relay.handle(RelayEvent::Connected(conn));
    let push =
        Push { addr: membership_addr(support::NET), bundle_id: retire.id(), key_id: KeyId(0), sealed: retire.encode() };
    w.relay_frame(conn, ClientFrame::Push(push).encode());
    settle(&mut w);
    assert_eq!(w.devices[1].core.status().access, Access::Refused(ErrorCode::Retired));
    // The other device follows the membership: it sees the retirement.
    let membership = w.devices[0].core.membership().expect("an identity");
    assert_eq!(membership.standing(support::device_key(1).id()), Standing::Retired);
    assert_eq!(membership.standing(support::device_key(0).id()), Standing::Current(Role::Coordinator));

    w.write(0, "after", "2");
    w.write(1, "from the retired phone", "3");
    settle(&mut w);
    let kept = root_map(w.devices[0].core.doc(ADDR).unwrap());
    assert_eq!(kept.get("after").map(String::as_str), Some("2"));
    assert!(!kept.contains_key("from the retired phone"), "its write reached the others: {kept:?}");
    let retired = root_map(w.devices[1].core.doc(ADDR).unwrap());
    assert!(!retired.contains_key("after"), "it got a write made after its retirement: {retired:?}");
    assert_eq!(w.relay.head(), Seq(2), "the relay stored nothing of the retired phone");
    // Reconnecting changes nothing: it is refused for good.
    w.disconnect(1);
    w.connect(1);
    settle(&mut w);
    assert_eq!(w.devices[1].core.status().access, Access::Refused(ErrorCode::Retired));
    assert_eq!(w.relay.head(), Seq(2));
}

/// A coordinator's device (0) invites a newcomer whose link carries no key;
/// the newcomer enrols with its agreement key and waits. Returns the world
/// with the newcomer as device 1.
fn world_with_a_newcomer(seed: u64, docs: &[DocumentId]) -> (World, lotse_sync::membership::DeviceKey) {
    world_with_a_newcomer_waiting(seed, docs, settle)
}

fn world_with_a_newcomer_waiting(
    seed: u64,
    docs: &[DocumentId],
    wait: fn(&mut World),
) -> (World, lotse_sync::membership::DeviceKey) {
    let mut w = World::new(seed, 2, config_without_snapshots());
    let newcomer = testing::key(500);
    let invite = testing::key(501);
    w.devices[1].core.set_identity(Identity { key: newcomer.clone(), network: support::NET });
    // The coordinator is online and reading the membership live when it
    // invites, as at a service centre's desk.
    w.connect(0);
    wait(&mut w);
    let inv = Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: docs.to_vec(), expires: u64::MAX };
    let effects = w.devices[0].core.queue_statement(support::device_key(0).sign(support::NET, inv));
    w.apply(0, effects);
    wait(&mut w);
    let effects = w.devices[1].core.queue_statement(testing::enrol(&invite, support::NET, &newcomer));
    w.apply(1, effects);
    w.connect(1);
    wait(&mut w);
    (w, newcomer)
}

#[test]
fn the_keys_come_at_once_not_at_the_next_resync() {
    // The coordinator's invitation comes back to it as an Ack, not as a
    // bundle of the log: it must count as the log's entry at that seq, or
    // the enrolment after it waits until the membership is read again.
    let (w, _) = world_with_a_newcomer_waiting(24, &[ADDR.doc], |w| {
        let quick = w.config.resync_every / 4;
        w.run_for(quick, TICK);
    });
    assert_eq!(w.devices[1].granted, vec![(ADDR, community_key())]);
}

fn relay_membership(w: &World) -> Membership {
    let log = w.relay.store.inner.bundles_since(membership_addr(support::NET), Seq(0)).expect("memory");
    Membership::fold(support::NET, log.iter().map(|b| b.sealed.as_slice())).0
}

#[test]
fn a_coordinator_seals_the_keys_a_newcomer_may_hold_to_it_and_only_it_opens_them() {
    let (w, newcomer) = world_with_a_newcomer(21, &[ADDR.doc]);
    assert_eq!(w.devices[1].granted, vec![(ADDR, community_key())], "the newcomer opened the document's key");
    let log = w.relay.store.inner.bundles_since(membership_addr(support::NET), Seq(0)).expect("memory");
    let keys: Vec<_> = log
        .iter()
        .filter_map(|b| lotse_sync::membership::Signed::decode(&b.sealed).ok())
        .filter(|s| matches!(s.statement, Statement::Keys { .. }))
        .collect();
    assert_eq!(keys.len(), 1, "one statement hands the keys over: {keys:?}");
    assert_eq!(keys[0].signer, support::device_key(0).id(), "signed by the coordinator's device");
    assert!(
        !log.iter().any(|b| b.sealed.windows(32).any(|w| w == community_key().bytes())),
        "the key is in the membership log in the clear"
    );
    let m = relay_membership(&w);
    assert_eq!(m.members()[&newcomer.id()].granted.len(), 1);
    assert!(w.devices[1].problems.is_empty(), "{:?}", w.devices[1].problems);
}

#[test]
fn a_newcomer_invited_to_another_community_is_handed_no_key_of_this_one() {
    let other = DocumentId([5; 16]);
    let (w, newcomer) = world_with_a_newcomer(22, &[other]);
    assert!(w.devices[1].granted.is_empty(), "{:?}", w.devices[1].granted);
    let m = relay_membership(&w);
    assert_eq!(m.standing(newcomer.id()), Standing::Current(Role::Mentor));
    assert!(m.members()[&newcomer.id()].granted.is_empty());
}

#[test]
fn newcomers_get_their_keys_when_the_network_drops_duplicates_and_delays_then_heals() {
    let env = |name: &str| std::env::var(name).ok().and_then(|s| s.parse::<u64>().ok());
    let seeds = match env("LOTSE_SIM_SEED") {
        Some(one) => one..one + 1,
        None => 0..env("LOTSE_SIM_SEEDS").unwrap_or(100),
    };
    for seed in seeds {
        let mut w = World::new(1_000 + seed, 2, config_without_snapshots());
        w.faults = support::Faults { drop: 0.15, duplicate: 0.1, min_delay: 1, max_delay: 80 };
        let newcomer = testing::key(500);
        let invite = testing::key(501);
        w.devices[1].core.set_identity(Identity { key: newcomer.clone(), network: support::NET });
        let inv =
            Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![ADDR.doc], expires: u64::MAX };
        let effects = w.devices[0].core.queue_statement(support::device_key(0).sign(support::NET, inv));
        w.apply(0, effects);
        let effects = w.devices[1].core.queue_statement(testing::enrol(&invite, support::NET, &newcomer));
        w.apply(1, effects);
        w.connect(1);
        w.connect(0);
        w.run_for(5_000, TICK);
        // Healed, with no reconnection: what was lost is asked again.
        w.faults = support::Faults::NONE;
        settle(&mut w);
        assert_eq!(
            w.devices[1].granted.first(),
            Some(&(ADDR, community_key())),
            "seed {seed}: no key reached the newcomer"
        );
        assert!(
            w.devices[1].granted.iter().all(|g| *g == (ADDR, community_key())),
            "seed {seed}: {:?}",
            w.devices[1].granted
        );
    }
}

#[test]
fn a_device_knows_where_in_the_membership_log_each_member_joined() {
    let mut w = World::new(12, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    settle(&mut w);
    let core = &w.devices[0].core;
    assert_eq!(core.joined_at(support::founder().id()), Some(Seq(1)), "the founding is the log's first statement");
    let first = core.joined_at(support::device_key(0).id()).expect("device 0 is a member");
    let second = core.joined_at(support::device_key(1).id()).expect("device 1 is a member");
    assert!(first > Seq(1) && second > Seq(1) && first != second, "{first:?} {second:?}");
    assert_eq!(core.joined_at(support::device_key(20).id()), None, "not a member");
}

#[test]
fn a_rewrite_needs_a_settled_current_epoch_and_the_one_that_lost_a_race_is_dropped() {
    let new = DocAddr { epoch: Epoch(1), ..ADDR };
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    p.write(0, ADDR, "before");
    // The harness's clock stands at 0, which a coordinator's device takes
    // for "the membership log not read to a head yet": the relay names it
    // at 1.
    let head = p.relay.store.inner.head(membership_addr(support::NET)).unwrap();
    let caught_up = lotse_sync::wire::CaughtUp {
        addr: membership_addr(support::NET),
        head,
        snapshot: Seq(0),
        generation: lotse_sync::Generation::NONE,
    };
    for d in [0, 1] {
        let frame = RelayFrame::CaughtUp(caught_up.clone()).encode();
        let effects = p.devices[d].1.handle(1, ClientEvent::Received(frame));
        p.run(d, effects);
    }
    let fresh = || {
        let mut doc = AutoCommit::new();
        support::put(&mut doc, 0, "before", "rewritten").unwrap();
        doc
    };
    let elsewhere = DocAddr { doc: DocumentId([9; 16]), epoch: Epoch(0) };
    assert_eq!(p.devices[0].1.rewrite(0, elsewhere, fresh(), u64::MAX).unwrap_err(), RewriteError::NotOpen(elsewhere));
    // Both coordinators rewrite at once; the relay takes the first.
    let first = p.devices[0].1.rewrite(0, ADDR, fresh(), u64::MAX).unwrap();
    assert_eq!(first.to, new);
    assert_eq!(p.devices[0].1.rewrite(0, ADDR, fresh(), u64::MAX).unwrap_err(), RewriteError::Moving(ADDR));
    let second = p.devices[1].1.rewrite(0, ADDR, fresh(), u64::MAX).unwrap();
    // Nothing leaves before the rewritten document is stored.
    assert!(!first.effects.iter().any(|e| matches!(e, ClientEffect::Send(_) | ClientEffect::StatementMade(_))));
    p.run(0, first.effects);
    p.run(1, second.effects);
    let m = p.relay.core.membership(support::NET).unwrap();
    assert_eq!(m.current_epoch(ADDR.doc), Epoch(1));
    assert_eq!(m.epoch_move(new).map(|mv| mv.by), Some(support::device_key(0).id()));
    assert!(p.seen[0].iter().any(|e| matches!(e, ClientEffect::StatementMade(_))));
    assert!(p.seen[0].contains(&ClientEffect::DeleteEpoch { addr: ADDR }), "the winner leaves its old epoch");
    assert!(matches!(p.problems[1].as_slice(), [Problem::RewriteRefused { from: ADDR, .. }]), "{:?}", p.problems[1]);
    assert!(p.seen[1].contains(&ClientEffect::DeleteEpoch { addr: new }), "the loser drops its new epoch");
    assert!(!p.seen[1].contains(&ClientEffect::DeleteEpoch { addr: ADDR }), "and keeps its old one");
    assert_eq!(p.relay.store.inner.bundles_since(new, Seq(0)).unwrap().len(), 1, "the winner's document only");
    assert!(p.devices[0].1.doc(ADDR).is_none());
    assert_eq!(p.keys(0, new), ["before"]);
}
