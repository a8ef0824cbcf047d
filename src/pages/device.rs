use leptos::prelude::*;

use crate::components::language_picker::LanguagePicker;
use crate::device::Device;
use crate::engine::protocol::{Access, Invited, Trouble};
use crate::hooks::notebook::{name_invitation, use_notebook};
use crate::hooks::{use_device, use_engine};
use crate::i18n::{format_date_time, use_i18n};
use crate::pages::lock::AppLockSettings;
use crate::route::Route;
use lotse_model::CommunityId;
use lotse_sync::membership::Role;

/// The role picker's values (the words are translated).
const MENTOR: &str = "mentor";
const COORDINATOR: &str = "coordinator";

/// How long an invitation may be valid: (seconds, message key). The second
/// is the default.
const VALIDITY: [(u64, &str); 3] =
    [(3_600, "invite-valid-hour"), (86_400, "invite-valid-day"), (7 * 86_400, "invite-valid-week")];

/// This device: who, its home community, storage, language, and on a
/// coordinator's device the invitation of a mentor (to the home community).
#[component]
pub fn DevicePage() -> impl IntoView {
    let i = use_i18n();
    let (Some(engine), Some(d)) = (use_engine(), use_device()) else { return view! { <p>"…"</p> }.into_any() };
    let persisted = engine.storage_persisted;
    let problems = engine.problems;
    let problem_text = move |p: &Trouble| match p {
        Trouble::Undecryptable => i.t("problem-undecryptable"),
        Trouble::NotAutomerge => i.t("problem-not-automerge"),
        Trouble::Unsigned => i.t("problem-unsigned"),
        Trouble::Relay(message) => i.t_args("problem-relay", &[("message", message.clone().into())]),
    };
    let invite = if d.coordinator {
        view! {
            <a id="devices-link" class="button devices-link" href=Route::Devices.href()>{move || i.t("devices-open")}</a>
            <InviteMentor access=engine.access device=d.clone()/>
        }
        .into_any()
    } else {
        view! {
            <h3 class="section-title">{move || i.t("invite-title")}</h3>
            <p id="invite-coordinator-only" class="hint">{move || i.t("invite-coordinator-only")}</p>
        }
        .into_any()
    };
    view! {
        <section class="page device">
            <h2 class="page-title">{move || i.t("device-title")}</h2>
            <dl class="facts">
                <dt>{move || i.t("device-mentor")}</dt>
                <dd><bdi translate="no">{d.mentor_name.clone()}</bdi></dd>
                <dt>{move || i.t("device-community")}</dt>
                <dd><bdi translate="no">{d.home().community_name.clone()}</bdi></dd>
                <dt>{move || i.t("device-storage")}</dt>
                <dd id="storage-persisted" data-persisted=move || persisted.get().map_or("unknown", |p| if p { "yes" } else { "no" })>
                    {move || match persisted.get() {
                        None => i.t("storage-unknown"),
                        Some(true) => i.t("storage-persisted"),
                        Some(false) => i.t("storage-not-persisted"),
                    }}
                </dd>
            </dl>
            <LanguagePicker/>
            <AppLockSettings/>
            {invite}
            <Show when=move || !problems.with(Vec::is_empty)>
                <h3 class="section-title">{move || i.t("device-problems")}</h3>
                <ul class="problems">
                    {move || problems.get().iter().map(|p| view! { <li>{problem_text(p)}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
    .into_any()
}

/// Scrolls the new invitation (its link, copy button and state) into view
/// once drawn: it appears below the button, where the bottom bar hides it.
fn reveal_invitation() {
    request_animation_frame(|| {
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("invitation"));
        if let Some(el) = el {
            el.scroll_into_view_with_bool(true);
        }
    });
}

/// Where an invitation is: made on this device, on the relay, or refused.
fn invitation_state(access: RwSignal<Access>, made: &Invited) -> &'static str {
    access.with(|a| {
        if a.refused.contains(&made.statement) {
            "refused"
        } else if a.pending.contains(&made.statement) {
            "pending"
        } else {
            "stored"
        }
    })
}

/// A coordinator invites one mentor's device: how long the link is valid,
/// the button, then the link (with the invitation's one-time secret, which
/// only the link holds) and whether the relay knows the invitation yet.
#[component]
fn InviteMentor(access: RwSignal<Access>, device: Device) -> impl IntoView {
    let i = use_i18n();
    let valid_for = RwSignal::new(VALIDITY[1].0);
    let name = RwSignal::new(String::new());
    let nb = use_notebook();
    // The invitation made, the community it invites to (or starts a
    // coordinator on) and whether it invites a coordinator.
    let made = RwSignal::new(None::<(Invited, CommunityId, bool)>);
    let community = RwSignal::new(device.home().community_id);
    let coordinator = RwSignal::new(false);
    let communities: Vec<(CommunityId, String)> =
        device.communities.iter().map(|m| (m.community_id, m.community_name.clone())).collect();
    // The join link as a QR code (SVG), drawn by the engine.
    let qr = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    let working = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let to_link = {
        let device = device.clone();
        move |m: &Invited, to: CommunityId, coord: bool| {
            device.invitation_to(to, m.secret, coord).map(|inv| inv.link(&origin))
        }
    };
    let link = {
        let to_link = to_link.clone();
        move || made.get().and_then(|(m, to, coord)| to_link(&m, to, coord))
    };
    let home = device.home().community_id;
    let doc_of = {
        let device = device.clone();
        move |c: CommunityId| device.membership(c).map(|m| m.doc)
    };
    let create = move |_| {
        let Some(engine) = use_engine() else { return };
        let to_link = to_link.clone();
        let coord = coordinator.get_untracked();
        // A coordinator's link starts it on the home community.
        let to = if coord { home } else { community.get_untracked() };
        let Some(doc) = doc_of(to) else { return };
        let role = if coord { Role::Coordinator } else { Role::Mentor };
        if working.get_untracked() {
            return;
        }
        working.set(true);
        failed.set(false);
        copied.set(false);
        qr.set(None);
        leptos::task::spawn_local(async move {
            match engine.invite(valid_for.get_untracked(), doc, role).await {
                Ok(invited) => {
                    let link = to_link(&invited, to, coord).unwrap_or_default();
                    let invite = invited.invite;
                    made.set(Some((invited, to, coord)));
                    qr.set(engine.qr(link).await);
                    reveal_invitation();
                    let community = (!coord).then_some(to);
                    if let Err(e) = name_invitation(nb, &name.get_untracked(), invite, community).await {
                        web_sys::console::warn_1(&format!("naming the invitation: {e}").into());
                    }
                    name.set(String::new());
                }
                Err(e) => {
                    web_sys::console::warn_1(&format!("the invitation: {e}").into());
                    failed.set(true);
                }
            }
            working.set(false);
        });
    };
    let copy = {
        let link = link.clone();
        move |_| {
            if let (Some(w), Some(text)) = (web_sys::window(), link()) {
                let _ = w.navigator().clipboard().write_text(&text);
                copied.set(true);
            }
        }
    };
    let picks = communities.clone();
    let community_name = {
        let communities = communities.clone();
        move || {
            let c = community.get();
            communities.iter().find(|(id, _)| *id == c).map(|(_, n)| n.clone()).unwrap_or_default()
        }
    };
    let state = move || made.get().map(|(m, _, _)| invitation_state(access, &m));
    let shown = move || {
        let (m, _, _) = made.get()?;
        let link = link()?;
        let copy = copy.clone();
        let expires = move || {
            let time = format_date_time(i.lang.get(), m.expires as f64 * 1000.0);
            i.t_args("invite-expires", &[("time", time.into())])
        };
        Some(view! {
            <div id="invitation" class="invitation">
                {move || qr.get().map(|svg| view! {
                    <div id="join-qr" class="join-qr" role="img" aria-label=move || i.t("invite-qr-label") inner_html=svg></div>
                })}
                <p id="join-link" class="join-link" dir="ltr" translate="no">{link}</p>
                <button id="copy-join-link" type="button" class="button" on:click=copy>
                    {move || if copied.get() { i.t("device-copied") } else { i.t("device-copy") }}
                </button>
                <p id="invite-expires" class="hint">{expires}</p>
                <p id="invite-state" class="invite-state" role="status" data-state=state>
                    {move || match state() {
                        Some("pending") => i.t("invite-pending"),
                        Some("refused") => i.t("invite-refused"),
                        _ => i.t("invite-stored"),
                    }}
                </p>
            </div>
        })
    };
    view! {
        <h3 class="section-title">{move || i.t("invite-title")}</h3>
        <p class="hint" id="invite-hint">
            {move || if coordinator.get() {
                i.t("invite-hint-coordinator")
            } else {
                i.t_args("invite-hint", &[("community", community_name().into())])
            }}
        </p>
        <div class="invite-form">
            <div class="field">
                <label for="invite-role">{move || i.t("invite-role")}</label>
                <select id="invite-role" on:change=move |ev| coordinator.set(event_target_value(&ev) == COORDINATOR)>
                    <option value=MENTOR selected=move || !coordinator.get()>{move || i.t("invite-role-mentor")}</option>
                    <option value=COORDINATOR selected=move || coordinator.get()>{move || i.t("invite-role-coordinator")}</option>
                </select>
            </div>
            {(communities.len() > 1).then(|| view! {
                <div class="field" style:display=move || coordinator.get().then_some("none")>
                    <label for="invite-community">{move || i.t("invite-community")}</label>
                    <select id="invite-community" on:change=move |ev| {
                        if let Some((c, _)) = picks.iter().find(|(c, _)| c.to_string() == event_target_value(&ev)) {
                            community.set(*c);
                        }
                    }>
                        {communities.clone().into_iter().map(|(c, n)| view! {
                            <option dir="auto" value=c.to_string() selected=move || community.get() == c>{n}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="invite-name">{move || i.t("invite-name")}</label>
                <input id="invite-name" type="text" autocomplete="off" maxlength="120"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <p class="hint">{move || i.t("invite-name-hint")}</p>
            </div>
            <div class="field">
                <label for="invite-valid">{move || i.t("invite-valid-for")}</label>
                <select id="invite-valid" on:change=move |ev| {
                    if let Ok(secs) = event_target_value(&ev).parse() {
                        valid_for.set(secs);
                    }
                }>
                    {VALIDITY.into_iter().map(|(secs, key)| view! {
                        <option dir="auto" value=secs.to_string() selected=move || valid_for.get() == secs>{move || i.t(key)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button id="invite-create" type="button" class="button primary" on:click=create disabled=move || working.get()>
                {move || i.t("invite-create")}
            </button>
        </div>
        <Show when=move || failed.get()>
            <p id="invite-failed" class="banner-error" role="alert">{move || i.t("invite-failed")}</p>
        </Show>
        {shown}
    }
}
