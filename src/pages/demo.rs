//! Demo data on an empty install (`#/demo`, `cargo xtask run --demo`): a
//! realistic, clearly fictional network so a newcomer can try every page.
//! `#/demo?size=bench` makes the large set the benchmarks use, `?size=mentor`
//! one community of a busy mentor; `&seed=N` makes the same set every time
//! (the benchmarks, so two builds are measured on the same records).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::device::{random, Device};
use crate::hooks::notebook::today;
use crate::hooks::EngineLink;
use crate::i18n::use_i18n;

#[derive(Clone, PartialEq)]
enum Step {
    Working,
    Failed(String),
}

/// Makes this device a coordinator's, holding every demo community. The
/// engine makes the demo documents and writes them when it starts (stored,
/// then synced like any other change).
async fn fill(size: String, seed: Option<u64>) -> Result<Device, String> {
    let actor: [u8; 16] = random();
    let seed = seed.unwrap_or_else(|| u64::from_le_bytes(random()));
    let (me, communities) = EngineLink::spawn().make_demo(size, seed, today(), actor).await?;
    let members: Vec<_> = communities.iter().map(|c| (c.id, c.name.clone())).collect();
    let mut device = Device::with_communities(&me.name, &members);
    device.mentor_id = me.id;
    device.actor = actor;
    device.save()?;
    Ok(device)
}

#[component]
pub fn DemoPage(query: BTreeMap<String, String>, on_done: Callback<Device>) -> impl IntoView {
    let i = use_i18n();
    let step = RwSignal::new(Step::Working);
    let size = query.get("size").cloned().unwrap_or_default();
    let seed = query.get("seed").map(|s| s.parse::<u64>().map_err(|_| format!("the seed {s:?} is not a number")));
    leptos::task::spawn_local(async move {
        let made = match seed.transpose() {
            Ok(seed) => fill(size, seed).await,
            Err(e) => Err(e),
        };
        match made {
            Ok(device) => on_done.run(device),
            Err(e) => {
                web_sys::console::error_1(&format!("demo data: {e}").into());
                step.set(Step::Failed(e));
            }
        }
    });
    view! {
        <main class="app-main setup">
            <h1 class="page-title">{move || i.t("demo-title")}</h1>
            {move || match step.get() {
                Step::Working => view! { <p class="intro" id="demo-working" role="status">{move || i.t("demo-working")}</p> }.into_any(),
                Step::Failed(e) => view! {
                    <p class="banner-error" id="demo-failed" role="alert" data-reason=e>{move || i.t("demo-failed")}</p>
                }.into_any(),
            }}
            <p class="hint">{move || i.t("demo-fictional")}</p>
        </main>
    }
}
