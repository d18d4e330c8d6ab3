//! Small pieces shared by several pages (`form` holds what every form uses).

pub mod attachments;
pub mod badges;
pub mod banner;
pub mod escalation;
pub mod form;
pub mod layout;
pub mod secrets;
pub mod wizard;

use leptos::prelude::*;

thread_local! {
    /// Whether a page has had its [`Later`] parts since the portal started.
    static FIRST_PAGE_DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Its children, rendered in a task of their own just after the rest, the first time the portal
/// shows such a page: that page (a case with its forms) is built in two shorter tasks instead of one
/// that keeps a slow phone from answering a tap. For what sits below what the reader sees first,
/// so nothing above moves. Afterwards (a case updated while read, another page) the children
/// render at once: the page never loses height for a moment, so the scroll position stays.
#[component]
pub fn Later(children: Children) -> impl IntoView {
    if FIRST_PAGE_DONE.with(std::cell::Cell::get) {
        return children();
    }
    let ready = RwSignal::new(false);
    let children = StoredValue::new_local(Some(children));
    set_timeout(
        move || {
            FIRST_PAGE_DONE.with(|done| done.set(true));
            ready.set(true);
        },
        std::time::Duration::ZERO,
    );
    (move || {
        ready
            .get()
            .then(|| {
                children
                    .try_update_value(Option::take)
                    .flatten()
                    .map(|c| c())
            })
            .flatten()
    })
    .into_any()
}

/// An error message, announced to screen readers, with an optional retry.
#[component]
pub fn ErrorNote(
    #[prop(into)] message: String,
    #[prop(optional)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="note note-error" role="alert">
            <p>{message}</p>
            {retry.map(|r| view! { <button type="button" class="button" on:click=move |_| r.run(())>{t!(en: "Try again", fr: "Réessayer")}</button> })}
        </div>
    }
}

/// A button that copies `text` to the clipboard and says so.
#[component]
pub fn CopyButton(#[prop(into)] text: String, #[prop(into)] label: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
    };
    view! {
        <button type="button" class="button button-small" on:click=on_click aria-label=label.clone()>
            {move || if copied.get() { t!(en: "Copied", fr: "Copié") } else { t!(en: "Copy", fr: "Copier") }}
        </button>
        <span class="visually-hidden" role="status">{move || if copied.get() { t!(en: "Copied to the clipboard", fr: "Copié dans le presse-papiers") } else { "" }}</span>
    }
}
