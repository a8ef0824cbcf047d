//! The network's devices, for a coordinator (`#/devices`): every device of
//! the membership this device has read (who it belongs to: the person its
//! own status in the network document names, else the invitation it
//! enrolled with; its role; the communities it may use; when it last
//! finished a sync and whether the browser keeps its storage, from that
//! status; where it joined; whether it is this device or retired), the
//! invitations still open, and a device's removal.

use leptos::prelude::*;
use lotse_sync::membership::Role;
use lotse_sync::DocumentId;

use crate::device::Device;
use crate::engine::protocol::{NetworkDevice, OpenInvitation, RetireError};
use crate::hooks::notebook::{invitation_key, use_notebook, Nb};
use crate::hooks::{use_device, use_engine};
use crate::i18n::{format_date_time, use_i18n, I18n};
use crate::route::Route;

/// The first bytes of a key, to tell devices apart that no name names.
pub(crate) fn short_key(key: &[u8; 32]) -> String {
    key[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The name the coordinator gave the invitation `invite` was, if any.
fn invited_name(nb: Nb, invite: &[u8; 32]) -> Option<String> {
    let key = invitation_key(invite);
    nb.with(|n| n.mentors().into_iter().find(|m| m.invitations.contains(&key)).map(|m| m.name.clone()))
}

/// Whom a device belongs to: the person its own status names; else this
/// device's own mentor, or the name of the invitation another enrolled
/// with.
pub(crate) fn device_name(nb: Nb, device: &Device, d: &NetworkDevice) -> Option<String> {
    let named = d.status.as_ref().and_then(|s| nb.with(|n| n.mentor(s.mentor).map(|m| m.name.clone())));
    named.or_else(|| {
        if d.this_device {
            Some(device.mentor_name.clone())
        } else {
            d.invite.and_then(|inv| invited_name(nb, &inv))
        }
    })
}

/// The communities of `docs`, by the names this device knows them by.
fn community_names(i: I18n, device: &Device, role: Role, docs: &[DocumentId]) -> String {
    if role == Role::Coordinator {
        return i.t("devices-every-community");
    }
    let names: Vec<String> = docs
        .iter()
        .map(|d| {
            device
                .communities
                .iter()
                .find(|m| m.doc == d.0)
                .map_or_else(|| i.t("devices-unknown-community"), |m| m.community_name.clone())
        })
        .collect();
    if names.is_empty() {
        i.t("devices-no-community")
    } else {
        names.join(", ")
    }
}

/// What the page says when the engine did not remove a device.
fn retire_error_text(i: I18n, e: &RetireError) -> String {
    match e {
        RetireError::LastCoordinator => i.t("devices-last-coordinator"),
        RetireError::ThisDevice => i.t("devices-not-this-device"),
        RetireError::AlreadyRetired => i.t("devices-already-removed"),
        RetireError::NotCoordinator => i.t("devices-coordinator-only"),
        RetireError::NotMember | RetireError::Store(_) => i.t("devices-remove-failed"),
    }
}

#[component]
pub fn DevicesPage() -> impl IntoView {
    let i = use_i18n();
    let (Some(engine), Some(device)) = (use_engine(), use_device()) else {
        return view! { <p>"…"</p> }.into_any();
    };
    if !device.coordinator {
        return view! {
            <section class="page devices">
                <h2 class="page-title">{move || i.t("devices-title")}</h2>
                <p id="devices-coordinator-only" class="hint">{move || i.t("devices-coordinator-only")}</p>
            </section>
        }
        .into_any();
    }
    let access = engine.access;
    let nb = use_notebook();
    // The device whose removal waits for "yes", and the last refusal.
    let confirming = RwSignal::new(None::<[u8; 32]>);
    let failed = RwSignal::new(None::<([u8; 32], RetireError)>);
    let working = RwSignal::new(false);
    let coordinators =
        move || access.with(|a| a.devices.iter().filter(|d| d.role == Role::Coordinator && !d.retired).count());
    let remove = move |key: [u8; 32]| {
        let Some(engine) = use_engine() else { return };
        if working.get_untracked() {
            return;
        }
        working.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = engine.retire(key).await {
                failed.set(Some((key, e)));
            }
            confirming.set(None);
            working.set(false);
        });
    };
    let row = {
        let device = device.clone();
        move |d: NetworkDevice| {
            let key = d.key;
            let status = d.status.clone();
            let name = device_name(nb, &device, &d);
            let synced = status.as_ref().map(|s| s.synced_at);
            let last_sync = move || match synced {
                Some(at) => {
                    i.t_args("devices-last-sync", &[("time", format_date_time(i.lang.get(), at as f64).into())])
                }
                None => i.t("devices-never-synced"),
            };
            let storage = status.as_ref().map(|s| {
                let (key, flag) =
                    if s.persistent { ("devices-storage-kept", "yes") } else { ("devices-storage-not-kept", "no") };
                view! { <p class="device-meta device-storage" data-persistent=flag>{move || i.t(key)}</p> }
            });
            let title = {
                let name = name.clone();
                move || match &name {
                    Some(n) => i.t_args("devices-phone-of", &[("name", n.clone().into())]),
                    None => i.t_args("devices-device", &[("key", short_key(&key).into())]),
                }
            };
            let role = move || match d.role {
                Role::Coordinator => i.t("devices-role-coordinator"),
                Role::Mentor => i.t("devices-role-mentor"),
            };
            let communities = community_names(i, &device, d.role, &d.docs);
            let joined = d.joined.map(|seq| move || i.t_args("devices-joined", &[("position", (seq as i64).into())]));
            let last_coordinator = d.role == Role::Coordinator && !d.retired && coordinators() <= 1;
            let state = if d.retired {
                "retired"
            } else if d.retiring {
                "retiring"
            } else {
                "current"
            };
            let why_not = if d.retired || d.retiring {
                None
            } else if last_coordinator {
                Some("devices-last-coordinator")
            } else if d.this_device {
                Some("devices-not-this-device")
            } else {
                None
            };
            let may_remove = state == "current" && why_not.is_none();
            let who = name.clone().unwrap_or_else(|| short_key(&key));
            let confirm = move || {
                (confirming.get() == Some(key)).then(|| {
                    let who = who.clone();
                    view! {
                        <div class="retire-confirm" role="group" aria-labelledby="retire-confirm-text">
                            <p id="retire-confirm-text">
                                {move || i.t_args("devices-confirm", &[("name", who.clone().into())])}
                            </p>
                            <ul class="retire-effects">
                                <li>{move || i.t("devices-confirm-no-sync")}</li>
                                <li>{move || i.t("devices-confirm-keeps")}</li>
                                <li>{move || i.t("devices-confirm-reaches-nobody")}</li>
                            </ul>
                            <div class="actions">
                                <button type="button" class="button danger retire-yes" disabled=move || working.get()
                                    on:click=move |_| remove(key)>
                                    {move || i.t("devices-remove-yes")}
                                </button>
                                <button type="button" class="button retire-cancel" on:click=move |_| confirming.set(None)>
                                    {move || i.t("devices-remove-cancel")}
                                </button>
                            </div>
                        </div>
                    }
                })
            };
            let error = move || {
                failed
                    .with(|f| f.as_ref().filter(|(k, _)| *k == key).map(|(_, e)| retire_error_text(i, e)))
                    .map(|text| view! { <p class="banner-error retire-failed" role="alert">{text}</p> })
            };
            view! {
                <li class="device-row" data-key=short_key(&key) data-state=state data-role=role
                    data-this=d.this_device.to_string() data-name=name.clone().unwrap_or_default()>
                    <p class="device-name"><bdi translate="no">{title}</bdi></p>
                    <p class="device-meta">
                        <span class="device-role">{role}</span>
                        <bdi class="device-communities" translate="no">{communities}</bdi>
                    </p>
                    <p class="device-meta device-synced" data-synced=synced.map(|t| t.to_string()).unwrap_or_default()>
                        {last_sync}
                    </p>
                    {storage}
                    {joined.map(|j| view! { <p class="device-meta device-joined">{j}</p> })}
                    {d.this_device.then(|| view! { <p class="device-tag">{move || i.t("devices-this-device")}</p> })}
                    {match state {
                        "retired" => Some(view! { <p class="device-state retired">{move || i.t("devices-removed")}</p> }.into_any()),
                        "retiring" => Some(view! { <p class="device-state retiring" role="status">{move || i.t("devices-removing")}</p> }.into_any()),
                        _ => None,
                    }}
                    {why_not.map(|k| view! { <p class="hint device-why-not">{move || i.t(k)}</p> })}
                    {may_remove.then(|| view! {
                        <Show when=move || confirming.get() != Some(key)>
                            <button type="button" class="button danger device-remove" on:click=move |_| {
                                failed.set(None);
                                confirming.set(Some(key));
                            }>
                                {move || i.t("devices-remove")}
                            </button>
                        </Show>
                    })}
                    {confirm}
                    {error}
                </li>
            }
        }
    };
    let invitation = {
        let device = device.clone();
        move |inv: OpenInvitation| {
            let name = invited_name(nb, &inv.key);
            let title = {
                let name = name.clone();
                move || match &name {
                    Some(n) => i.t_args("devices-invitation-for", &[("name", n.clone().into())]),
                    None => i.t("devices-invitation"),
                }
            };
            let communities = community_names(i, &device, inv.role, &inv.docs);
            let expires = move || {
                let time = format_date_time(i.lang.get(), inv.expires as f64 * 1000.0);
                i.t_args("invite-expires", &[("time", time.into())])
            };
            view! {
                <li class="device-row invitation-row" data-key=short_key(&inv.key) data-name=name.unwrap_or_default()>
                    <p class="device-name"><bdi translate="no">{title}</bdi></p>
                    <p class="device-meta"><bdi translate="no">{communities}</bdi></p>
                    <p class="device-meta">{expires}</p>
                </li>
            }
        }
    };
    view! {
        <section class="page devices">
            <h2 class="page-title">{move || i.t("devices-title")}</h2>
            <p class="hint">{move || i.t("devices-hint")}</p>
            <Show when=move || access.with(|a| a.devices.is_empty())>
                <p id="devices-not-read" class="hint">{move || i.t("devices-not-read")}</p>
            </Show>
            <Show when=move || access.with(|a| a.remembered)>
                <p id="devices-remembered" class="banner-info">{move || i.t("devices-remembered")}</p>
            </Show>
            <ul id="devices" class="device-list">
                {move || access.get().devices.into_iter().map(row.clone()).collect_view()}
            </ul>
            <h3 class="section-title">{move || i.t("devices-invitations")}</h3>
            <Show when=move || access.with(|a| a.invitations.is_empty())>
                <p id="devices-no-invitations" class="hint">{move || i.t("devices-no-invitations")}</p>
            </Show>
            <ul id="open-invitations" class="device-list">
                {move || access.get().invitations.into_iter().map(invitation.clone()).collect_view()}
            </ul>
            <a id="devices-invite" class="button" href=Route::Device.href()>{move || i.t("devices-invite")}</a>
        </section>
    }
    .into_any()
}
