//! Who is signed in, shared through context, and the guard for pages that need a session.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use portal_core::model::Me;

use crate::api;

/// The session as the portal knows it.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user, once known.
    pub me: RwSignal<Option<Me>>,
    /// Whether the first `GET /me` has answered.
    pub checked: RwSignal<bool>,
}

impl Auth {
    /// Creates the context and asks the API who is signed in.
    pub fn provide() -> Auth {
        let auth = Auth {
            me: RwSignal::new(None),
            checked: RwSignal::new(false),
        };
        provide_context(auth);
        spawn_local(async move {
            if let Ok(me) = api::me().await {
                auth.me.set(me);
            }
            auth.checked.set(true);
        });
        auth
    }

    /// The context (panics only if [`Auth::provide`] was never called: a programming error).
    pub fn get() -> Auth {
        expect_context::<Auth>()
    }

    /// Handles an API error: an ended session sends the user to sign in (their work stays in the
    /// draft). Returns the message to show.
    pub fn handle(&self, e: &api::ApiError) -> String {
        if e.is_unauthorized() {
            self.me.set(None);
        }
        e.message()
    }

    /// Whether a support agent is signed in (tracked).
    pub fn is_agent(&self) -> bool {
        self.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.user.role == portal_core::Role::Agent)
        })
    }

    /// The signed-in user's role (customers when nobody is; not tracked).
    pub fn role(&self) -> portal_core::Role {
        self.me
            .with_untracked(|m| m.as_ref().map(|m| m.user.role))
            .unwrap_or(portal_core::Role::Customer)
    }

    /// The signed-in user's e-mail, if any.
    pub fn email(&self) -> Option<String> {
        self.me.with(|m| m.as_ref().map(|m| m.user.email.clone()))
    }
}

/// Shows its children only to a signed-in user; sends everyone else to sign in and back.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let auth = Auth::get();
    let signed_in = Memo::new(move |_| auth.me.with(Option::is_some));
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        // Already on the way to sign in (a deliberate sign-out): nothing to come back to.
        if auth.checked.get() && !signed_in.get() && location.pathname.get_untracked() != "/sign-in"
        {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let next = if here == "/" {
                String::new()
            } else {
                format!("?next={}", api::encode(&here))
            };
            navigate(
                &format!("/sign-in{next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || {
        if signed_in.get() {
            children().into_any()
        } else {
            view! { <section class="page"><p class="loading" role="status">{t!(en: "Checking your session…", fr: "Vérification de votre session…")}</p></section> }.into_any()
        }
    }
}
