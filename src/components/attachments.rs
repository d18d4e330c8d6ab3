//! Attachments: choosing or dropping files, checking them before upload (type, size, count — the
//! limits are shown up front), uploading each with its own progress bar, removing; and listing the
//! files of a case for download.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_core::attachment::{self, human_size, Limits};
use portal_core::model::Attachment;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::lang;

/// Where one chosen file is.
#[derive(Debug, Clone, PartialEq)]
pub enum FileState {
    /// Uploading, percent done.
    Uploading(u8),
    /// Uploaded: ready to be sent with the case or update.
    Done(Attachment),
    /// Refused before upload, or the upload failed: what to do.
    Failed(String),
}

/// One chosen file. Its state is a signal of its own, so progress redraws one row, not the list
/// (and keyboard focus on another row's button stays where it is).
#[derive(Debug, Clone)]
pub struct FileItem {
    /// Stable key within the list.
    pub key: u32,
    /// File name as chosen.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Progress.
    pub state: RwSignal<FileState>,
}

impl FileItem {
    /// A file in the given state.
    pub fn new(key: u32, name: String, size: u64, state: FileState) -> Self {
        FileItem {
            key,
            name,
            size,
            state: RwSignal::new(state),
        }
    }

    /// An already uploaded file (restored from a draft).
    pub fn done(key: u32, a: Attachment) -> Self {
        Self::new(key, a.name.clone(), a.size, FileState::Done(a))
    }
}

/// The uploaded files of a list, ready to send (tracks the rows' states).
pub fn uploaded(items: &[FileItem]) -> Vec<Attachment> {
    items
        .iter()
        .filter_map(|i| match i.state.get() {
            FileState::Done(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// How many files are still uploading.
pub fn uploading(items: &[FileItem]) -> usize {
    items
        .iter()
        .filter(|i| {
            i.state
                .with_untracked(|s| matches!(s, FileState::Uploading(_)))
        })
        .count()
}

/// The limits in one sentence, shown before anything is chosen.
pub fn limits_hint(limits: Limits) -> String {
    let (files, size) = (limits.max_files, human_size(limits.max_bytes, lang()));
    let types = portal_core::attachment::accepted_types(lang());
    tf!(en: "Screenshots, screen recordings, logs: up to {files} files, {size} each. Accepted: {types}; put anything else into a ZIP.",
        fr: "Captures d’écran, enregistrements d’écran, journaux : jusqu’à {files} fichiers, {size} chacun. Acceptés : {types} ; mettez tout autre fichier dans un ZIP.")
}

/// A file chooser and drop zone with one row per file.
#[component]
pub fn AttachmentPicker(
    /// Element id of the file input.
    id: &'static str,
    /// The chosen files.
    items: RwSignal<Vec<FileItem>>,
    /// Size and count limits (from the configuration).
    #[prop(into)]
    limits: Signal<Limits>,
) -> impl IntoView {
    let next_key =
        StoredValue::new(items.with_untracked(|l| l.iter().map(|i| i.key).max().unwrap_or(0)) + 1);
    let requests = StoredValue::new(Vec::<(u32, web_sys::XmlHttpRequest)>::new());
    let dragging = RwSignal::new(false);

    let add = move |files: web_sys::FileList| {
        for i in 0..files.length() {
            let Some(file) = files.item(i) else { continue };
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let name = file.name();
            let size = file.size().max(0.0) as u64;
            let counted = items.with_untracked(|l| {
                l.iter()
                    .filter(|i| {
                        i.state
                            .with_untracked(|s| !matches!(s, FileState::Failed(_)))
                    })
                    .count()
            });
            let checked =
                attachment::precheck(&name, size, counted, limits.get_untracked(), lang());
            let state = RwSignal::new(match &checked {
                Err(m) => FileState::Failed(m.clone()),
                Ok(()) => FileState::Uploading(0),
            });
            items.update(|l| {
                l.push(FileItem {
                    key,
                    name: name.clone(),
                    size,
                    state,
                })
            });
            if checked.is_err() {
                continue;
            }
            match api::upload(&file, move |pct| {
                state.try_set(FileState::Uploading(pct));
            }) {
                Ok((xhr, done)) => {
                    requests.update_value(|r| r.push((key, xhr)));
                    spawn_local(async move {
                        let result = done.await;
                        requests.update_value(|r| r.retain(|(k, _)| *k != key));
                        // A file removed while uploading is gone: nothing to update.
                        let new_state = match result {
                            Ok(a) => FileState::Done(a),
                            Err(e) if e.is_unauthorized() => FileState::Failed(
                                t!(en: "Your session has ended. Sign in again (what you typed is kept), then attach this file again.",
                                   fr: "Votre session a pris fin. Reconnectez-vous (ce que vous avez saisi est conservé), puis joignez ce fichier de nouveau.").into(),
                            ),
                            Err(e) => {
                                let why = e.message();
                                FileState::Failed(tf!(en: "Not uploaded: {why} Remove it and attach it again.", fr: "Non envoyé : {why} Retirez-le et joignez-le de nouveau."))
                            }
                        };
                        state.try_set(new_state);
                    });
                }
                Err(e) => state.set(FileState::Failed(e.message())),
            }
        }
    };
    let remove = move |key: u32| {
        let item = items.with_untracked(|l| l.iter().find(|i| i.key == key).cloned());
        items.update(|l| l.retain(|i| i.key != key));
        requests.update_value(|r| {
            r.retain(|(k, xhr)| {
                if *k == key {
                    let _ = xhr.abort();
                }
                *k != key
            })
        });
        if let Some(FileState::Done(a)) = item.map(|i| i.state.get_untracked()) {
            // Best effort: an unsent upload left behind is dropped by the API after a day.
            spawn_local(async move {
                let _ = api::delete_upload(&a.id).await;
            });
        }
        crate::components::form::focus(id);
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(files) = input.files() {
            add(files);
        }
        // The same file can be chosen again after removing it.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            add(files);
        }
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field attachments">
            <span class="label-text" id=format!("{id}-label")>{t!(en: "Attachments", fr: "Pièces jointes")}</span>
            <p class="hint" id=hint_id.clone()>{move || limits_hint(limits.get())}</p>
            <div class="dropzone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <input type="file" id=id multiple class="file-input" accept=attachment::accept_attribute()
                    aria-describedby=hint_id on:change=on_change/>
                <label for=id class="button button-small">{t!(en: "Choose files", fr: "Choisir des fichiers")}</label>
                <span class="drop-text">{t!(en: " or drop them here", fr: " ou déposez-les ici")}</span>
            </div>
            <ul class="files" aria-live="polite">
                {move || items.get().into_iter().map(|item| view! { <FileRow item=item on_remove=Callback::new(remove)/> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn FileRow(item: FileItem, on_remove: Callback<u32>) -> impl IntoView {
    let key = item.key;
    let name = item.name.clone();
    let state = item.state;
    let status = move || match state.get() {
        FileState::Uploading(_) => "file file-uploading",
        FileState::Done(_) => "file file-done",
        FileState::Failed(_) => "file file-failed",
    };
    let detail = move || {
        match state.get() {
        FileState::Uploading(p) => view! {
            <progress max="100" value=p.to_string() aria-label=tf!(en: "Uploading {name}", fr: "Envoi de {name}")></progress>
            <span class="file-note">{format!("{p} %")}</span>
        }.into_any(),
        FileState::Done(_) => view! { <span class="file-note">{t!(en: "Attached", fr: "Joint")}</span> }.into_any(),
        FileState::Failed(m) => view! { <span class="file-note field-error" role="alert">{m}</span> }.into_any(),
    }
    };
    view! {
        <li class=status>
            <span class="file-name">{item.name.clone()}</span>
            <span class="file-size">{human_size(item.size, lang())}</span>
            {detail}
            <button type="button" class="button button-small" aria-label={ let name = &item.name; tf!(en: "Remove {name}", fr: "Retirer {name}") }
                on:click=move |_| on_remove.run(key)>{t!(en: "Remove", fr: "Retirer")}</button>
        </li>
    }
}

/// The files of a case or update, as download links.
#[component]
pub fn FileList(number: String, files: Vec<Attachment>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="files files-download">
                {files.into_iter().map(|a| view! {
                    <li class="file">
                        <a href=api::attachment_url(&number, &a.id) download=a.name.clone()>{a.name.clone()}</a>
                        <span class="file-size">{human_size(a.size, lang())}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
