//! Hash routes: the fragment never reaches a server, so the app shell is one
//! cached file and a join link's key stays on the device.

use lotse_model::ContactId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Contacts,
    NewContact,
    EditContact(ContactId),
    /// An id that does not parse: shown as "not found", not as a crash.
    UnknownContact,
    Device,
    Join(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#');
        if let Some(payload) = h.strip_prefix("join=") {
            return Route::Join(payload.to_owned());
        }
        let path: Vec<&str> = h.trim_start_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        match path.as_slice() {
            ["contacts", "new"] => Route::NewContact,
            ["contacts", id] => id.parse().map_or(Route::UnknownContact, Route::EditContact),
            ["device"] => Route::Device,
            _ => Route::Contacts,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Contacts | Route::UnknownContact => "#/contacts".into(),
            Route::NewContact => "#/contacts/new".into(),
            Route::EditContact(id) => format!("#/contacts/{id}"),
            Route::Device => "#/device".into(),
            Route::Join(p) => format!("#join={p}"),
        }
    }
}

pub fn current() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Route::parse(&hash)
}

pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(route.href().trim_start_matches('#'));
    }
}
