use leptos::prelude::*;

use crate::engine::protocol::{Access, Admission};
use crate::hooks::SyncState;
use crate::i18n::{format_time, use_i18n};

/// "Offline", "Syncing…", "Synced at 2:05 PM", "Saved on this phone, not
/// yet shared" (plain words, and no count: a growing number worries people
/// and says nothing they can act on); the time as the chosen language
/// writes it (browser `Intl`). What the relay answered of this device is in
/// `data-access` (the access banner says it in words).
#[component]
pub fn SyncStatus(state: RwSignal<SyncState>, access: RwSignal<Access>) -> impl IntoView {
    let i = use_i18n();
    let text = move || match state.get() {
        // Admitted, but nothing to sync before the keys come: not "synced".
        SyncState::Synced(_) | SyncState::Syncing if access.with(|a| a.admission == Admission::AwaitingKeys) => {
            i.t("sync-waiting")
        }
        SyncState::Offline { pending: 0 } => i.t("sync-offline"),
        SyncState::Offline { .. } => i.t("sync-pending"),
        SyncState::Connecting { .. } => i.t("sync-connecting"),
        SyncState::Syncing => i.t("sync-syncing"),
        SyncState::Pending(_) => i.t("sync-pending"),
        SyncState::Synced(t) => i.t_args("sync-synced", &[("time", format_time(i.lang.get(), t).into())]),
        // Why, and what to do, is said in the access banner.
        SyncState::Refused { .. } if access.with(|a| a.admission == Admission::Waiting) => i.t("sync-waiting"),
        SyncState::Refused { .. } => i.t("sync-refused"),
    };
    view! {
        <p id="sync-status" class="sync-status" data-state=move || state.get().code()
            data-access=move || access.with(|a| a.admission.code()) role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            <span>{text}</span>
        </p>
    }
}
