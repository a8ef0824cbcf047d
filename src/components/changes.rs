//! What one change did to a record, field by field: the value its author
//! saw and the one they wrote, in words. Shown in a record's history and on
//! the desk's review list.

use leptos::prelude::*;
use lotse_model::review::FieldChange;
use lotse_model::Kind;

use crate::components::conflicts::{field_name, value_words};
use crate::hooks::notebook::use_notebook;
use crate::i18n::use_i18n;

/// Fields that only keep the books (ids, who created a record and when):
/// they say nothing a reviewer weighs.
const BOOKKEEPING: &[&str] = &["id", "created_at", "created_by", "consent.recorded_by"];

/// A later change stamped this much earlier than the one before it says its
/// device's clock is behind (a few minutes are ordinary drift).
const CLOCK_SLACK_MS: i64 = 5 * 60 * 1000;

/// For changes listed newest first (causal order) with their device times:
/// whether each was stamped well before a change made earlier than it.
pub fn clock_behind(times: &[i64]) -> Vec<bool> {
    (0..times.len()).map(|n| times.get(n + 1).is_some_and(|older| times[n] + CLOCK_SLACK_MS < *older)).collect()
}

/// The fields of `changes` a person reads, in the order given.
pub fn worth_showing(changes: &[FieldChange]) -> Vec<FieldChange> {
    changes.iter().filter(|c| !BOOKKEEPING.contains(&c.field.as_str())).cloned().collect()
}

/// "Field: old → new" for each change; nothing for none.
#[component]
pub fn FieldChanges(kind: Option<Kind>, changes: Vec<FieldChange>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let changes = worth_showing(&changes);
    (!changes.is_empty()).then(|| {
        view! {
            <ul class="field-changes">
                {changes.into_iter().map(|c| {
                    let words = |v: &Option<String>| {
                        let v = v.clone();
                        let field = c.field.clone();
                        move || match &v {
                            Some(text) => nb.with(|n| value_words(i, n, kind, &field, text)),
                            None => i.t("conflict-empty"),
                        }
                    };
                    let label = field_name(i, &c.field);
                    view! {
                        <li class="field-change" data-field=c.field.clone()>
                            <span class="field-change-name">{label}</span>
                            " "
                            <bdi class="field-change-old" translate="no">{words(&c.old)}</bdi>
                            " "
                            <span class="field-change-arrow" role="img" aria-label=move || i.t("change-became")></span>
                            " "
                            <bdi class="field-change-new" translate="no">{words(&c.new)}</bdi>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_change_stamped_well_before_the_one_made_before_it_is_flagged() {
        let minute = 60_000;
        // Newest first: the second is an hour "older" than the third, made before it.
        let times = [100 * minute, 40 * minute, 100 * minute, 98 * minute];
        assert_eq!(clock_behind(&times), [false, true, false, false]);
        assert_eq!(clock_behind(&[]), Vec::<bool>::new());
    }
}
