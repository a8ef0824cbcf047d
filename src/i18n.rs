//! Every UI string goes through here: Fluent messages per language, chosen
//! by a device setting (never synced). Dates and times go through the
//! browser's `Intl` with the same language.
//!
//! The week starts on Monday in all five languages; nothing renders a
//! calendar yet, so a future calendar must start its rows on Monday itself
//! rather than ask the locale (English would give Sunday).

use std::cell::RefCell;
use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    De,
    En,
    Tr,
    Ar,
    Ru,
}

impl Lang {
    /// In the order the picker lists them.
    pub const ALL: [Lang; 5] = [Lang::De, Lang::En, Lang::Tr, Lang::Ar, Lang::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Tr => "tr",
            Lang::Ar => "ar",
            Lang::Ru => "ru",
        }
    }

    /// The language's own name, shown in the picker (never translated).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
            Lang::Tr => "Türkçe",
            Lang::Ar => "العربية",
            Lang::Ru => "Русский",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of the browser's preferred languages that Lotse speaks.
    pub fn from_browser() -> Option<Lang> {
        let navigator = web_sys::window()?.navigator();
        let preferred = navigator.languages();
        preferred.iter().filter_map(|l| l.as_string()).chain(navigator.language()).find_map(|l| Lang::from_code(&l))
    }

    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The locale `Intl` formats with. Arabic keeps Latin digits, as the
    /// rest of the app does (counts from Fluent, phone numbers, the date
    /// field): one set of digits on a screen.
    pub fn intl_locale(self) -> &'static str {
        match self {
            Lang::Ar => "ar-u-nu-latn",
            other => other.code(),
        }
    }

    /// Where the page fetches the language's messages: the build writes
    /// each language's files as one (`cargo xtask postbuild`), and the
    /// service worker precaches them.
    pub fn url(self) -> String {
        format!("./i18n/{}.ftl", self.code())
    }

    /// The Fluent source of each language, as in the repository: the app's
    /// core messages and one file per area of the notebook. Only the tests
    /// link it ([`install_bundled`]): five languages compiled into the page
    /// were 63 KB of its gzip, where it needs one (fetched, [`load`]).
    pub fn source(self) -> &'static str {
        macro_rules! ftl {
            ($lang:literal) => {
                concat!(
                    include_str!(concat!("i18n/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/records/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/today/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/events/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/advice/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/network/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/history/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/desk/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/report/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/access/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/import/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/pinned/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/lock/", $lang, ".ftl")),
                    "\n",
                    include_str!(concat!("i18n/privacy/", $lang, ".ftl")),
                )
            };
        }
        match self {
            Lang::De => ftl!("de"),
            Lang::En => ftl!("en"),
            Lang::Tr => ftl!("tr"),
            Lang::Ar => ftl!("ar"),
            Lang::Ru => ftl!("ru"),
        }
    }
}

thread_local! {
    static BUNDLES: RefCell<HashMap<Lang, FluentBundle<FluentResource>>> = RefCell::new(HashMap::new());
}

/// `lang`'s messages from `source`, used from now on.
pub fn install(lang: Lang, source: String) -> Result<(), String> {
    let id = lang.code().parse().expect("our language codes parse");
    let mut bundle = FluentBundle::new(vec![id]);
    // Every inserted value is wrapped in bidi isolation marks (FSI … PDI),
    // in every language: a Latin name in an Arabic sentence and an
    // Arabic community name in a German one both keep their order.
    bundle.set_use_isolating(true);
    let locale = lang.code();
    bundle
        .add_function("PLURAL", move |args, _| match args.first() {
            Some(FluentValue::Number(n)) => FluentValue::String(plural_category(locale, n.value).into()),
            _ => FluentValue::None,
        })
        .expect("PLURAL is added once");
    let res = FluentResource::try_new(source).map_err(|(_, e)| format!("{} does not parse: {e:?}", lang.url()))?;
    bundle.add_resource(res).map_err(|e| format!("{}: {e:?}", lang.url()))?;
    BUNDLES.with(|b| b.borrow_mut().insert(lang, bundle));
    Ok(())
}

/// Every language from the sources compiled in (the tests' set-up).
pub fn install_bundled() {
    for lang in Lang::ALL {
        install(lang, lang.source().to_owned()).expect("shipped .ftl files parse");
    }
}

/// Whether `lang`'s messages are here.
pub fn is_loaded(lang: Lang) -> bool {
    BUNDLES.with(|b| b.borrow().contains_key(&lang))
}

/// Fetches `lang`'s messages (from the service worker's cache once it has
/// them) unless they are here already.
pub async fn load(lang: Lang) -> Result<(), String> {
    if is_loaded(lang) {
        return Ok(());
    }
    let text = match early_fetch(lang).await {
        Some(text) => text,
        None => fetch_text(&lang.url()).await.map_err(|e| format!("{}: {e:?}", lang.url()))?,
    };
    install(lang, text)
}

/// The messages the early script (`early-<hash>.js`) fetched while the wasm
/// loaded (`xtask`'s `split.rs`, `window.lotseMessages`), if they are of
/// `lang` and came;
/// taken once.
async fn early_fetch(lang: Lang) -> Option<String> {
    let window = js_sys::global();
    let key = JsValue::from_str("lotseMessages");
    let early = js_sys::Reflect::get(&window, &key).ok().filter(|e| e.is_object())?;
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    let url = js_sys::Reflect::get(&early, &"url".into()).ok()?.as_string()?;
    if url != lang.url() {
        return None;
    }
    let text = js_sys::Reflect::get(&early, &"text".into()).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(text).await.ok()?.as_string()
}

/// Every language's messages: an import reads headers and values written
/// in any of them.
pub async fn load_all() {
    for lang in Lang::ALL {
        if let Err(e) = load(lang).await {
            web_sys::console::warn_1(&e.into());
        }
    }
}

/// `fetch(url)`'s body as text, through `js_sys` (the page links no
/// `web_sys::Response` for this one call).
async fn fetch_text(url: &str) -> Result<String, JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let global = js_sys::global();
    let fetch: js_sys::Function = js_sys::Reflect::get(&global, &"fetch".into())?.dyn_into()?;
    let response = JsFuture::from(js_sys::Promise::from(fetch.call1(&global, &url.into())?)).await?;
    if js_sys::Reflect::get(&response, &"ok".into())?.as_bool() != Some(true) {
        return Err(js_sys::Reflect::get(&response, &"status".into())?);
    }
    let text: js_sys::Function = js_sys::Reflect::get(&response, &"text".into())?.dyn_into()?;
    let body = JsFuture::from(js_sys::Promise::from(text.call0(&response)?)).await?;
    body.as_string().ok_or_else(|| "not text".into())
}

/// `f` with `lang`'s bundle; `None` while it is not loaded.
fn with_bundle<R>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> Option<R>) -> Option<R> {
    BUNDLES.with(|b| b.borrow().get(&lang).and_then(f))
}

/// The CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`) of
/// `n` in `locale`, from the browser's `Intl.PluralRules`. Fluent messages
/// select with it as `{ PLURAL($count) -> … }`. Arabic needs it: Fluent's own
/// rules (intl_pluralrules 7.0.2) drop the `n % 100` of Arabic's few and many,
/// so 103 would read as "other" instead of "few".
pub fn plural_category(locale: &str, n: f64) -> String {
    thread_local! {
        // Made once per locale, as the date formats (`INTL`).
        static RULES: RefCell<HashMap<String, js_sys::Intl::PluralRules>> = RefCell::new(HashMap::new());
    }
    RULES.with(|r| {
        let mut rules = r.borrow_mut();
        let rule = rules.entry(locale.to_owned()).or_insert_with(|| {
            let locales = js_sys::Array::of1(&JsValue::from_str(locale));
            js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new())
        });
        rule.select(n).into()
    })
}

/// The message `key` in `lang`, or why it cannot be shown: no such message,
/// or Fluent's errors (a missing variable, an unknown function).
pub fn try_translate(lang: Lang, key: &str, args: Option<&FluentArgs>) -> Result<String, String> {
    with_bundle(lang, |bundle| {
        let result = match bundle.get_message(key).and_then(|m| m.value()) {
            None => Err(format!("no message {key}")),
            Some(pattern) => {
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
                if errors.is_empty() {
                    Ok(text)
                } else {
                    Err(format!("{key}: {errors:?}"))
                }
            }
        };
        Some(result)
    })
    .unwrap_or_else(|| Err(format!("{} is not loaded", lang.code())))
}

/// The message `key` in `lang`, English if missing there (and loaded), else
/// the key itself (so a missing string is visible, never an empty label).
pub fn translate(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    let format = |lang| {
        with_bundle(lang, |bundle| {
            let msg = bundle.get_message(key)?;
            let pattern = msg.value()?;
            let mut errors = vec![];
            Some(bundle.format_pattern(pattern, args, &mut errors).into_owned())
        })
    };
    format(lang).or_else(|| format(Lang::En)).unwrap_or_else(|| key.to_owned())
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Reads the language signal, so a view that calls this inside a closure
    /// follows a change of language.
    pub fn t(&self, key: &str) -> String {
        translate(self.lang.get(), key, None)
    }

    pub fn t_args(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        translate(self.lang.get(), key, Some(&fa))
    }

    pub fn t_count(&self, key: &str, count: usize) -> String {
        self.t_args(key, &[("count", FluentValue::from(count))])
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn intl_format(lang: Lang, date: &js_sys::Date, options: &[(&str, &str)]) -> String {
    intl_object(lang, "DateTimeFormat", options).and_then(|f| intl_call(&f, "format", date)).unwrap_or_default()
}

thread_local! {
    /// The `Intl` objects made so far, by language, kind and options: making
    /// one costs the browser far more than using it (Today's dates alone
    /// were a third of its first drawing, at 4x CPU, before this).
    static INTL: RefCell<HashMap<(Lang, String), Option<JsValue>>> = RefCell::new(HashMap::new());
}

/// `new Intl.<name>(locale, options)`, if this browser has it; made once
/// per language, name and options.
fn intl_object(lang: Lang, name: &str, options: &[(&str, &str)]) -> Option<JsValue> {
    let mut key = name.to_owned();
    for (k, v) in options {
        key.push_str(&format!("|{k}={v}"));
    }
    let key = (lang, key);
    if let Some(made) = INTL.with(|c| c.borrow().get(&key).cloned()) {
        return made;
    }
    let made = new_intl_object(lang, name, options);
    INTL.with(|c| c.borrow_mut().insert(key, made.clone()));
    made
}

fn new_intl_object(lang: Lang, name: &str, options: &[(&str, &str)]) -> Option<JsValue> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
    let opts = js_sys::Object::new();
    for (k, v) in options {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let locales = js_sys::Array::of1(&JsValue::from_str(lang.intl_locale()));
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&locales, &opts)).ok()
}

/// Calls `method` of an `Intl` object with one argument, as text.
fn intl_call(object: &JsValue, method: &str, arg: &JsValue) -> Option<String> {
    let f: js_sys::Function = js_sys::Reflect::get(object, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    f.call1(object, arg).ok()?.as_string()
}

/// Items joined as the language lists them ("A, B und C", "A، B وC"),
/// from `Intl.ListFormat`; joined with the language's comma where the
/// browser lacks it.
pub fn format_list(lang: Lang, items: &[String]) -> String {
    let array: js_sys::Array = items.iter().map(|s| JsValue::from_str(s)).collect();
    intl_object(lang, "ListFormat", &[("style", "long"), ("type", "conjunction")])
        .and_then(|f| intl_call(&f, "format", &array))
        .unwrap_or_else(|| items.join(&translate(lang, "list-comma", None)))
}

/// Language codes as written in a record ("tr, ar") as names in the
/// reader's language ("Türkisch und Arabisch"), from `Intl.DisplayNames`; a
/// code the browser does not know stays as written.
pub fn language_names(lang: Lang, codes: &str) -> String {
    let names = intl_object(lang, "DisplayNames", &[("type", "language")]);
    let items: Vec<String> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| names.as_ref().and_then(|n| intl_call(n, "of", &JsValue::from_str(c))).unwrap_or_else(|| c.to_owned()))
        .collect();
    format_list(lang, &items)
}

/// A time of day as the language writes it: "14:05", "2:05 PM", "2:05 م".
pub fn format_time(lang: Lang, epoch_ms: f64) -> String {
    intl_format(lang, &js_sys::Date::new(&epoch_ms.into()), &[("timeStyle", "short")])
}

/// A day and time as the language writes them: "27.11.2025, 14:05",
/// "Nov 27, 2025, 2:05 PM".
pub fn format_date_time(lang: Lang, epoch_ms: f64) -> String {
    intl_format(lang, &js_sys::Date::new(&epoch_ms.into()), &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// A calendar date (`YYYY-MM-DD`, as stored) as the language writes it, with
/// weekday and month names: "Donnerstag, 27. November 2025",
/// "27 Kasım 2025 Perşembe". `None` if it is not a date.
///
/// Written from the language's messages (`date-full`, the weekday's and
/// the month's names), not by `Intl`: making the browser's date formatter
/// cost a phone 65 to 160 ms of its start at 4x CPU, on the first screen.
/// The messages say what `Intl` says (a test compares every day of two
/// years); `Intl` writes it if they are missing.
pub fn format_date(lang: Lang, ymd: &str) -> Option<String> {
    let name = |key: String| try_translate(lang, &key, None).ok();
    let written = (|| {
        let weekday = lotse_model::notebook::iso_weekday(ymd)?;
        let mut args = FluentArgs::new();
        args.set("weekday", name(format!("date-weekday-{weekday}"))?);
        args.set("day", ymd[8..].trim_start_matches('0').to_owned());
        args.set("month", name(format!("date-month-{}", ymd[5..7].trim_start_matches('0')))?);
        args.set("year", ymd[..4].to_owned());
        try_translate(lang, "date-full", Some(&args)).ok()
    })();
    match written {
        // Our own parts only: the bidi isolation Fluent puts around them is
        // not needed, and `Intl` writes none.
        Some(text) => Some(text.replace(['\u{2068}', '\u{2069}'], "")),
        None => format_ymd(lang, ymd, "full"),
    }
}

/// A record's title as the model writes it ("Fatma Arslan · 2026-12-01", or
/// only the day), with its day as the language writes it, short ("Fatma
/// Arslan · 01.12.2026", "Fatma Arslan · 1 Ara 2026"). Any other title is
/// left as it is.
pub fn record_title(lang: Lang, title: &str) -> String {
    let (name, day) = match title.rsplit_once(" · ") {
        Some((name, day)) => (Some(name), day),
        None => (None, title),
    };
    match (name, format_ymd(lang, day, "medium")) {
        (Some(name), Some(day)) => format!("{name} · {day}"),
        (None, Some(day)) => day,
        (_, None) => title.to_owned(),
    }
}

fn format_ymd(lang: Lang, ymd: &str, style: &str) -> Option<String> {
    if ymd.len() != 10 {
        return None;
    }
    let mut parts = ymd.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Noon, so no time zone moves it to another day.
    let date = js_sys::Date::new_with_year_month_day_hr_min(y, m as i32 - 1, d as i32, 12, 0);
    if date.get_date() != d {
        return None; // 31 February rolled over
    }
    Some(intl_format(lang, &date, &[("dateStyle", style)]))
}
