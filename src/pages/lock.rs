//! The app lock, as the person holding the phone sees it: the lock screen
//! (a PIN pad, before anything personal is drawn) and, on the device page,
//! setting, changing and removing the PIN. The PIN goes to the engine
//! worker, which derives the key and counts the tries (`engine::identity`):
//! the page's binary links no KDF.

use leptos::prelude::*;
use lotse_sync::lock::{MAX_DIGITS, MIN_DIGITS};

use crate::engine::protocol::{PinChange, PinRefused};
use crate::hooks::lock::AppLock;
use crate::hooks::EngineLink;
use crate::i18n::{use_i18n, I18n};

/// What a refusal says, in the reader's language.
fn refusal(i: I18n, refused: &PinRefused) -> String {
    match refused {
        PinRefused::NotAPin => i.t("lock-not-a-pin"),
        PinRefused::Wrong { left } => i.t_count("lock-wrong", *left as usize),
        // The page starts again at the start page in a moment.
        PinRefused::Wiped => i.t("lock-wiped"),
        PinRefused::NotNow | PinRefused::Store(_) => i.t("lock-failed"),
    }
}

/// The lock screen: drawn in place of the notebook until the PIN is right.
/// `left`: the tries left when it opened.
#[component]
pub fn LockPage(left: u32, on_open: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let pin = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    let said = RwSignal::new(None::<String>);
    let tries = RwSignal::new(left);
    let press = move |digit: char| {
        pin.update(|p| {
            if p.len() < MAX_DIGITS {
                p.push(digit)
            }
        })
    };
    let open = move || {
        let typed = pin.get_untracked();
        if working.get_untracked() || typed.len() < MIN_DIGITS {
            return;
        }
        working.set(true);
        said.set(None);
        leptos::task::spawn_local(async move {
            let result = EngineLink::spawn().unlock(typed).await;
            working.set(false);
            pin.set(String::new());
            match result {
                Ok(()) => on_open.run(()),
                Err(e) => {
                    if let PinRefused::Wrong { left } = e {
                        tries.set(left);
                    }
                    said.set(Some(refusal(i, &e)));
                }
            }
        });
    };
    let key = move |digit: char| {
        view! {
            <button type="button" class="pin-key" data-digit=digit.to_string() on:click=move |_| press(digit)
                disabled=move || working.get()>{digit.to_string()}</button>
        }
    };
    view! {
        <section class="page lock-page" id="lock-page" data-tries-left=move || tries.get()>
            <h2 class="page-title">{move || i.t("lock-title")}</h2>
            <form class="lock-form" on:submit=move |ev| { ev.prevent_default(); open(); }>
                <label for="lock-pin">{move || i.t("lock-pin")}</label>
                <input id="lock-pin" type="password" inputmode="numeric" autocomplete="off" dir="ltr"
                    maxlength=MAX_DIGITS.to_string() prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).collect())/>
                <p id="lock-said" class="lock-said" role="alert" aria-live="assertive">{move || said.get()}</p>
                <Show when=move || working.get()>
                    <p class="hint" role="status">{move || i.t("lock-checking")}</p>
                </Show>
                // A phone's keypad: the same order in every language.
                <div class="pin-pad" dir="ltr">
                    {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(key)}
                    <button type="button" class="pin-key" id="lock-delete" aria-label=move || i.t("lock-delete-digit")
                        on:click=move |_| pin.update(|p| { p.pop(); }) disabled=move || working.get()>"⌫"</button>
                    {key('0')}
                    <button type="submit" class="pin-key pin-open" id="lock-open"
                        disabled=move || working.get() || pin.with(|p| p.len() < MIN_DIGITS)>{move || i.t("lock-open")}</button>
                </div>
            </form>
        </section>
    }
}

/// One PIN field of the settings.
fn pin_field(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || i.t(label)}</label>
            <input id=id type="password" inputmode="numeric" autocomplete="off" dir="ltr"
                maxlength=MAX_DIGITS.to_string() prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).collect())/>
        </div>
    }
}

/// The device page's section: the PIN set, changed or removed.
#[component]
pub fn AppLockSettings() -> impl IntoView {
    let i = use_i18n();
    let lock = expect_context::<AppLock>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    let said = RwSignal::new(None::<(bool, String)>);
    let run = move |change: PinChange, done: &'static str| {
        if working.get_untracked() {
            return;
        }
        working.set(true);
        said.set(None);
        leptos::task::spawn_local(async move {
            let result = EngineLink::spawn().set_lock(change).await;
            working.set(false);
            match result {
                Ok(()) => {
                    lock.on.set(done != "applock-removed");
                    for field in [current, new, repeat] {
                        field.set(String::new());
                    }
                    said.set(Some((true, i.t(done))));
                }
                Err(e) => said.set(Some((false, refusal(i, &e)))),
            }
        });
    };
    // The new PIN, typed twice alike, else what to fix.
    let new_pin = move || {
        let (n, r) = (new.get_untracked(), repeat.get_untracked());
        if n.len() < MIN_DIGITS {
            said.set(Some((false, i.t("lock-not-a-pin"))));
            None
        } else if n != r {
            said.set(Some((false, i.t("applock-mismatch"))));
            None
        } else {
            Some(n)
        }
    };
    let set = move |_| {
        if let Some(pin) = new_pin() {
            run(PinChange::Set { pin }, "applock-set-done");
        }
    };
    let change = move |_| {
        if let Some(pin) = new_pin() {
            run(PinChange::Change { old: current.get_untracked(), new: pin }, "applock-changed");
        }
    };
    let remove = move |_| run(PinChange::Remove { pin: current.get_untracked() }, "applock-removed");
    view! {
        <h3 class="section-title" id="applock-title">{move || i.t("applock-title")}</h3>
        <p class="hint" id="applock-state" data-on=move || lock.on.get().to_string()>
            {move || if lock.on.get() { i.t("applock-on") } else { i.t("applock-off") }}
        </p>
        <div class="applock-form">
            {move || if lock.on.get() {
                view! {
                    {pin_field("applock-current", "applock-current", current)}
                    {pin_field("applock-new", "applock-new", new)}
                    {pin_field("applock-repeat", "applock-repeat", repeat)}
                    <button id="applock-change" type="button" class="button primary" on:click=change
                        disabled=move || working.get()>{move || i.t("applock-change")}</button>
                    <button id="applock-remove" type="button" class="button" on:click=remove
                        disabled=move || working.get()>{move || i.t("applock-remove")}</button>
                }.into_any()
            } else {
                view! {
                    {pin_field("applock-new", "applock-new", new)}
                    {pin_field("applock-repeat", "applock-repeat", repeat)}
                    <button id="applock-set" type="button" class="button primary" on:click=set
                        disabled=move || working.get()>{move || i.t("applock-set")}</button>
                }.into_any()
            }}
        </div>
        <Show when=move || working.get()>
            <p class="hint" role="status">{move || i.t("lock-checking")}</p>
        </Show>
        {move || said.get().map(|(ok, text)| view! {
            <p id="applock-said" class=if ok { "banner-info" } else { "banner-error" } role="status">{text}</p>
        })}
    }
}
