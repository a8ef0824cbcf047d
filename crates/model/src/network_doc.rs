//! The network document: what the whole network shares (communities,
//! mentors' profiles, partner organisations, institutions, events,
//! companies, training places, the action plan).
//!
//! Its genesis change also writes Osnabrück's institutions, with fixed ids,
//! identically on every device: the referral picker is filled from the first
//! start, offline, and two devices never hold two copies of the Jobcenter.

use automerge::{ActorId, AutoCommit};

use crate::community::GENESIS_ACTOR;
use crate::ids::InstitutionId;
use crate::network::{Institution, InstitutionKind};
use crate::record::{self, Record};

/// The collections of the network document.
pub use crate::kind::NETWORK_COLLECTIONS;

/// Osnabrück's institutions a mentor refers to, as the list starts.
const SEED_INSTITUTIONS: [(&str, InstitutionKind, &str); 6] = [
    (
        "Agentur für Arbeit Osnabrück — Berufsberatung",
        InstitutionKind::CareerGuidance,
        "Johannistorwall 56, 49080 Osnabrück",
    ),
    ("Jobcenter Osnabrück", InstitutionKind::Jobcenter, "Johannistorwall 56, 49080 Osnabrück"),
    (
        "Handwerkskammer Osnabrück-Emsland-Grafschaft Bentheim",
        InstitutionKind::Hwk,
        "Bramscher Straße 134–136, 49088 Osnabrück",
    ),
    ("IHK Osnabrück-Emsland-Grafschaft Bentheim", InstitutionKind::Ihk, "Neuer Graben 38, 49074 Osnabrück"),
    ("Jugendmigrationsdienst Osnabrück", InstitutionKind::YouthMigration, ""),
    ("Migrationsberatung für Erwachsene (MBE) Osnabrück", InstitutionKind::AdultMigration, ""),
];

/// The fixed id of the `n`th seeded institution.
pub fn seed_institution_id(n: u8) -> InstitutionId {
    let mut bytes = *b"lotse-institut-0";
    bytes[15] = n;
    InstitutionId::from_random(bytes)
}

/// Osnabrück's institutions as the genesis writes them.
pub fn seed_institutions() -> Vec<Institution> {
    SEED_INSTITUTIONS
        .iter()
        .enumerate()
        .map(|(n, (name, kind, address))| Institution {
            id: seed_institution_id(n as u8),
            name: (*name).to_owned(),
            kind: *kind,
            address: (*address).to_owned(),
            phone: String::new(),
            notes: String::new(),
        })
        .collect()
}

/// Reading and writing the network document.
pub struct NetworkDoc;

impl NetworkDoc {
    /// The genesis change every device writes identically (maps and seeded
    /// institutions, fixed actor, time 0) and the exports map's own change
    /// on it (see [`crate::export`]), then continues as `actor`.
    pub fn genesis(actor: ActorId) -> AutoCommit {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(GENESIS_ACTOR));
        // The collections of the first release only: a later one comes by
        // its own change (`record::late_collection`), so this change
        // stays what every version writes.
        let first: Vec<&str> = NETWORK_COLLECTIONS.iter().copied().filter(|c| *c != crate::export::EXPORTS).collect();
        record::make_collections(&mut doc, &first);
        let obj = record::collection_obj(&doc, Institution::COLLECTION).expect("just made");
        for inst in seed_institutions() {
            autosurgeon::reconcile_prop(&mut doc, &obj, inst.record_key().as_str(), &inst)
                .expect("a fresh map takes records");
        }
        doc.commit_with(automerge::transaction::CommitOptions::default().with_time(0));
        crate::export::add_exports_map(&mut doc);
        doc.set_actor(actor);
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The maps added after the first release (review marks, device
    /// statuses, exports) each by its own change: made on two devices in
    /// different orders, they all hold together after a merge. (Made by one
    /// actor, two of them would be two changes with one sequence number,
    /// which Automerge refuses.)
    #[test]
    fn late_maps_made_apart_in_any_order_merge() {
        use automerge::ReadDoc;
        let mut a = NetworkDoc::genesis(ActorId::from([1u8; 16]));
        let mut b = NetworkDoc::genesis(ActorId::from([2u8; 16]));
        crate::review::mark_reviewed(&mut a, &[[7; 32]], crate::MentorId::from_random([1; 16]), 1_000).unwrap();
        let status = crate::device_status::DeviceStatus {
            device: crate::device_status::device_hex(&[2; 32]),
            mentor: crate::MentorId::from_random([2; 16]),
            synced_at: 2_000,
            persistent: true,
            version: "1".into(),
        };
        crate::device_status::put(&mut b, &status, 2_000).unwrap();
        crate::device_status::put(
            &mut a,
            &crate::device_status::DeviceStatus { synced_at: 3_000, ..status.clone() },
            3_000,
        )
        .unwrap();
        crate::review::mark_reviewed(&mut b, &[[8; 32]], crate::MentorId::from_random([2; 16]), 4_000).unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();
        assert_eq!(a.get_heads(), b.get_heads());
        for doc in [&a, &b] {
            for map in [crate::review::REVIEWS, crate::device_status::DEVICES, crate::export::EXPORTS] {
                assert!(
                    matches!(
                        doc.get(automerge::ROOT, map).unwrap(),
                        Some((automerge::Value::Object(automerge::ObjType::Map), _))
                    ),
                    "{map}"
                );
            }
        }
    }

    #[test]
    fn every_device_writes_the_same_genesis_so_seeded_institutions_are_not_doubled() {
        let mut a = NetworkDoc::genesis(ActorId::from([1u8; 16]));
        let mut b = NetworkDoc::genesis(ActorId::from([2u8; 16]));
        assert_eq!(a.get_heads(), b.get_heads());
        a.merge(&mut b).unwrap();
        let list: Vec<Institution> = record::all(&a).unwrap();
        assert_eq!(list.len(), 6);
        assert!(list.iter().any(|i| i.name.starts_with("Agentur für Arbeit Osnabrück")));
        assert!(list.iter().any(|i| i.kind == InstitutionKind::Ihk));
    }

    #[test]
    fn a_seeded_institution_can_be_edited_and_the_edit_merges() {
        let mut a = NetworkDoc::genesis(ActorId::from([1u8; 16]));
        let mut b = NetworkDoc::genesis(ActorId::from([2u8; 16]));
        let mut jobcenter: Institution = record::get(&a, &seed_institution_id(1).to_string()).unwrap().unwrap();
        jobcenter.phone = "0541 9876-0".into();
        record::put(&mut a, &jobcenter, 1_000).unwrap();
        b.merge(&mut a).unwrap();
        let seen: Institution = record::get(&b, &seed_institution_id(1).to_string()).unwrap().unwrap();
        assert_eq!(seen.phone, "0541 9876-0");
    }
}
