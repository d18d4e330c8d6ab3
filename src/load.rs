//! Loading API data into a signal: [`load`] runs a fetch whenever the signals it reads change and
//! keeps the latest answer. Lighter than `LocalResource` (measured: see README "Figures"), and an
//! older answer arriving late never overwrites a newer one.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiResult;

/// The latest answer of a fetch, and a way to run it again.
pub struct Load<T: Send + Sync + 'static> {
    /// `None` until the first answer arrives.
    pub value: RwSignal<Option<ApiResult<T>>>,
    tick: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Clone + Send + Sync + 'static> Load<T> {
    /// The latest answer (tracked).
    pub fn get(&self) -> Option<ApiResult<T>> {
        self.value.get()
    }

    /// The latest successful value, if any (tracked).
    pub fn ok(&self) -> Option<T> {
        self.value
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    }

    /// Fetches again (for "Try again" buttons).
    pub fn refetch(&self) {
        self.tick.update(|t| *t = t.wrapping_add(1));
    }
}

/// A fetch under way, type-erased: one copy of the effect and task code for every `T`.
type Job = std::pin::Pin<Box<dyn Future<Output = ()>>>;
/// Whether a job is still the latest one.
type Latest = Rc<dyn Fn() -> bool>;
/// Starts a job.
type Start = Box<dyn Fn(Latest) -> Job>;

/// Starts a job now and whenever `tick` or a signal `start` reads (synchronously) changes; the
/// job gets a check that says whether it is still the latest.
fn watch(tick: RwSignal<u32>, start: Start) {
    let generation = Rc::new(Cell::new(0u32));
    Effect::new(move |_| {
        tick.track();
        let mine = generation.get().wrapping_add(1);
        generation.set(mine);
        let g = generation.clone();
        spawn_local(start(Rc::new(move || g.get() == mine)));
    });
}

/// Runs `fetch` now and whenever a signal it reads (synchronously) changes.
pub fn load<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> Load<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let value = RwSignal::new(None);
    let tick = RwSignal::new(0u32);
    watch(
        tick,
        Box::new(move |latest| {
            let fut = fetch();
            Box::pin(async move {
                let answer = fut.await;
                // An older answer arriving late never overwrites a newer one.
                if latest() {
                    value.set(Some(answer));
                }
            })
        }),
    );
    Load { value, tick }
}
