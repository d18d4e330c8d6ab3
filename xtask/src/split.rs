//! Cutting the portal's wasm into parts after `trunk build` (trunk has no split step).
//!
//! The portal marks split points with `#[wasm_split(part)]` (`src/pages.rs`); the linked wasm
//! keeps its relocations (`-Clink-args=--emit-relocs`, `.cargo/config.toml`). Here, in the order
//! cargo-leptos uses:
//! 1. `wasm-split-cli` cuts the raw wasm into the main module, one file per part and one per set
//!    of parts sharing code, and writes the loader (`__wasm_split.js`) that fetches them;
//! 2. `wasm-bindgen --keep-lld-exports` makes the main module's JS (the parts share its table,
//!    memory and globals);
//! 3. `wasm-opt -Oz` on every wasm file (trunk's own wasm-opt is off: `data-wasm-opt="0"`);
//! 4. every file gets a content hash in its name (served as immutable), index.html loads the new
//!    main module (integrity recomputed) and preloads the loader, and `parts.json` tells the API
//!    which files each part needs, so a deep link's part downloads alongside the main module.
//!
//! The parts found must be exactly `portal_core::routes::PARTS`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Child;

use sha2::{Digest, Sha256, Sha384};

use crate::{run, ToolEnv};

/// The crate name trunk builds (`data-bin` in index.html).
const BIN: &str = "support-portal";

/// What the split produced: the part → files map written to `dist/parts.json`.
pub struct Parts {
    /// The loader script's file name.
    pub loader: String,
    /// Each part's files (its own and the shared ones it needs), in dist.
    pub parts: BTreeMap<String, Vec<String>>,
}

/// Reads `dist/parts.json` (written by [`split_dist`]).
pub fn read_parts(dist: &Path) -> Result<Parts, String> {
    let path = dist.join("parts.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let loader = json["loader"]
        .as_str()
        .ok_or("parts.json: no loader")?
        .to_string();
    let mut parts = BTreeMap::new();
    for (name, files) in json["parts"].as_object().ok_or("parts.json: no parts")? {
        let files = files
            .as_array()
            .ok_or("parts.json: a part is not a list")?
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        parts.insert(name.clone(), files);
    }
    Ok(Parts { loader, parts })
}

/// Splits the wasm trunk built and puts the parts into `dist`.
pub fn split_dist(root: &Path, env: &ToolEnv) -> Result<Parts, String> {
    let raw = root
        .join("target")
        .join("wasm32-unknown-unknown")
        .join("release")
        .join(format!("{BIN}.wasm"));
    let work = root.join("target").join("split");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("clearing {}: {e}", work.display()))?;
    }
    let (bg, opt) = (work.join("bg"), work.join("opt"));
    for d in [&bg, &opt] {
        std::fs::create_dir_all(d).map_err(|e| format!("creating {}: {e}", d.display()))?;
    }
    run(
        env.cmd("wasm-split-cli", root)
            .arg(&raw)
            .arg(&work)
            .args(["--out-name", BIN]),
        "wasm-split-cli",
    )?;
    run(
        env.cmd("wasm-bindgen", root)
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-demangle",
                "--out-name",
                BIN,
                "--out-dir",
            ])
            .arg(&bg)
            .arg(work.join(format!("{BIN}.wasm"))),
        "wasm-bindgen (split main module)",
    )?;
    // 3. wasm-opt every file, as many at once as there are cores.
    let mut jobs: Vec<(std::path::PathBuf, std::path::PathBuf)> = vec![(
        bg.join(format!("{BIN}_bg.wasm")),
        opt.join(format!("{BIN}_bg.wasm")),
    )];
    for name in file_names(&work, ".wasm")? {
        if name != format!("{BIN}.wasm") {
            jobs.push((work.join(&name), opt.join(&name)));
        }
    }
    let width = std::thread::available_parallelism().map_or(2, |n| n.get());
    for batch in jobs.chunks(width) {
        let children: Vec<(String, Child)> = batch
            .iter()
            .map(|(input, output)| {
                env.cmd("wasm-opt", root)
                    .args(["-Oz", "--quiet"])
                    .arg(input)
                    .arg("-o")
                    .arg(output)
                    .spawn()
                    .map(|c| (input.display().to_string(), c))
                    .map_err(|e| format!("wasm-opt: cannot start: {e}"))
            })
            .collect::<Result<_, _>>()?;
        for (what, mut child) in children {
            let status = child.wait().map_err(|e| format!("wasm-opt {what}: {e}"))?;
            if !status.success() {
                return Err(format!("wasm-opt {what} failed ({status})"));
            }
        }
    }
    // 4. Names with content hashes, and the references to them.
    let loader_js = read_text(&work.join("__wasm_split.js"))?;
    let layout = parse_loader(&loader_js)?;
    let found: Vec<&str> = layout.parts.keys().map(String::as_str).collect();
    let mut expected = portal_core::routes::PARTS.to_vec();
    expected.sort_unstable();
    if found != expected {
        return Err(format!(
            "the wasm's parts {found:?} are not portal_core::routes::PARTS {expected:?}: \
             rename the #[wasm_split] parts in src/pages.rs or the list in core/src/routes.rs"
        ));
    }
    let dist = root.join("dist");
    let mut renamed = BTreeMap::new();
    let mut loader_js = loader_js;
    for stem in layout.files() {
        let bytes = read_bytes(&opt.join(format!("{stem}.wasm")))?;
        let name = format!("{stem}-{}.wasm", short_hash(&bytes));
        loader_js = loader_js.replace(&format!("\"./{stem}.wasm\""), &format!("\"/{name}\""));
        write(&dist.join(&name), &bytes)?;
        renamed.insert(stem.to_string(), name);
    }
    let main_wasm = read_bytes(&opt.join(format!("{BIN}_bg.wasm")))?;
    let main_js = read_text(&bg.join(format!("{BIN}.js")))?;
    let build = short_hash(
        &[
            main_wasm.as_slice(),
            main_js.as_bytes(),
            loader_js.as_bytes(),
        ]
        .concat(),
    );
    let (js_name, wasm_name, loader_name) = (
        format!("{BIN}-{build}.js"),
        format!("{BIN}-{build}_bg.wasm"),
        format!("__wasm_split-{build}.js"),
    );
    let main_js = main_js
        // The import statements only: the wasm's import module keeps its name (an object key).
        .replace(
            "from \"./__wasm_split.js\"",
            &format!("from \"./{loader_name}\""),
        )
        .replace(&format!("'{BIN}_bg.wasm'"), &format!("'{wasm_name}'"));
    let loader_js = loader_js.replace(&format!("\"./{BIN}.js\""), &format!("\"./{js_name}\""));
    // Replace trunk's unsplit main module.
    let index_path = dist.join("index.html");
    let mut index = read_text(&index_path)?;
    let old = trunk_hash(&index).ok_or("index.html does not load trunk's main module")?;
    for f in file_names(&dist, "")? {
        if f.starts_with(&format!("{BIN}-{old}")) {
            std::fs::remove_file(dist.join(&f)).map_err(|e| format!("removing {f}: {e}"))?;
        }
    }
    write(&dist.join(&js_name), main_js.as_bytes())?;
    write(&dist.join(&wasm_name), &main_wasm)?;
    write(&dist.join(&loader_name), loader_js.as_bytes())?;
    index = index
        .replace(&format!("/{BIN}-{old}_bg.wasm"), &format!("/{wasm_name}"))
        .replace(&format!("/{BIN}-{old}.js"), &format!("/{js_name}"));
    index = with_integrity(&index, &js_name, main_js.as_bytes());
    index = with_integrity(&index, &wasm_name, &main_wasm);
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"/{loader_name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
        integrity(loader_js.as_bytes())
    );
    index = index.replacen("</head>", &format!("{preload}</head>"), 1);
    write(&index_path, index.as_bytes())?;
    let parts: BTreeMap<String, Vec<String>> = layout
        .parts
        .iter()
        .map(|(part, stems)| {
            let files = stems
                .iter()
                .filter_map(|s| renamed.get(s).cloned())
                .collect();
            (part.clone(), files)
        })
        .collect();
    let json = serde_json::json!({"loader": loader_name, "parts": parts});
    write(
        &dist.join("parts.json"),
        serde_json::to_string_pretty(&json)
            .map_err(|e| e.to_string())?
            .as_bytes(),
    )?;
    Ok(Parts {
        loader: loader_name,
        parts,
    })
}

/// The loader's structure: each part's files (stems, own file last).
struct Layout {
    parts: BTreeMap<String, Vec<String>>,
}

impl Layout {
    fn files(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.parts.values().flatten().map(String::as_str).collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Reads the loader wasm-split-cli wrote: `const __chunk_N = makeLoad(…"./chunk_N.wasm"…)` for
/// shared files, `export const __wasm_split_load_PART = wrapAsyncCb(makeLoad(…"./split_PART.wasm"…,
/// [__chunk_A, …]))` for parts (a part with no code of its own fetches nothing itself).
fn parse_loader(js: &str) -> Result<Layout, String> {
    const PART: &str = "export const __wasm_split_load_";
    let mut parts = BTreeMap::new();
    let mut rest = js;
    while let Some(at) = rest.find(PART) {
        rest = &rest[at + PART.len()..];
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .ok_or("loader: a part's name does not end")?;
        let name = &rest[..name_end];
        let end = rest
            .find("]));")
            .ok_or_else(|| format!("loader: part {name} has no dependency list"))?;
        let body = &rest[..end];
        let deps_at = body
            .rfind('[')
            .ok_or_else(|| format!("loader: part {name} has no dependency list"))?;
        let mut files: Vec<String> = body[deps_at + 1..]
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                d.strip_prefix("__chunk_")
                    .map(|n| format!("chunk_{n}"))
                    .ok_or_else(|| format!("loader: part {name} needs {d}, not a chunk"))
            })
            .collect::<Result<_, _>>()?;
        if let Some(own) = between(body, "new URL(\"./", ".wasm\"") {
            files.push(own.to_string());
        }
        parts.insert(name.to_string(), files);
        rest = &rest[end..];
    }
    if parts.is_empty() {
        return Err("loader: no parts (did the build keep its relocations?)".into());
    }
    Ok(Layout { parts })
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let to = s[from..].find(end)? + from;
    Some(&s[from..to])
}

/// The hash trunk gave the main module (`/support-portal-<hash>.js` in index.html).
fn trunk_hash(index: &str) -> Option<String> {
    let js = between(index, &format!("/{BIN}-"), ".js")?;
    js.chars()
        .all(|c| c.is_ascii_hexdigit())
        .then(|| js.to_string())
}

/// 16 hex digits of SHA-256: the form the API recognises as a hashed (immutable) name.
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Subresource integrity (`sha384-…`) of some bytes.
fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// index.html with the `integrity` of the `<link>` to `/name` set for `bytes`.
fn with_integrity(index: &str, name: &str, bytes: &[u8]) -> String {
    let href = format!("href=\"/{name}\"");
    let Some(at) = index.find(&href) else {
        return index.to_string();
    };
    let tag_end = index[at..].find('>').map_or(index.len(), |e| at + e);
    let tag = &index[at..tag_end];
    let Some(i) = tag.find("integrity=\"") else {
        return index.to_string();
    };
    let value_start = at + i + "integrity=\"".len();
    let value_end = index[value_start..]
        .find('"')
        .map_or(index.len(), |e| value_start + e);
    format!(
        "{}{}{}",
        &index[..value_start],
        integrity(bytes),
        &index[value_end..]
    )
}

fn file_names(dir: &Path, suffix: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(suffix))
        .collect();
    names.sort();
    Ok(names)
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = r#"import { initSync } from "./support-portal.js";
const __chunk_5 = makeLoad(() => {
    const src = fetch(new URL("./chunk_5.wasm", import.meta.url));
}
, []);
export const __wasm_split_load_page_new = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_page_new.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_5]));
export const __wasm_split_load_page_admin = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), []));
"#;

    #[test]
    fn reads_each_parts_files() {
        let layout = parse_loader(LOADER).expect("parses");
        assert_eq!(
            layout.parts["page_new"],
            vec!["chunk_5".to_string(), "split_page_new".to_string()]
        );
        assert!(layout.parts["page_admin"].is_empty());
        assert_eq!(layout.files(), vec!["chunk_5", "split_page_new"]);
    }

    #[test]
    fn a_loader_without_parts_is_an_error() {
        assert!(parse_loader("import x from './y.js';").is_err());
    }

    #[test]
    fn integrity_is_replaced_in_its_own_link_only() {
        let html = r#"<link rel="modulepreload" href="/a.js" integrity="sha384-old"><link href="/b.css" integrity="sha384-keep">"#;
        let out = with_integrity(html, "a.js", b"x");
        assert!(
            out.contains(&integrity(b"x")) && out.contains("sha384-keep"),
            "{out}"
        );
    }
}
