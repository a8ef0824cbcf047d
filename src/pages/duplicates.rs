//! The desk's list of likely duplicate contacts: pairs with the same phone
//! or a name that sounds the same in any script, each contact one tap away.
//! (Merging a pair, and "not the same person", come next.)

use std::collections::BTreeSet;

use leptos::prelude::*;
use lotse_model::duplicates::Why;
use lotse_model::{ContactId, Kind};

use crate::components::contact_picker::ContactMeta;
use crate::components::form::{ShowMore, PAGE};
use crate::hooks::notebook::use_notebook;
use crate::i18n::use_i18n;
use crate::route::Route;

/// One contact of a pair, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
struct Side {
    id: ContactId,
    name: String,
    phone: String,
    meta: ContactMeta,
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let limit = RwSignal::new(PAGE);
    let pairs = Memo::new(move |_| {
        nb.with(|n| {
            n.likely_duplicates(&BTreeSet::new())
                .into_iter()
                .filter_map(|p| {
                    let side = |id| {
                        n.contact(id).map(|c| Side {
                            id,
                            name: c.record.name.clone(),
                            phone: c.record.phone.clone(),
                            meta: ContactMeta::of(n, c),
                        })
                    };
                    Some((side(p.a)?, side(p.b)?, p.why))
                })
                .collect::<Vec<_>>()
        })
    });
    let more = Signal::derive(move || pairs.with(Vec::len).saturating_sub(limit.get()));
    view! {
        <section class="page duplicates-page">
            <h2 class="page-title">{move || i.t("duplicates-title")}</h2>
            <p class="hint">{move || i.t("duplicates-intro")}</p>
            <Show when=move || pairs.with(Vec::is_empty)>
                <p class="empty" id="duplicates-none">{move || i.t("duplicates-none")}</p>
            </Show>
            <ul class="duplicate-pairs">
                {move || pairs.get().into_iter().take(limit.get()).map(|(a, b, why)| {
                    let reasons: Vec<&'static str> = why
                        .iter()
                        .map(|w| match w {
                            Why::SamePhone => "duplicates-why-phone",
                            Why::SameName => "duplicates-why-name",
                        })
                        .collect();
                    let (id_a, id_b) = (a.id.to_string(), b.id.to_string());
                    view! {
                        <li class="duplicate-pair" data-a=id_a data-b=id_b>
                            <p class="duplicate-why">
                                {reasons.into_iter().map(|k| view! { <span class="badge">{move || i.t(k)}</span> " " }).collect_view()}
                            </p>
                            {[a, b].into_iter().map(|s| view! {
                                <a class="duplicate-side" href=Route::open(Kind::Contact, s.id).href()>
                                    <bdi class="contact-name" translate="no">{s.name}</bdi>
                                    <span class="contact-meta">{s.meta.view(i)}</span>
                                    {(!s.phone.is_empty()).then(|| view! {
                                        <span class="duplicate-phone" dir="ltr">{s.phone}</span>
                                    })}
                                </a>
                            }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ShowMore id="duplicates-more" limit=limit more=more/>
        </section>
    }
}
