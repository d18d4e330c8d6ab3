//! Component tests: portal components mounted in headless Chromium (wasm-bindgen-test).
//! Run with `cargo test -p support-portal --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use chrono::{Duration, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use portal_core::model::Environment;
use portal_core::RequestKind;
use support_portal::components::badges::DueBadge;
use support_portal::components::wizard::LevelWizard;
use support_portal::draft::{self, Draft};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("section").expect("element");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("no element {selector}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

fn text(root: &web_sys::HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

/// Records the wizard's answers in `answers`.
fn record(answers: RwSignal<[Option<bool>; 3]>) -> Callback<(usize, bool)> {
    Callback::new(move |(i, yes): (usize, bool)| answers.update(|a| a[i] = Some(yes)))
}

/// The questions the wizard shows now (the environment's fieldset is not one of them).
fn questions(root: &web_sys::HtmlElement) -> u32 {
    root.query_selector_all("fieldset.question input[id^='impact-'][value='yes']")
        .expect("query")
        .length()
}

#[wasm_bindgen_test]
async fn wizard_asks_in_order_and_decides_at_the_first_yes() {
    let root = container();
    let answers = RwSignal::new([None::<bool>; 3]);
    let kind = RwSignal::new(RequestKind::Defect);
    let env = RwSignal::new(Environment::Production);
    let choose = Callback::new(move |e| env.set(e));
    let _mounted = mount_to(root.clone(), move || {
        view! { <LevelWizard kind=kind environment=env choose=choose answers=answers answer=record(answers)/> }
    });
    tick().await;
    assert_eq!(questions(&root), 1, "only the first question at first");
    assert!(!text(&root).contains("Level"));

    click(&root, "#impact-0-no");
    tick().await;
    assert_eq!(questions(&root), 2);

    click(&root, "#impact-1-yes");
    tick().await;
    assert_eq!(answers.get_untracked(), [Some(false), Some(true), None]);
    let t = text(&root);
    assert!(t.contains("Level II – Component Down"), "{t}");
    assert!(t.contains("2 hours, around the clock"), "{t}");

    // A sandbox is never down: only the third question, and the "module down" answer is ignored.
    click(&root, "#env-sandbox");
    tick().await;
    assert_eq!(env.get_untracked(), Environment::Sandbox);
    assert_eq!(questions(&root), 1);
    assert!(root
        .query_selector("#impact-2-yes")
        .ok()
        .flatten()
        .is_some());
    assert!(!text(&root).contains("Level II"), "{}", text(&root));
    click(&root, "#env-production");
    tick().await;

    // Changing the second answer to "no" asks the third question; "no" again means Level IV.
    click(&root, "#impact-1-no");
    tick().await;
    click(&root, "#impact-2-no");
    tick().await;
    let t = text(&root);
    assert!(t.contains("Level IV"), "{t}");
    assert!(t.contains("2 business days"), "{t}");

    // A question is Level IV without asking about production.
    answers.set([Some(true), None, None]);
    kind.set(RequestKind::Question);
    tick().await;
    assert_eq!(questions(&root), 0);
    let t = text(&root);
    assert!(t.contains("Level IV"), "{t}");
}

#[wasm_bindgen_test]
async fn due_badge_shows_time_left_breach_and_met() {
    let root = container();
    let now = Utc::now();
    let _a = mount_to(root.clone(), move || {
        view! {
            <p id="left"><DueBadge due=now + Duration::minutes(80) + Duration::seconds(30) first_response=None/></p>
            <p id="late"><DueBadge due=now - Duration::hours(3) - Duration::seconds(30) first_response=None/></p>
            <p id="met"><DueBadge due=now first_response=Some(now - Duration::minutes(5))/></p>
            <p id="closed"><DueBadge due=now - Duration::hours(1) first_response=None closed=true/></p>
        }
    });
    tick().await;
    let get = |id: &str| {
        root.query_selector(id)
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(get("#left"), "Due in 1 h 20 min");
    assert_eq!(get("#late"), "Breached by 3 h");
    assert_eq!(get("#met"), "Response target met");
    assert_eq!(get("#closed"), "Closed before a response");
    assert!(root
        .query_selector("#late .due-breached")
        .ok()
        .flatten()
        .is_some());
}

#[wasm_bindgen_test]
fn drafts_are_per_user_and_never_hold_credentials() {
    let a = "draft-test-a@northfield.example";
    let b = "draft-test-b@southbank.example";
    draft::clear_user(a);
    draft::clear_user(b);
    let d = Draft {
        subject: "Timetable empty".into(),
        steps: "Open the app".into(),
        idempotency_key: "k1".into(),
        ..Draft::default()
    };
    draft::save(a, &d);
    assert_eq!(draft::load(a), Some(d.clone()));
    assert_eq!(
        draft::load(&a.to_uppercase()),
        Some(d),
        "e-mail case does not matter"
    );
    assert_eq!(
        draft::load(b),
        None,
        "another user of the browser sees nothing"
    );
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&format!("campusm.draft.v1:{a}")).ok().flatten())
        .unwrap_or_default();
    assert!(
        !stored.contains("password") && !stored.contains("credentials"),
        "{stored}"
    );
    draft::clear_user(a);
    assert_eq!(draft::load(a), None);
    let k1 = draft::new_idempotency_key();
    let k2 = draft::new_idempotency_key();
    assert_ne!(k1, k2);
    assert_eq!(k1.len(), 36, "a UUID");
}

#[wasm_bindgen_test]
async fn text_input_shows_validation_messages_to_eyes_and_screen_readers() {
    use portal_core::validate;
    use support_portal::components::form::TextInput;
    let root = container();
    let value = RwSignal::new(String::new());
    let error = Signal::derive(move || validate::subject(&value.get(), portal_core::Lang::En));
    let _m = mount_to(root.clone(), move || {
        view! { <TextInput id="t-subject" label="Subject" hint="One line." value=value error=error/> }
    });
    tick().await;
    let input = root
        .query_selector("#t-subject")
        .ok()
        .flatten()
        .expect("input");
    let attr = |n: &str| input.get_attribute(n).unwrap_or_default();
    assert!(text(&root).contains("Enter a subject"), "{}", text(&root));
    assert_eq!(attr("aria-invalid"), "true");
    assert_eq!(attr("aria-describedby"), "t-subject-hint t-subject-error");

    value.set("x".repeat(201));
    tick().await;
    assert!(
        text(&root).contains("The subject is 201 characters long; keep it to 200"),
        "{}",
        text(&root)
    );

    value.set("Timetable empty".into());
    tick().await;
    assert!(root.query_selector(".field-error").ok().flatten().is_none());
    assert_eq!(attr("aria-invalid"), "false");
    assert_eq!(attr("aria-describedby"), "t-subject-hint");
}

#[wasm_bindgen_test]
async fn attachment_picker_shows_limits_states_and_removes_rows() {
    use portal_core::attachment::Limits;
    use portal_core::model::Attachment;
    use support_portal::components::attachments::{
        uploaded, AttachmentPicker, FileItem, FileState,
    };
    let root = container();
    let items = RwSignal::new(vec![
        FileItem::done(
            1,
            Attachment {
                id: "up_1".into(),
                name: "screen.png".into(),
                content_type: "image/png".into(),
                size: 1536,
            },
        ),
        FileItem::new(
            2,
            "setup.exe".into(),
            10,
            FileState::Failed("“setup.exe” is a .exe file".into()),
        ),
        FileItem::new(3, "log.txt".into(), 2048, FileState::Uploading(40)),
    ]);
    let limits = Limits {
        max_bytes: 5 * 1024 * 1024,
        max_files: 3,
    };
    let _m = mount_to(root.clone(), move || {
        view! { <AttachmentPicker id="t-files" items=items limits=limits/> }
    });
    tick().await;
    let t = text(&root);
    assert!(t.contains("up to 3 files, 5.0 MB each"), "{t}");
    assert!(
        t.contains("screen.png") && t.contains("1.5 KB") && t.contains("Attached"),
        "{t}"
    );
    assert!(t.contains("is a .exe file"), "{t}");
    let progress = root
        .query_selector("progress")
        .ok()
        .flatten()
        .expect("a progress bar");
    assert_eq!(progress.get_attribute("value").as_deref(), Some("40"));
    assert_eq!(
        progress.get_attribute("aria-label").as_deref(),
        Some("Uploading log.txt")
    );
    assert_eq!(
        items.with_untracked(|i| uploaded(i)).len(),
        1,
        "only finished uploads are sent"
    );

    // Progress redraws the row.
    items.with_untracked(|i| i[2].state.set(FileState::Uploading(90)));
    tick().await;
    assert_eq!(
        root.query_selector("progress")
            .ok()
            .flatten()
            .and_then(|p| p.get_attribute("value"))
            .as_deref(),
        Some("90")
    );

    click(&root, "button[aria-label='Remove setup.exe']");
    tick().await;
    assert!(!text(&root).contains("setup.exe"));
    assert_eq!(items.with_untracked(Vec::len), 2);
}

#[wasm_bindgen_test]
async fn the_request_form_is_one_model_that_never_keeps_credentials() {
    use portal_core::model::Credentials;
    use portal_core::Level;
    use support_portal::routes::new_request::form::RequestForm;
    let saved = Draft {
        kind: Some(RequestKind::Defect),
        answers: [Some(false), Some(true), None],
        subject: "Timetable empty".into(),
        ..Draft::default()
    };
    let secrets = Credentials {
        username: "tester".into(),
        password: "s3cret".into(),
    };
    let form = RequestForm::from_draft(saved, secrets);
    // A restored draft gets its Idempotency-Key, kept from then on.
    let key = form.draft.with_untracked(|d| d.idempotency_key.clone());
    assert_eq!(key.len(), 36);
    // One field, read and written through the model.
    let description = form.text(|d| &d.description, |d| &mut d.description);
    description.set.set("Since the rollover".into());
    tick().await;
    assert_eq!(description.get_untracked(), "Since the rollover");
    let kept = form.to_draft();
    assert_eq!(kept.description, "Since the rollover");
    assert!(kept.saved_at.is_some());
    assert!(
        !serde_json::to_string(&kept)
            .unwrap_or_default()
            .contains("s3cret"),
        "credentials never reach the draft"
    );
    let case = form.to_case(false, false).expect("kind and level chosen");
    assert_eq!((case.kind, case.level), (RequestKind::Defect, Level::II));
    assert_eq!(case.subject, "Timetable empty");
    assert_eq!(
        case.credentials.map(|c| c.password).as_deref(),
        Some("s3cret")
    );
    // Clearing empties everything, credentials included, under a new key.
    form.clear();
    tick().await;
    assert_eq!(form.draft.with_untracked(|d| d.subject.clone()), "");
    assert_eq!(description.get_untracked(), "");
    assert!(form.secrets.with_untracked(|c| c.password.is_empty()));
    assert_ne!(
        form.draft.with_untracked(|d| d.idempotency_key.clone()),
        key
    );
    assert!(
        form.to_case(false, false).is_none(),
        "no kind chosen any more"
    );
}

#[wasm_bindgen_test]
async fn components_speak_the_chosen_language() {
    use portal_core::Lang;
    use support_portal::i18n;
    i18n::apply(Lang::Fr, false);
    let root = container();
    let answers = RwSignal::new([Some(false), Some(true), None]);
    let due = Utc::now() + Duration::minutes(80);
    let mounted = mount_to(root.clone(), move || {
        view! {
            <LevelWizard kind=RequestKind::Defect environment=Environment::Production choose=Callback::new(|_| ())
                answers=answers answer=record(answers)/>
            <DueBadge due=due first_response=None/>
        }
    });
    tick().await;
    let shown = text(&root);
    let lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"));
    drop(mounted);
    i18n::apply(Lang::En, false);
    assert_eq!(lang.as_deref(), Some("fr"));
    for part in [
        "Un module de production est-il inutilisable",
        "Niveau II – Composant indisponible",
        "Délai de première réponse : 2 heures, 24 h/24.",
        "Réponse attendue dans 1 h",
        "Oui",
        "Où cela se produit-il ?",
    ] {
        assert!(shown.contains(part), "{part:?} not in {shown:?}");
    }
    assert!(!shown.contains("Level"), "{shown}");
}
