//! Demo data on an empty install (`#/demo`, `cargo xtask run --demo`): a
//! realistic, clearly fictional network so a newcomer can try every page.
//! `#/demo?size=bench` makes the large set the benchmarks use.

use std::collections::BTreeMap;

use automerge::ActorId;
use leptos::prelude::*;
use lotse_model::demo::{generate, DemoSize};

use crate::device::{random, Device};
use crate::hooks::notebook::today;
use crate::hooks::sync::Engine;
use crate::i18n::use_i18n;

#[derive(Clone, PartialEq)]
enum Step {
    Working,
    Failed(String),
}

/// Makes this device a coordinator's, holding every demo community, and
/// writes the demo documents through the engine (stored, then synced like
/// any other change).
async fn fill(size: DemoSize) -> Result<Device, String> {
    let actor: [u8; 16] = random();
    let seed = u64::from_le_bytes(random());
    let demo = generate(&size, seed, &today(), ActorId::from(actor)).map_err(|e| e.to_string())?;
    let members: Vec<_> = demo.communities.iter().map(|(c, _)| (c.id, c.name.clone(), random::<16>())).collect();
    let mut device = Device::with_communities(&demo.me.name, &members);
    device.mentor_id = demo.me.id;
    device.actor = actor;
    device.save()?;
    let engine = Engine::start(device.clone()).await.map_err(|e| e.to_string())?;
    let mut network = demo.network;
    engine
        .change(engine.network_addr(), |doc| Ok(doc.merge(&mut network).map(|_| ())?))
        .await
        .map_err(|e| e.to_string())?;
    for ((community, mut doc), member) in demo.communities.into_iter().zip(&device.communities) {
        debug_assert_eq!(community.id, member.community_id);
        engine.change(member.addr(), |d| Ok(d.merge(&mut doc).map(|_| ())?)).await.map_err(|e| e.to_string())?;
    }
    Ok(device)
}

#[component]
pub fn DemoPage(query: BTreeMap<String, String>, on_done: Callback<Device>) -> impl IntoView {
    let i = use_i18n();
    let step = RwSignal::new(Step::Working);
    let size = if query.get("size").map(String::as_str) == Some("bench") { DemoSize::BENCH } else { DemoSize::SMALL };
    leptos::task::spawn_local(async move {
        match fill(size).await {
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
