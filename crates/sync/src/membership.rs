//! Who belongs to a network: signed statements, folded in order.
//!
//! A network's membership is a log of [`Signed`] statements kept by the
//! relay beside the documents' logs (at [`membership_addr`]). Each
//! statement is signed by a device's Ed25519 key and checked against
//! everything before it: the first founds the network and makes its
//! device the first coordinator; after that, coordinators name the
//! documents, invite, admit and retire; an invited device enrols itself
//! with the invitation's one-time key. The relay checks every statement
//! before it stores it and authorises every frame against the fold; a
//! device can fold the same log and reach the same state.
//!
//! The relay learns device public keys, roles and which documents each may
//! use: never a name, never a key that opens a document.

use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use crate::ids::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};

/// The epoch at which a network's membership log lives, under the network
/// document's id: documents' epochs count up from 0 and never reach it.
pub const MEMBERSHIP_EPOCH: Epoch = Epoch(u32::MAX);

/// Where the membership of `network` is kept at the relay.
pub fn membership_addr(network: DocumentId) -> DocAddr {
    DocAddr { doc: network, epoch: MEMBERSHIP_EPOCH }
}

/// A device, or an invitation's one-time key: an Ed25519 public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DeviceId(pub [u8; 32]);

impl std::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Enough to tell devices apart in a log line; the key is public.
        self.0[..6].iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A device's X25519 public key (HPKE, RFC 9180): coordinators seal the
/// document keys it may hold to it (see `grant`). Derived from the device's
/// signing secret, so the device keeps one secret, not two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgreementKey(pub [u8; 32]);

/// A document key handed to a device, named in the clear (which document
/// and epoch, which key id: the relay checks that the device may use the
/// document) while the key itself travels sealed to the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    pub addr: DocAddr,
    pub key: KeyId,
}

/// A key sealed to one device's agreement key (HPKE, as in
/// [`Statement::Keys`] with the one grant of its [`Statement::Rotate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    pub device: DeviceId,
    pub sealed: Vec<u8>,
}

/// What a member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Every document of the network; writes the membership.
    Coordinator,
    /// The network document and the documents named for them.
    Mentor,
}

/// One change to a network's membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Statement {
    /// The network begins: `founder` (who signs this) is its first
    /// coordinator; `docs` are its first community documents; `agreement`
    /// is the founder's key for receiving document keys; `keys` names the
    /// keys it made (and so holds) for the network's documents.
    Found { founder: DeviceId, docs: Vec<DocumentId>, agreement: AgreementKey, keys: Vec<Grant> },
    /// A coordinator adds documents (a new community's) to the network,
    /// with the keys it made for them (`keys`, named, not given).
    Docs { add: Vec<DocumentId>, keys: Vec<Grant> },
    /// A coordinator invites someone: whoever holds the secret half of
    /// `invite` may enrol one device, as `role` with `docs`, until
    /// `expires` (Unix seconds, checked by the relay).
    Invite { invite: DeviceId, role: Role, docs: Vec<DocumentId>, expires: u64 },
    /// Signed with the invitation's one-time key: `device` takes it, and
    /// will receive document keys sealed to `agreement`.
    Enrol { device: DeviceId, invite: DeviceId, agreement: AgreementKey },
    /// A coordinator admits a device it knows, or changes what one may use.
    Admit { device: DeviceId, role: Role, docs: Vec<DocumentId> },
    /// A coordinator retires a device (a mentor who left, a lost phone): it
    /// is refused from then on, for good.
    Retire { device: DeviceId },
    /// A coordinator hands `device` the keys of `grants`, in that order,
    /// sealed to the device's agreement key (HPKE base mode; see
    /// `grant::seal_keys`). Only that device can open `sealed`.
    Keys { device: DeviceId, grants: Vec<Grant>, sealed: Vec<u8> },
    /// A coordinator replaces the key of `grant.addr` by a new one,
    /// `grant.key` (the current key's id + 1), sealed to each device of
    /// `to` (see `grant::seal_keys`, one grant each). From the moment a
    /// device reads it, it seals with the new key. Made when a device that
    /// held the current key is retired; a retired device is never in `to`.
    Rotate { grant: Grant, to: Vec<Wrapped> },
    /// A coordinator rewrote a document into its next epoch (an erasure):
    /// `grant.addr` is the document at its current epoch + 1, `grant.key`
    /// the document's next key id, sealed to each device of `to` as for
    /// `Rotate`. The new epoch's log starts with the rewritten document,
    /// which reflects the old epoch's log up to `base`, whose changes' heads
    /// are `heads` (Automerge change hashes: a device carries over only its
    /// own changes that are not among them). Every device that may use the
    /// document moves (`Moved`); the relay deletes the old epoch's log once
    /// all have, or at `deadline` (Unix seconds). Names no record.
    Rewrite { grant: Grant, to: Vec<Wrapped>, base: Seq, heads: Vec<[u8; 32]>, deadline: u64 },
    /// Signed by a device: it moved to `addr` (the epoch a `Rewrite`
    /// named), carried its own late changes and deleted the old epoch.
    Moved { addr: DocAddr },
}

/// A statement, who signed it and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub statement: Statement,
    pub signer: DeviceId,
    /// 64 bytes: Ed25519 over [`signed_message`].
    pub signature: Vec<u8>,
}

/// Why a statement or an answer to a challenge was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error("the statement does not parse: {0}")]
    Malformed(String),
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the network is not founded yet")]
    NotFounded,
    #[error("the network is already founded")]
    AlreadyFounded,
    #[error("the founding statement must be signed by its founder")]
    FounderMustSign,
    #[error("device {0} is not a current coordinator of this network")]
    NotCoordinator(DeviceId),
    #[error("document {0} is not one of this network's")]
    UnknownDocument(DocumentId),
    #[error("document {0} already belongs to a network")]
    DocumentTaken(DocumentId),
    #[error("the invitation is unknown")]
    UnknownInvitation,
    #[error("the invitation was already used")]
    InvitationUsed,
    #[error("the invitation expired")]
    InvitationExpired,
    #[error("the key {0} is already in use in this network")]
    KeyInUse(DeviceId),
    #[error("device {0} is retired")]
    Retired(DeviceId),
    #[error("device {0} is not a member")]
    NotMember(DeviceId),
    #[error("the last coordinator cannot be retired")]
    LastCoordinator,
    #[error("device {0} has no agreement key to seal document keys to")]
    NoAgreementKey(DeviceId),
    #[error("device {device} may not use document {doc}, so it may not hold its key")]
    NotItsDocument { device: DeviceId, doc: DocumentId },
    #[error("a key statement must name at least one key")]
    NoGrants,
    #[error("no key of {0} is known to rotate")]
    NoKeyToRotate(DocAddr),
    #[error("the new key of {addr} must have the id {expected}")]
    NotTheNextKey { addr: DocAddr, expected: u32 },
    #[error("device {0} is handed the new key twice")]
    HandedTwice(DeviceId),
    #[error("document {doc} is at epoch {current}; a rewrite must name epoch {current} + 1")]
    NotTheNextEpoch { doc: DocumentId, current: u32 },
    #[error("{addr} is not the document's current epoch ({current}): it moved on")]
    OldEpoch { addr: DocAddr, current: u32 },
    #[error("the rewrite of {doc} into epoch {epoch} still waits for devices to move, until its deadline")]
    RewritePending { doc: DocumentId, epoch: u32 },
    #[error("the deadline {0} (Unix seconds) is past")]
    DeadlinePast(u64),
    #[error("no rewrite moved document {0} to this epoch")]
    NoRewrite(DocAddr),
    #[error("device {device} does not have to move to {addr}")]
    NothingToMove { device: DeviceId, addr: DocAddr },
}

/// The domain-separated bytes a statement's signature covers: the network
/// is bound in, so a statement cannot be replayed into another network.
pub fn signed_message(network: DocumentId, statement: &Statement) -> Vec<u8> {
    let mut m = b"lotse membership v1\0".to_vec();
    m.extend(network.0);
    m.extend(postcard::to_allocvec(statement).expect("postcard into a Vec"));
    m
}

/// The bytes a device signs to answer the relay's challenge.
pub fn auth_message(challenge: &[u8; 32], network: DocumentId) -> Vec<u8> {
    let mut m = b"lotse auth v3\0".to_vec();
    m.extend(challenge);
    m.extend(network.0);
    m
}

pub(crate) fn verify(key: DeviceId, message: &[u8], signature: &[u8]) -> Result<(), MembershipError> {
    let key = VerifyingKey::from_bytes(&key.0).map_err(|_| MembershipError::BadSignature)?;
    let sig = Signature::from_slice(signature).map_err(|_| MembershipError::BadSignature)?;
    key.verify_strict(message, &sig).map_err(|_| MembershipError::BadSignature)
}

/// Checks a device's answer to the relay's challenge.
pub fn verify_auth(
    device: DeviceId,
    challenge: &[u8; 32],
    network: DocumentId,
    signature: &[u8],
) -> Result<(), MembershipError> {
    verify(device, &auth_message(challenge, network), signature)
}

/// A device's (or an invitation's) signing key.
#[derive(Clone)]
pub struct DeviceKey(SigningKey);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceKey({}, <secret>)", self.id())
    }
}

impl DeviceKey {
    /// From 32 random bytes (the caller's randomness).
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&secret))
    }

    pub fn secret(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn id(&self) -> DeviceId {
        DeviceId(self.0.verifying_key().to_bytes())
    }

    pub fn sign(&self, network: DocumentId, statement: Statement) -> Signed {
        let signature = self.0.sign(&signed_message(network, &statement)).to_bytes().to_vec();
        Signed { statement, signer: self.id(), signature }
    }

    /// Ed25519 over `message`, for a sealed bundle or snapshot (see
    /// `envelope::seal_signed`, which builds the domain-separated message).
    #[cfg(feature = "client")]
    pub(crate) fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// The answer to the relay's challenge.
    pub fn answer(&self, challenge: &[u8; 32], network: DocumentId) -> Vec<u8> {
        self.0.sign(&auth_message(challenge, network)).to_bytes().to_vec()
    }
}

impl Signed {
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("postcard into a Vec")
    }

    /// Only the canonical encoding decodes (postcard also reads overlong
    /// varints): a statement's bytes are always the ones its id hashes.
    pub fn decode(bytes: &[u8]) -> Result<Self, MembershipError> {
        match postcard::take_from_bytes::<Signed>(bytes) {
            Ok((s, [])) if s.encode() != bytes => {
                Err(MembershipError::Malformed("not in its canonical encoding".into()))
            }
            Ok((s, [])) => Ok(s),
            Ok((_, rest)) => Err(MembershipError::Malformed(format!("{} bytes after the statement", rest.len()))),
            Err(e) => Err(MembershipError::Malformed(e.to_string())),
        }
    }

    /// The id it is pushed under: the same statement is the same push, so
    /// sending it again is idempotent at the relay.
    pub fn id(&self) -> BundleId {
        statement_id(&self.encode())
    }

    /// The documents this statement claims for its network.
    pub fn claims(&self) -> &[DocumentId] {
        match &self.statement {
            Statement::Found { docs, .. } => docs,
            Statement::Docs { add, .. } => add,
            _ => &[],
        }
    }
}

/// The id of a statement's bytes (the first 16 bytes of their SHA-512).
pub fn statement_id(bytes: &[u8]) -> BundleId {
    let digest = Sha512::digest(bytes);
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    BundleId(id)
}

/// A device of the network as the statements so far made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub role: Role,
    /// The community documents named for it (a coordinator uses all).
    pub docs: BTreeSet<DocumentId>,
    pub retired: bool,
    /// The invitation it enrolled with, if any.
    pub invite: Option<DeviceId>,
    /// Its key for receiving document keys (none if admitted without
    /// enrolling: it cannot be handed keys).
    pub agreement: Option<AgreementKey>,
    /// The document keys handed to it so far.
    pub granted: BTreeSet<Grant>,
}

/// An invitation as the statements so far made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub by: DeviceId,
    pub role: Role,
    pub docs: BTreeSet<DocumentId>,
    pub expires: u64,
    pub used_by: Option<DeviceId>,
}

/// A device's standing in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Unknown,
    Current(Role),
    Retired,
}

/// A document's move into a new epoch, as its `Rewrite` and the `Moved`
/// statements after it made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochMove {
    pub from: Epoch,
    pub to: Epoch,
    /// The coordinator whose device rewrote the document: moved at once.
    pub by: DeviceId,
    /// Unix seconds: the relay deletes the old epoch then at the latest,
    /// and refuses the devices that did not move on the document.
    pub deadline: u64,
    /// The devices that had to move: every current member with an
    /// agreement key that could use the document when it was rewritten.
    pub owed: BTreeSet<DeviceId>,
    pub moved: BTreeSet<DeviceId>,
}

/// Whether a statement changed the membership or was already in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    New,
    Already,
}

/// A network's membership: the fold of its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    network: DocumentId,
    founded: bool,
    docs: BTreeSet<DocumentId>,
    members: BTreeMap<DeviceId, Member>,
    invites: BTreeMap<DeviceId, Invitation>,
    /// Each log's keys the statements named (founding, added documents,
    /// rotations); a log's highest id is its current key.
    keys: BTreeSet<Grant>,
    /// Every document's moves into new epochs, by the epoch moved to.
    moves: BTreeMap<DocAddr, EpochMove>,
    seen: BTreeSet<BundleId>,
}

impl Membership {
    pub fn new(network: DocumentId) -> Self {
        Self {
            network,
            founded: false,
            docs: BTreeSet::new(),
            members: BTreeMap::new(),
            invites: BTreeMap::new(),
            keys: BTreeSet::new(),
            moves: BTreeMap::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Folds a log, skipping what does not hold (a statement that raced
    /// another and lost is stored but never counts). Time is not checked:
    /// the relay checked each invitation's expiry when it took the
    /// enrolment. Returns the membership and how many were skipped.
    pub fn fold<'a>(network: DocumentId, log: impl IntoIterator<Item = &'a [u8]>) -> (Self, usize) {
        let mut m = Self::new(network);
        let mut skipped = 0;
        for bytes in log {
            let ok = Signed::decode(bytes).and_then(|s| m.apply(&s, None));
            skipped += usize::from(ok.is_err());
        }
        (m, skipped)
    }

    pub fn network(&self) -> DocumentId {
        self.network
    }

    pub fn is_founded(&self) -> bool {
        self.founded
    }

    pub fn docs(&self) -> &BTreeSet<DocumentId> {
        &self.docs
    }

    pub fn members(&self) -> &BTreeMap<DeviceId, Member> {
        &self.members
    }

    pub fn invites(&self) -> &BTreeMap<DeviceId, Invitation> {
        &self.invites
    }

    pub fn standing(&self, device: DeviceId) -> Standing {
        match self.members.get(&device) {
            None => Standing::Unknown,
            Some(m) if m.retired => Standing::Retired,
            Some(m) => Standing::Current(m.role),
        }
    }

    /// Whether `device` may read and write the log of `doc`: the network
    /// document and the membership log for every current member, every
    /// document for a coordinator, the ones named for it for a mentor.
    pub fn may_use(&self, device: DeviceId, doc: DocumentId) -> bool {
        let Some(m) = self.members.get(&device).filter(|m| !m.retired) else { return false };
        doc == self.network || (self.docs.contains(&doc) && (m.role == Role::Coordinator || m.docs.contains(&doc)))
    }

    fn coordinator(&self, device: DeviceId) -> Result<(), MembershipError> {
        match self.standing(device) {
            Standing::Current(Role::Coordinator) => Ok(()),
            _ => Err(MembershipError::NotCoordinator(device)),
        }
    }

    fn known_docs(&self, docs: &[DocumentId]) -> Result<BTreeSet<DocumentId>, MembershipError> {
        match docs.iter().find(|d| !self.docs.contains(d)) {
            Some(&d) => Err(MembershipError::UnknownDocument(d)),
            None => Ok(docs.iter().copied().collect()),
        }
    }

    fn key_free(&self, key: DeviceId) -> Result<(), MembershipError> {
        if self.members.contains_key(&key) || self.invites.contains_key(&key) {
            return Err(MembershipError::KeyInUse(key));
        }
        Ok(())
    }

    /// Checks `signed` against the membership so far (and, with `now`, an
    /// invitation's expiry) and applies it. A statement already applied is
    /// `Already` and changes nothing; one that does not hold changes
    /// nothing and says why.
    pub fn apply(&mut self, signed: &Signed, now: Option<u64>) -> Result<Applied, MembershipError> {
        let id = signed.id();
        if self.seen.contains(&id) {
            return Ok(Applied::Already);
        }
        verify(signed.signer, &signed_message(self.network, &signed.statement), &signed.signature)?;
        let by = signed.signer;
        match &signed.statement {
            Statement::Found { founder, docs, agreement, keys } => {
                if self.founded {
                    return Err(MembershipError::AlreadyFounded);
                }
                if *founder != by {
                    return Err(MembershipError::FounderMustSign);
                }
                if docs.contains(&self.network) {
                    return Err(MembershipError::DocumentTaken(self.network));
                }
                let known = |g: &&Grant| g.addr.doc == self.network || docs.contains(&g.addr.doc);
                if let Some(g) = keys.iter().find(|g| !known(g) || g.addr.epoch == MEMBERSHIP_EPOCH) {
                    return Err(MembershipError::UnknownDocument(g.addr.doc));
                }
                self.founded = true;
                self.docs.extend(docs.iter().copied());
                self.name_keys(keys);
                let member = Member {
                    role: Role::Coordinator,
                    docs: BTreeSet::new(),
                    retired: false,
                    invite: None,
                    agreement: Some(*agreement),
                    granted: keys.iter().copied().collect(),
                };
                self.members.insert(by, member);
            }
            _ if !self.founded => return Err(MembershipError::NotFounded),
            Statement::Docs { add, keys } => {
                self.coordinator(by)?;
                if let Some(&d) = add.iter().find(|d| **d == self.network) {
                    return Err(MembershipError::DocumentTaken(d));
                }
                if let Some(g) = keys.iter().find(|g| !add.contains(&g.addr.doc) || g.addr.epoch == MEMBERSHIP_EPOCH) {
                    return Err(MembershipError::UnknownDocument(g.addr.doc));
                }
                self.docs.extend(add.iter().copied());
                self.name_keys(keys);
                self.members.get_mut(&by).expect("a coordinator").granted.extend(keys.iter().copied());
            }
            Statement::Invite { invite, role, docs, expires } => {
                self.coordinator(by)?;
                self.key_free(*invite)?;
                let docs = self.known_docs(docs)?;
                let inv = Invitation { by, role: *role, docs, expires: *expires, used_by: None };
                self.invites.insert(*invite, inv);
            }
            Statement::Enrol { device, invite, agreement } => {
                if by != *invite {
                    return Err(MembershipError::BadSignature);
                }
                let inv = self.invites.get(invite).ok_or(MembershipError::UnknownInvitation)?;
                if inv.used_by.is_some() {
                    return Err(MembershipError::InvitationUsed);
                }
                if now.is_some_and(|now| now > inv.expires) {
                    return Err(MembershipError::InvitationExpired);
                }
                self.key_free(*device)?;
                let member = Member {
                    role: inv.role,
                    docs: inv.docs.clone(),
                    retired: false,
                    invite: Some(*invite),
                    agreement: Some(*agreement),
                    granted: BTreeSet::new(),
                };
                self.invites.get_mut(invite).expect("checked").used_by = Some(*device);
                self.members.insert(*device, member);
            }
            Statement::Admit { device, role, docs } => {
                self.coordinator(by)?;
                if self.invites.contains_key(device) {
                    return Err(MembershipError::KeyInUse(*device));
                }
                let docs = self.known_docs(docs)?;
                let demotes = self.standing(*device) == Standing::Current(Role::Coordinator) && *role == Role::Mentor;
                if demotes && self.current_coordinators() == 1 {
                    return Err(MembershipError::LastCoordinator);
                }
                match self.members.get_mut(device) {
                    Some(m) if m.retired => return Err(MembershipError::Retired(*device)),
                    Some(m) => {
                        m.role = *role;
                        m.docs = docs;
                    }
                    None => {
                        let member = Member {
                            role: *role,
                            docs,
                            retired: false,
                            invite: None,
                            agreement: None,
                            granted: BTreeSet::new(),
                        };
                        self.members.insert(*device, member);
                    }
                }
            }
            Statement::Retire { device } => {
                self.coordinator(by)?;
                let m = self.members.get(device).ok_or(MembershipError::NotMember(*device))?;
                if m.retired {
                    return Err(MembershipError::Retired(*device));
                }
                if m.role == Role::Coordinator && self.current_coordinators() == 1 {
                    return Err(MembershipError::LastCoordinator);
                }
                self.members.get_mut(device).expect("checked").retired = true;
            }
            Statement::Keys { device, grants, .. } => {
                self.coordinator(by)?;
                let m = self.members.get(device).ok_or(MembershipError::NotMember(*device))?;
                if m.retired {
                    return Err(MembershipError::Retired(*device));
                }
                if m.agreement.is_none() {
                    return Err(MembershipError::NoAgreementKey(*device));
                }
                if grants.is_empty() {
                    return Err(MembershipError::NoGrants);
                }
                let foreign =
                    grants.iter().find(|g| g.addr.epoch == MEMBERSHIP_EPOCH || !self.may_use(*device, g.addr.doc));
                if let Some(g) = foreign {
                    return Err(MembershipError::NotItsDocument { device: *device, doc: g.addr.doc });
                }
                self.members.get_mut(device).expect("checked").granted.extend(grants.iter().copied());
            }
            Statement::Rotate { grant, to } => {
                self.coordinator(by)?;
                let addr = grant.addr;
                if addr.epoch == MEMBERSHIP_EPOCH || !(addr.doc == self.network || self.docs.contains(&addr.doc)) {
                    return Err(MembershipError::UnknownDocument(addr.doc));
                }
                let current = self.current_key(addr).ok_or(MembershipError::NoKeyToRotate(addr))?;
                // One id names one key: of two coordinators rotating at once,
                // the first stored wins and the other's never counts.
                match current.0.checked_add(1) {
                    Some(next) if next == grant.key.0 => {}
                    next => {
                        let expected = next.unwrap_or(u32::MAX);
                        return Err(MembershipError::NotTheNextKey { addr, expected });
                    }
                }
                let current = self.current_epoch(addr.doc);
                if addr.epoch != current {
                    return Err(MembershipError::OldEpoch { addr, current: current.0 });
                }
                let handed = self.recipients(addr.doc, to)?;
                self.hand(grant, handed.into_iter().chain([by]));
            }
            Statement::Rewrite { grant, to, deadline, .. } => {
                self.coordinator(by)?;
                let (doc, epoch) = (grant.addr.doc, grant.addr.epoch);
                if epoch == MEMBERSHIP_EPOCH || !(doc == self.network || self.docs.contains(&doc)) {
                    return Err(MembershipError::UnknownDocument(doc));
                }
                let from = self.current_epoch(doc);
                if from.0.checked_add(1) != Some(epoch.0) || epoch == MEMBERSHIP_EPOCH {
                    return Err(MembershipError::NotTheNextEpoch { doc, current: from.0 });
                }
                let old = DocAddr { doc, epoch: from };
                let current = self.current_key(old).ok_or(MembershipError::NoKeyToRotate(old))?;
                // Key ids count per document, across its epochs.
                if current.0.checked_add(1) != Some(grant.key.0) {
                    let expected = current.0.saturating_add(1);
                    return Err(MembershipError::NotTheNextKey { addr: grant.addr, expected });
                }
                // One move at a time: the devices still on the previous
                // epoch could not follow two.
                if let (Some(now), Some(last)) = (now, self.moves.get(&old)) {
                    if now <= last.deadline && !self.not_moved(old).is_empty() {
                        return Err(MembershipError::RewritePending { doc, epoch: old.epoch.0 });
                    }
                }
                if now.is_some_and(|now| *deadline <= now) {
                    return Err(MembershipError::DeadlinePast(*deadline));
                }
                let handed = self.recipients(doc, to)?;
                let owed: BTreeSet<DeviceId> = self
                    .members
                    .iter()
                    .filter(|(id, m)| m.agreement.is_some() && self.may_use(**id, doc))
                    .map(|(id, _)| *id)
                    .collect();
                self.hand(grant, handed.into_iter().chain([by]));
                let moved = EpochMove { from, to: epoch, by, deadline: *deadline, owed, moved: BTreeSet::from([by]) };
                self.moves.insert(grant.addr, moved);
            }
            Statement::Moved { addr } => {
                match self.standing(by) {
                    Standing::Current(_) => {}
                    Standing::Retired => return Err(MembershipError::Retired(by)),
                    Standing::Unknown => return Err(MembershipError::NotMember(by)),
                }
                let m = self.moves.get(addr).ok_or(MembershipError::NoRewrite(*addr))?;
                if !m.owed.contains(&by) {
                    return Err(MembershipError::NothingToMove { device: by, addr: *addr });
                }
                // Too late: the relay deleted the old epoch (or will): the
                // device is refused on the document and enrols again.
                if now.is_some_and(|now| now > m.deadline) && !m.moved.contains(&by) {
                    return Err(MembershipError::DeadlinePast(m.deadline));
                }
                self.moves.get_mut(addr).expect("checked").moved.insert(by);
            }
        }
        self.seen.insert(id);
        Ok(Applied::New)
    }

    /// The keys each current member may hold but was not handed yet, of
    /// those in `held` (the keys the asking coordinator has): what it should
    /// seal to them. Members without an agreement key are left out.
    pub fn wanting(&self, held: &[Grant]) -> BTreeMap<DeviceId, Vec<Grant>> {
        let mut out = BTreeMap::new();
        for (id, m) in &self.members {
            if m.retired || m.agreement.is_none() {
                continue;
            }
            let want: Vec<Grant> =
                held.iter().filter(|g| self.may_use(*id, g.addr.doc) && !m.granted.contains(g)).copied().collect();
            if !want.is_empty() {
                out.insert(*id, want);
            }
        }
        out
    }

    /// Checks the devices a new key is sealed to: current members with an
    /// agreement key that may use `doc`, each named once.
    fn recipients(&self, doc: DocumentId, to: &[Wrapped]) -> Result<BTreeSet<DeviceId>, MembershipError> {
        let mut handed = BTreeSet::new();
        for w in to {
            let m = self.members.get(&w.device).ok_or(MembershipError::NotMember(w.device))?;
            if m.retired {
                return Err(MembershipError::Retired(w.device));
            }
            if m.agreement.is_none() {
                return Err(MembershipError::NoAgreementKey(w.device));
            }
            if !self.may_use(w.device, doc) {
                return Err(MembershipError::NotItsDocument { device: w.device, doc });
            }
            if !handed.insert(w.device) {
                return Err(MembershipError::HandedTwice(w.device));
            }
        }
        Ok(handed)
    }

    /// Names `grant` and has `devices` hold it.
    fn hand(&mut self, grant: &Grant, devices: impl IntoIterator<Item = DeviceId>) {
        self.name_keys(std::slice::from_ref(grant));
        for device in devices {
            self.members.get_mut(&device).expect("checked").granted.insert(*grant);
        }
    }

    /// The epoch `doc` is written in now: 0, or the last a `Rewrite` named.
    pub fn current_epoch(&self, doc: DocumentId) -> Epoch {
        self.moves.keys().filter(|a| a.doc == doc).map(|a| a.epoch).next_back().unwrap_or_default()
    }

    /// The move of a document into `addr` (its epoch), if a `Rewrite` made one.
    pub fn epoch_move(&self, addr: DocAddr) -> Option<&EpochMove> {
        self.moves.get(&addr)
    }

    /// Every move of every document, by the epoch moved to.
    pub fn moves(&self) -> &BTreeMap<DocAddr, EpochMove> {
        &self.moves
    }

    /// The devices that must still move to `addr`: owed a move, not moved,
    /// and still current members that may use the document (a retired
    /// device, or one no longer named for it, is not waited for).
    pub fn not_moved(&self, addr: DocAddr) -> BTreeSet<DeviceId> {
        let Some(m) = self.moves.get(&addr) else { return BTreeSet::new() };
        m.owed.iter().filter(|d| !m.moved.contains(d) && self.may_use(**d, addr.doc)).copied().collect()
    }

    /// Whether `device` did not move `doc` to its current epoch before the
    /// deadline (`now`, Unix seconds): it is refused on the document and
    /// must enrol again.
    pub fn left_behind(&self, device: DeviceId, doc: DocumentId, now: u64) -> bool {
        let addr = DocAddr { doc, epoch: self.current_epoch(doc) };
        self.moves.get(&addr).is_some_and(|m| now > m.deadline) && self.not_moved(addr).contains(&device)
    }

    fn name_keys(&mut self, keys: &[Grant]) {
        self.keys.extend(keys.iter().copied());
    }

    /// The id of the key `addr` is sealed with now: the newest its
    /// founding, documents or rotations named.
    pub fn current_key(&self, addr: DocAddr) -> Option<KeyId> {
        self.keys.iter().filter(|g| g.addr == addr).map(|g| g.key).next_back()
    }

    /// Whether a statement named `key` as a key of `addr`: a device that
    /// may use the document is owed it, and waits for it.
    pub fn names_key(&self, addr: DocAddr, key: KeyId) -> bool {
        self.keys.contains(&Grant { addr, key })
    }

    /// The current keys a retired device held (made, or was handed): each
    /// of these documents must move to a new key, so that nothing written
    /// from then on opens for it. A device retired before it was handed a
    /// key leaves nothing to rotate.
    pub fn to_rotate(&self) -> Vec<Grant> {
        // Sorted by log, then id: a log's current key is its last.
        let mut current = Vec::new();
        let mut keys = self.keys.iter().peekable();
        while let Some(g) = keys.next() {
            if keys.peek().is_none_or(|next| next.addr != g.addr) {
                current.push(*g);
            }
        }
        // An old epoch is read to its move and then deleted: never rotated.
        current.retain(|g| g.addr.epoch == self.current_epoch(g.addr.doc));
        current.retain(|g| self.members.values().any(|m| m.retired && m.granted.contains(g)));
        current
    }

    fn current_coordinators(&self) -> usize {
        self.members.values().filter(|m| !m.retired && m.role == Role::Coordinator).count()
    }
}

/// Keys and statements for tests (of this crate, the relay, the tools):
/// a network founded by a device made from a seed.
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// A device key from a small number, the same on every run.
    pub fn key(n: u64) -> DeviceKey {
        let mut secret = [0u8; 32];
        secret[..8].copy_from_slice(&n.to_le_bytes());
        secret[31] = 0x5a;
        DeviceKey::from_secret(secret)
    }

    /// The founding statement of `network` by `founder`, with `docs`.
    pub fn found(founder: &DeviceKey, network: DocumentId, docs: &[DocumentId]) -> Signed {
        found_holding(founder, network, docs, &[])
    }

    /// The founding statement, naming the keys the founder holds.
    pub fn found_holding(founder: &DeviceKey, network: DocumentId, docs: &[DocumentId], keys: &[Grant]) -> Signed {
        let stmt = Statement::Found {
            founder: founder.id(),
            docs: docs.to_vec(),
            agreement: agreement(founder),
            keys: keys.to_vec(),
        };
        founder.sign(network, stmt)
    }

    /// `device`'s agreement key: the real one where this crate holds HPKE
    /// (the device side); elsewhere (the relay, which never opens keys)
    /// stand-in bytes of the same length.
    pub fn agreement(device: &DeviceKey) -> AgreementKey {
        #[cfg(feature = "client")]
        return device.agreement().public();
        #[cfg(not(feature = "client"))]
        return AgreementKey(Sha512::digest(device.secret())[..32].try_into().expect("32 of 64 bytes"));
    }

    /// `device` enrolling with the secret half of `invite`.
    pub fn enrol(invite: &DeviceKey, network: DocumentId, device: &DeviceKey) -> Signed {
        let stmt = Statement::Enrol { device: device.id(), invite: invite.id(), agreement: agreement(device) };
        invite.sign(network, stmt)
    }

    /// `device` admitted by `coordinator`.
    pub fn admit(
        coordinator: &DeviceKey,
        network: DocumentId,
        device: DeviceId,
        role: Role,
        docs: &[DocumentId],
    ) -> Signed {
        coordinator.sign(network, Statement::Admit { device, role, docs: docs.to_vec() })
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{self, admit, agreement, enrol, found, key};
    use super::*;

    const NET: DocumentId = DocumentId([1; 16]);
    const A: DocumentId = DocumentId([2; 16]);
    const B: DocumentId = DocumentId([3; 16]);

    fn founded() -> (Membership, DeviceKey) {
        let c = key(1);
        let mut m = Membership::new(NET);
        assert_eq!(m.apply(&found(&c, NET, &[A, B]), None), Ok(Applied::New));
        (m, c)
    }

    #[test]
    fn the_founder_is_the_first_coordinator_and_uses_every_document() {
        let (m, c) = founded();
        assert_eq!(m.standing(c.id()), Standing::Current(Role::Coordinator));
        for d in [NET, A, B] {
            assert!(m.may_use(c.id(), d));
        }
        assert!(!m.may_use(c.id(), DocumentId([9; 16])), "a document the network never named");
        assert!(!m.may_use(key(2).id(), NET), "a stranger");
    }

    #[test]
    fn a_second_founding_and_a_founding_signed_by_another_are_refused() {
        let (mut m, _) = founded();
        assert_eq!(m.apply(&found(&key(2), NET, &[]), None), Err(MembershipError::AlreadyFounded));
        let other = key(3).sign(
            NET,
            Statement::Found { founder: key(4).id(), docs: vec![], agreement: agreement(&key(4)), keys: vec![] },
        );
        let mut fresh = Membership::new(NET);
        assert_eq!(fresh.apply(&other, None), Err(MembershipError::FounderMustSign));
        assert!(!fresh.is_founded());
    }

    #[test]
    fn an_invitation_admits_one_device_to_its_documents_once_and_not_after_it_expired() {
        let (mut m, c) = founded();
        let invite = key(10);
        let stmt = Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![A], expires: 1_000 };
        m.apply(&c.sign(NET, stmt), Some(500)).unwrap();
        let late = enrol(&invite, NET, &key(11));
        assert_eq!(m.clone().apply(&late, Some(1_001)), Err(MembershipError::InvitationExpired));
        m.apply(&late, Some(1_000)).unwrap();
        assert_eq!(m.standing(key(11).id()), Standing::Current(Role::Mentor));
        assert!(m.may_use(key(11).id(), A));
        assert!(m.may_use(key(11).id(), NET));
        assert!(!m.may_use(key(11).id(), B), "a mentor uses only the documents named for them");
        let again = enrol(&invite, NET, &key(12));
        assert_eq!(m.apply(&again, Some(0)), Err(MembershipError::InvitationUsed));
        assert_eq!(m.standing(key(12).id()), Standing::Unknown);
    }

    #[test]
    fn an_enrolment_must_be_signed_by_the_invitation_key() {
        let (mut m, c) = founded();
        let invite = key(10);
        let stmt = Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![A], expires: 9 };
        m.apply(&c.sign(NET, stmt), None).unwrap();
        let forged = key(11)
            .sign(NET, Statement::Enrol { device: key(11).id(), invite: invite.id(), agreement: agreement(&key(11)) });
        assert_eq!(m.apply(&forged, None), Err(MembershipError::BadSignature));
    }

    #[test]
    fn only_a_current_coordinator_invites_admits_retires_or_adds_documents() {
        let (mut m, c) = founded();
        let mentor = key(2);
        m.apply(&admit(&c, NET, mentor.id(), Role::Mentor, &[A]), None).unwrap();
        let tries = [
            Statement::Docs { add: vec![DocumentId([7; 16])], keys: vec![] },
            Statement::Admit { device: key(3).id(), role: Role::Mentor, docs: vec![] },
            Statement::Retire { device: c.id() },
            Statement::Invite { invite: key(4).id(), role: Role::Coordinator, docs: vec![], expires: 9 },
        ];
        for t in tries {
            assert_eq!(m.apply(&mentor.sign(NET, t), None), Err(MembershipError::NotCoordinator(mentor.id())));
        }
    }

    #[test]
    fn a_retired_device_uses_nothing_and_cannot_come_back_with_the_same_key() {
        let (mut m, c) = founded();
        let mentor = key(2);
        m.apply(&admit(&c, NET, mentor.id(), Role::Mentor, &[A]), None).unwrap();
        m.apply(&c.sign(NET, Statement::Retire { device: mentor.id() }), None).unwrap();
        assert_eq!(m.standing(mentor.id()), Standing::Retired);
        assert!(!m.may_use(mentor.id(), NET));
        // The first admission again is the same statement: nothing changes.
        assert_eq!(m.apply(&admit(&c, NET, mentor.id(), Role::Mentor, &[A]), None), Ok(Applied::Already));
        assert_eq!(
            m.apply(&admit(&c, NET, mentor.id(), Role::Mentor, &[A, B]), None),
            Err(MembershipError::Retired(mentor.id()))
        );
        assert_eq!(m.standing(mentor.id()), Standing::Retired);
    }

    #[test]
    fn the_last_coordinator_can_be_neither_retired_nor_made_a_mentor() {
        let (mut m, c) = founded();
        assert_eq!(
            m.apply(&c.sign(NET, Statement::Retire { device: c.id() }), None),
            Err(MembershipError::LastCoordinator)
        );
        assert_eq!(m.apply(&admit(&c, NET, c.id(), Role::Mentor, &[A]), None), Err(MembershipError::LastCoordinator));
        assert_eq!(m.standing(c.id()), Standing::Current(Role::Coordinator));
    }

    #[test]
    fn a_statement_for_another_network_or_altered_does_not_verify() {
        let (mut m, c) = founded();
        let elsewhere = admit(&c, DocumentId([8; 16]), key(2).id(), Role::Mentor, &[A]);
        assert_eq!(m.apply(&elsewhere, None), Err(MembershipError::BadSignature));
        let mut altered = admit(&c, NET, key(2).id(), Role::Mentor, &[A]);
        altered.statement = Statement::Admit { device: key(2).id(), role: Role::Coordinator, docs: vec![] };
        assert_eq!(m.apply(&altered, None), Err(MembershipError::BadSignature));
    }

    #[test]
    fn the_same_statement_twice_is_already_applied_and_a_fold_skips_what_lost_a_race() {
        let (mut m, c) = founded();
        let invite = key(10);
        let inv = c.sign(NET, Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![A], expires: 9 });
        assert_eq!(m.apply(&inv, None), Ok(Applied::New));
        assert_eq!(m.apply(&inv, None), Ok(Applied::Already));
        let first = enrol(&invite, NET, &key(11));
        let second = enrol(&invite, NET, &key(12));
        let log: Vec<Vec<u8>> = [found(&c, NET, &[A, B]), inv, first, second].iter().map(Signed::encode).collect();
        let (folded, skipped) = Membership::fold(NET, log.iter().map(Vec::as_slice));
        assert_eq!(skipped, 1);
        assert_eq!(folded.standing(key(11).id()), Standing::Current(Role::Mentor));
        assert_eq!(folded.standing(key(12).id()), Standing::Unknown);
    }

    #[test]
    fn keys_go_only_from_a_coordinator_to_a_current_member_with_an_agreement_key_for_its_own_documents() {
        let (mut m, c) = founded();
        let invite = key(10);
        let inv = Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![A], expires: 9 };
        m.apply(&c.sign(NET, inv), None).unwrap();
        let mentor = key(11);
        m.apply(&enrol(&invite, NET, &mentor), None).unwrap();
        m.apply(&admit(&c, NET, key(12).id(), Role::Mentor, &[A]), None).unwrap();
        let grant = |doc: DocumentId, epoch: u32| Grant { addr: DocAddr { doc, epoch: Epoch(epoch) }, key: KeyId(5) };
        let keys = |device: DeviceId, grants: Vec<Grant>| Statement::Keys { device, grants, sealed: vec![1; 80] };
        let held = [grant(NET, 0), grant(A, 0), grant(B, 0)];
        // The founder has its own keys; the mentor wants the network's and its community's.
        let wanting = m.wanting(&held);
        assert_eq!(wanting.get(&mentor.id()), Some(&vec![grant(NET, 0), grant(A, 0)]));
        assert_eq!(wanting.get(&key(12).id()), None, "admitted without enrolling: nothing to seal to");
        let tries = [
            (
                "a mentor hands out keys",
                mentor.sign(NET, keys(mentor.id(), vec![grant(A, 0)])),
                MembershipError::NotCoordinator(mentor.id()),
            ),
            (
                "a stranger's",
                c.sign(NET, keys(key(30).id(), vec![grant(A, 0)])),
                MembershipError::NotMember(key(30).id()),
            ),
            (
                "no agreement key",
                c.sign(NET, keys(key(12).id(), vec![grant(A, 0)])),
                MembershipError::NoAgreementKey(key(12).id()),
            ),
            (
                "another community's",
                c.sign(NET, keys(mentor.id(), vec![grant(B, 0)])),
                MembershipError::NotItsDocument { device: mentor.id(), doc: B },
            ),
            (
                "the membership log's",
                c.sign(NET, keys(mentor.id(), vec![grant(NET, u32::MAX)])),
                MembershipError::NotItsDocument { device: mentor.id(), doc: NET },
            ),
            ("none", c.sign(NET, keys(mentor.id(), vec![])), MembershipError::NoGrants),
        ];
        for (what, stmt, error) in tries {
            assert_eq!(m.apply(&stmt, None), Err(error), "{what}");
        }
        m.apply(&c.sign(NET, keys(mentor.id(), vec![grant(NET, 0), grant(A, 0)])), None).unwrap();
        assert_eq!(m.wanting(&held).get(&mentor.id()), None, "handed over");
        m.apply(&c.sign(NET, Statement::Retire { device: mentor.id() }), None).unwrap();
        let late = c.sign(NET, keys(mentor.id(), vec![grant(A, 0)]));
        assert_eq!(m.apply(&late, None), Err(MembershipError::Retired(mentor.id())), "after retirement");
    }

    #[test]
    fn a_statement_in_other_bytes_than_its_own_encoding_does_not_decode() {
        let bytes = found(&key(1), NET, &[A]).encode();
        // The docs' count (1) as an overlong varint: 0x81 0x00.
        let at = bytes.iter().position(|&b| b == 1).expect("the count");
        let mut overlong = bytes[..at].to_vec();
        overlong.extend([0x81, 0x00]);
        overlong.extend(&bytes[at + 1..]);
        assert!(postcard::from_bytes::<Signed>(&overlong).is_ok(), "postcard reads it");
        assert!(matches!(Signed::decode(&overlong), Err(MembershipError::Malformed(_))));
        assert!(Signed::decode(&bytes).is_ok());
    }

    #[test]
    fn garbage_is_named_not_panicked_on() {
        assert!(matches!(Signed::decode(&[0xff; 3]), Err(MembershipError::Malformed(_))));
        let mut bytes = found(&key(1), NET, &[]).encode();
        bytes.push(0);
        assert!(matches!(Signed::decode(&bytes), Err(MembershipError::Malformed(_))));
        let mut short = found(&key(1), NET, &[]);
        short.signature.truncate(10);
        assert_eq!(Membership::new(NET).apply(&short, None), Err(MembershipError::BadSignature));
    }

    #[test]
    fn an_answer_to_a_challenge_verifies_only_for_its_challenge_network_and_key() {
        let k = key(1);
        let ch = [7u8; 32];
        let sig = k.answer(&ch, NET);
        assert_eq!(verify_auth(k.id(), &ch, NET, &sig), Ok(()));
        assert!(verify_auth(k.id(), &[8u8; 32], NET, &sig).is_err(), "a replay to another challenge");
        assert!(verify_auth(k.id(), &ch, A, &sig).is_err(), "another network");
        assert!(verify_auth(key(2).id(), &ch, NET, &sig).is_err(), "another key");
    }

    #[test]
    fn a_retired_holder_of_the_current_key_calls_for_a_rotation_to_the_next_id_and_only_a_coordinator_makes_it() {
        let c = key(1);
        let at = |doc: DocumentId| DocAddr { doc, epoch: Epoch(0) };
        let grant = |doc: DocumentId, k: u32| Grant { addr: at(doc), key: KeyId(k) };
        let mut m = Membership::new(NET);
        m.apply(&testing::found_holding(&c, NET, &[A, B], &[grant(NET, 0), grant(A, 0), grant(B, 0)]), None).unwrap();
        let (invite, stay, leave) = (key(10), key(11), key(12));
        for (inv, device) in [(&invite, &stay), (&key(13), &leave)] {
            let stmt = Statement::Invite { invite: inv.id(), role: Role::Mentor, docs: vec![A], expires: 9 };
            m.apply(&c.sign(NET, stmt), None).unwrap();
            m.apply(&enrol(inv, NET, device), None).unwrap();
            let keys =
                Statement::Keys { device: device.id(), grants: vec![grant(NET, 0), grant(A, 0)], sealed: vec![] };
            m.apply(&c.sign(NET, keys), None).unwrap();
        }
        assert_eq!(m.current_key(at(A)), Some(KeyId(0)));
        assert_eq!(m.to_rotate(), vec![], "nobody retired");
        m.apply(&c.sign(NET, Statement::Retire { device: leave.id() }), None).unwrap();
        // The documents the retired mentor held keys of; not the other community's.
        assert_eq!(m.to_rotate(), vec![grant(NET, 0), grant(A, 0)]);

        let wrapped = |d: &DeviceKey| Wrapped { device: d.id(), sealed: vec![7; 80] };
        let rotate = |k: u32, to: Vec<Wrapped>| Statement::Rotate { grant: grant(A, k), to };
        let tries = [
            ("by a mentor", stay.sign(NET, rotate(1, vec![])), MembershipError::NotCoordinator(stay.id())),
            (
                "to the same id",
                c.sign(NET, rotate(0, vec![])),
                MembershipError::NotTheNextKey { addr: at(A), expected: 1 },
            ),
            (
                "skipping an id",
                c.sign(NET, rotate(2, vec![])),
                MembershipError::NotTheNextKey { addr: at(A), expected: 1 },
            ),
            (
                "to the retired device",
                c.sign(NET, rotate(1, vec![wrapped(&leave)])),
                MembershipError::Retired(leave.id()),
            ),
            (
                "to a stranger",
                c.sign(NET, rotate(1, vec![wrapped(&key(30))])),
                MembershipError::NotMember(key(30).id()),
            ),
            (
                "twice to one device",
                c.sign(NET, rotate(1, vec![wrapped(&stay), wrapped(&stay)])),
                MembershipError::HandedTwice(stay.id()),
            ),
            (
                "a document nobody named a key of",
                c.sign(
                    NET,
                    Statement::Rotate {
                        grant: Grant { addr: DocAddr { doc: A, epoch: Epoch(1) }, key: KeyId(1) },
                        to: vec![],
                    },
                ),
                MembershipError::NoKeyToRotate(DocAddr { doc: A, epoch: Epoch(1) }),
            ),
            (
                "the membership log",
                c.sign(
                    NET,
                    Statement::Rotate { grant: Grant { addr: membership_addr(NET), key: KeyId(1) }, to: vec![] },
                ),
                MembershipError::UnknownDocument(NET),
            ),
        ];
        for (what, stmt, error) in tries {
            assert_eq!(m.apply(&stmt, None), Err(error), "{what}");
        }
        let first = c.sign(NET, rotate(1, vec![wrapped(&stay)]));
        assert_eq!(m.apply(&first, None), Ok(Applied::New));
        assert_eq!(m.current_key(at(A)), Some(KeyId(1)));
        assert!(m.names_key(at(A), KeyId(0)) && m.names_key(at(A), KeyId(1)) && !m.names_key(at(A), KeyId(2)));
        assert!(m.members()[&stay.id()].granted.contains(&grant(A, 1)));
        assert!(m.members()[&c.id()].granted.contains(&grant(A, 1)), "the coordinator made it, so holds it");
        assert!(!m.members()[&leave.id()].granted.contains(&grant(A, 1)));
        assert_eq!(m.to_rotate(), vec![grant(NET, 0)], "the community moved on; the network document is next");
        // A second coordinator's rotation to the same id lost the race.
        let rival = c.sign(NET, rotate(1, vec![]));
        assert_eq!(m.apply(&rival, None), Err(MembershipError::NotTheNextKey { addr: at(A), expected: 2 }));
        // A member enrolled after the rotation is owed the old and the new key.
        let late = Statement::Invite { invite: key(14).id(), role: Role::Mentor, docs: vec![A], expires: 9 };
        m.apply(&c.sign(NET, late), None).unwrap();
        m.apply(&enrol(&key(14), NET, &key(15)), None).unwrap();
        let held = [grant(A, 0), grant(A, 1)];
        assert_eq!(m.wanting(&held).get(&key(15).id()), Some(&held.to_vec()));
    }

    #[test]
    fn a_rewrite_moves_a_document_to_its_next_epoch_and_every_device_that_may_use_it_owes_a_move() {
        let c = key(1);
        let at = |doc: DocumentId, e: u32| DocAddr { doc, epoch: Epoch(e) };
        let grant = |e: u32, k: u32| Grant { addr: at(A, e), key: KeyId(k) };
        let mut m = Membership::new(NET);
        m.apply(
            &testing::found_holding(&c, NET, &[A, B], &[grant(0, 0), Grant { addr: at(B, 0), key: KeyId(0) }]),
            None,
        )
        .unwrap();
        let (mentor, other, bare) = (key(11), key(13), key(20));
        for (n, device, docs) in [(10, &mentor, vec![A]), (12, &other, vec![B])] {
            let inv = Statement::Invite { invite: key(n).id(), role: Role::Mentor, docs, expires: 9 };
            m.apply(&c.sign(NET, inv), None).unwrap();
            m.apply(&enrol(&key(n), NET, device), None).unwrap();
        }
        // Admitted without enrolling: it can hold no key, so has nothing to move.
        m.apply(&admit(&c, NET, bare.id(), Role::Mentor, &[A]), None).unwrap();
        let wrapped = |d: &DeviceKey| Wrapped { device: d.id(), sealed: vec![7; 80] };
        let rewrite = |e: u32, k: u32, to: Vec<Wrapped>, deadline: u64| Statement::Rewrite {
            grant: grant(e, k),
            to,
            base: Seq(4),
            heads: vec![[3; 32]],
            deadline,
        };
        let tries = [
            ("by a mentor", mentor.sign(NET, rewrite(1, 1, vec![], 99)), MembershipError::NotCoordinator(mentor.id())),
            (
                "to the same epoch",
                c.sign(NET, rewrite(0, 1, vec![], 99)),
                MembershipError::NotTheNextEpoch { doc: A, current: 0 },
            ),
            (
                "skipping an epoch",
                c.sign(NET, rewrite(2, 1, vec![], 99)),
                MembershipError::NotTheNextEpoch { doc: A, current: 0 },
            ),
            (
                "with the same key id",
                c.sign(NET, rewrite(1, 0, vec![], 99)),
                MembershipError::NotTheNextKey { addr: at(A, 1), expected: 1 },
            ),
            (
                "to a device of another community",
                c.sign(NET, rewrite(1, 1, vec![wrapped(&other)], 99)),
                MembershipError::NotItsDocument { device: other.id(), doc: A },
            ),
            (
                "to a device without an agreement key",
                c.sign(NET, rewrite(1, 1, vec![wrapped(&bare)], 99)),
                MembershipError::NoAgreementKey(bare.id()),
            ),
            (
                "twice to one device",
                c.sign(NET, rewrite(1, 1, vec![wrapped(&mentor), wrapped(&mentor)], 99)),
                MembershipError::HandedTwice(mentor.id()),
            ),
            ("with its deadline past", c.sign(NET, rewrite(1, 1, vec![], 50)), MembershipError::DeadlinePast(50)),
            (
                "of the membership log",
                c.sign(
                    NET,
                    Statement::Rewrite {
                        grant: Grant { addr: membership_addr(NET), key: KeyId(1) },
                        to: vec![],
                        base: Seq(0),
                        heads: vec![],
                        deadline: 99,
                    },
                ),
                MembershipError::UnknownDocument(NET),
            ),
        ];
        for (what, stmt, error) in tries {
            assert_eq!(m.apply(&stmt, Some(50)), Err(error), "{what}");
        }
        assert_eq!(m.current_epoch(A), Epoch(0), "nothing moved");
        let moved = |d: &DeviceKey| d.sign(NET, Statement::Moved { addr: at(A, 1) });
        assert_eq!(m.apply(&moved(&mentor), None), Err(MembershipError::NoRewrite(at(A, 1))), "before a rewrite");

        m.apply(&c.sign(NET, rewrite(1, 1, vec![wrapped(&mentor)], 99)), Some(50)).unwrap();
        assert_eq!((m.current_epoch(A), m.current_epoch(B)), (Epoch(1), Epoch(0)));
        assert_eq!(m.current_key(at(A, 1)), Some(KeyId(1)));
        assert!(m.members()[&mentor.id()].granted.contains(&grant(1, 1)));
        assert!(m.members()[&c.id()].granted.contains(&grant(1, 1)), "the coordinator made it");
        assert_eq!(m.not_moved(at(A, 1)), BTreeSet::from([mentor.id()]), "the rewriter moved at once");
        let again = c.sign(NET, rewrite(2, 2, vec![], 99));
        assert_eq!(
            m.clone().apply(&again, Some(60)),
            Err(MembershipError::RewritePending { doc: A, epoch: 1 }),
            "one move at a time, until its deadline"
        );
        let rotate_old = c.sign(NET, Statement::Rotate { grant: grant(0, 1), to: vec![] });
        assert_eq!(
            m.apply(&rotate_old, None),
            Err(MembershipError::OldEpoch { addr: at(A, 0), current: 1 }),
            "an old epoch is not rotated"
        );

        assert_eq!(
            m.apply(&moved(&other), None),
            Err(MembershipError::NothingToMove { device: other.id(), addr: at(A, 1) }),
            "a device that never could use the document"
        );
        assert_eq!(m.apply(&moved(&key(30)), None), Err(MembershipError::NotMember(key(30).id())), "a stranger");
        assert_eq!(m.clone().apply(&moved(&mentor), Some(100)), Err(MembershipError::DeadlinePast(99)), "too late");
        assert!(!m.left_behind(mentor.id(), A, 99) && m.left_behind(mentor.id(), A, 100));
        assert_eq!(m.apply(&moved(&mentor), Some(99)), Ok(Applied::New));
        assert!(m.not_moved(at(A, 1)).is_empty());
        assert!(!m.left_behind(mentor.id(), A, 100));
        // All moved: the next rewrite may come before the deadline.
        assert_eq!(m.apply(&again, Some(60)), Ok(Applied::New));
        assert_eq!(m.current_epoch(A), Epoch(2));
    }

    #[test]
    fn a_retired_device_is_not_waited_for_and_cannot_say_it_moved() {
        let (c, mentor) = (key(1), key(11));
        let a1 = DocAddr { doc: A, epoch: Epoch(1) };
        let mut m = Membership::new(NET);
        let g = Grant { addr: DocAddr { doc: A, epoch: Epoch(0) }, key: KeyId(0) };
        m.apply(&testing::found_holding(&c, NET, &[A], &[g]), None).unwrap();
        let inv = Statement::Invite { invite: key(10).id(), role: Role::Mentor, docs: vec![A], expires: 9 };
        m.apply(&c.sign(NET, inv), None).unwrap();
        m.apply(&enrol(&key(10), NET, &mentor), None).unwrap();
        let rewrite = Statement::Rewrite {
            grant: Grant { addr: a1, key: KeyId(1) },
            to: vec![],
            base: Seq(0),
            heads: vec![],
            deadline: 9,
        };
        m.apply(&c.sign(NET, rewrite), None).unwrap();
        assert_eq!(m.not_moved(a1), BTreeSet::from([mentor.id()]));
        m.apply(&c.sign(NET, Statement::Retire { device: mentor.id() }), None).unwrap();
        assert!(m.not_moved(a1).is_empty(), "a retired device is not waited for");
        let late = mentor.sign(NET, Statement::Moved { addr: a1 });
        assert_eq!(m.apply(&late, None), Err(MembershipError::Retired(mentor.id())));
    }
}
