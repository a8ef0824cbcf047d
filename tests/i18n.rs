//! The i18n layer: every language has every message with the same
//! placeholders and the plural forms it needs; times and dates follow the
//! language; no view renders text that does not come from the .ftl files.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use leptos::prelude::*;
use lotse::i18n::{format_date, format_time, record_title, translate, try_translate, I18n, Lang};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// One message of a .ftl file: its `$variables` and its variant keys.
#[derive(Debug, Default)]
struct Message {
    vars: BTreeSet<String>,
    variants: BTreeSet<String>,
}

fn messages(source: &str) -> BTreeMap<String, Message> {
    let mut out: BTreeMap<String, Message> = BTreeMap::new();
    let mut current = None;
    for line in source.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some((id, _)) = line.split_once(" =").filter(|_| !line.starts_with([' ', '}'])) {
            current = Some(id.trim().to_owned());
            out.entry(id.trim().to_owned()).or_default();
        }
        let Some(msg) = current.as_ref().and_then(|id| out.get_mut(id)) else { continue };
        for part in line.split('$').skip(1) {
            let var: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
            if !var.is_empty() {
                msg.vars.insert(var);
            }
        }
        let t = line.trim_start().trim_start_matches('*');
        if let Some(key) = t.strip_prefix('[').and_then(|k| k.split_once(']')).map(|(k, _)| k.trim()) {
            msg.variants.insert(key.to_owned());
        }
    }
    out
}

#[wasm_bindgen_test]
fn every_language_has_every_message_with_the_same_placeholders() {
    lotse::i18n::install_bundled();
    let reference = messages(Lang::En.source());
    assert!(reference.len() > 50, "the English source was read");
    for lang in Lang::ALL {
        let m = messages(lang.source());
        let missing: Vec<_> = reference.keys().filter(|k| !m.contains_key(*k)).collect();
        let extra: Vec<_> = m.keys().filter(|k| !reference.contains_key(*k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang:?}: missing {missing:?}, not in English {extra:?}");
        for (id, msg) in &reference {
            assert_eq!(m[id].vars, msg.vars, "{lang:?}: placeholders of {id}");
        }
    }
}

/// The CLDR plural categories of whole numbers in each language.
fn plural_categories(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::De | Lang::En | Lang::Tr => &["one", "other"],
        Lang::Ru => &["one", "few", "many", "other"],
        Lang::Ar => &["zero", "one", "two", "few", "many", "other"],
    }
}

#[wasm_bindgen_test]
fn every_plural_message_writes_each_form_its_language_has() {
    lotse::i18n::install_bundled();
    let reference = messages(Lang::En.source());
    let plural_ids: Vec<_> = reference.iter().filter(|(_, m)| m.variants.contains("other")).map(|(id, _)| id).collect();
    assert!(plural_ids.len() >= 2, "found the plural messages: {plural_ids:?}");
    for lang in Lang::ALL {
        let m = messages(lang.source());
        for id in &plural_ids {
            let want: BTreeSet<String> = plural_categories(lang).iter().map(|s| s.to_string()).collect();
            assert_eq!(m[*id].variants, want, "{lang:?}: the plural forms of {id}");
            if lang == Lang::Ar {
                let first = lang.source().lines().find(|l| l.starts_with(&format!("{id} ="))).unwrap();
                assert!(first.contains("PLURAL($count)"), "Arabic selects with PLURAL (see i18n.rs): {first}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn every_message_parses_and_formats_without_errors() {
    lotse::i18n::install_bundled();
    let mut args = FluentArgs::new();
    for var in ["time", "query", "community", "error", "message"] {
        args.set(var, "x");
    }
    for lang in Lang::ALL {
        if let Err((_, errors)) = FluentResource::try_new(lang.source().to_owned()) {
            panic!("{lang:?}: {errors:?}");
        }
        for (id, msg) in messages(lang.source()) {
            // Every variable the message names gets a value (numbers below).
            for var in msg.vars.iter().filter(|v| *v != "count") {
                args.set(var.clone(), "x");
            }
            let id = id.as_str();
            for n in [0usize, 1, 2, 3, 5, 11, 21, 100, 103, 111] {
                args.set("count", FluentValue::from(n));
                let text = try_translate(lang, id, Some(&args)).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
                assert!(!text.trim().is_empty(), "{lang:?} {id} is empty");
            }
        }
    }
}

/// Fluent wraps placeables in bidi isolation marks (FSI, PDI).
fn plain(s: String) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

fn count(lang: Lang, key: &str, n: usize) -> String {
    let mut a = FluentArgs::new();
    a.set("count", FluentValue::from(n));
    plain(translate(lang, key, Some(&a)))
}

#[wasm_bindgen_test]
fn plurals_follow_each_language() {
    lotse::i18n::install_bundled();
    let c = |lang, n| count(lang, "contacts-count", n);
    assert_eq!(c(Lang::En, 1), "1 contact");
    assert_eq!(c(Lang::En, 3), "3 contacts");
    assert_eq!(c(Lang::De, 1), "1 Kontakt");
    assert_eq!(c(Lang::De, 0), "0 Kontakte");
    assert_eq!(c(Lang::Tr, 1), "1 kişi");
    assert_eq!(c(Lang::Tr, 5), "5 kişi");
    for (n, want) in [(1, "1 контакт"), (2, "2 контакта"), (5, "5 контактов"), (11, "11 контактов")]
    {
        assert_eq!(c(Lang::Ru, n), want);
    }
    for (n, want) in [(21, "21 контакт"), (22, "22 контакта"), (25, "25 контактов"), (111, "111 контактов")]
    {
        assert_eq!(c(Lang::Ru, n), want);
    }
    for (n, want) in [
        (0, "لا توجد جهات اتصال"),
        (1, "جهة اتصال واحدة"),
        (2, "جهتا اتصال"),
        (3, "3 جهات اتصال"),
        (10, "10 جهات اتصال"),
        (11, "11 جهة اتصال"),
        (99, "99 جهة اتصال"),
        (100, "100 جهة اتصال"),
        (103, "103 جهات اتصال"),
    ] {
        assert_eq!(c(Lang::Ar, n), want, "Arabic, {n}");
    }
    assert_eq!(count(Lang::Ru, "review-unreviewed", 3), "3 изменения ещё не просмотрены");
    assert_eq!(count(Lang::Ru, "review-unreviewed", 5), "5 изменений ещё не просмотрено");
    assert_eq!(count(Lang::Ar, "review-unreviewed", 2), "تغييران لم يُراجعا بعد");
    assert_eq!(count(Lang::Ar, "review-unreviewed", 111), "111 تغييرًا لم يُراجع بعد");
}

#[wasm_bindgen_test]
fn arabic_is_right_to_left_and_every_language_isolates_what_it_inserts() {
    lotse::i18n::install_bundled();
    for lang in Lang::ALL {
        assert_eq!(lang.is_rtl(), lang == Lang::Ar, "{lang:?}");
    }
    let mut a = FluentArgs::new();
    a.set("query", "Ayşe (Kaya)");
    assert_eq!(
        translate(Lang::Ar, "contacts-none-found", Some(&a)),
        "لا توجد جهة اتصال تطابق «\u{2068}Ayşe (Kaya)\u{2069}»."
    );
    let mut a = FluentArgs::new();
    a.set("community", "الجالية العربية Osnabrück");
    assert_eq!(
        translate(Lang::De, "join-intro", Some(&a)),
        "Dieses Gerät teilt die Kontakte von \u{2068}الجالية العربية Osnabrück\u{2069}."
    );
}

#[wasm_bindgen_test]
fn a_browser_language_picks_the_language_by_its_primary_subtag() {
    lotse::i18n::install_bundled();
    assert_eq!(Lang::from_code("ar-SY"), Some(Lang::Ar));
    assert_eq!(Lang::from_code("tr-TR"), Some(Lang::Tr));
    assert_eq!(Lang::from_code("ru"), Some(Lang::Ru));
    assert_eq!(Lang::from_code("de_AT"), Some(Lang::De));
    assert_eq!(Lang::from_code("ku"), None);
    let names: Vec<_> = Lang::ALL.iter().map(|l| l.native_name()).collect();
    assert_eq!(names, ["Deutsch", "English", "Türkçe", "العربية", "Русский"]);
}

#[wasm_bindgen_test]
fn a_missing_message_shows_its_key_not_an_empty_label() {
    lotse::i18n::install_bundled();
    assert_eq!(translate(Lang::De, "no-such-message", None), "no-such-message");
}

#[wasm_bindgen_test]
fn every_header_of_every_list_download_is_in_every_language() {
    lotse::i18n::install_bundled();
    for kind in lotse_model::Kind::ALL {
        for key in lotse_model::listing::heads(*kind) {
            for lang in Lang::ALL {
                assert!(try_translate(lang, key, None).is_ok(), "{key} of {kind:?} is missing in {lang:?}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn times_and_dates_are_written_as_each_language_writes_them() {
    lotse::i18n::install_bundled();
    // 27 November 2025, 14:05 in the browser's time zone.
    let t = js_sys::Date::new_with_year_month_day_hr_min(2025, 10, 27, 14, 5).get_time();
    for lang in [Lang::De, Lang::Tr, Lang::Ru] {
        assert_eq!(format_time(lang, t), "14:05", "{lang:?}");
    }
    let en = format_time(Lang::En, t);
    assert!(en.starts_with("2:05") && en.ends_with("PM"), "{en:?}");
    let ar = format_time(Lang::Ar, t);
    assert!(ar.contains("2:05") && ar.contains('م'), "Arabic, Latin digits: {ar:?}");

    let day = |lang| format_date(lang, "2025-11-27").unwrap();
    assert_eq!(day(Lang::De), "Donnerstag, 27. November 2025");
    assert_eq!(day(Lang::En), "Thursday, November 27, 2025");
    assert_eq!(day(Lang::Tr), "27 Kasım 2025 Perşembe");
    assert!(day(Lang::Ru).starts_with("четверг, 27 ноября 2025"), "{}", day(Lang::Ru));
    let ar = day(Lang::Ar);
    assert!(ar.contains("الخميس") && ar.contains("نوفمبر") && ar.contains("2025"), "{ar:?}");
    // Written from the messages (every language has them, so `Intl` is
    // not what writes these), the day as `Intl` writes it: every day of two
    // years (a leap year among them), in every language.
    for lang in Lang::ALL {
        let keys = ["date-full".to_owned()].into_iter();
        let keys =
            keys.chain((1..=7).map(|w| format!("date-weekday-{w}"))).chain((1..=12).map(|m| format!("date-month-{m}")));
        for key in keys {
            let mut args = FluentArgs::new();
            for var in ["weekday", "day", "month", "year"] {
                args.set(var, "x");
            }
            assert!(try_translate(lang, &key, Some(&args)).is_ok(), "{key} in {}", lang.code());
        }
    }
    let mut day = js_sys::Date::new_with_year_month_day_hr_min(2025, 11, 31, 12, 0);
    for _ in 0..731 {
        let (y, m, d) = (day.get_full_year(), day.get_month() + 1, day.get_date());
        let ymd = format!("{y:04}-{m:02}-{d:02}");
        for lang in Lang::ALL {
            let intl = js_sys::Intl::DateTimeFormat::new(
                &js_sys::Array::of1(&lang.intl_locale().into()),
                &js_sys::Object::from_entries(&js_sys::Array::of1(&js_sys::Array::of2(
                    &"dateStyle".into(),
                    &"full".into(),
                )))
                .unwrap(),
            );
            let want: String = intl.format().call1(&JsValue::NULL, &day).unwrap().as_string().unwrap();
            assert_eq!(format_date(lang, &ymd).as_deref(), Some(want.as_str()), "{ymd} in {}", lang.code());
        }
        day = js_sys::Date::new_with_year_month_day_hr_min(y, m as i32 - 1, d as i32 - 1, 12, 0);
    }
    assert_eq!(format_date(Lang::De, "2024-02-29").as_deref(), Some("Donnerstag, 29. Februar 2024"));
    assert_eq!(format_date(Lang::De, "2025-02-29"), None, "not a leap year");
    assert_eq!(format_date(Lang::De, "2025-13-01"), None);
    assert_eq!(format_date(Lang::De, "2025-02-31"), None);
    assert_eq!(format_date(Lang::De, "soon"), None);

    // A record's title: its day as the language writes it, the rest as typed.
    assert_eq!(record_title(Lang::De, "Fatma Arslan · 2025-11-27"), "Fatma Arslan · 27.11.2025");
    assert_eq!(record_title(Lang::Tr, "Fatma Arslan · 2025-11-27"), "Fatma Arslan · 27 Kas 2025");
    assert_eq!(record_title(Lang::De, "2025-11-27"), "27.11.2025", "an event with no title");
    assert!(record_title(Lang::Ru, "Веселова · 2025-11-27").starts_with("Веселова · 27 нояб. 2025"));
    for kept in ["Elternabend · Raum 2025-11-27x", "Bäckerei · Mitte", "Maßschneider/in", "Ayşe · 2025-02-31"] {
        assert_eq!(record_title(Lang::De, kept), kept, "not a day: left as it is");
    }
}

async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_first_start_page_switches_language_at_once_and_remembers_it() {
    lotse::i18n::install_bundled();
    use lotse::pages::setup::SetupPage;
    let doc = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&root).unwrap();
    let lang = RwSignal::new(Lang::De);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n { lang });
        view! { <SetupPage on_done=Callback::new(|_| {})/> }
    });
    tick().await;
    let text = |sel: &str| root.query_selector(sel).unwrap().expect(sel).text_content().unwrap();
    assert_eq!(text("label[for=language]"), "Sprache");
    let select: web_sys::HtmlSelectElement = root.query_selector("#language").unwrap().unwrap().unchecked_into();
    assert_eq!(select.value(), "de");

    select.set_value("ar");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(lang.get_untracked(), Lang::Ar);
    assert_eq!(text("label[for=language]"), "اللغة");
    assert_eq!(text("#setup-save"), "البدء");
    assert_eq!(lotse::device::load_lang(), Some(Lang::Ar), "saved on the device");
    drop(handle);
    root.remove();
    web_sys::window().unwrap().local_storage().unwrap().unwrap().remove_item("lotse.lang").unwrap();
}

// ---------------------------------------------------------------------------
// No UI text outside the i18n layer: a scan of every `view!` in the app.

/// Every file with views. `every_page_and_component_is_scanned` keeps this
/// list complete.
const VIEW_SOURCES: &[(&str, &str)] = &[
    ("src/app.rs", include_str!("../src/app.rs")),
    ("src/pages/action_plan.rs", include_str!("../src/pages/action_plan.rs")),
    ("src/pages/community_form.rs", include_str!("../src/pages/community_form.rs")),
    ("src/pages/companies.rs", include_str!("../src/pages/companies.rs")),
    ("src/pages/conflicts.rs", include_str!("../src/pages/conflicts.rs")),
    ("src/pages/company_form.rs", include_str!("../src/pages/company_form.rs")),
    ("src/pages/consultation_form.rs", include_str!("../src/pages/consultation_form.rs")),
    ("src/pages/consultations.rs", include_str!("../src/pages/consultations.rs")),
    ("src/pages/contact_form.rs", include_str!("../src/pages/contact_form.rs")),
    ("src/pages/contacts.rs", include_str!("../src/pages/contacts.rs")),
    ("src/pages/demo.rs", include_str!("../src/pages/demo.rs")),
    ("src/pages/device.rs", include_str!("../src/pages/device.rs")),
    ("src/pages/devices.rs", include_str!("../src/pages/devices.rs")),
    ("src/pages/duplicates.rs", include_str!("../src/pages/duplicates.rs")),
    ("src/pages/privacy.rs", include_str!("../src/pages/privacy.rs")),
    ("src/pages/review.rs", include_str!("../src/pages/review.rs")),
    ("src/pages/report.rs", include_str!("../src/pages/report.rs")),
    ("src/pages/event_form.rs", include_str!("../src/pages/event_form.rs")),
    ("src/pages/events.rs", include_str!("../src/pages/events.rs")),
    ("src/pages/follow_up_form.rs", include_str!("../src/pages/follow_up_form.rs")),
    ("src/pages/household_form.rs", include_str!("../src/pages/household_form.rs")),
    ("src/pages/import.rs", include_str!("../src/pages/import.rs")),
    ("src/pages/institution_form.rs", include_str!("../src/pages/institution_form.rs")),
    ("src/pages/institutions.rs", include_str!("../src/pages/institutions.rs")),
    ("src/pages/join.rs", include_str!("../src/pages/join.rs")),
    ("src/pages/lock.rs", include_str!("../src/pages/lock.rs")),
    ("src/pages/measure_form.rs", include_str!("../src/pages/measure_form.rs")),
    ("src/pages/mentor_form.rs", include_str!("../src/pages/mentor_form.rs")),
    ("src/pages/more.rs", include_str!("../src/pages/more.rs")),
    ("src/pages/network.rs", include_str!("../src/pages/network.rs")),
    ("src/pages/partner_form.rs", include_str!("../src/pages/partner_form.rs")),
    ("src/pages/referral_form.rs", include_str!("../src/pages/referral_form.rs")),
    ("src/pages/referrals.rs", include_str!("../src/pages/referrals.rs")),
    ("src/pages/setup.rs", include_str!("../src/pages/setup.rs")),
    ("src/pages/today.rs", include_str!("../src/pages/today.rs")),
    ("src/pages/training_place_form.rs", include_str!("../src/pages/training_place_form.rs")),
    ("src/components/field.rs", include_str!("../src/components/field.rs")),
    ("src/components/form.rs", include_str!("../src/components/form.rs")),
    ("src/components/history.rs", include_str!("../src/components/history.rs")),
    ("src/components/record_form.rs", include_str!("../src/components/record_form.rs")),
    ("src/components/conflicts.rs", include_str!("../src/components/conflicts.rs")),
    ("src/components/changes.rs", include_str!("../src/components/changes.rs")),
    ("src/components/pinned.rs", include_str!("../src/components/pinned.rs")),
    ("src/components/contact_picker.rs", include_str!("../src/components/contact_picker.rs")),
    ("src/components/language_picker.rs", include_str!("../src/components/language_picker.rs")),
    ("src/components/list_downloads.rs", include_str!("../src/components/list_downloads.rs")),
    ("src/components/sync_status.rs", include_str!("../src/components/sync_status.rs")),
    ("src/components/update_banner.rs", include_str!("../src/components/update_banner.rs")),
];

/// Literals a view may show as they are: names, not words of a language.
const PROPER_NAMES: &[&str] = &["Lotse"];

/// Attributes whose value a person reads or hears.
const TEXT_ATTRIBUTES: &[&str] =
    &["title", "placeholder", "aria-label", "aria-description", "aria-roledescription", "alt", "label", "value"];

/// A string literal in a view that shows letters to the user.
#[derive(Debug, PartialEq)]
struct Leak {
    file: String,
    line: usize,
    text: String,
}

/// The bodies of every `view! { … }` in `src`, as byte ranges.
fn view_bodies(src: &str) -> Vec<(usize, usize)> {
    let b = src.as_bytes();
    let mut out = vec![];
    let mut from = 0;
    while let Some(at) = src[from..].find("view!") {
        let start = from + at;
        from = start + 5;
        let Some(open) = src[from..].find(|c: char| !c.is_whitespace()).map(|o| from + o) else { break };
        if b[open] != b'{' {
            continue;
        }
        let close = skip_group(src, open);
        out.push((open + 1, close));
    }
    out
}

/// From an opening brace to its matching closing one, past strings,
/// characters and comments.
fn skip_group(src: &str, open: usize) -> usize {
    let b = src.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'"' => i = string_end(src, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = src[i..].find('\n').map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'*') => i = src[i..].find("*/").map_or(b.len(), |n| i + n + 1),
            b'\'' => i = char_end(src, i),
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The index of the closing quote of the string starting at `i`.
fn string_end(src: &str, i: usize) -> usize {
    let b = src.as_bytes();
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 1,
            b'"' => return j,
            _ => {}
        }
        j += 1;
    }
    b.len()
}

/// Past a character literal (`'x'`, `'\n'`), or just the quote of a lifetime.
fn char_end(src: &str, i: usize) -> usize {
    let rest = &src[i + 1..];
    if rest.starts_with('\\') {
        return rest.find('\'').map_or(i, |n| i + 1 + n);
    }
    let mut chars = rest.char_indices();
    match (chars.next(), chars.next()) {
        (Some(_), Some((n, '\''))) => i + 1 + n,
        _ => i,
    }
}

/// Text that reads as words: letters, and a space, a capital or a letter
/// beyond ASCII. Message keys, ids and CSS classes (`contact-new`,
/// `#/contacts`, `yes`) do not.
fn reads_as_words(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
        && s.chars().any(|c| c.is_whitespace() || c.is_uppercase() || (c.is_alphabetic() && !c.is_ascii()))
}

/// The string literals of the views in `src` that put letters on the screen:
/// text between tags, the value of a text attribute, and, inside Rust
/// expressions in a view, any literal that reads as words and is not a
/// message key.
fn leaks(file: &str, src: &str) -> Vec<Leak> {
    let bodies = view_bodies(src);
    let b = src.as_bytes();
    let mut out = vec![];
    for &(start, end) in &bodies {
        // Inner views are scanned as views of their own.
        let inner: Vec<_> = bodies.iter().filter(|(s, e)| *s > start && *e <= end).copied().collect();
        let mut depth = 0usize; // braces and parentheses: Rust code inside the markup
        let mut prev = b'>'; // the last significant byte
        let mut i = start;
        while i < end {
            if let Some(&(_, e)) = inner.iter().find(|(s, _)| *s == i) {
                i = e; // its closing brace, which closes the depth its opening one added
                continue;
            }
            let c = b[i];
            match c {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => depth = depth.saturating_sub(1),
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    i = src[i..].find('\n').map_or(end, |n| i + n);
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = src[i..].find("*/").map_or(end, |n| i + n + 2);
                    continue;
                }
                b'\'' => {
                    i = char_end(src, i) + 1;
                    prev = b'\'';
                    continue;
                }
                b'"' => {
                    let close = string_end(src, i);
                    let text = &src[i + 1..close];
                    let shown = if depth > 0 {
                        reads_as_words(text)
                    } else if prev == b'=' && b[..i].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'=') {
                        let before = src[..i].trim_end().trim_end_matches('=').trim_end();
                        let name = before.rsplit(|c: char| c.is_whitespace() || c == '<').next().unwrap_or_default();
                        TEXT_ATTRIBUTES.contains(&name) && text.chars().any(char::is_alphabetic)
                    } else {
                        text.chars().any(char::is_alphabetic)
                    };
                    if shown && !PROPER_NAMES.contains(&text) {
                        let line = src[..i].matches('\n').count() + 1;
                        out.push(Leak { file: file.to_owned(), line, text: text.to_owned() });
                    }
                    i = close + 1;
                    prev = b'"';
                    continue;
                }
                _ => {}
            }
            if !c.is_ascii_whitespace() {
                prev = c;
            }
            i += 1;
        }
    }
    out
}

#[wasm_bindgen_test]
fn no_view_renders_text_that_does_not_come_from_the_i18n_layer() {
    lotse::i18n::install_bundled();
    let found: Vec<Leak> = VIEW_SOURCES.iter().flat_map(|(file, src)| leaks(file, src)).collect();
    assert!(
        found.is_empty(),
        "UI text written into views instead of src/i18n/*.ftl (add a message and use i.t): {found:#?}"
    );
}

#[wasm_bindgen_test]
fn every_page_and_component_is_scanned() {
    lotse::i18n::install_bundled();
    let scanned: BTreeSet<&str> = VIEW_SOURCES.iter().map(|(f, _)| *f).collect();
    for (dir, modules) in [
        ("src/pages", include_str!("../src/pages/mod.rs")),
        ("src/components", include_str!("../src/components/mod.rs")),
    ] {
        for line in modules.lines() {
            if let Some(name) = line.trim().strip_prefix("pub mod ").and_then(|l| l.strip_suffix(';')) {
                let file = format!("{dir}/{name}.rs");
                assert!(scanned.contains(file.as_str()), "{file} is not in VIEW_SOURCES of tests/i18n.rs");
            }
        }
    }
    let views: usize = VIEW_SOURCES.iter().map(|(_, src)| view_bodies(src).len()).sum();
    assert!(views >= 20, "the scan found the views ({views})");
}

#[wasm_bindgen_test]
fn the_scan_finds_words_written_into_a_view() {
    lotse::i18n::install_bundled();
    let src = r##"
        fn page() -> impl IntoView {
            let label = "Not a view";
            view! {
                <section class="page" id="x">
                    <h2>{move || i.t("contacts-title")}</h2>
                    <p>"Saved."</p>
                    <input placeholder="Search" type="search" aria-label="Lotse"/>
                    <span data-x=move || flag.then_some("yes")>{move || if ok { "Kaydedildi" } else { "…" }}</span>
                    // a comment with "Quoted words" is not shown
                    {items.map(|x| view! { <li title=format!("#/{x}")>"Eintrag"</li> }).collect_view()}
                </section>
            }
        }
    "##;
    let found: Vec<_> = leaks("sample.rs", src).into_iter().map(|l| (l.line, l.text)).collect();
    assert_eq!(
        found,
        [(7, "Saved.".into()), (8, "Search".into()), (9, "Kaydedildi".into()), (11, "Eintrag".into())],
        "found exactly the shown words"
    );
}

#[wasm_bindgen_test]
fn language_codes_read_as_names_in_the_readers_language_listed_as_it_lists() {
    lotse::i18n::install_bundled();
    use lotse::i18n::language_names;
    assert_eq!(language_names(Lang::De, "tr, ar"), "Türkisch und Arabisch");
    assert_eq!(language_names(Lang::En, "tr, ar, de"), "Turkish, Arabic, and German");
    let ar = language_names(Lang::Ar, "tr, de");
    assert!(ar.contains("التركية") && ar.contains("الألمانية") && !ar.contains(", "), "{ar}");
    assert_eq!(language_names(Lang::De, "ku"), "Kurdisch");
    // A code no browser knows stays as written; an empty list is empty.
    assert!(language_names(Lang::De, "xx-nonsense").contains("xx"));
    assert_eq!(language_names(Lang::De, " , "), "");
}
