//! Components mounted in real Chromium, driven as a mentor would.

use leptos::prelude::*;
use lotse::i18n::{I18n, Lang};
use lotse::pages::setup::SetupPage;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn tick() {
    // Leptos updates the DOM asynchronously.
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

fn by_id<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?.document()?.get_element_by_id(id).map(|e| e.unchecked_into())
}

fn type_into(id: &str, text: &str) {
    let input: HtmlInputElement = by_id(id).expect(id);
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn the_setup_page_names_what_is_missing_and_sets_up_the_device_when_complete() {
    lotse::i18n::install_bundled();
    let done = RwSignal::new(None::<String>);
    leptos::mount::mount_to_body(move || {
        provide_context(I18n { lang: RwSignal::new(Lang::En) });
        view! { <SetupPage on_done=Callback::new(move |d: lotse::device::Device| done.set(Some(d.mentor_name)))/> }
    });
    tick().await;
    let label =
        web_sys::window().unwrap().document().unwrap().query_selector("label[for=mentor-name]").unwrap().unwrap();
    assert_eq!(label.text_content().unwrap(), "Your name");

    // Tried: submitting with both fields empty.
    by_id::<HtmlButtonElement>("setup-save").unwrap().click();
    tick().await;
    let err: HtmlElement = by_id("error-mentor-name").expect("an error beside the empty name");
    assert_eq!(err.text_content().unwrap(), "Please fill this in.");
    assert!(done.get_untracked().is_none(), "nothing set up");

    type_into("mentor-name", "Leyla");
    type_into("community-name", "Kurdischsprachige Familien");
    by_id::<HtmlButtonElement>("setup-save").unwrap().click();
    tick().await;
    assert_eq!(done.get_untracked().as_deref(), Some("Leyla"));
    assert!(by_id::<HtmlElement>("error-mentor-name").is_none(), "the error is gone");
    let saved = lotse::device::Device::load().expect("saved in localStorage");
    assert_eq!(saved.home().community_name, "Kurdischsprachige Familien");
}
