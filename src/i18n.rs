//! Every UI string goes through here: Fluent messages per language, chosen
//! by a device setting (never synced).

use std::cell::RefCell;
use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the picker (never translated).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    pub fn is_rtl(self) -> bool {
        false
    }

    /// The Fluent source of each language, as shipped.
    pub fn source(self) -> &'static str {
        match self {
            Lang::De => include_str!("i18n/de.ftl"),
            Lang::En => include_str!("i18n/en.ftl"),
        }
    }
}

thread_local! {
    static BUNDLES: RefCell<HashMap<Lang, FluentBundle<FluentResource>>> = RefCell::new(HashMap::new());
}

fn with_bundle<R>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> R) -> R {
    BUNDLES.with(|b| {
        let mut map = b.borrow_mut();
        let bundle = map.entry(lang).or_insert_with(|| {
            let id = lang.code().parse().expect("our language codes parse");
            let mut bundle = FluentBundle::new(vec![id]);
            // Bidi isolation marks come with right-to-left languages.
            bundle.set_use_isolating(lang.is_rtl());
            let res = FluentResource::try_new(lang.source().to_owned())
                .expect("shipped .ftl files parse (checked by a test)");
            bundle.add_resource(res).expect("no duplicate message ids (checked by a test)");
            bundle
        });
        f(bundle)
    })
}

/// The message `key` in `lang`, English if missing there, else the key itself
/// (so a missing string is visible, never an empty label).
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
