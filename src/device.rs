//! The device's own settings (who uses it, which community, the key) and
//! the join link that carries them to a second device.
//!
//! Small settings live in localStorage via gloo-storage; documents never do.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use gloo_storage::{LocalStorage, Storage};
use lotse_model::{CommunityId, MentorId};
use lotse_sync::envelope::CommunityKey;
use lotse_sync::{DocAddr, DocumentId, Epoch, KeyId};

use crate::i18n::Lang;

const DEVICE_KEY: &str = "lotse.device";
const LANG_KEY: &str = "lotse.lang";

/// Who uses this device and what it syncs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Device {
    pub mentor_id: MentorId,
    pub mentor_name: String,
    pub community_id: CommunityId,
    pub community_name: String,
    /// The community's contacts document.
    pub doc: [u8; 16],
    /// This device's Automerge actor.
    pub actor: [u8; 16],
    pub key_id: u32,
    pub key: [u8; 32],
}

impl Device {
    pub fn load() -> Option<Device> {
        LocalStorage::get(DEVICE_KEY).ok()
    }

    pub fn save(&self) -> Result<(), String> {
        LocalStorage::set(DEVICE_KEY, self).map_err(|e| e.to_string())
    }

    pub fn addr(&self) -> DocAddr {
        DocAddr { doc: DocumentId(self.doc), epoch: Epoch(0) }
    }

    pub fn community_key(&self) -> CommunityKey {
        CommunityKey::from_bytes(KeyId(self.key_id), self.key)
    }

    /// The invitation a second device opens: everything but the mentor.
    pub fn invitation(&self) -> Invitation {
        Invitation {
            community_id: self.community_id,
            community_name: self.community_name.clone(),
            doc: self.doc,
            key_id: self.key_id,
            key: self.key,
        }
    }
}

pub fn load_lang() -> Option<Lang> {
    LocalStorage::get::<String>(LANG_KEY).ok().and_then(|c| Lang::from_code(&c))
}

pub fn save_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.code());
}

/// What a join link carries, in its URL fragment (never sent to a server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub community_id: CommunityId,
    pub community_name: String,
    pub doc: [u8; 16],
    pub key_id: u32,
    pub key: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinLinkError {
    #[error("the link is not base64url")]
    NotBase64,
    #[error("the link is {0} bytes, too short to hold a key")]
    TooShort(usize),
    #[error("the link is of version {0}, which this app does not know")]
    UnknownVersion(u8),
    #[error("the community name is not text")]
    BadName,
}

const LINK_VERSION: u8 = 1;
const FIXED: usize = 1 + 16 + 16 + 4 + 32;

impl Invitation {
    /// `1 | community id (16) | doc (16) | key id (4, BE) | key (32) | name (UTF-8)`, base64url.
    pub fn encode(&self) -> String {
        let mut b = vec![LINK_VERSION];
        b.extend(self.community_id.0.as_bytes());
        b.extend(self.doc);
        b.extend(self.key_id.to_be_bytes());
        b.extend(self.key);
        b.extend(self.community_name.as_bytes());
        URL_SAFE_NO_PAD.encode(b)
    }

    pub fn decode(text: &str) -> Result<Invitation, JoinLinkError> {
        let b = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| JoinLinkError::NotBase64)?;
        if b.len() < FIXED {
            return Err(JoinLinkError::TooShort(b.len()));
        }
        if b[0] != LINK_VERSION {
            return Err(JoinLinkError::UnknownVersion(b[0]));
        }
        let take = |r: std::ops::Range<usize>| b[r].to_vec();
        let arr16 = |r| <[u8; 16]>::try_from(take(r)).expect("length checked");
        let community_name = String::from_utf8(b[FIXED..].to_vec()).map_err(|_| JoinLinkError::BadName)?;
        if community_name.trim().is_empty() {
            return Err(JoinLinkError::BadName);
        }
        Ok(Invitation {
            community_id: CommunityId(uuid::Uuid::from_bytes(arr16(1..17))),
            doc: arr16(17..33),
            key_id: u32::from_be_bytes(b[33..37].try_into().expect("length checked")),
            key: b[37..69].try_into().expect("length checked"),
            community_name,
        })
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

/// A new device that starts a community.
pub fn found_community(mentor_name: &str, community_name: &str) -> Device {
    let key = CommunityKey::generate(&mut WebEntropy);
    Device {
        mentor_id: MentorId::from_random(random()),
        mentor_name: mentor_name.trim().to_owned(),
        community_id: CommunityId::from_random(random()),
        community_name: community_name.trim().to_owned(),
        doc: random(),
        actor: random(),
        key_id: key.id.0,
        key: *key.bytes(),
    }
}

/// A new device that joins with an invitation.
pub fn join_community(mentor_name: &str, inv: &Invitation) -> Device {
    Device {
        mentor_id: MentorId::from_random(random()),
        mentor_name: mentor_name.trim().to_owned(),
        community_id: inv.community_id,
        community_name: inv.community_name.clone(),
        doc: inv.doc,
        actor: random(),
        key_id: inv.key_id,
        key: inv.key,
    }
}
