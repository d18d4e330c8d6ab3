//! One file per page.

pub mod access_profile;
pub mod account;
pub mod announcements;
pub mod case;
pub mod cases;
pub mod code_step;
pub mod home;
pub mod join;
pub mod knowledge;
pub mod new_request;
pub mod not_found;
pub mod password;
pub mod people;
pub mod sent;
pub mod sign_in;
pub mod support;

/// Sets the document title ("… · campusM Support"), so every page names itself.
pub fn set_title(title: &str) {
    leptos::prelude::document().set_title(&tf!(
        en: "{title} · campusM Support",
        fr: "{title} · Support campusM"
    ));
}
