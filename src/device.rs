//! The device's own settings (who uses it, the network and the communities
//! it syncs) and the join link that brings a second device in.
//!
//! A device syncs one *network document* (shared by the whole network:
//! communities, mentors, institutions, events, …) and one *community
//! document* per community it belongs to (the personal data of that
//! community). Each document has its own key, which the engine keeps in
//! IndexedDB (see `engine::identity`): never here, never in a link. A
//! mentor's device belongs to one community; a coordinator's may hold
//! several. The first community is the device's home: the one its join link
//! invites to.
//!
//! Small settings live in localStorage via gloo-storage; documents and keys
//! never do.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use gloo_storage::{LocalStorage, Storage};
use lotse_model::{CommunityId, MentorId};
use lotse_sync::{DocAddr, DocumentId, Epoch};

use crate::i18n::Lang;

pub const DEVICE_KEY: &str = "lotse.device";
const LANG_KEY: &str = "lotse.lang";

/// The settings' shape in localStorage. A setting of another version (the
/// first held a single community, the second the documents' keys) reads as
/// "not set up", and setting up anew replaces it.
const DEVICE_VERSION: u32 = 3;

fn addr_of(doc: [u8; 16]) -> DocAddr {
    DocAddr { doc: DocumentId(doc), epoch: Epoch(0) }
}

/// A community this device belongs to, and its document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Membership {
    pub community_id: CommunityId,
    pub community_name: String,
    /// The community's document (its personal data).
    pub doc: [u8; 16],
    /// This device made the document, so its engine makes the first key;
    /// `false` for a community joined or learnt of, whose key a
    /// coordinator's device hands over. (Settings from before this field
    /// held only communities their coordinator's device made.)
    #[serde(default = "made_before")]
    pub made_here: bool,
}

fn made_before() -> bool {
    true
}

/// The document of a community made on this device: its id's bytes, so
/// that another coordinator's device, handed the document's key, finds
/// the community it belongs to in the network document without a map
/// anyone could edit. (Ids are random; the relay sees the document id but
/// never the network document that names the community.)
pub fn community_doc(community_id: CommunityId) -> [u8; 16] {
    *community_id.0.as_bytes()
}

impl Membership {
    /// A community made on this device, with its document.
    pub fn fresh(community_id: CommunityId, community_name: &str) -> Membership {
        Membership { made_here: true, ..Membership::known(community_id, community_name, community_doc(community_id)) }
    }

    /// A community made elsewhere (joined, or learnt of), with its document.
    pub fn known(community_id: CommunityId, community_name: &str, doc: [u8; 16]) -> Membership {
        Membership { community_id, community_name: community_name.trim().to_owned(), doc, made_here: false }
    }

    pub fn addr(&self) -> DocAddr {
        addr_of(self.doc)
    }
}

/// The network document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetworkAccess {
    pub doc: [u8; 16],
    /// This device founded the network (its engine makes the first key).
    #[serde(default = "made_before")]
    pub made_here: bool,
}

impl NetworkAccess {
    /// A new network: a new document.
    pub fn fresh() -> NetworkAccess {
        NetworkAccess { doc: random(), made_here: true }
    }

    /// A network joined with an invitation.
    pub fn joined(doc: [u8; 16]) -> NetworkAccess {
        NetworkAccess { doc, made_here: false }
    }

    pub fn addr(&self) -> DocAddr {
        addr_of(self.doc)
    }
}

/// Who uses this device and what it syncs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Device {
    pub mentor_id: MentorId,
    pub mentor_name: String,
    /// This device's Automerge actor (the same in every document).
    pub actor: [u8; 16],
    /// A coordinator's device: founded the network (and made its documents'
    /// keys), may hold several communities.
    pub coordinator: bool,
    pub network: NetworkAccess,
    /// Never empty; the first is the home community.
    pub communities: Vec<Membership>,
}

/// How the settings are stored: the device, tagged with the shape's version.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    version: u32,
    #[serde(flatten)]
    device: Device,
}

impl Device {
    /// A device of `mentor_name` syncing `network` and `communities` (the
    /// first is home), with a new mentor id and actor.
    ///
    /// # Panics
    /// If `communities` is empty.
    pub fn new(mentor_name: &str, coordinator: bool, network: NetworkAccess, communities: Vec<Membership>) -> Device {
        assert!(!communities.is_empty(), "a device belongs to at least one community");
        Device {
            mentor_id: MentorId::from_random(random()),
            mentor_name: mentor_name.trim().to_owned(),
            actor: random(),
            coordinator,
            network,
            communities,
        }
    }

    /// A coordinator's device holding several communities of a new network
    /// (its engine makes each document's key). The first is home.
    pub fn with_communities(mentor_name: &str, communities: &[(CommunityId, String)]) -> Device {
        let members = communities.iter().map(|(id, name)| Membership::fresh(*id, name)).collect();
        Device::new(mentor_name, true, NetworkAccess::fresh(), members)
    }

    /// The documents whose first key this device's engine makes (once):
    /// those a coordinator's device made here. A joined device, a
    /// coordinator's too, is handed every key.
    pub fn documents_made_here(&self) -> Vec<DocAddr> {
        if !self.coordinator {
            return vec![];
        }
        let network = self.network.made_here.then(|| self.network.addr());
        network.into_iter().chain(self.communities.iter().filter(|m| m.made_here).map(Membership::addr)).collect()
    }

    /// The saved settings; `None` if there are none, or they are of an
    /// older shape (the device is then set up anew).
    pub fn load() -> Option<Device> {
        let stored: Stored = LocalStorage::get(DEVICE_KEY).ok()?;
        (stored.version == DEVICE_VERSION && !stored.device.communities.is_empty()).then_some(stored.device)
    }

    pub fn save(&self) -> Result<(), String> {
        // Set up or joined again: why it was wiped is said no more.
        forget_wiped();
        LocalStorage::set(DEVICE_KEY, Stored { version: DEVICE_VERSION, device: self.clone() })
            .map_err(|e| e.to_string())
    }

    /// The home community (the first).
    pub fn home(&self) -> &Membership {
        self.communities.first().expect("a device belongs to at least one community")
    }

    pub fn network_addr(&self) -> DocAddr {
        self.network.addr()
    }

    pub fn home_addr(&self) -> DocAddr {
        self.home().addr()
    }

    /// Every community document, home first.
    pub fn community_addrs(&self) -> Vec<DocAddr> {
        self.communities.iter().map(Membership::addr).collect()
    }

    pub fn membership(&self, community: CommunityId) -> Option<&Membership> {
        self.communities.iter().find(|m| m.community_id == community)
    }

    pub fn addr_of(&self, community: CommunityId) -> Option<DocAddr> {
        self.membership(community).map(Membership::addr)
    }

    /// Every document this device syncs: the network first, then the
    /// communities, home first.
    pub fn documents(&self) -> Vec<DocAddr> {
        std::iter::once(self.network.addr()).chain(self.communities.iter().map(Membership::addr)).collect()
    }

    /// The invitation of a mentor to the home community a second device
    /// opens: the network and the community, and the one-time `secret` its
    /// enrolment is signed with.
    pub fn invitation(&self, secret: [u8; 32]) -> Invitation {
        self.invitation_to(self.home().community_id, secret, false).expect("the home community")
    }

    /// The invitation to one of this device's communities: of a mentor to
    /// it, or of a coordinator (who starts with it and is handed every
    /// other community's key).
    pub fn invitation_to(&self, community: CommunityId, secret: [u8; 32], coordinator: bool) -> Option<Invitation> {
        self.membership(community).map(|m| Invitation {
            secret,
            coordinator,
            network: NetworkAccess::joined(self.network.doc),
            community: Membership::known(m.community_id, &m.community_name, m.doc),
        })
    }
}

/// Forgets every setting this device keeps in localStorage (the app
/// lock's wipe): the device, its communities, the language.
pub fn forget_everything() {
    LocalStorage::clear();
}

/// Why this device was last wiped: said on the first screen after it,
/// until the device is set up or joins again.
const WIPED_KEY: &str = "lotse.wiped";

pub fn save_wiped(why: crate::engine::protocol::WipeReason) {
    let _ = LocalStorage::set(WIPED_KEY, why);
}

pub fn load_wiped() -> Option<crate::engine::protocol::WipeReason> {
    LocalStorage::get(WIPED_KEY).ok()
}

pub fn forget_wiped() {
    LocalStorage::delete(WIPED_KEY);
}

pub fn load_lang() -> Option<Lang> {
    LocalStorage::get::<String>(LANG_KEY).ok().and_then(|c| Lang::from_code(&c))
}

pub fn save_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.code());
}

/// What a join link carries, in its URL fragment (never sent to a server):
/// the invitation's one-time secret (the new device signs its enrolment
/// with it, once), whether it invites a coordinator, the network's
/// document and one community's. No key: a coordinator's device hands the
/// keys to the new device, sealed to it, once it has enrolled. (The role
/// here only shapes the new device's pages; what it may use is the signed
/// invitation's, at the relay and on every device.)
#[derive(Clone, PartialEq, Eq)]
pub struct Invitation {
    pub secret: [u8; 32],
    pub coordinator: bool,
    pub network: NetworkAccess,
    pub community: Membership,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("coordinator", &self.coordinator)
            .field("network", &self.network)
            .field("community", &self.community)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinLinkError {
    #[error("the link is not base64url")]
    NotBase64,
    #[error("the link is {0} bytes, too short to hold its invitation and name")]
    TooShort(usize),
    #[error("the link has {0} bytes after the community name")]
    TooLong(usize),
    #[error("the link is of version {0}, which this app does not know")]
    UnknownVersion(u8),
    /// A link of a version before this one: it holds no invitation (2), or
    /// an invitation to a network of the protocol before (3); either way
    /// the relay would not admit the device.
    #[error("the link holds no invitation")]
    NoInvitation,
    #[error("the community name is not text")]
    BadName,
    #[error("the link names role {0}, which this app does not know")]
    UnknownRole(u8),
}

const LINK_VERSION: u8 = 5;
/// Version 4: as 5, without the role byte (a mentor's invitation); still
/// read, so a link sent before an update works until it expires.
const MENTOR_LINK_VERSION: u8 = 4;
/// The versions before: without invitation (2), with keys (3).
const OLDER_LINK_VERSIONS: [u8; 2] = [2, 3];
/// Version, role, invitation secret, network doc, community (id, doc),
/// name length.
const FIXED: usize = 1 + 1 + 32 + 16 + (16 + 16) + 2;
/// The role byte.
const MENTOR: u8 = 0;
const COORDINATOR: u8 = 1;

/// Reads a join link's bytes front to back.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let (head, rest) = self.0.split_at(N);
        self.0 = rest;
        head.try_into().expect("split at N")
    }
}

impl Invitation {
    /// base64url of
    /// `5 | role (1: 0 mentor, 1 coordinator) | invitation secret (32)
    ///    | network doc (16) | community id (16) | community doc (16)
    ///    | name length (2, BE) | name (UTF-8)`.
    /// The name's length makes a link cut short (or padded) an error, not a
    /// shorter name.
    pub fn encode(&self) -> String {
        let name = self.community.community_name.as_bytes();
        let name = &name[..name.len().min(usize::from(u16::MAX))];
        let mut b = vec![LINK_VERSION, if self.coordinator { COORDINATOR } else { MENTOR }];
        b.extend(self.secret);
        b.extend(self.network.doc);
        b.extend(self.community.community_id.0.as_bytes());
        b.extend(self.community.doc);
        b.extend((name.len() as u16).to_be_bytes());
        b.extend(name);
        URL_SAFE_NO_PAD.encode(b)
    }

    pub fn decode(text: &str) -> Result<Invitation, JoinLinkError> {
        let b = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| JoinLinkError::NotBase64)?;
        // A version-4 link reads as a version-5 one with the mentor's role.
        let b = match b.first() {
            None => return Err(JoinLinkError::TooShort(0)),
            Some(&LINK_VERSION) => b,
            Some(&MENTOR_LINK_VERSION) => [&[LINK_VERSION, MENTOR][..], &b[1..]].concat(),
            Some(v) if OLDER_LINK_VERSIONS.contains(v) => return Err(JoinLinkError::NoInvitation),
            Some(&v) => return Err(JoinLinkError::UnknownVersion(v)),
        };
        if b.len() < FIXED {
            return Err(JoinLinkError::TooShort(b.len()));
        }
        let mut r = Reader(&b[1..]);
        let coordinator = match r.take::<1>()[0] {
            MENTOR => false,
            COORDINATOR => true,
            other => return Err(JoinLinkError::UnknownRole(other)),
        };
        let secret = r.take();
        let network = NetworkAccess::joined(r.take());
        let community_id = CommunityId(uuid::Uuid::from_bytes(r.take()));
        let doc = r.take();
        let name_len = usize::from(u16::from_be_bytes(r.take()));
        let rest = r.0;
        if rest.len() < name_len {
            return Err(JoinLinkError::TooShort(b.len()));
        }
        if rest.len() > name_len {
            return Err(JoinLinkError::TooLong(rest.len() - name_len));
        }
        let community_name = String::from_utf8(rest.to_vec()).map_err(|_| JoinLinkError::BadName)?;
        if community_name.trim().is_empty() {
            return Err(JoinLinkError::BadName);
        }
        let community = Membership { community_id, community_name, doc, made_here: false };
        Ok(Invitation { secret, coordinator, network, community })
    }

    /// The full link for this app's origin.
    pub fn link(&self, origin: &str) -> String {
        format!("{origin}/#join={}", self.encode())
    }
}

/// Random bytes from the browser's CSPRNG.
pub fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the browser provides crypto.getRandomValues");
    b
}

/// `lotse_sync::Entropy` from the browser's CSPRNG.
pub struct WebEntropy;

impl lotse_sync::Entropy for WebEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("the browser provides crypto.getRandomValues");
    }
}

/// A new device that starts a network with its first community; its mentor
/// is the network's coordinator (its engine makes the documents' keys).
pub fn found_community(mentor_name: &str, community_name: &str) -> Device {
    let community = Membership::fresh(CommunityId::from_random(random()), community_name);
    Device::new(mentor_name, true, NetworkAccess::fresh(), vec![community])
}

/// A new device that joins a community (and its network) with an
/// invitation, as a mentor or a coordinator; it holds no key until a
/// coordinator's device hands it them.
pub fn join_community(mentor_name: &str, inv: &Invitation) -> Device {
    Device::new(mentor_name, inv.coordinator, inv.network.clone(), vec![inv.community.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    // For every in-crate test: localStorage and IndexedDB need a browser.
    wasm_bindgen_test_configure!(run_in_browser);

    fn invitation() -> Invitation {
        Invitation {
            secret: [6; 32],
            coordinator: false,
            network: NetworkAccess::joined([1; 16]),
            community: Membership::known(
                CommunityId::from_random([3; 16]),
                "Kurdischsprachige Familien – کوردی",
                [4; 16],
            ),
        }
    }

    #[wasm_bindgen_test]
    fn a_join_link_round_trips_with_the_network_and_the_community() {
        let inv = invitation();
        let link = inv.link("https://lotse.example");
        let payload = link.strip_prefix("https://lotse.example/#join=").expect("fragment");
        assert!(!payload.contains(['+', '/', '=']), "base64url without padding: {payload}");
        assert_eq!(Invitation::decode(payload), Ok(inv.clone()));
        assert_eq!(Invitation::decode(&format!(" {payload}\n")), Ok(inv.clone()));
        let coordinator = Invitation { coordinator: true, ..inv };
        assert_eq!(Invitation::decode(&coordinator.encode()), Ok(coordinator));
    }

    #[wasm_bindgen_test]
    fn a_version_4_link_invites_a_mentor_and_an_unknown_role_is_named() {
        let inv = invitation();
        let v5 = URL_SAFE_NO_PAD.decode(Invitation { coordinator: true, ..inv.clone() }.encode()).unwrap();
        assert_eq!(&v5[..2], &[LINK_VERSION, COORDINATOR]);
        // What a version-4 app wrote: no role byte.
        let v4 = [&[MENTOR_LINK_VERSION][..], &v5[2..]].concat();
        assert_eq!(Invitation::decode(&URL_SAFE_NO_PAD.encode(&v4)), Ok(inv));
        let mut odd = v5.clone();
        odd[1] = 7;
        assert_eq!(Invitation::decode(&URL_SAFE_NO_PAD.encode(odd)), Err(JoinLinkError::UnknownRole(7)));
    }

    #[wasm_bindgen_test]
    fn a_broken_join_link_is_named_not_accepted() {
        let payload = invitation().encode();
        let bytes = URL_SAFE_NO_PAD.decode(&payload).unwrap();
        let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        assert_eq!(Invitation::decode("%%%"), Err(JoinLinkError::NotBase64));
        assert_eq!(Invitation::decode(""), Err(JoinLinkError::TooShort(0)));
        assert!(Invitation::decode("garbage").is_err());
        assert_eq!(Invitation::decode(&b64(&[9; 200])), Err(JoinLinkError::UnknownVersion(9)));
        // Cut short anywhere: in the ids, or in the name.
        for cut in [1, 6, 40, bytes.len() - FIXED + 1] {
            let short = &bytes[..bytes.len() - cut];
            assert!(matches!(Invitation::decode(&b64(short)), Err(JoinLinkError::TooShort(_))), "cut {cut}");
        }
        let mut long = bytes.clone();
        long.push(b'x');
        assert_eq!(Invitation::decode(&b64(&long)), Err(JoinLinkError::TooLong(1)));
        let mut bad_name = bytes[..FIXED].to_vec();
        bad_name[FIXED - 2..].copy_from_slice(&2u16.to_be_bytes());
        bad_name.extend([0xff, 0xfe]);
        assert_eq!(Invitation::decode(&b64(&bad_name)), Err(JoinLinkError::BadName));
        let mut blank = bytes[..FIXED].to_vec();
        blank[FIXED - 2..].copy_from_slice(&1u16.to_be_bytes());
        blank.push(b' ');
        assert_eq!(Invitation::decode(&b64(&blank)), Err(JoinLinkError::BadName));
    }

    #[wasm_bindgen_test]
    fn links_from_before_are_named_as_such_and_a_link_holds_no_key() {
        // 2: keys and name, no invitation; 3: the invitation with the keys.
        for version in OLDER_LINK_VERSIONS {
            let mut old = vec![version];
            old.extend([7; 200]);
            assert_eq!(Invitation::decode(&URL_SAFE_NO_PAD.encode(old)), Err(JoinLinkError::NoInvitation));
        }
        let inv = invitation();
        let bytes = URL_SAFE_NO_PAD.decode(inv.encode()).unwrap();
        let name = inv.community.community_name.len();
        assert_eq!(bytes.len(), FIXED + name, "the secret, three ids and the name: nothing else");
    }

    #[wasm_bindgen_test]
    fn a_version_1_link_is_an_unknown_version() {
        // 1 | community id | doc | key id | key | name: the first format.
        let mut v1 = vec![1u8];
        v1.extend([3; 16]);
        v1.extend([4; 16]);
        v1.extend(7u32.to_be_bytes());
        v1.extend([5; 32]);
        v1.extend(b"Familien");
        assert_eq!(Invitation::decode(&URL_SAFE_NO_PAD.encode(v1)), Err(JoinLinkError::UnknownVersion(1)));
    }

    #[wasm_bindgen_test]
    fn a_founder_coordinates_a_new_network_and_a_joiner_syncs_its_documents() {
        let founder = found_community(" Leyla ", " Familien ");
        assert!(founder.coordinator);
        assert_eq!(founder.mentor_name, "Leyla");
        assert_eq!(founder.home().community_name, "Familien");
        assert_ne!(founder.network.doc, founder.home().doc);
        assert_eq!(founder.community_addrs(), vec![founder.home_addr()]);
        assert_eq!(founder.addr_of(founder.home().community_id), Some(founder.home_addr()));
        assert_eq!(founder.addr_of(CommunityId::from_random([9; 16])), None);
        assert_eq!(founder.documents(), vec![founder.network_addr(), founder.home_addr()]);

        let inv = Invitation::decode(&founder.invitation([7; 32]).encode()).unwrap();
        assert_eq!(inv.secret, [7; 32]);
        let joiner = join_community("Ayşe", &inv);
        assert!(!joiner.coordinator);
        assert_eq!(joiner.documents(), founder.documents());
        assert_eq!(founder.documents_made_here(), founder.documents());
        assert_eq!(joiner.documents_made_here(), vec![], "a joined device is handed its keys");
        // A joined coordinator too, until it makes a community of its own.
        let secret = [8; 32];
        let inv = founder.invitation_to(founder.home().community_id, secret, true).unwrap();
        let mut second = join_community("Mehmet", &Invitation::decode(&inv.encode()).unwrap());
        assert!(second.coordinator);
        assert_eq!(second.documents(), founder.documents());
        assert_eq!(second.documents_made_here(), vec![]);
        let made = Membership::fresh(CommunityId::from_random([5; 16]), "Neu");
        second.communities.push(made.clone());
        assert_eq!(second.documents_made_here(), vec![made.addr()]);
        assert_eq!(made.doc, community_doc(made.community_id));
        assert_ne!(joiner.actor, founder.actor);
        assert_ne!(joiner.mentor_id, founder.mentor_id);
    }

    #[wasm_bindgen_test]
    fn a_coordinator_holds_several_communities_each_with_its_own_document() {
        let (a, b) = (CommunityId::from_random([1; 16]), CommunityId::from_random([2; 16]));
        let d = Device::with_communities("Koordination", &[(a, "A".into()), (b, "B".into())]);
        assert!(d.coordinator);
        assert_eq!(d.home().community_id, a);
        assert_eq!(d.community_addrs().len(), 2);
        assert_eq!(d.addr_of(b).map(|x| x.doc.0), Some(community_doc(b)));
        assert_ne!(d.membership(a).unwrap().doc, d.membership(b).unwrap().doc);
        assert_eq!(d.invitation_to(b, [1; 32], false).unwrap().community.community_name, "B");
        assert_eq!(d.invitation([1; 32]).community.community_id, a);
    }

    #[wasm_bindgen_test]
    fn settings_round_trip_hold_no_key_and_older_settings_read_as_not_set_up() {
        let d = found_community("Leyla", "Familien");
        d.save().unwrap();
        assert_eq!(Device::load(), Some(d.clone()));
        let raw: serde_json::Value = LocalStorage::get(DEVICE_KEY).unwrap();
        assert!(!raw.to_string().contains("key"), "a key in localStorage: {raw}");

        // Settings from before `made_here`: a coordinator's device made
        // every document it held.
        let mut before = raw.clone();
        before["network"].as_object_mut().unwrap().remove("made_here");
        before["communities"][0].as_object_mut().unwrap().remove("made_here");
        LocalStorage::set(DEVICE_KEY, before).unwrap();
        assert_eq!(Device::load().unwrap().documents_made_here(), d.documents());

        // What the second version stored: the documents' keys beside them.
        let mut v2: serde_json::Value = LocalStorage::get(DEVICE_KEY).unwrap();
        v2["version"] = 2.into();
        v2["network"]["key"] = vec![2; 32].into();
        LocalStorage::set(DEVICE_KEY, v2).unwrap();
        assert_eq!(Device::load(), None);

        // What the first version stored: one community, no network.
        let v1 = serde_json::json!({
            "mentor_id": "0b7e4f6e-8a3c-4d1e-9f2a-1c2d3e4f5a6b",
            "mentor_name": "Leyla",
            "community_id": "1b7e4f6e-8a3c-4d1e-9f2a-1c2d3e4f5a6b",
            "community_name": "Familien",
            "doc": vec![0; 16],
            "actor": vec![1; 16],
            "key_id": 1,
            "key": vec![2; 32],
        });
        LocalStorage::set(DEVICE_KEY, v1).unwrap();
        assert_eq!(Device::load(), None);
        LocalStorage::set(DEVICE_KEY, "not even an object").unwrap();
        assert_eq!(Device::load(), None);
        LocalStorage::delete(DEVICE_KEY);
        assert_eq!(Device::load(), None);
    }
}
