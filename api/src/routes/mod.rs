//! Handlers, one file per resource.

pub mod announcements;
pub mod cases;
pub mod handoffs;
pub mod knowledge;
pub mod meta;
pub mod notifications;
pub mod people;
pub mod secrets;
pub mod session;
pub mod sso;
pub mod two_factor;
pub mod uploads;
pub mod workspace;

use axum::extract::FromRequest;

use crate::error::ApiError;

/// `axum::Json`, with rejections rendered as problem+json.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query`, with rejections rendered as problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path`, with rejections rendered as problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

use axum::extract::FromRequestParts;
