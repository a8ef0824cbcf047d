//! The networks the session and statement targets work in: keys made from
//! small numbers, a founded network as a relay restores it from its store,
//! and signed statements that change it in every way `Membership::apply`
//! takes or refuses. Signing is the slow part, so each list is made once.

use std::sync::OnceLock;

use lotse_sync::membership::testing::{admit, enrol, found, key};
use lotse_sync::membership::{DeviceId, DeviceKey, Grant, Role, Signed, Statement};
use lotse_sync::{DocAddr, DocumentId, Epoch, KeyId};

use crate::targets::{DOC, OTHER_DOC};

/// The network of the sessions (its own document's id).
pub(crate) const NET: DocumentId = DocumentId([9; 16]);
/// A network a stranger founds during a session.
pub(crate) const NET2: DocumentId = DocumentId([10; 16]);
/// The relay's clock in the sessions, Unix seconds: invitations that expire
/// at 1 are past, at `u64::MAX` never.
pub(crate) const NOW: u64 = 1_000;

pub(crate) fn doc(n: u8) -> DocumentId {
    DocumentId([n; 16])
}

/// The keys a session's connections answer the challenge as: the founder
/// (0), mentors (1, 2), a second coordinator (3), a retired mentor (4), a
/// stranger (5), devices statements admit or enrol (6, 11, 12, 14), the
/// founder of `NET2` and its mentor (20, 21), and the device that founds a
/// network named like `NET`'s document (30).
pub(crate) const SESSION_KEYS: [u64; 13] = [0, 1, 2, 3, 4, 5, 6, 11, 12, 14, 20, 21, 30];

/// The network a key answers for.
pub(crate) fn home(k: u64) -> DocumentId {
    match k {
        20..=29 => NET2,
        30 => doc(DOC),
        _ => NET,
    }
}

fn keys() -> &'static Vec<DeviceKey> {
    static KEYS: OnceLock<Vec<DeviceKey>> = OnceLock::new();
    KEYS.get_or_init(|| (0..=40).map(key).collect())
}

/// Key `n` (0..=40), made once.
pub(crate) fn k(n: u64) -> &'static DeviceKey {
    &keys()[n as usize]
}

fn id(n: u64) -> DeviceId {
    k(n).id()
}

fn invite(by: u64, invite: u64, role: Role, docs: &[DocumentId], expires: u64) -> Signed {
    k(by).sign(NET, Statement::Invite { invite: id(invite), role, docs: docs.to_vec(), expires })
}

/// `NET` as the relay's store holds it when a session starts: founded by
/// key 0 with both documents; key 1 a mentor of `DOC`, key 2 of both, key 3
/// a coordinator, key 4 retired; invitation key 10 open, 13 expired.
pub(crate) fn restored_log() -> &'static [Signed] {
    static LOG: OnceLock<Vec<Signed>> = OnceLock::new();
    LOG.get_or_init(|| {
        let (a, b) = (doc(DOC), doc(OTHER_DOC));
        vec![
            found(k(0), NET, &[a, b]),
            admit(k(0), NET, id(1), Role::Mentor, &[a]),
            admit(k(0), NET, id(2), Role::Mentor, &[a, b]),
            admit(k(0), NET, id(3), Role::Coordinator, &[]),
            admit(k(0), NET, id(4), Role::Mentor, &[a]),
            k(0).sign(NET, Statement::Retire { device: id(4) }),
            invite(0, 10, Role::Mentor, &[a], u64::MAX),
            invite(0, 13, Role::Mentor, &[b], 1),
        ]
    })
}

/// Statements a session hands to the relay, each with the network whose
/// membership log it is pushed to. Some hold, some race each other, some
/// are refused, and some probe where networks meet.
pub(crate) fn session_statements() -> &'static [(DocumentId, Signed)] {
    static LIST: OnceLock<Vec<(DocumentId, Signed)>> = OnceLock::new();
    LIST.get_or_init(|| {
        let (a, b) = (doc(DOC), doc(OTHER_DOC));
        let net = |s: Signed| (NET, s);
        vec![
            net(admit(k(0), NET, id(6), Role::Mentor, &[b])),
            net(k(0).sign(NET, Statement::Retire { device: id(1) })),
            net(k(3).sign(NET, Statement::Retire { device: id(0) })),
            net(k(0).sign(NET, Statement::Retire { device: id(3) })),
            // Key 2 loses its documents: its subscriptions end.
            net(admit(k(0), NET, id(2), Role::Mentor, &[])),
            net(admit(k(3), NET, id(1), Role::Coordinator, &[])),
            net(k(0).sign(NET, Statement::Docs { add: vec![doc(3)], keys: vec![] })),
            // Two devices race for one invitation; a third comes too late.
            net(enrol(k(10), NET, k(11))),
            net(enrol(k(10), NET, k(12))),
            net(enrol(k(13), NET, k(14))),
            (NET2, found(k(20), NET2, &[doc(5)])),
            (NET2, found(k(20), NET2, &[a])),
            (NET2, admit(k(20), NET2, id(21), Role::Mentor, &[doc(5)])),
            (NET2, k(20).sign(NET2, Statement::Docs { add: vec![b], keys: vec![] })),
            net(admit(k(1), NET, id(7), Role::Mentor, &[a])),
            net(found(k(5), NET, &[])),
            net(admit(k(0), NET, id(4), Role::Mentor, &[a])),
            net(k(0).sign(NET, Statement::Docs { add: vec![NET2], keys: vec![] })),
            net(k(0).sign(NET, Statement::Retire { device: id(0) })),
            net(admit(k(0), NET, id(10), Role::Mentor, &[])),
            // A network whose id is `NET`'s community document.
            (a, found(k(30), a, &[])),
        ]
    })
}

/// Every kind of statement, signed, as the statement target's seeds apply
/// them to [`restored_log`]'s membership.
pub(crate) fn every_statement() -> Vec<Signed> {
    let (a, b) = (doc(DOC), doc(OTHER_DOC));
    vec![
        found(k(0), NET, &[a, b]),
        k(0).sign(NET, Statement::Docs { add: vec![doc(3), doc(4)], keys: vec![] }),
        invite(0, 15, Role::Coordinator, &[a, b], 2_000),
        enrol(k(10), NET, k(11)),
        admit(k(3), NET, id(6), Role::Mentor, &[b]),
        k(0).sign(NET, Statement::Retire { device: id(2) }),
        k(0).sign(
            NET,
            Statement::Keys {
                device: id(11),
                grants: vec![Grant { addr: DocAddr { doc: a, epoch: Epoch(0) }, key: KeyId(1) }],
                sealed: vec![0; 80],
            },
        ),
        k(0).sign(
            NET,
            Statement::Rotate {
                grant: Grant { addr: DocAddr { doc: a, epoch: Epoch(0) }, key: KeyId(2) },
                to: vec![lotse_sync::membership::Wrapped { device: id(11), sealed: vec![0; 80] }],
            },
        ),
        k(0).sign(
            NET,
            Statement::Rewrite {
                grant: Grant { addr: DocAddr { doc: a, epoch: Epoch(1) }, key: KeyId(2) },
                to: vec![lotse_sync::membership::Wrapped { device: id(11), sealed: vec![0; 80] }],
                base: lotse_sync::Seq(3),
                heads: vec![[5; 32]],
                deadline: 3_000,
            },
        ),
        k(11).sign(NET, Statement::Moved { addr: DocAddr { doc: a, epoch: Epoch(1) } }),
    ]
}
