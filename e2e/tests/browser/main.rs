//! Every full-stack browser test, in one test binary: one link instead of one per file, which
//! saves build time and gigabytes of disk. Each module is one area of the portal.

mod accounts;
mod banner;
mod cases;
mod early;
mod faults;
mod home;
mod keyboard;
mod knowledge;
mod language;
mod new_request;
mod notifications;
mod pages;
mod sessions;
mod slice;
mod sso;
mod workspace;
mod xss;
