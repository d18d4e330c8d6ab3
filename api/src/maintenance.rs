//! Work the API does by itself: sealing secrets stored before they were sealed, and erasing the
//! secrets of cases closed longer than the retention period (hourly, and at start-up).

use portal_core::model::EntryKind;
use portal_core::secrets::SecretKind;

use crate::db::cases::Event;
use crate::db::secrets::Owner;
use crate::db::{self};
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// How often the erasure runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Seals the plaintext secrets an older version stored (app credentials in `case_secrets`,
/// Connect Layer access in `cases`) and removes the plaintext, in one transaction. Answers how
/// many it sealed.
pub async fn seal_legacy(state: &AppState) -> ApiResult<usize> {
    let key = state.secrets.clone();
    let now = state.now();
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let found = db::secrets::legacy(&tx)?;
            for (case_id, kind, plain, opener) in &found {
                let owner = Owner::Case(*case_id);
                let sealed = key
                    .seal(plain.as_bytes(), &owner.seal_as(*kind))
                    .map_err(ApiError::Internal)?;
                db::secrets::put(&tx, owner, *kind, &sealed, *opener, now)?;
            }
            db::secrets::forget_legacy(&tx)?;
            tx.commit()?;
            Ok(found.len())
        })
        .await
}

/// Erases the secrets of every case closed more than the retention period ago, each with a
/// timeline entry the customer sees. Answers how many cases.
pub async fn erase_expired(state: &AppState) -> ApiResult<usize> {
    let now = state.now();
    let days = state.secrets_retention_days;
    state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let portal = db::accounts::system(&tx)?;
            let due = db::secrets::cases_due_for_erasure(&tx, now, days)?;
            let body = days.to_string();
            for case_id in &due {
                let kinds: Vec<SecretKind> = db::secrets::erase(&tx, Owner::Case(*case_id), now)?;
                let event = Event {
                    secrets: &kinds,
                    ..Event::new(EntryKind::SecretsErased, &body)
                };
                db::cases::record(&tx, *case_id, &portal, &event, now)?;
            }
            tx.commit()?;
            Ok(due.len())
        })
        .await
}

/// Runs [`erase_expired`] now and every [`EVERY`] (in `portal-api`'s runtime).
pub fn start(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match erase_expired(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cases = n, "secrets erased after closing"),
                Err(e) => tracing::warn!("erasing expired secrets: {e:?}"),
            }
        }
    });
}
