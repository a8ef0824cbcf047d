//! The notebook the pages read: every record hydrated once (`Notebook`),
//! kept current from each document's incremental patches after a save, a
//! sync or another tab's write. Pages read it through [`Nb::with`] inside
//! memos, which re-run when `revision` moves.
//!
//! Saving goes through [`save`]: the record is written into the document of
//! its [`Place`] and the future resolves once it is durable in IndexedDB.

use std::cell::RefCell;

use leptos::prelude::*;
use lotse_model::forms::Stamp;
use lotse_model::notebook::{DocRef, Notebook};
use lotse_model::{record, Community, CommunityId, Mentor, MentorId, Record, Role};
use lotse_sync::DocAddr;

use crate::hooks::sync::{use_engine, Engine};

struct State {
    notebook: Notebook,
    docs: Vec<(DocAddr, DocRef)>,
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

/// Hydrates every document once and follows the engine's changes. Called
/// once, when the engine is ready, in the app's reactive owner.
pub fn start_notebook(engine: &Engine, nb: Nb) {
    let mut docs = vec![(engine.network_addr(), DocRef::Network)];
    docs.extend(engine.device.communities.iter().map(|m| (m.addr(), DocRef::Community(m.community_id))));
    let mut notebook = Notebook::default();
    for (addr, which) in &docs {
        engine.read(*addr, |doc| {
            let loaded = match which {
                DocRef::Network => notebook.load_network(doc),
                DocRef::Community(c) => notebook.load_community(*c, doc),
            };
            if let Err(e) = loaded {
                web_sys::console::error_1(&format!("reading {addr}: {e}").into());
            }
        });
        // Everything is hydrated: the first batch of patches is all of it.
        let _ = engine.patches_since_last(*addr);
    }
    STATE.with(|s| *s.borrow_mut() = Some(State { notebook, docs }));
    nb.revision.update(|r| *r += 1);
    introduce_device(engine, nb);
    let version = engine.version;
    Effect::new(move |_| {
        version.track();
        if refresh() {
            nb.revision.update(|r| *r += 1);
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

/// Applies what changed in every document; true if anything did.
fn refresh() -> bool {
    let Some(engine) = use_engine() else { return false };
    STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let Some(state) = guard.as_mut() else { return false };
        let mut changed = false;
        for (addr, which) in state.docs.clone() {
            let patches = engine.patches_since_last(addr);
            if patches.is_empty() {
                continue;
            }
            changed = true;
            engine.read(addr, |doc| state.notebook.apply_patches(which, doc, &patches));
        }
        changed
    })
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
/// on this device. The error is the engine's reason, for the form to show.
pub async fn save<R: Record + 'static>(place: Place, record: R) -> Result<(), String> {
    let engine = use_engine().ok_or_else(|| "the notebook is not open".to_owned())?;
    let addr = addr_of(&engine, place).ok_or_else(|| "this device does not hold that community".to_owned())?;
    let now = now_ms();
    let result = engine.change(addr, move |doc| record::put(doc, &record, now)).await.map_err(|e| e.to_string());
    if result.is_ok() && refresh() {
        use_context::<Nb>().inspect(|nb| nb.revision.update(|r| *r += 1));
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
