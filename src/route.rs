//! Hash routes: the fragment never reaches a server, so the app shell is one
//! cached file and a join link's key stays on the device.
//!
//! `#/<kind>` lists, `#/<kind>/new?field=value` creates (the query prefills,
//! e.g. the contact of a referral), `#/<kind>/<id>` opens a record.

use std::collections::BTreeMap;

use lotse_model::import::Target;
/// The kinds of record a page is about, with their path segment (declared
/// once, in the model).
pub use lotse_model::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Follow-ups due, the next events, quick actions: the home page.
    Today,
    List(Kind),
    /// A new record; the query prefills fields (`contact`, `company`, …).
    New(Kind, BTreeMap<String, String>),
    /// A record by its id as text; the page says "not found" if it does not
    /// parse or does not exist, never crashes.
    Open(Kind, String),
    /// The network: communities, mentors, partner organisations.
    Network,
    /// The action plan with each measure's progress.
    ActionPlan,
    /// Everything not in the bottom bar.
    More,
    /// Fields with two values, to keep one.
    Conflicts,
    /// Likely duplicate contacts.
    Duplicates,
    /// Contacts past their community's retention period.
    Retention,
    /// What erasing one person would remove.
    Erasure,
    /// What mentors changed, to review.
    Review,
    /// The funders' report of a period.
    Report,
    /// Contacts or companies from a CSV file (`#/import/contacts`).
    Import(Target),
    Device,
    /// A coordinator's list of the network's devices.
    Devices,
    Join(String),
    /// Fill an empty install with demo data (`#/demo`, or `#/demo?size=bench`).
    Demo(BTreeMap<String, String>),
}

fn query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#');
        if let Some(payload) = h.strip_prefix("join=") {
            return Route::Join(payload.to_owned());
        }
        let (path, q) = h.split_once('?').unwrap_or((h, ""));
        let path: Vec<&str> = path.trim_start_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        match path.as_slice() {
            ["today"] | [] => Route::Today,
            ["network"] => Route::Network,
            ["action-plan"] => Route::ActionPlan,
            ["more"] => Route::More,
            ["conflicts"] => Route::Conflicts,
            ["duplicates"] => Route::Duplicates,
            ["retention"] => Route::Retention,
            ["erasure"] => Route::Erasure,
            ["review"] => Route::Review,
            ["report"] => Route::Report,
            ["import", what] => Target::ALL.into_iter().find(|t| t.code() == *what).map_or(Route::Today, Route::Import),
            ["device"] => Route::Device,
            ["devices"] => Route::Devices,
            ["demo"] => Route::Demo(query(q)),
            [kind] => Kind::from_segment(kind).map_or(Route::Today, Route::List),
            [kind, "new"] => Kind::from_segment(kind).map_or(Route::Today, |k| Route::New(k, query(q))),
            [kind, id] => Kind::from_segment(kind).map_or(Route::Today, |k| Route::Open(k, (*id).to_owned())),
            _ => Route::Today,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Today => "#/today".into(),
            Route::List(k) => format!("#/{}", k.segment()),
            Route::New(k, q) if q.is_empty() => format!("#/{}/new", k.segment()),
            Route::New(k, q) => {
                let q: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("#/{}/new?{}", k.segment(), q.join("&"))
            }
            Route::Open(k, id) => format!("#/{}/{id}", k.segment()),
            Route::Network => "#/network".into(),
            Route::ActionPlan => "#/action-plan".into(),
            Route::More => "#/more".into(),
            Route::Conflicts => "#/conflicts".into(),
            Route::Duplicates => "#/duplicates".into(),
            Route::Retention => "#/retention".into(),
            Route::Erasure => "#/erasure".into(),
            Route::Review => "#/review".into(),
            Route::Report => "#/report".into(),
            Route::Import(t) => format!("#/import/{}", t.code()),
            Route::Device => "#/device".into(),
            Route::Devices => "#/devices".into(),
            Route::Join(p) => format!("#join={p}"),
            Route::Demo(_) => "#/demo".into(),
        }
    }

    /// `#/<kind>/new` with one prefilled field.
    pub fn new_with(kind: Kind, key: &str, value: impl ToString) -> Route {
        Route::New(kind, BTreeMap::from([(key.to_owned(), value.to_string())]))
    }

    /// `#/<kind>/<id>`.
    pub fn open(kind: Kind, id: impl ToString) -> Route {
        Route::Open(kind, id.to_string())
    }
}

pub fn current() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Route::parse(&hash)
}

/// The route the app shows, shared so a page can ask to be built again.
#[derive(Clone, Copy)]
pub struct Shown(pub leptos::prelude::RwSignal<Route>);

impl Shown {
    /// Builds the current page again, from what the notebook holds now.
    pub fn rebuild(self) {
        use leptos::prelude::Update;
        self.0.update(|_| ());
    }
}

pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(route.href().trim_start_matches('#'));
    }
}

/// After a save: back to where the mentor came from, or to `fallback` when
/// the form was the first page this tab showed.
pub fn leave(fallback: Route) {
    let steps = web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.length().ok()).unwrap_or(0);
    if steps > 1 {
        back();
    } else {
        go(&fallback);
    }
}

/// Goes to `to` in place of the current page, so "back" from there skips
/// the form just saved.
pub fn replace_with(to: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&to.href());
    }
}

/// A page opens at its top, wherever the page it came from was scrolled.
pub fn to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A record's id in a prefill query, if it is one.
pub fn prefilled<T: std::str::FromStr>(prefill: &BTreeMap<String, String>, key: &str) -> Option<T> {
    prefill.get(key).and_then(|v| v.parse().ok())
}

/// Back to where the mentor came from (the list, or Today), as a Cancel does.
pub fn back() {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.back();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn every_route_round_trips_through_its_href() {
        let routes = [
            Route::Today,
            Route::List(Kind::Consultation),
            Route::New(Kind::Referral, BTreeMap::new()),
            Route::new_with(Kind::Referral, "contact", "abc"),
            Route::open(Kind::Company, "123"),
            Route::Network,
            Route::ActionPlan,
            Route::More,
            Route::Conflicts,
            Route::Duplicates,
            Route::Retention,
            Route::Erasure,
            Route::Review,
            Route::Import(Target::Contacts),
            Route::Import(Target::Companies),
            Route::Device,
            Route::Devices,
        ];
        for r in routes {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }
}
