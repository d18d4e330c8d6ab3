//! Pieces every form uses: a text [`Field`] (a value and a way to change it, wherever it is kept),
//! the labelled [`TextInput`], [`Errors`] that show after the first submit, and [`focus`].

use leptos::prelude::*;
use portal_core::model::FieldError;

/// A text value and how to change it: a signal of its own, or one part of a larger form state.
#[derive(Clone, Copy)]
pub struct Field {
    /// The current text (tracked).
    pub value: Signal<String>,
    /// Changes it.
    pub set: SignalSetter<String>,
}

impl Field {
    /// The text kept at `get` of the state `state` (one field of a form model).
    pub fn of<S: Send + Sync + 'static>(
        state: RwSignal<S>,
        get: fn(&S) -> &String,
        get_mut: fn(&mut S) -> &mut String,
    ) -> Field {
        Field {
            value: Memo::new(move |_| state.with(|s| get(s).clone())).into(),
            set: SignalSetter::map(move |v| state.update(|s| *get_mut(s) = v)),
        }
    }

    /// The current text, not tracked.
    pub fn get_untracked(&self) -> String {
        self.value.get_untracked()
    }
}

impl From<RwSignal<String>> for Field {
    fn from(s: RwSignal<String>) -> Self {
        Field {
            value: s.into(),
            set: s.into(),
        }
    }
}

/// Moves keyboard focus to the element with this id (the first field with an error).
pub fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Whether the `<details>` a `toggle` event comes from is now open.
pub fn details_opened(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| e.has_attribute("open"))
}

/// A form's errors, shown from the first attempt to submit on (not while the person is still
/// typing the first time), then kept current as they type.
#[derive(Clone, Copy)]
pub struct Errors {
    /// Whether the person tried to submit.
    pub shown: RwSignal<bool>,
    /// Every error of the current input (tracked).
    pub all: Memo<Vec<FieldError>>,
}

impl Errors {
    /// Errors computed by `check` whenever what it reads changes.
    pub fn new(check: impl Fn() -> Vec<FieldError> + Send + Sync + 'static) -> Errors {
        Errors {
            shown: RwSignal::new(false),
            all: Memo::new(move |_| check()),
        }
    }

    /// The message for `field`, once shown.
    pub fn for_field(&self, field: &'static str) -> Signal<Option<String>> {
        let (shown, all) = (self.shown, self.all);
        Signal::derive(move || {
            if !shown.get() {
                return None;
            }
            all.with(|e| {
                e.iter()
                    .find(|x| x.field == field)
                    .map(|x| x.message.clone())
            })
        })
    }

    /// Marks a submit attempt; answers the first error's field, if any (to focus it).
    pub fn submit(&self) -> Option<String> {
        self.shown.set(true);
        self.all
            .with_untracked(|e| e.first().map(|x| x.field.clone()))
    }

    /// Back to not shown (the form was cleared).
    pub fn reset(&self) {
        self.shown.set(false);
    }
}

/// A labelled input (one line, or several with `multiline`) with hint and error, wired for screen
/// readers: the hint and the error are its description, and it says when it is invalid.
#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    label: &'static str,
    #[prop(into)] hint: String,
    #[prop(into)] value: Field,
    error: Signal<Option<String>>,
    #[prop(optional)] multiline: bool,
    /// Marks the field as required before anyone tries to submit.
    #[prop(optional)]
    required: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "on")] autocomplete: &'static str,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let has_hint = !hint.is_empty();
    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(h.clone());
            }
            if error.with(Option::is_some) {
                ids.push(e.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(|e| e.is_some().to_string());
    let Field { value, set } = value;
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then(|| view! { " "<span class="required">{t!(en: "(required)", fr: "(obligatoire)")}</span> })}</label>
            {has_hint.then(|| view! { <p class="hint" id=hint_id.clone()>{hint.clone()}</p> })}
            {if multiline {
                view! { <textarea id=id.clone() rows="4" prop:value=value on:input:target=move |ev| set.set(ev.target().value()) aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described></textarea> }.into_any()
            } else {
                view! { <input id=id.clone() type=kind prop:value=value on:input:target=move |ev| set.set(ev.target().value()) autocomplete=autocomplete aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described/> }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}
