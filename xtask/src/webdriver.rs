//! Just enough WebDriver (W3C, over `curl`) for the benchmark: drive Debian's Chromium through
//! chromedriver to save pages as static twins and to time filtering in the real portal. The test
//! suite uses a full client (fantoccini, in `e2e/`); xtask stays light and only needs `curl`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// The W3C name of an element reference in answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process (killed on drop) and one browser session in it.
pub struct Browser {
    driver: Child,
    base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = call("DELETE", &self.base, None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One WebDriver command; answers the `value` of the reply, or the driver's error message.
fn call(method: &str, url: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut child = Command::new("curl")
        .args(["-sS", "--max-time", "120", "-X", method])
        .args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "@-",
        ])
        .arg(url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("curl: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let text = body.map(Value::to_string).unwrap_or_else(|| "{}".into());
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| format!("curl: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("curl: {e}"))?;
    let reply: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("WebDriver {method} {url}: {e}"))?;
    let value = reply["value"].clone();
    if let Some(err) = value.get("error") {
        return Err(format!(
            "WebDriver {method} {url}: {err}: {}",
            value["message"].as_str().unwrap_or("")
        ));
    }
    Ok(value)
}

impl Browser {
    /// Starts chromedriver on `port` and a headless Chromium session, `width` pixels wide (mobile
    /// emulation below 800).
    pub fn start(port: u16, width: u32) -> Result<Browser, String> {
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("TMPDIR", crate::tools::chromium_tmp())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver: {e}"))?;
        let out = driver.stdout.take().ok_or("chromedriver without stdout")?;
        if !BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains("started successfully"))
        {
            let _ = driver.kill();
            return Err("chromedriver did not start".into());
        }
        let mut chrome = json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900"],
        });
        if width < 800 {
            chrome["mobileEmulation"] = json!({ "deviceMetrics": { "width": width, "height": 740, "pixelRatio": 2.0, "touch": true } });
        }
        let session = call(
            "POST",
            &format!("http://127.0.0.1:{port}/session"),
            Some(&json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": chrome } } })),
        );
        let session = match session {
            Ok(s) => s,
            Err(e) => {
                let _ = driver.kill();
                return Err(e);
            }
        };
        let id = session["sessionId"]
            .as_str()
            .ok_or("WebDriver: no session id")?;
        Ok(Browser {
            driver,
            base: format!("http://127.0.0.1:{port}/session/{id}"),
        })
    }

    /// Opens `url` and waits for the load event.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        call(
            "POST",
            &format!("{}/url", self.base),
            Some(&json!({ "url": url })),
        )
        .map(|_| ())
    }

    /// Runs `script` (a function body) and answers its return value.
    pub fn js(&self, script: &str) -> Result<Value, String> {
        call(
            "POST",
            &format!("{}/execute/sync", self.base),
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script`, which calls `arguments[0]` with its result, and answers that result.
    pub fn js_async(&self, script: &str) -> Result<Value, String> {
        call(
            "POST",
            &format!("{}/execute/async", self.base),
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    /// Waits (up to 15 s) until `condition` (a JavaScript expression) is true.
    pub fn wait_for(&self, condition: &str) -> Result<(), String> {
        let script = format!(
            "const done = arguments[0]; const end = Date.now() + 15000;
             (function poll() {{ if ({condition}) return done(true); if (Date.now() > end) return done(false); setTimeout(poll, 25); }})();"
        );
        match self.js_async(&script)? {
            Value::Bool(true) => Ok(()),
            _ => Err(format!("the page never satisfied {condition}")),
        }
    }

    /// Types `text` into the element `css` finds, as key presses (`\u{E007}` is Enter).
    pub fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let found = call(
            "POST",
            &format!("{}/element", self.base),
            Some(&json!({ "using": "css selector", "value": css })),
        )?;
        let id = found[ELEMENT].as_str().ok_or("WebDriver: no element id")?;
        call(
            "POST",
            &format!("{}/element/{id}/value", self.base),
            Some(&json!({ "text": text })),
        )
        .map(|_| ())
    }
}
