//! The notebook the pages read: every record (`Notebook`), started from the
//! read model (the rows stored beside each document, see
//! `lotse_model::notebook::rows`) with no Automerge at all, and kept current
//! from each document's incremental patches once the engine has loaded it
//! (after a save, a sync or another tab's write). A document whose rows are
//! stale or missing is loaded at once and read whole. The rows are written
//! back a moment after the notebook changed, when no store write is
//! pending. Pages read it through [`Nb::with`] inside memos, which re-run
//! when `revision` moves.
//!
//! Saving goes through [`save`]: the record is written into the document of
//! its [`Place`] and the future resolves once it is durable in IndexedDB.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use leptos::prelude::*;
use lotse_model::forms::Stamp;
use lotse_model::notebook::{DocRef, Notebook};
use lotse_model::{record, Community, CommunityId, Mentor, MentorId, Record, Role};
use lotse_sync::DocAddr;

use crate::hooks::sync::{use_engine, Engine, SaveError};

/// What the notebook reflects of one document.
#[derive(Clone)]
enum Reflects {
    /// Stored rows with these heads; the document is not followed yet.
    Rows(Vec<automerge::ChangeHash>),
    /// Nothing current: read the document whole once it is open.
    Nothing,
    /// The document's diff cursor: patches since it are all that is new.
    Following,
}

struct Doc {
    addr: DocAddr,
    which: DocRef,
    reflects: Reflects,
}

struct State {
    notebook: Notebook,
    docs: Vec<Doc>,
    /// Moved whenever the notebook changed: what pages track.
    revision: RwSignal<u64>,
    /// Documents whose rows must be written again.
    unsaved: BTreeSet<DocAddr>,
    /// A write of the rows is running; it takes what changes meanwhile too.
    saving: bool,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// A handle on the notebook; `Copy`, so views capture it freely.
#[derive(Clone, Copy)]
pub struct Nb {
    revision: RwSignal<u64>,
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
}

impl Nb {
    /// The app's handle, provided as context before the engine starts.
    pub fn new() -> Nb {
        Nb { revision: RwSignal::new(0) }
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
}

/// Reads the stored rows of every document the device holds: the first
/// screen needs nothing else. Rows that are missing or stale are left to
/// [`start_notebook`], which has those documents loaded and read.
pub async fn load_notebook(engine: &Engine) -> Stored {
    let mut addrs = vec![(engine.network_addr(), DocRef::Network)];
    addrs.extend(engine.device.communities.iter().map(|m| (m.addr(), DocRef::Community(m.community_id))));
    let mut notebook = Notebook::default();
    let mut docs = Vec::new();
    for (addr, which) in addrs {
        let reflects = match engine.store.current_rows(addr).await {
            Ok(Some(rows)) => match notebook.load_rows(which, &rows) {
                Ok(heads) => Reflects::Rows(heads),
                Err(e) => {
                    web_sys::console::info_1(&format!("rows of {addr}: {e}; reading the document").into());
                    Reflects::Nothing
                }
            },
            Ok(None) => Reflects::Nothing,
            Err(e) => {
                web_sys::console::warn_1(&format!("reading the rows of {addr}: {e}").into());
                Reflects::Nothing
            }
        };
        docs.push(Doc { addr, which, reflects });
    }
    super::mark("lotse-rows-read");
    Stored { notebook, docs }
}

/// Shows the notebook read by [`load_notebook`] and follows the engine's
/// changes. Called once, in the app's reactive owner.
pub fn start_notebook(engine: &Rc<Engine>, nb: Nb, Stored { notebook, docs }: Stored) {
    let stale: Vec<DocAddr> = docs.iter().filter(|d| matches!(d.reflects, Reflects::Nothing)).map(|d| d.addr).collect();
    STATE.with(|s| {
        *s.borrow_mut() = Some(State { notebook, docs, revision: nb.revision, unsaved: BTreeSet::new(), saving: false })
    });
    nb.revision.update(|r| *r += 1);
    super::mark("lotse-notebook-shown");
    for addr in stale {
        let engine = engine.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = engine.ensure_open(addr).await {
                web_sys::console::error_1(&format!("opening {addr}: {e}").into());
            }
        });
    }
    introduce_device(engine, nb);
    let version = engine.version;
    Effect::new(move |_| {
        version.track();
        refresh();
    });
    // The rows are written once the store holds everything in memory.
    let drained = engine.drained;
    Effect::new(move |_| {
        drained.track();
        if let Some(engine) = use_engine() {
            write_rows_when_idle(engine);
        }
    });
}

/// Writes this device's mentor profile (with its actor, so history names
/// the mentor behind each change) and its communities into the network
/// document, unless they are there already.
fn introduce_device(engine: &Engine, nb: Nb) {
    let device = engine.device.clone();
    let actor = automerge::ActorId::from(device.actor).to_hex_string();
    let profile = nb.with_untracked(|n| n.mentor(device.mentor_id).cloned());
    let needs_profile = profile.as_ref().is_none_or(|m| !m.devices.contains(&actor));
    let missing: Vec<Community> = device
        .communities
        .iter()
        .filter(|m| nb.with_untracked(|n| n.community(m.community_id).is_none()))
        .map(|m| Community {
            id: m.community_id,
            name: m.community_name.clone(),
            languages: vec![],
            created_at: now_ms(),
        })
        .collect();
    leptos::task::spawn_local(async move {
        for community in missing {
            if let Err(e) = save(Place::Network, community).await {
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
            });
            m.devices.push(actor);
            if let Err(e) = save(Place::Network, m).await {
                web_sys::console::warn_1(&format!("introducing this device: {e}").into());
            }
        }
    });
}

/// Applies what changed in every open document and moves the revision
/// pages track (whoever calls it, even a task with no reactive owner);
/// true if anything changed.
fn refresh() -> bool {
    let Some(engine) = use_engine() else { return false };
    let changed = STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let Some(state) = guard.as_mut() else { return false };
        let mut changed = false;
        for doc in &mut state.docs {
            if !engine.is_open(doc.addr) {
                continue;
            }
            let (addr, which) = (doc.addr, doc.which);
            let patches = match &doc.reflects {
                Reflects::Following => Some(engine.patches_since_last(addr)),
                Reflects::Rows(heads) => engine.patches_since(addr, heads),
                Reflects::Nothing => None,
            };
            doc.reflects = Reflects::Following;
            match patches {
                Some(p) if p.is_empty() => continue,
                Some(p) => {
                    engine.read(addr, |d| state.notebook.apply_patches(which, d, &p));
                }
                None => {
                    engine.read(addr, |d| {
                        let read = match which {
                            DocRef::Network => state.notebook.load_network(d),
                            DocRef::Community(c) => state.notebook.load_community(c, d),
                        };
                        if let Err(e) = read {
                            web_sys::console::error_1(&format!("reading {addr}: {e}").into());
                        }
                    });
                    engine.mark_seen(addr);
                }
            }
            state.unsaved.insert(addr);
            changed = true;
        }
        if changed {
            state.revision.update(|r| *r += 1);
        }
        changed
    });
    if changed {
        write_rows_when_idle(engine);
    }
    changed
}

/// Writes the rows of every document that changed, now if no store write
/// is pending (so the rows never reflect a change the store does not
/// hold), else when the engine's queue next runs dry. One write at a time;
/// it takes what changed meanwhile too, so a burst of synced bundles costs
/// a few writes, not one per bundle.
fn write_rows_when_idle(engine: Rc<Engine>) {
    let start = STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let Some(state) = guard.as_mut() else { return false };
        let due = !state.saving && !state.unsaved.is_empty() && engine.idle();
        state.saving |= due;
        due
    });
    if start {
        leptos::task::spawn_local(write_rows(engine));
    }
}

async fn write_rows(engine: Rc<Engine>) {
    loop {
        let batch: Vec<(DocAddr, Vec<u8>, Vec<crate::store::idb::ChunkKey>)> = STATE.with(|s| {
            let mut guard = s.borrow_mut();
            let Some(state) = guard.as_mut() else { return vec![] };
            if !engine.idle() {
                return vec![];
            }
            let unsaved = std::mem::take(&mut state.unsaved);
            state
                .docs
                .iter()
                .filter(|d| unsaved.contains(&d.addr) && matches!(d.reflects, Reflects::Following))
                .filter_map(|d| {
                    let heads = engine.heads(d.addr)?;
                    Some((d.addr, state.notebook.rows(d.which, &heads), engine.store.known_chunks(d.addr)))
                })
                .collect()
        });
        if batch.is_empty() {
            STATE.with(|s| s.borrow_mut().as_mut().map(|st| st.saving = false));
            return;
        }
        for (addr, rows, stamp) in batch {
            if let Err(e) = engine.store.put_rows(addr, &rows, &stamp).await {
                // Stale rows are never shown as current: the next start
                // reads the document instead.
                web_sys::console::warn_1(&format!("writing the rows of {addr}: {e}").into());
            }
        }
    }
}

/// Which document a record goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Network,
    Community(CommunityId),
}

impl Place {
    pub fn home() -> Place {
        Place::Community(home_community())
    }
}

fn addr_of(engine: &Engine, place: Place) -> Option<DocAddr> {
    match place {
        Place::Network => Some(engine.network_addr()),
        Place::Community(c) => engine.device.addr_of(c),
    }
}

/// Writes `record` into its place's document; resolves once it is durable
/// on this device. The error is typed, for the form to say in words.
pub async fn save<R: Record + 'static>(place: Place, record: R) -> Result<(), SaveError> {
    let engine = use_engine().ok_or_else(|| SaveError::Model("the notebook is not open".to_owned()))?;
    let addr = addr_of(&engine, place)
        .ok_or_else(|| SaveError::Model("this device does not hold that community".to_owned()))?;
    let now = now_ms();
    let result = engine.change(addr, move |doc| record::put(doc, &record, now)).await;
    if result.is_ok() {
        refresh();
    }
    result
}

/// Who saves and when: the device's mentor, now.
pub fn stamp() -> Stamp {
    Stamp { me: me(), now_ms: now_ms() }
}

pub fn me() -> MentorId {
    use_engine().map(|e| e.device.mentor_id).unwrap_or_else(|| MentorId::from_random([0; 16]))
}

/// The device's home community: the default of every form.
pub fn home_community() -> CommunityId {
    use_engine().map(|e| e.device.home().community_id).unwrap_or_else(|| CommunityId::from_random([0; 16]))
}

/// The communities this device holds (home first), for pickers.
pub fn my_communities() -> Vec<(CommunityId, String)> {
    use_engine()
        .map(|e| e.device.communities.iter().map(|m| (m.community_id, m.community_name.clone())).collect())
        .unwrap_or_default()
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in the device's time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}
