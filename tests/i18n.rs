//! Every language has every message, with the same placeholders.

use std::collections::{BTreeMap, BTreeSet};

use lotse::i18n::{translate, Lang};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Message ids with the `$variables` each one uses.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in source.lines() {
        if let Some((id, _)) = line.split_once(" =").filter(|_| !line.starts_with([' ', '#'])) {
            current = Some(id.trim().to_owned());
            out.entry(id.trim().to_owned()).or_default();
        }
        if let Some(id) = &current {
            for part in line.split('$').skip(1) {
                let var: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
                if !var.is_empty() {
                    out.get_mut(id).expect("inserted").insert(var);
                }
            }
        }
    }
    out
}

#[wasm_bindgen_test]
fn every_language_has_every_message_with_the_same_placeholders() {
    let reference = messages(Lang::En.source());
    assert!(reference.len() > 50, "the English source was read");
    for lang in Lang::ALL {
        let m = messages(lang.source());
        let missing: Vec<_> = reference.keys().filter(|k| !m.contains_key(*k)).collect();
        let extra: Vec<_> = m.keys().filter(|k| !reference.contains_key(*k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang:?}: missing {missing:?}, not in English {extra:?}");
        for (id, vars) in &reference {
            assert_eq!(&m[id], vars, "{lang:?}: placeholders of {id}");
        }
    }
}

#[wasm_bindgen_test]
fn plurals_follow_each_language() {
    use fluent_bundle::{FluentArgs, FluentValue};
    let count = |lang, n: usize| {
        let mut a = FluentArgs::new();
        a.set("count", FluentValue::from(n));
        translate(lang, "contacts-count", Some(&a))
    };
    assert_eq!(count(Lang::En, 1), "1 contact");
    assert_eq!(count(Lang::En, 3), "3 contacts");
    assert_eq!(count(Lang::De, 1), "1 Kontakt");
    assert_eq!(count(Lang::De, 0), "0 Kontakte");
}

#[wasm_bindgen_test]
fn a_missing_message_shows_its_key_not_an_empty_label() {
    assert_eq!(translate(Lang::De, "no-such-message", None), "no-such-message");
}
