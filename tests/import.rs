//! The import page's words: every header and value a file may use means one
//! thing in all five languages together, and the template each language
//! downloads is read back as every column it names.

use lotse::i18n::{try_translate, Lang};
use lotse::pages::import::{template, words};
use lotse_model::forms::Stamp;
use lotse_model::import::{ambiguous_words, label_keys, preview, Context, Target};
use lotse_model::{CommunityId, MentorId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn no_header_or_value_means_two_things_in_any_language() {
    lotse::i18n::install_bundled();
    assert_eq!(ambiguous_words(&words), Vec::<String>::new());
}

#[wasm_bindgen_test]
fn every_header_and_value_the_import_reads_is_in_every_language() {
    lotse::i18n::install_bundled();
    for target in Target::ALL {
        for key in label_keys(target) {
            for lang in Lang::ALL {
                assert!(try_translate(lang, &key, None).is_ok(), "{lang:?} lacks {key}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn each_languages_template_reads_back_with_every_column() {
    lotse::i18n::install_bundled();
    let home = CommunityId::from_random([1; 16]);
    let communities = vec![(home, "Türkische Community".to_owned())];
    let cx = Context {
        words: &words,
        communities: &communities,
        default_community: home,
        stamp: Stamp { me: MentorId::from_random([2; 16]), now_ms: 0 },
    };
    for lang in Lang::ALL {
        for target in Target::ALL {
            let row = match target {
                Target::Contacts => "Ayşe,parent,0541 123456,tr,Schinkel,,2026-03-05,advice,",
                Target::Companies => "Bäckerei,Bäckerei,hwk,has,Mehmet,0541 123456,,2026-01-15,",
            };
            let head = template(lang, target);
            assert!(head.starts_with('\u{feff}'), "{lang:?}: a BOM");
            let file = format!("{head}{row}\r\n");
            let p = preview(file.as_bytes(), target, &cx, &mut || [7; 16])
                .unwrap_or_else(|e| panic!("{lang:?} {target:?}: {e}"));
            assert!(
                p.columns.iter().all(|(h, c)| c.is_some() && !h.starts_with("import-")),
                "{lang:?}: {:?}",
                p.columns
            );
            assert_eq!(p.columns.len(), target.columns().len());
            assert_eq!(p.good().count(), 1, "{lang:?} {target:?}: {:?}", p.rows);
        }
    }
}
