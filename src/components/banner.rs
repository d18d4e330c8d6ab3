//! The service banner: announcements from support (a known incident, planned maintenance,
//! information) on every page, each until it expires, is withdrawn, or the person dismisses it on
//! this device. Dismissals are remembered in `localStorage` by announcement id.

use leptos::prelude::*;
use leptos_router::components::A;
use portal_core::announcement::Announcement;

use crate::auth::Auth;
use crate::load::load;

const DISMISSED: &str = "portal.dismissed";
/// Most dismissals remembered (the oldest are forgotten first; announcements expire anyway).
const REMEMBERED: usize = 50;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn dismissed() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(DISMISSED).ok()?)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn remember(ids: &[String]) {
    let keep = &ids[ids.len().saturating_sub(REMEMBERED)..];
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(keep)) {
        let _ = s.set_item(DISMISSED, &text);
    }
}

/// One announcement, with its case (a link when the person may open it) and a dismiss button.
#[component]
fn Notice(a: Announcement, hidden: RwSignal<Vec<String>>) -> impl IntoView {
    let id = a.id.clone();
    let label = a.kind.label(crate::i18n::lang());
    let case = a.case_number.map(|n| {
        let number = if a.case_visible {
            view! { <A href=format!("/cases/{n}")>{n.clone()}</A> }.into_any()
        } else {
            view! { <strong>{n.clone()}</strong> }.into_any()
        };
        view! { {t!(en: " Quote case ", fr: " Citez le dossier ")}{number}{t!(en: " about it.", fr: " à ce sujet.")} }
    });
    view! {
        <div class=format!("banner banner-{}", a.kind.as_str())><div class="banner-in">
            <p><strong>{label}{t!(en: ": ", fr: " : ")}</strong>{a.message}{case}</p>
            <button type="button" class="link-button" aria-label=tf!(en: "Dismiss this announcement ({label})", fr: "Masquer cette annonce ({label})")
                on:click=move |_| {
                    hidden.update(|h| h.push(id.clone()));
                    remember(&hidden.get_untracked());
                    // The button is gone: keyboard users continue at the page's content.
                    if let Some(main) = document().get_element_by_id("main") {
                        use wasm_bindgen::JsCast;
                        let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                }>{t!(en: "Dismiss", fr: "Masquer")}</button>
        </div></div>
    }
}

/// The banner (nothing when there is nothing to announce). Institutions get their own
/// announcements: the first request carries the session cookie, so its answer is already the
/// signed-in reader's; it is asked again only when someone signs in or out later (one request per
/// page load, not one before and one after `GET /me`, and no institution banner arriving late).
///
/// `settled` turns true once the first answer is in (or after 1.5 s without one): until then the
/// page keeps its content invisible, so a banner arriving never pushes what the reader sees.
#[component]
pub fn ServiceBanner(settled: RwSignal<bool>) -> impl IntoView {
    let auth = Auth::get();
    let audience = RwSignal::new(0u32);
    Effect::new(move |before: Option<(bool, Option<String>)>| {
        let now = (auth.checked.get(), auth.email());
        // The first check of the session only learns whom the cookie already spoke for; a
        // sign-in or sign-out after it changes the audience.
        if let Some((true, who)) = before {
            if who != now.1 {
                audience.update(|n| *n += 1);
            }
        }
        now
    });
    let list = load(move || {
        audience.track();
        crate::api::announcements()
    });
    Effect::new(move |_| {
        if list.value.with(Option::is_some) {
            settled.set(true);
        }
    });
    set_timeout(
        move || settled.set(true),
        std::time::Duration::from_millis(1500),
    );
    let hidden = RwSignal::new(dismissed());
    move || {
        let shown: Vec<Announcement> = list
            .ok()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| hidden.with(|h| !h.contains(&a.id)))
            .collect();
        (!shown.is_empty()).then(|| {
            view! {
                <section class="banners" aria-label=t!(en: "Service announcements", fr: "Annonces de service")>
                    {shown.into_iter().map(|a| view! { <Notice a=a hidden=hidden/> }).collect_view()}
                </section>
            }
        })
    }
}
