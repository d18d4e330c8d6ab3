//! The portal's language, English or French: chosen once at start (the user's earlier choice, else
//! the browser's languages), switched by the language button, remembered in local storage, and
//! stated in `<html lang>` and in every API request's `Accept-Language`.
//!
//! Texts are written where they are shown, in both languages at once: `t!(en: "Cases", fr:
//! "Dossiers")` and, with `format!` arguments, `tf!(en: "{n} open", fr: "{n} ouverts")`. The
//! macros refuse to compile without every language (see `portal_core::i18n`), so no key can be
//! missing at run time and the wasm carries no lookup tables. Switching language renders the app
//! again from the top ([`crate::App`]); what a user typed lives in drafts, so nothing is lost.

use std::cell::Cell;

use leptos::prelude::*;
use portal_core::Lang;

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

const STORAGE_KEY: &str = "portal.lang";

/// The language texts are rendered in now.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language to start in: the one chosen earlier on this device, else the first of the
/// browser's preferred languages the portal speaks, else English.
pub fn initial() -> Lang {
    if let Some(l) = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_tag(&code))
    {
        return l;
    }
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .find_map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// Renders from now on in `lang` and says so on the page (`<html lang>`); `remember` keeps the
/// choice on this device.
pub fn apply(lang: Lang, remember: bool) {
    CURRENT.with(|c| c.set(lang));
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    if remember {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, lang.code());
        }
    }
}

/// The signal the app re-renders on when the language changes.
#[derive(Clone, Copy)]
pub struct LangSignal(pub RwSignal<Lang>);

/// Switches the language: remembered, announced on the page, and the app renders again in it.
pub fn switch(lang: Lang) {
    apply(lang, true);
    if let Some(LangSignal(s)) = use_context::<LangSignal>() {
        s.set(lang);
    }
}

/// The locale dates and times are written in: the browser's own when it is of the portal's
/// language (so a French Canadian reads `fr-CA` dates), else the language's usual one.
pub fn locale() -> String {
    let lang = lang();
    window()
        .navigator()
        .language()
        .filter(|tag| Lang::from_tag(tag) == Some(lang))
        .unwrap_or_else(|| lang.default_locale().to_string())
}

/// A text in the current language: `t!(en: "…", fr: "…")`.
#[macro_export]
macro_rules! t {
    (en: $en:literal, fr: $fr:literal $(,)?) => {
        portal_core::tr!($crate::i18n::lang(), en: $en, fr: $fr)
    };
}

/// A formatted text in the current language: `tf!(en: "{n} open", fr: "{n} ouverts")`.
#[macro_export]
macro_rules! tf {
    (en: $en:literal, fr: $fr:literal $(,)?) => {
        portal_core::trf!($crate::i18n::lang(), en: $en, fr: $fr)
    };
}
