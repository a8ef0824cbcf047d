//! Everything not in the bottom bar, as big rows with a line on what each
//! holds.

use leptos::prelude::*;

use crate::hooks::engine::use_device;
use crate::hooks::notebook::use_notebook;
use crate::i18n::use_i18n;

#[component]
pub fn MorePage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let conflicts = Memo::new(move |_| nb.with(|n| n.conflicts().map(|(_, _, _, f)| f.len()).sum::<usize>()));
    let mut rows: Vec<(&'static str, &'static str, &'static str)> = vec![
        ("report", "#/report", "more-report"),
        ("review", "#/review", "more-review"),
        ("conflicts", "#/conflicts", "more-conflicts"),
        ("duplicates", "#/duplicates", "more-duplicates"),
        ("referrals", "#/referrals", "more-referrals"),
        ("companies", "#/companies", "more-companies"),
        ("institutions", "#/institutions", "more-institutions"),
        ("network", "#/network", "more-network"),
        ("action-plan", "#/action-plan", "more-action-plan"),
        ("device", "#/device", "more-device"),
    ];
    // The people's rights are a coordinator's to answer.
    if use_device().is_some_and(|d| d.coordinator) {
        rows.splice(4..4, [("retention", "#/retention", "more-retention"), ("erasure", "#/erasure", "more-erasure")]);
    }
    view! {
        <section class="page more">
            <h2 class="page-title">{move || i.t("more-title")}</h2>
            <ul class="net-more-list">
                {rows.into_iter().map(|(name, href, key)| {
                    let desc_id = format!("more-{name}-desc");
                    let described = desc_id.clone();
                    view! {
                        <li class="net-more-row">
                            <a id=format!("more-{name}") href=href aria-describedby=described>
                                <span class="net-more-title">
                                    {move || i.t(key)}
                                    {(name == "conflicts").then(|| view! {
                                        <Show when=move || { conflicts.get() > 0 }>
                                            " " <span class="badge count-badge" id="conflicts-badge">{move || conflicts.get()}</span>
                                        </Show>
                                    })}
                                </span>
                                <span class="net-more-desc" id=desc_id>{move || i.t(&format!("{key}-desc"))}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
