//! The new-request form as one model: everything typed lives in one [`Draft`] signal (which is
//! what the browser keeps), beside the files being uploaded and the credentials (which are never
//! kept). Adding a field is one field of `Draft` (and its line in `Draft::to_case` when the case
//! carries it), plus its input in the view: saving, restoring, sending and clearing follow.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use portal_core::model::{Credentials, NewCase};

use crate::components::attachments::{uploaded, FileItem};
use crate::components::form::Field;
use crate::draft::{self, Draft};

/// The form's state.
#[derive(Clone, Copy)]
pub struct RequestForm {
    /// Everything typed that is kept (per user, in the browser).
    pub draft: RwSignal<Draft>,
    /// Attachments, with uploads still in flight.
    pub files: RwSignal<Vec<FileItem>>,
    /// App credentials: in memory only, never in the draft.
    pub secrets: RwSignal<Credentials>,
    /// When the draft was last kept.
    pub saved_at: RwSignal<Option<DateTime<Utc>>>,
}

impl RequestForm {
    /// The form holding a saved draft (a fresh Idempotency-Key when it has none) and the
    /// credentials kept in memory across pages.
    pub fn from_draft(mut d: Draft, secrets: Credentials) -> RequestForm {
        if d.idempotency_key.is_empty() {
            d.idempotency_key = draft::new_idempotency_key();
        }
        let files = std::mem::take(&mut d.attachments)
            .into_iter()
            .zip(1..)
            .map(|(a, key)| FileItem::done(key, a))
            .collect();
        RequestForm {
            saved_at: RwSignal::new(d.saved_at),
            draft: RwSignal::new(d),
            files: RwSignal::new(files),
            secrets: RwSignal::new(secrets),
        }
    }

    /// What the browser keeps (tracked): the draft with the files already uploaded.
    pub fn to_draft(&self) -> Draft {
        Draft {
            attachments: self.files.with(|f| uploaded(f)),
            saved_at: Some(Utc::now()),
            ..self.draft.get()
        }
    }

    /// The case to send (tracked); `None` until kind and level are chosen. `profile_usable`: the
    /// institution's support access profile holds app credentials.
    pub fn to_case(&self, has_connect_layer: bool, profile_usable: bool) -> Option<NewCase> {
        let ids = self
            .files
            .with(|f| uploaded(f))
            .into_iter()
            .map(|a| a.id)
            .collect();
        self.secrets.with(|c| {
            self.draft
                .with(|d| d.to_case(c, ids, has_connect_layer, profile_usable))
        })
    }

    /// Empties the form for a new request (with a new Idempotency-Key).
    pub fn clear(&self) {
        self.draft.set(Draft {
            idempotency_key: draft::new_idempotency_key(),
            ..Draft::default()
        });
        self.files.set(Vec::new());
        self.secrets.set(Credentials::default());
    }

    /// One text field of the draft.
    pub fn text(
        &self,
        get: fn(&Draft) -> &String,
        get_mut: fn(&mut Draft) -> &mut String,
    ) -> Field {
        Field::of(self.draft, get, get_mut)
    }

    /// One part of the credentials.
    pub fn secret(
        &self,
        get: fn(&Credentials) -> &String,
        get_mut: fn(&mut Credentials) -> &mut String,
    ) -> Field {
        Field::of(self.secrets, get, get_mut)
    }
}

/// `text!(form, subject)`: the draft's `subject` as a [`Field`].
macro_rules! text {
    ($form:expr, $f:ident) => {
        $form.text(|d| &d.$f, |d| &mut d.$f)
    };
}
pub(crate) use text;
