use leptos::prelude::*;

use crate::hooks::SyncState;
use crate::i18n::{format_time, use_i18n};

/// "Offline", "Syncing…", "Synced at 2:05 PM", "3 changes not yet on the
/// relay"; the time as the chosen language writes it (browser `Intl`).
#[component]
pub fn SyncStatus(state: RwSignal<SyncState>) -> impl IntoView {
    let i = use_i18n();
    let text = move || match state.get() {
        SyncState::Offline { pending: 0 } => i.t("sync-offline"),
        SyncState::Offline { pending } => format!("{} · {}", i.t("sync-offline"), i.t_count("sync-pending", pending)),
        SyncState::Connecting { .. } => i.t("sync-connecting"),
        SyncState::Syncing => i.t("sync-syncing"),
        SyncState::Pending(n) => i.t_count("sync-pending", n),
        SyncState::Synced(t) => i.t_args("sync-synced", &[("time", format_time(i.lang.get(), t).into())]),
    };
    view! {
        <p id="sync-status" class="sync-status" data-state=move || state.get().code() role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            <span>{text}</span>
        </p>
    }
}
