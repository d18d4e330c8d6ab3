//! Serving the built portal (`dist/`) and the security headers on everything served.
//!
//! - Paths with a file extension are files from dist (brotli / gzip variants when the client takes
//!   them); every other path gets index.html, so deep links such as `/cases/CS-000042` work.
//! - The Content-Security-Policy allows scripts only from this origin plus the exact inline loader
//!   trunk writes into index.html, by hash computed at start-up (never stale).
//! - Hashed file names are cached as immutable; index.html is revalidated every time.
//! - A page that is a part of the wasm of its own (`portal_core::routes::part_for`) gets
//!   index.html with `<link rel="preload">` for that part's files (from `parts.json`, which the
//!   build writes), so they download alongside the main module instead of after it.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::{problem_response, ApiError, ApiResult};
use crate::AppState;
use portal_core::{tr, trf};

/// The built portal, loaded once at start-up.
#[derive(Debug)]
pub struct WebAssets {
    /// The dist directory.
    pub dir: PathBuf,
    /// index.html's bytes.
    pub index: Vec<u8>,
    /// index.html for the pages of each part, its files preloaded.
    pub part_index: std::collections::HashMap<String, Vec<u8>>,
    /// The Content-Security-Policy for this build.
    pub csp: String,
}

/// The SHA-256 hashes (CSP source form) of every inline `<script>` in an HTML document.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_and_more = &after[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

/// The Content-Security-Policy for a page with these inline script hashes.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script_src.extend(script_hashes.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        script_src.join(" ")
    )
}

impl WebAssets {
    /// Loads index.html from `dir` and derives the CSP.
    pub fn load(dir: PathBuf) -> ApiResult<WebAssets> {
        let index = std::fs::read(dir.join("index.html")).map_err(|e| {
            ApiError::Internal(format!(
                "cannot read {}: {e} (build the portal first: cargo xtask serve)",
                dir.join("index.html").display()
            ))
        })?;
        let csp = content_security_policy(&inline_script_hashes(&String::from_utf8_lossy(&index)));
        let part_index = match std::fs::read(dir.join("parts.json")) {
            Ok(json) => with_part_preloads(&String::from_utf8_lossy(&index), &json)?,
            // A build without parts (all in one module): nothing to preload.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
            Err(e) => return Err(ApiError::Internal(format!("cannot read parts.json: {e}"))),
        };
        Ok(WebAssets {
            dir,
            index,
            part_index,
            csp,
        })
    }

    /// index.html for a page at `path` (without its part's preloads).
    fn html_for(&self, path: &str) -> &[u8] {
        portal_core::routes::part_for(path)
            .and_then(|part| self.part_index.get(part))
            .unwrap_or(&self.index)
    }

    /// index.html for a page at `path` with `query`: its part's files preloaded, and the API
    /// requests it makes first written into `<meta name="early-requests">`, for index.html's
    /// script to start them before the app has loaded.
    pub fn index_for(&self, path: &str, query: &str) -> Vec<u8> {
        let html = String::from_utf8_lossy(self.html_for(path));
        let first = portal_core::routes::first_requests(path, query);
        let json = serde_json::to_string(&first).unwrap_or_default();
        let filled = format!(r#"{EARLY_META} content="{}">"#, attribute_escape(&json));
        html.replacen(&format!(r#"{EARLY_META} content="">"#), &filled, 1)
            .into_bytes()
    }
}

/// The start of index.html's placeholder for the first requests (`content=""` follows).
const EARLY_META: &str = r#"<meta name="early-requests""#;

/// Text for a double-quoted HTML attribute.
fn attribute_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// index.html once per part (`parts.json`: `{"parts": {"page_new": ["chunk_3-….wasm", …]}}`),
/// each with a preload for every file of its part, the way the loader fetches them (`fetch`,
/// same-origin credentials).
fn with_part_preloads(
    index: &str,
    parts_json: &[u8],
) -> ApiResult<std::collections::HashMap<String, Vec<u8>>> {
    let parts: serde_json::Value = serde_json::from_slice(parts_json)
        .map_err(|e| ApiError::Internal(format!("parts.json: {e}")))?;
    let parts = parts["parts"]
        .as_object()
        .ok_or_else(|| ApiError::Internal("parts.json has no parts".into()))?;
    Ok(parts
        .iter()
        .map(|(part, files)| {
            let links: String = files
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .map(|f| {
                    format!(
                        "<link rel=\"preload\" href=\"/{f}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">"
                    )
                })
                .collect();
            let html = index.replacen("</head>", &format!("{links}</head>"), 1);
            (part.clone(), html.into_bytes())
        })
        .collect())
}

const NO_PORTAL_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Fallback handler: files from dist, index.html for app routes, problem+json for unknown API paths.
pub async fn serve_portal(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let l = crate::lang::current();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::NotFound(trf!(l,
            en: "There is no API endpoint at {path}.",
            fr: "Il n’y a pas de service d’API à l’adresse {path}."))
        .into_response();
    }
    let Some(web) = state.web.clone() else {
        return ApiError::NotFound(
            tr!(l,
            en: "This server runs the API only (no --dist).",
            fr: "Ce serveur ne fait tourner que l’API (pas de --dist).")
            .into(),
        )
        .into_response();
    };
    let last = path.rsplit('/').next().unwrap_or("");
    if !last.contains('.') || last == "index.html" {
        let query = req.uri().query().unwrap_or("");
        let mut res = (StatusCode::OK, web.index_for(&path, query)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return res;
    }
    match ServeDir::new(&web.dir)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(req)
        .await
    {
        Ok(res) if res.status() == StatusCode::NOT_FOUND => problem_response(
            StatusCode::NOT_FOUND,
            trf!(l, en: "There is no file at {path}.", fr: "Il n’y a pas de fichier à l’adresse {path}."),
            vec![],
        ),
        Ok(res) => res.map(Body::new),
        Err(e) => ApiError::Internal(format!("static file: {e}")).into_response(),
    }
}

/// Whether a file name carries trunk's content hash (`name-0123456789abcdef.ext`; trunk prints
/// the 64-bit hash without leading zeros, so 13 to 16 digits).
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 13 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The fixed security headers on every response (tower-http's set-header layers).
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let fixed: [(header::HeaderName, &'static str); 6] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    fixed.into_iter().fold(router, |r, (name, value)| {
        r.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// Middleware: the Content-Security-Policy of this build (a response with its own keeps it: a
/// download's sandbox), HSTS on TLS, and caching rules by path.
pub async fn content_security_policy_and_caching(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    // On TLS (directly, or through a proxy that says so): browsers are told to stay on HTTPS.
    let tls = req.uri().scheme_str() == Some("https")
        || req
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = state.web.as_ref().map_or(NO_PORTAL_CSP, |w| w.csp.as_str());
        if let Ok(v) = HeaderValue::from_str(csp) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        let name = path.rsplit('/').next().unwrap_or("");
        let value = if path.starts_with("/api/") {
            "no-store"
        } else if is_hashed(name) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">import init from '/x.js';</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/x.js';"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let csp = content_security_policy(&hashes);
        assert!(
            csp.contains("'wasm-unsafe-eval'")
                && !csp.contains("unsafe-inline")
                && !csp.contains("'unsafe-eval'")
        );
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("support-portal-5f1c2e6a9b0d4c3e.wasm"));
        assert!(is_hashed("main-0123456789abcdef.css"));
        // A hash whose first hex digit is 0, printed without it.
        assert!(is_hashed("main-6ded6938039636e.css"));
        assert!(!is_hashed("my-page.css"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("index.html"));
    }

    #[test]
    fn a_page_in_a_part_preloads_its_files_and_others_do_not() {
        let dir = std::env::temp_dir().join(format!("portal-web-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join("index.html"),
            r#"<html><head><meta name="early-requests" content=""><title>x</title></head></html>"#,
        )
        .expect("index");
        std::fs::write(
            dir.join("parts.json"),
            r#"{"loader": "__wasm_split-0123456789abcdef.js", "parts": {"page_new": ["chunk_1-0123456789abcdef.wasm", "split_page_new-0123456789abcdef.wasm"]}}"#,
        )
        .expect("parts");
        let web = WebAssets::load(dir.clone()).expect("loads");
        let new = String::from_utf8_lossy(web.html_for("/new")).into_owned();
        assert!(
            new.contains(r#"<link rel="preload" href="/chunk_1-0123456789abcdef.wasm" as="fetch" type="application/wasm" crossorigin="anonymous"><link rel="preload" href="/split_page_new-0123456789abcdef.wasm""#)
                && new.ends_with("</head></html>"),
            "{new}"
        );
        assert_eq!(web.html_for("/support"), web.index.as_slice());
        assert_eq!(
            web.html_for("/cases"),
            web.index.as_slice(),
            "a part missing from parts.json: the plain page"
        );
        // Every page names its first requests, escaped for the attribute.
        let case = String::from_utf8_lossy(&web.index_for("/cases/CS-000042", "")).into_owned();
        assert!(
            case.contains(r#"<meta name="early-requests" content="{&quot;langs&quot;:[&quot;en&quot;,&quot;fr&quot;],&quot;anyone&quot;:[&quot;/api/v1/me&quot;,"#)
                && case.contains("&quot;/api/v1/cases/CS-000042&quot;"),
            "{case}"
        );
        let list = String::from_utf8_lossy(&web.index_for("/cases", "q=a%26b<x>")).into_owned();
        assert!(!list.contains("<x>"), "{list}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
