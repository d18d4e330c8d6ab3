//! A faulty proxy in front of the API: the browser always talks to it, and a test tells it which
//! request to break and how (the failures a real network, load balancer or overloaded server
//! produce). Without injected faults it forwards everything unchanged.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// One way to break a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A 500 with an HTML body (the proxy's own error page), without reaching the API.
    ServerError,
    /// A 503 with `Retry-After: N` seconds, without reaching the API.
    Unavailable(u32),
    /// The API does the work, but the answer only comes after the browser gave up.
    Timeout,
    /// The API does the work; the answer's JSON is cut in half.
    MalformedJson,
    /// The API does the work; then the connection is closed without an answer.
    ResetAfterCommit,
    /// The connection is closed without reaching the API (like being offline).
    Offline,
    /// The request reaches the API this many milliseconds late (a slow network: shows the
    /// loading and sending states).
    Delay(u64),
}

struct Rule {
    method: String,
    path: String,
    fault: Fault,
    times: u32,
}

/// The faults a test wants injected; shared with the proxy.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Vec<Rule>>>);

impl Faults {
    /// Breaks the next `times` requests with `method` whose path (without the query) is `path`.
    pub fn inject(&self, method: &str, path: &str, fault: Fault, times: u32) {
        if let Ok(mut rules) = self.0.lock() {
            rules.push(Rule {
                method: method.to_string(),
                path: path.to_string(),
                fault,
                times,
            });
        }
    }

    /// Removes every fault not yet used.
    pub fn clear(&self) {
        if let Ok(mut rules) = self.0.lock() {
            rules.clear();
        }
    }

    fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut rules = self.0.lock().ok()?;
        let i = rules
            .iter()
            .position(|r| r.method == method && r.path == path && r.times > 0)?;
        rules[i].times -= 1;
        let fault = rules[i].fault;
        if rules[i].times == 0 {
            rules.remove(i);
        }
        Some(fault)
    }
}

/// How long a [`Fault::Timeout`] answer is held back (longer than the portal waits).
pub const HOLD: Duration = Duration::from_secs(30);

type Body = BoxBody<Bytes, hyper::Error>;
type Error = Box<dyn std::error::Error + Send + Sync>;

fn full(status: u16, headers: &[(&str, String)], body: &'static str) -> Response<Body> {
    let mut res = Response::builder().status(status);
    for (k, v) in headers {
        res = res.header(*k, v);
    }
    res.body(
        Full::new(Bytes::from_static(body.as_bytes()))
            .map_err(|never: Infallible| match never {})
            .boxed(),
    )
    .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).map_err(|n| match n {}).boxed()))
}

async fn handle(
    req: Request<Incoming>,
    upstream: SocketAddr,
    faults: Faults,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Incoming>,
) -> Result<Response<Body>, Error> {
    let fault = faults.take(req.method().as_str(), req.uri().path());
    match fault {
        Some(Fault::ServerError) => {
            return Ok(full(
                500,
                &[("content-type", "text/html".into())],
                "<html><body><h1>500 Internal Server Error</h1></body></html>",
            ))
        }
        Some(Fault::Unavailable(s)) => {
            return Ok(full(
                503,
                &[
                    ("content-type", "text/html".into()),
                    ("retry-after", s.to_string()),
                ],
                "<html><body><h1>503 Service Unavailable</h1></body></html>",
            ))
        }
        Some(Fault::Offline) => return Err("offline".into()),
        Some(Fault::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        _ => {}
    }
    let (mut parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    parts.uri = format!("http://{upstream}{path}").parse()?;
    let res = client.request(Request::from_parts(parts, body)).await?;
    match fault {
        Some(Fault::ResetAfterCommit) => {
            let _ = res.into_body().collect().await;
            Err("connection reset after the server committed".into())
        }
        Some(Fault::MalformedJson) => {
            let (mut parts, body) = res.into_parts();
            let bytes = body.collect().await?.to_bytes();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove("content-length");
            parts.headers.remove("etag");
            Ok(Response::from_parts(
                parts,
                Full::new(cut).map_err(|n| match n {}).boxed(),
            ))
        }
        Some(Fault::Timeout) => {
            tokio::time::sleep(HOLD).await;
            Ok(res.map(|b| b.boxed()))
        }
        _ => Ok(res.map(|b| b.boxed())),
    }
}

/// Starts the proxy in front of `upstream`; answers its address.
pub async fn start(upstream: SocketAddr, faults: Faults) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("proxy listens");
    let addr = listener.local_addr().expect("proxy address");
    let client = Client::builder(TokioExecutor::new()).build_http::<Incoming>();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let faults = faults.clone();
            let client = client.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    handle(req, upstream, faults.clone(), client.clone())
                });
                // An error from the service (an injected fault) closes the connection unanswered.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}
