use leptos::prelude::*;

use crate::hooks::sync::SyncState;
use crate::i18n::use_i18n;

fn hh_mm(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// "Offline", "Syncing…", "Synced at 14:05", "3 changes not yet on the relay".
#[component]
pub fn SyncStatus(state: RwSignal<SyncState>) -> impl IntoView {
    let i = use_i18n();
    let text = move || match state.get() {
        SyncState::Offline { pending: 0 } => i.t("sync-offline"),
        SyncState::Offline { pending } => format!("{} · {}", i.t("sync-offline"), i.t_count("sync-pending", pending)),
        SyncState::Connecting { .. } => i.t("sync-connecting"),
        SyncState::Syncing => i.t("sync-syncing"),
        SyncState::Pending(n) => i.t_count("sync-pending", n),
        SyncState::Synced(t) => i.t_args("sync-synced", &[("time", hh_mm(t).into())]),
    };
    view! {
        <p id="sync-status" class="sync-status" data-state=move || state.get().code() role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            <span>{text}</span>
        </p>
    }
}
