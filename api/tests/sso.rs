//! Single sign-on against a real OpenID Provider (npm's `oidc-provider`, run by Node on loopback:
//! `e2e/oidc/provider.mjs`): the start sends the browser there with PKCE, a nonce and a state
//! bound to the browser; callbacks that do not check out sign nobody in and say why. The whole
//! round trip through the provider's pages is the e2e test `sso`.

use axum::http::{header, Method, StatusCode};
use portal_api::db::Db;
use portal_api::{app, demo, sso, AppState};

mod common;
use common::*;

struct Idp {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_idp() -> Idp {
    let module = std::env::var("PORTAL_OIDC_PROVIDER")
        .expect("PORTAL_OIDC_PROVIDER: the oidc-provider module (cargo xtask test installs it)");
    let port = free_port();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../e2e/oidc/provider.mjs");
    let child = std::process::Command::new("node")
        .arg(script)
        .args([
            &port.to_string(),
            "campusm-support",
            "test-secret",
            "http://127.0.0.1:8080/api/v1/sso/callback",
        ])
        .env("OIDC_PROVIDER_MODULE", module)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the provider did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let dir = std::env::temp_dir().join(format!("portal-sso-test-{port}"));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("secret"), "test-secret").expect("secret");
    Idp { child, port, dir }
}

fn providers(issuer_port: u16, dir: &std::path::Path) -> sso::Providers {
    let config = format!(
        r#"{{"providers": [{{"id": "northfield", "institution": "Northfield University",
        "label": "Northfield University account", "issuer": "http://127.0.0.1:{issuer_port}",
        "client_id": "campusm-support", "client_secret_file": "secret"}}]}}"#
    );
    sso::Providers::parse(&config, dir).expect("config")
}

async fn app_with(p: sso::Providers) -> axum::Router {
    let state = AppState::new(Db::for_tests().expect("db"), None)
        .expect("state")
        .with_sso(p);
    assert!(demo::seed(&state).await.expect("seed"));
    app(state)
}

fn location(r: &Reply) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.body);
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The binding cookie the start set (name=value).
fn binding(r: &Reply) -> String {
    let c = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a binding cookie")
        .to_string();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    c.split(';').next().unwrap_or_default().to_string()
}

fn param(url: &str, name: &str) -> String {
    url.split(['?', '&'])
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_start_goes_to_the_provider_with_pkce_and_callbacks_that_do_not_check_out_sign_nobody_in(
) {
    let idp = start_idp();
    let app = app_with(providers(idp.port, &idp.dir)).await;
    let r = send(&app, Method::GET, "/api/v1/sso", None, None).await;
    assert_eq!(r.body[0]["id"], "northfield");
    assert_eq!(r.body[0]["label"], "Northfield University account");

    let start = || {
        send(
            &app,
            Method::GET,
            "/api/v1/sso/northfield/start?next=%2Fcases",
            None,
            None,
        )
    };
    let r = start().await;
    let to = location(&r);
    assert!(
        to.starts_with(&format!("http://127.0.0.1:{}/auth?", idp.port)),
        "{to}"
    );
    for p in [
        "code_challenge",
        "nonce",
        "state",
        "client_id",
        "redirect_uri",
    ] {
        assert!(!param(&to, p).is_empty(), "{p} in {to}");
    }
    assert_eq!(param(&to, "code_challenge_method"), "S256");
    assert!(param(&to, "scope").contains("email"), "{to}");
    let (state, bind) = (param(&to, "state"), binding(&r));
    let callback = |query: String, cookie: Option<String>| {
        let app = app.clone();
        async move {
            send(
                &app,
                Method::GET,
                &format!("/api/v1/sso/callback?{query}"),
                cookie.as_deref(),
                None,
            )
            .await
        }
    };
    // Another browser (no binding cookie): nobody is signed in, and the state is spent.
    let r = callback(format!("code=abc&state={state}"), None).await;
    assert_eq!(location(&r), "/sign-in?sso-error=expired");
    let r = callback(format!("code=abc&state={state}"), Some(bind.clone())).await;
    assert_eq!(location(&r), "/sign-in?sso-error=expired");
    // The person cancelled at the provider.
    let r = start().await;
    let (state, bind) = (param(&location(&r), "state"), binding(&r));
    let r = callback(format!("error=access_denied&state={state}"), Some(bind)).await;
    assert_eq!(location(&r), "/sign-in?sso-error=refused");
    // A code the provider never issued: its token endpoint refuses; nobody is signed in.
    let r = start().await;
    let (state, bind) = (param(&location(&r), "state"), binding(&r));
    let r = callback(format!("code=forged&state={state}"), Some(bind)).await;
    assert_eq!(location(&r), "/sign-in?sso-error=unavailable");
    assert!(r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .all(|c| !c.to_str().unwrap_or("").contains("portal_session=")));
    // An unknown provider.
    let r = send(&app, Method::GET, "/api/v1/sso/southbank/start", None, None).await;
    assert_problem(&r, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_sends_back_to_sign_in_with_a_reason() {
    let dir = std::env::temp_dir().join(format!("portal-sso-down-{}", free_port()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("secret"), "s").expect("secret");
    let app = app_with(providers(free_port(), &dir)).await;
    let r = send(
        &app,
        Method::GET,
        "/api/v1/sso/northfield/start",
        None,
        None,
    )
    .await;
    assert_eq!(location(&r), "/sign-in?sso-error=unavailable");
    let _ = std::fs::remove_dir_all(dir);
}
