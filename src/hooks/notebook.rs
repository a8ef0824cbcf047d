//! The notebook the pages read: every record (`Notebook`), started from the
//! read model (the rows stored beside each document, see
//! `lotse_model::notebook::rows`) and kept current by the rows the engine
//! worker sends after every change (see [`super::engine`]). The page holds
//! no document. A document whose rows are stale or missing comes whole from
//! the engine once it has loaded it. The rows are written back when the
//! engine says the store holds everything, stamped with what it named.
//! Pages read it through [`Nb::with`] inside memos, which re-run when
//! `revision` moves.
//!
//! Saving goes through [`save`]: the record is written into the document of
//! its [`DocRef`] and the future resolves once it is durable in IndexedDB.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use automerge::ChangeHash;
use leptos::prelude::*;
use lotse_model::export::{heads_hex, Export, ExportDraft, PinnedDoc};
use lotse_model::forms::Stamp;
use lotse_model::notebook::{DocRef, Notebook};
use lotse_model::{Community, CommunityId, Edit, Mentor, MentorId, RecordKind, Role, Row, RowSet};
use lotse_sync::DocAddr;

use super::engine::{use_device, use_engine, EngineLink, Listener};
use crate::device::{community_doc, Device, Membership};
use crate::engine::protocol::{Access, Reflects, SaveError, Stamps};
use crate::store::idb::IdbStore;

struct Doc {
    addr: DocAddr,
    which: DocRef,
    /// The heads of what the notebook shows of it; `None`: nothing yet.
    heads: Option<Vec<ChangeHash>>,
    /// Stored rows of the collections that wait until the first screen is
    /// drawn (`lotse_model::notebook::LATER`), not decoded yet. Decoded
    /// before anything else touches this document.
    later: Vec<Vec<u8>>,
}

impl Doc {
    /// Decodes the rows that waited; false if they were refused (the
    /// engine must then send the whole document).
    fn settle(&mut self, notebook: &mut Notebook) -> bool {
        let mut ok = true;
        for part in std::mem::take(&mut self.later) {
            if let Err(e) = notebook.load_rows(self.which, &part) {
                web_sys::console::warn_1(&format!("rows of {}: {e}; reading the document", self.addr).into());
                ok = false;
            }
        }
        ok
    }
}

struct State {
    notebook: Notebook,
    docs: Vec<Doc>,
    store: Rc<IdbStore>,
    /// Moved whenever the notebook changed: what pages track.
    revision: RwSignal<u64>,
    /// Documents whose rows must be written again.
    unsaved: BTreeSet<DocAddr>,
    /// A write of the rows is running.
    saving: bool,
    /// The engine's last idle stamps heard while rows were being written:
    /// looked at once the write is done. Dropped, the rows of a document
    /// opened meanwhile stayed stale until the engine next changed
    /// something (e2e 10's schema bump, seen under load).
    idle_again: Option<Stamps>,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// A handle on the notebook; `Copy`, so views capture it freely.
#[derive(Clone, Copy)]
pub struct Nb {
    revision: RwSignal<u64>,
    /// The rows that wait for the first screen are in (see [`Doc::later`]).
    complete: RwSignal<bool>,
}

impl Nb {
    /// Reads the notebook and tracks it: a memo or view that calls this runs
    /// again when a record changes.
    pub fn with<R>(&self, f: impl FnOnce(&Notebook) -> R) -> R {
        self.revision.track();
        self.with_untracked(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Notebook) -> R) -> R {
        STATE.with(|s| match s.borrow().as_ref() {
            Some(state) => f(&state.notebook),
            None => f(&Notebook::default()),
        })
    }

    pub fn revision(&self) -> u64 {
        self.revision.get()
    }

    /// Whether every collection is in; until then a list of the
    /// `LATER` collections (consultations) says it is loading, not empty.
    pub fn complete(&self) -> bool {
        self.complete.get()
    }
}

impl Nb {
    /// The app's handle, provided as context before the engine starts.
    pub fn new() -> Nb {
        Nb { revision: RwSignal::new(0), complete: RwSignal::new(false) }
    }
}

impl Default for Nb {
    fn default() -> Self {
        Self::new()
    }
}

/// The notebook of the running engine (provided by the app).
pub fn use_notebook() -> Nb {
    use_context::<Nb>().unwrap_or_default()
}

/// The notebook as the stored rows give it, before anything is shown.
pub struct Stored {
    notebook: Notebook,
    docs: Vec<Doc>,
    store: Rc<IdbStore>,
}

/// Reads the stored rows of every document the device holds: the first
/// screen needs nothing else. Rows that are missing or stale are left to
/// the engine, which loads those documents and sends them whole.
pub async fn load_notebook(device: &Device, store: Rc<IdbStore>) -> Stored {
    let mut addrs = vec![(device.network_addr(), DocRef::Network)];
    addrs.extend(device.communities.iter().map(|m| (m.addr(), DocRef::Community(m.community_id))));
    let mut notebook = Notebook::default();
    let mut docs = Vec::new();
    let addr_list: Vec<DocAddr> = addrs.iter().map(|(a, _)| *a).collect();
    let stored = match store.current_rows_of(&addr_list).await {
        Ok(found) => found.into_iter().map(Ok).collect(),
        Err(e) => vec![Err(e); addrs.len()],
    };
    for ((addr, which), found) in addrs.into_iter().zip(stored) {
        let mut later = vec![];
        let heads = match found {
            Ok(Some(mut parts)) if !parts.is_empty() => match notebook.load_rows(which, &parts.remove(0)) {
                Ok(heads) => {
                    later = parts;
                    Some(heads)
                }
                Err(e) => {
                    web_sys::console::info_1(&format!("rows of {addr}: {e}; reading the document").into());
                    None
                }
            },
            Ok(_) => None,
            Err(e) => {
                web_sys::console::warn_1(&format!("reading the rows of {addr}: {e}").into());
                None
            }
        };
        docs.push(Doc { addr, which, heads, later });
    }
    super::mark("lotse-rows-read");
    Stored { notebook, docs, store }
}

/// Shows the notebook read by [`load_notebook`] and has it follow the
/// engine; then starts the engine with `device`. Called once.
pub fn start_notebook(link: &EngineLink, nb: Nb, Stored { notebook, docs, store }: Stored, device: Device) {
    STATE.with(|s| {
        *s.borrow_mut() = Some(State {
            notebook,
            docs,
            store,
            revision: nb.revision,
            unsaved: BTreeSet::new(),
            saving: false,
            idle_again: None,
        })
    });
    nb.revision.update(|r| *r += 1);
    super::mark("lotse-notebook-shown");
    link.set_listener(Rc::new(Follow { nb }));
    link.start(device);
    introduce_device(nb, link.access);
    claim_invitation(nb, link.access);
    follow_other_tabs();
    // The rows that can wait, once the first screen is up.
    leptos::task::spawn_local(async move {
        super::next_frame().await;
        super::next_frame().await;
        settle_later();
        nb.complete.set(true);
    });
}

/// Decodes every document's rows that waited for the first screen.
fn settle_later() {
    let refused: Vec<DocAddr> = STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let Some(state) = guard.as_mut() else { return vec![] };
        let mut refused = vec![];
        let mut any = false;
        for doc in &mut state.docs {
            any |= !doc.later.is_empty();
            if !doc.settle(&mut state.notebook) {
                doc.heads = None;
                refused.push(doc.addr);
            }
        }
        if any {
            state.revision.update(|r| *r += 1);
        }
        refused
    });
    super::mark("lotse-notebook-complete");
    if let Some(link) = use_engine() {
        for addr in refused {
            link.send_whole(addr);
        }
    }
}

/// A document's rows (in parts) and the chunk keys they reflect.
type RowsWrite = (DocAddr, Vec<Vec<u8>>, Vec<(f64, f64)>);

/// What the notebook does with what the engine sends.
struct Follow {
    nb: Nb,
}

impl Listener for Follow {
    fn update(&self, addr: DocAddr, bytes: &[u8]) {
        STATE.with(|s| {
            let mut guard = s.borrow_mut();
            let Some(state) = guard.as_mut() else { return };
            let Some(doc) = state.docs.iter_mut().find(|d| d.addr == addr) else { return };
            // Rows that waited go first: the update is newer.
            doc.settle(&mut state.notebook);
            match state.notebook.apply_update(doc.which, bytes) {
                Ok(heads) => {
                    doc.heads = Some(heads);
                    state.unsaved.insert(addr);
                    state.revision.update(|r| *r += 1);
                }
                Err(e) => web_sys::console::error_1(&format!("an update of {addr}: {e}").into()),
            }
        });
    }

    fn opened(&self, addr: DocAddr) {
        // A joined device gets the network document's key after it started
        // (a coordinator's device hands it over): the introduction it could
        // not write then is written now, against what the document holds.
        if use_device().is_some_and(|d| d.network_addr() == addr) && INTRODUCTION_FAILED.replace(false) {
            if let Some(link) = use_engine() {
                introduce_device(self.nb, link.access);
            }
        }
    }

    fn idle(&self, stamps: Stamps) {
        let batch: Vec<RowsWrite> = STATE.with(|s| {
            let mut guard = s.borrow_mut();
            let Some(state) = guard.as_mut() else { return vec![] };
            if state.saving {
                // Each idle's stamps cover every open document: the last
                // one heard is all that needs looking at.
                state.idle_again = Some(stamps);
                return vec![];
            }
            let mut batch = vec![];
            for (addr, heads, chunks) in stamps {
                let heads: Vec<ChangeHash> = heads.into_iter().map(ChangeHash).collect();
                let Some(doc) = state.docs.iter_mut().find(|d| d.addr == addr) else { continue };
                // Only rows that show exactly what the store holds.
                if state.unsaved.contains(&addr)
                    && doc.heads.as_ref() == Some(&heads)
                    && doc.settle(&mut state.notebook)
                {
                    batch.push((addr, state.notebook.stored_rows(doc.which, &heads), chunks));
                    state.unsaved.remove(&addr);
                }
            }
            state.saving = !batch.is_empty();
            batch
        });
        if batch.is_empty() {
            return;
        }
        let store = STATE.with(|s| s.borrow().as_ref().map(|st| st.store.clone()));
        let Some(store) = store else { return };
        let nb = self.nb;
        leptos::task::spawn_local(async move {
            for (addr, rows, stamp) in batch {
                if let Err(e) = store.put_rows(addr, &rows, &stamp).await {
                    // Stale rows are never shown as current: the next start
                    // reads the document instead.
                    web_sys::console::warn_1(&format!("writing the rows of {addr}: {e}").into());
                }
            }
            let again = STATE.with(|s| {
                s.borrow_mut().as_mut().and_then(|st| {
                    st.saving = false;
                    st.idle_again.take()
                })
            });
            if let Some(stamps) = again {
                Follow { nb }.idle(stamps);
            }
        });
    }

    fn reflects(&self) -> Reflects {
        STATE.with(|s| {
            s.borrow()
                .as_ref()
                .map(|state| {
                    state
                        .docs
                        .iter()
                        .map(|d| (d.addr, d.heads.as_ref().map(|h| h.iter().map(|x| x.0).collect())))
                        .collect()
                })
                .unwrap_or_default()
        })
    }
}

thread_local! {
    /// The introduction could not be written (a joined device holds no key
    /// of the network document yet): tried again once that document opens.
    static INTRODUCTION_FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Writes this device's mentor profile (with its actor, so history names
/// the mentor behind each change) and its communities into the network
/// document, unless they are there already. Once the engine said the
/// actor (its first answer).
fn introduce_device(nb: Nb, access: RwSignal<Access>) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let actor = access.with(|a| a.actor.clone());
        // Tracked: an update of the network document runs this again.
        nb.revision.track();
        if actor.is_empty() || !shows_network() {
            return false;
        }
        introduce_as(nb, actor);
        true
    });
}

/// Whether the notebook shows the network document (its stored rows or the
/// engine's update): before that, a community missing from the notebook
/// may only be not read yet, and writing it would put empty fields over
/// the real record's (its languages were lost that way).
fn shows_network() -> bool {
    let Some(addr) = use_device().map(|d| d.network_addr()) else { return false };
    STATE.with(|s| s.borrow().as_ref().is_some_and(|s| s.docs.iter().any(|d| d.addr == addr && d.heads.is_some())))
}

fn introduce_as(nb: Nb, actor: String) {
    let Some(device) = use_device() else { return };
    let profile = nb.with_untracked(|n| n.mentor(device.mentor_id).cloned());
    let needs_profile = profile.as_ref().is_none_or(|m| !m.devices.contains(&actor));
    // Only the device that made a community writes its record: on any
    // other the record exists in the network document, perhaps not synced
    // yet, and a second one would merge its empty fields into it.
    let missing: Vec<Community> = device
        .communities
        .iter()
        .filter(|m| m.made_here && device.coordinator)
        .filter(|m| nb.with_untracked(|n| n.community(m.community_id).is_none()))
        .map(|m| Community {
            id: m.community_id,
            name: m.community_name.clone(),
            languages: vec![],
            created_at: now_ms(),
            retention_months: None,
        })
        .collect();
    leptos::task::spawn_local(async move {
        for community in missing {
            if let Err(e) = save(DocRef::Network, community).await {
                INTRODUCTION_FAILED.set(true);
                web_sys::console::warn_1(&format!("introducing the community: {e}").into());
            }
        }
        if needs_profile {
            let mut m = profile.unwrap_or_else(|| Mentor {
                id: device.mentor_id,
                name: device.mentor_name.clone(),
                role: if device.coordinator { Role::Coordinator } else { Role::Mentor },
                community: Some(device.home().community_id),
                languages: vec![],
                devices: vec![],
                active: true,
                invitations: vec![],
            });
            m.devices.push(actor);
            if let Err(e) = save(DocRef::Network, m).await {
                INTRODUCTION_FAILED.set(true);
                web_sys::console::warn_1(&format!("introducing this device: {e}").into());
            }
        }
    });
}

/// A device that joined with an invitation names it in its own profile,
/// once it knows both (the invitation from the membership log, the profile
/// once the network document is open): the profile a coordinator made for
/// that invitation is then taken up, and the notebook lists one person
/// (see `Notebook::taken_up`). Runs again as either arrives.
fn claim_invitation(nb: Nb, access: RwSignal<Access>) {
    let claiming = std::rc::Rc::new(std::cell::Cell::new(false));
    Effect::new(move |_| {
        let Some(device) = use_device() else { return };
        let invite = access.with(|a| a.devices.iter().find(|d| d.this_device).and_then(|d| d.invite));
        let Some(key) = invite.map(|k| invitation_key(&k)) else { return };
        let Some(mut mine) = nb.with(|n| n.mentor(device.mentor_id).cloned()) else { return };
        if mine.invitations.contains(&key) || claiming.replace(true) {
            return;
        }
        mine.invitations.push(key);
        let claiming = claiming.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = save(DocRef::Network, mine).await {
                web_sys::console::warn_1(&format!("naming this device's invitation: {e}").into());
            }
            claiming.set(false);
        });
    });
}

/// How the network document writes an invitation's public key (in
/// `Mentor::invitations`).
pub fn invitation_key(invite: &[u8; 32]) -> String {
    invite.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who wrote with the Automerge actor `actor_hex`: a device's actor is its
/// public key, vouched for by the signature on every bundle (see
/// `lotse_sync::chunks::foreign_author`). The person is the one the
/// coordinator invited that device for (the membership says which
/// invitation it enrolled with); a device that enrolled with none (the
/// founder's) is named by its own profile.
pub fn writer_of(nb: Nb, access: &Access, actor_hex: &str) -> Option<String> {
    let actor = actor_hex.to_lowercase();
    let device = access.devices.iter().find(|d| invitation_key(&d.key) == actor);
    let invited = device.and_then(|d| d.invite).map(|invite| invitation_key(&invite));
    nb.with_untracked(|n| {
        let by_invitation = invited.and_then(|key| n.mentors().into_iter().find(|m| m.invitations.contains(&key)));
        by_invitation.or_else(|| n.mentor_by_actor(&actor)).map(|m| m.name.clone())
    })
}

/// Names the person an invitation is for: the invitation's public key is
/// added to the profile of the mentor of that name (the same name in any
/// case), or to a new profile: a mentor's in `community`, or a
/// coordinator's (`None`). Kept in the network document, sealed: the relay never learns whose a device is.
pub async fn name_invitation(
    nb: Nb,
    name: &str,
    invite: [u8; 32],
    community: Option<CommunityId>,
) -> Result<(), SaveError> {
    let name = name.trim().to_owned();
    if name.is_empty() {
        return Ok(());
    }
    let same = |m: &&Mentor| m.name.trim().to_lowercase() == name.to_lowercase();
    let known = nb.with_untracked(|n| n.mentors().into_iter().find(same).cloned());
    let mut m = known.unwrap_or_else(|| Mentor {
        id: MentorId::from_random(crate::device::random()),
        name: name.clone(),
        // No community: a coordinator's.
        role: if community.is_some() { Role::Mentor } else { Role::Coordinator },
        community,
        languages: vec![],
        devices: vec![],
        active: true,
        invitations: vec![],
    });
    m.invitations.push(invitation_key(&invite));
    save(DocRef::Network, m).await
}

/// On a coordinator's device: the communities it was handed the key of but
/// does not sync yet (see [`Access::unsynced`]), once the network document
/// names them, are added to the device and held: the page goes on, and
/// their records come in as the engine reads them.
pub fn learn_communities(access: RwSignal<Access>) {
    let nb = use_notebook();
    Effect::new(move |_| {
        let unsynced = access.with(|a| a.unsynced.clone());
        take_up(|device| {
            nb.with(|n| {
                n.communities()
                    .into_iter()
                    .filter(|c| device.membership(c.id).is_none())
                    .filter(|c| unsynced.iter().any(|d| d.0 == community_doc(c.id)))
                    .map(|c| Membership::known(c.id, &c.name, community_doc(c.id)))
                    .collect()
            })
        });
    });
}

/// Another tab of this device saved it (a community made or learnt
/// there): this page holds what it added, too.
fn follow_other_tabs() {
    let Some(window) = web_sys::window() else { return };
    let on_storage =
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
            if ev.key().as_deref() == Some(crate::device::DEVICE_KEY) {
                take_up(|_| vec![]);
            }
        });
    let _ =
        window.add_event_listener_with_callback("storage", wasm_bindgen::JsCast::unchecked_ref(on_storage.as_ref()));
    on_storage.forget(); // for the page's life
}

/// A coordinator's device as saved (by this tab or another), with what
/// `learn` adds to it (saved first): held if it holds more communities
/// than this page shows.
fn take_up(learn: impl FnOnce(&Device) -> Vec<Membership>) {
    let Some(shown) = use_device().filter(|d| d.coordinator) else { return };
    let saved = Device::load().filter(|d| {
        d.network_addr() == shown.network_addr()
            && shown.communities.iter().all(|m| d.membership(m.community_id).is_some())
    });
    let mut device = saved.unwrap_or_else(|| shown.clone());
    let learnt = learn(&device);
    if !learnt.is_empty() {
        device.communities.extend(learnt);
        if let Err(e) = device.save() {
            web_sys::console::error_1(&format!("keeping the communities handed to this device: {e}").into());
            return;
        }
    }
    if device.communities.len() > shown.communities.len() {
        leptos::task::spawn_local(async move {
            if let Err(e) = hold(device).await {
                web_sys::console::error_1(&format!("syncing the communities of this device: {e}").into());
            }
        });
    }
}

/// The device (saved already) holds more communities than the notebook
/// shows (learnt of, or made here): the notebook shows their documents
/// from now on, and the engine syncs them and sends their rows. Nothing
/// restarts; the pages fill as the rows come.
pub async fn hold(device: Device) -> Result<(), crate::store::StoreError> {
    let Some(link) = use_engine() else {
        return Err(crate::store::StoreError::Idb("the engine is not started".to_owned()));
    };
    STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let Some(state) = guard.as_mut() else { return };
        for m in &device.communities {
            if !state.docs.iter().any(|d| d.addr == m.addr()) {
                let which = DocRef::Community(m.community_id);
                state.docs.push(Doc { addr: m.addr(), which, heads: None, later: vec![] });
            }
        }
    });
    link.hold(device).await
}

/// The document of `place` on this device.
pub fn addr_of(device: &Device, place: DocRef) -> Option<DocAddr> {
    match place {
        DocRef::Network => Some(device.network_addr()),
        DocRef::Community(c) => device.addr_of(c),
    }
}

/// Writes `record` into its place's document; resolves once it is durable
/// on this device and the notebook shows it. The error is typed, for the
/// form to say in words.
pub async fn save<R: Row + 'static>(place: DocRef, record: R) -> Result<(), SaveError> {
    write(place, Edit::of(record)).await
}

/// Writes several records of one place's document as one save (a merge of
/// duplicates); resolves as [`save`] does.
pub async fn save_rows(place: DocRef, rows: RowSet) -> Result<(), SaveError> {
    write(place, Edit::Put(Box::new(rows))).await
}

/// Records an export of the report (`lotse_model::export`): `draft` is
/// made from the heads of every document the notebook shows, the heads the
/// report on screen was counted from; saved into the network document as
/// [`save`] does.
pub async fn record_export(draft: impl FnOnce(Vec<PinnedDoc>) -> ExportDraft) -> Result<(), SaveError> {
    let docs = STATE.with(|s| {
        let s = s.borrow();
        let Some(state) = s.as_ref() else { return vec![] };
        state
            .docs
            .iter()
            .filter_map(|d| {
                let community = match d.which {
                    DocRef::Network => None,
                    DocRef::Community(c) => Some(c),
                };
                Some(PinnedDoc { community, heads: heads_hex(d.heads.as_ref()?) })
            })
            .collect()
    });
    let id = Export::new_id(crate::device::random());
    let export = Export::validate(&draft(docs), id, stamp(), None)
        .map_err(|e| SaveError::Model(format!("the export does not check: {e:?}")))?;
    save(DocRef::Network, export).await
}

/// Marks changes of `place`'s document reviewed by this device's mentor;
/// resolves as [`save`] does.
pub async fn mark_reviewed(place: DocRef, hashes: Vec<[u8; 32]>) -> Result<(), SaveError> {
    write(place, Edit::Review { hashes, by: me() }).await
}

/// Keeps the value `op` of a field with concurrent values (see
/// [`lotse_model::conflict::settle`]); resolves as [`save`] does.
pub async fn settle(place: DocRef, collection: &str, key: &str, field: &str, op: Vec<u8>) -> Result<(), SaveError> {
    let (collection, key, field) = (collection.to_owned(), key.to_owned(), field.to_owned());
    write(place, Edit::Settle { collection, key, field, op }).await
}

async fn write(place: DocRef, edit: Edit) -> Result<(), SaveError> {
    let (Some(link), Some(device)) = (use_engine(), use_device()) else {
        return Err(SaveError::Model("the notebook is not open".to_owned()));
    };
    let addr = addr_of(&device, place)
        .ok_or_else(|| SaveError::Model("this device does not hold that community".to_owned()))?;
    let result = link.save(addr, edit).await;
    if result.is_ok() {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            body.dataset().set("lastSave", &now_ms().to_string()).ok();
        }
    }
    result
}

/// Who saves and when: the device's mentor, now.
pub fn stamp() -> Stamp {
    Stamp { me: me(), now_ms: now_ms() }
}

pub fn me() -> MentorId {
    use_device().map(|d| d.mentor_id).unwrap_or_else(|| MentorId::from_random([0; 16]))
}

/// The device's home community: the default of every form.
pub fn home_community() -> CommunityId {
    use_device().map(|d| d.home().community_id).unwrap_or_else(|| CommunityId::from_random([0; 16]))
}

/// The communities this device holds (home first), for pickers.
pub fn my_communities() -> Vec<(CommunityId, String)> {
    use_device()
        .map(|d| d.communities.iter().map(|m| (m.community_id, m.community_name.clone())).collect())
        .unwrap_or_default()
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in the device's time zone, `YYYY-MM-DD`.
/// How many minutes the reader's time zone is east of UTC, now.
pub fn utc_offset_min() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}
