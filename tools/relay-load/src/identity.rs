//! Who the generator's devices are (protocol 3): each has a key of its own,
//! and each document's five devices form a network of their own, founded
//! by the first of them with the document, the other four admitted.

use lotse_sync::membership::testing::{admit, found};
use lotse_sync::membership::{DeviceKey, Role, Signed};
use lotse_sync::DocumentId;

use crate::plan::{members, PER_DOC};

/// Device `device`'s key in the run `salt`: the same in every worker.
pub(crate) fn device_key(salt: u64, device: u32) -> DeviceKey {
    let mut secret = [0u8; 32];
    secret[..8].copy_from_slice(&salt.to_be_bytes());
    secret[8..12].copy_from_slice(&device.to_be_bytes());
    secret[31] = 0x17;
    DeviceKey::from_secret(secret)
}

/// The network of document `n` (its id, the network document's): the
/// document ids' form with the top bit of the number set, so no network is
/// named like a document of the run.
pub(crate) fn network(salt: u64, n: u64) -> DocumentId {
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&salt.to_be_bytes());
    id[8..].copy_from_slice(&(n | 1 << 63).to_be_bytes());
    DocumentId(id)
}

/// What `founder` (a group's first device) hands the relay before the
/// others connect: the founding with the group's document, then each other
/// device of the group admitted as a mentor of it.
pub(crate) fn founding(salt: u64, devices: u32, founder: u32, doc: DocumentId) -> Vec<Signed> {
    debug_assert!(founder.is_multiple_of(PER_DOC), "the first device of its document founds");
    let key = device_key(salt, founder);
    let net = network(salt, u64::from(founder / PER_DOC));
    let mut statements = vec![found(&key, net, &[doc])];
    for member in founder + 1..founder + members(devices, founder) {
        statements.push(admit(&key, net, device_key(salt, member).id(), Role::Mentor, &[doc]));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;
    use lotse_sync::membership::{Membership, Standing};

    #[test]
    fn a_group_s_founding_admits_its_other_devices_to_its_document_only() {
        let doc = DocumentId([7; 16]);
        let statements = founding(3, 12, 10, doc);
        assert_eq!(statements.len(), 2, "devices 10 and 11: the last group has two");
        let log: Vec<Vec<u8>> = statements.iter().map(Signed::encode).collect();
        let (m, skipped) = Membership::fold(network(3, 2), log.iter().map(Vec::as_slice));
        assert_eq!(skipped, 0);
        assert_eq!(m.standing(device_key(3, 10).id()), Standing::Current(Role::Coordinator));
        assert!(m.may_use(device_key(3, 11).id(), doc));
        assert!(!m.may_use(device_key(3, 11).id(), DocumentId([8; 16])));
        assert_eq!(m.standing(device_key(3, 12).id()), Standing::Unknown, "another group's device");
        assert_ne!(network(3, 2), network(3, 3));
        assert_ne!(device_key(3, 1).id(), device_key(4, 1).id());
    }
}
