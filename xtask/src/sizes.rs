//! Sizes of the built portal: precompressed variants for the server, a raw / gzip / brotli
//! report, and each page's first load against its budget (`size-budget.json`), which
//! `cargo xtask test` enforces.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Files whose compressed variants the server sends.
const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

fn dist_files(dist: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("reading {}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && !matches!(p.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Brotli (quality 11, the way the files are served) of some bytes.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Gzip (level 9) of some bytes.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())
}

/// Writes `.br` and `.gz` next to every compressible file in dist.
pub fn precompress(dist: &Path) -> Result<(), String> {
    for f in dist_files(dist)? {
        if !COMPRESSIBLE.contains(&f.extension().and_then(|e| e.to_str()).unwrap_or("")) {
            continue;
        }
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        for (ext, data) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut name = f.clone().into_os_string();
            name.push(format!(".{ext}"));
            std::fs::write(&name, data).map_err(|e| format!("writing {name:?}: {e}"))?;
        }
    }
    Ok(())
}

/// One file's sizes.
pub struct FileSize {
    /// File name.
    pub name: String,
    /// Raw bytes.
    pub raw: usize,
    /// Gzip bytes.
    pub gzip: usize,
    /// Brotli bytes.
    pub brotli: usize,
}

/// Sizes of every file in dist.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>, String> {
    dist_files(dist)?
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            Ok(FileSize {
                name: f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                raw: bytes.len(),
                gzip: gzip(&bytes)?.len(),
                brotli: brotli(&bytes)?.len(),
            })
        })
        .collect()
}

/// The pages whose first load is measured and budgeted: one per route (a case for `/cases/{n}`).
pub const PAGES: [&str; 11] = [
    "/",
    "/sign-in",
    "/support",
    "/knowledge",
    "/account",
    "/cases",
    "/cases/CS-000001",
    "/new",
    "/announcements",
    "/access-profile",
    "/sent",
];

/// What each page's first load downloads, brotli: every file of dist but the page parts (and
/// `parts.json`, which only the server reads), plus the parts the page needs.
pub fn first_loads(sizes: &[FileSize], parts: &crate::split::Parts) -> Vec<(&'static str, usize)> {
    let in_parts: std::collections::BTreeSet<&str> =
        parts.parts.values().flatten().map(String::as_str).collect();
    let brotli_of = |name: &str| {
        sizes
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.brotli)
    };
    let base: usize = sizes
        .iter()
        .filter(|s| !in_parts.contains(s.name.as_str()) && s.name != "parts.json")
        .map(|s| s.brotli)
        .sum();
    PAGES
        .iter()
        .map(|page| {
            let part: usize = portal_core::routes::part_for(page)
                .and_then(|p| parts.parts.get(p))
                .map_or(0, |files| files.iter().map(|f| brotli_of(f)).sum());
            (*page, base + part)
        })
        .collect()
}

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

/// Prints the size table and each page's first load, and checks them against
/// `size-budget.json` (a budget per page, and one for all files together).
pub fn report_and_check(root: &Path) -> Result<(), String> {
    let dist = root.join("dist");
    let sizes = measure(&dist)?;
    let parts = crate::split::read_parts(&dist)?;
    println!(
        "{:<48} {:>12} {:>12} {:>12}",
        "file", "raw", "gzip", "brotli"
    );
    for s in &sizes {
        println!(
            "{:<48} {:>12} {:>12} {:>12}",
            s.name,
            kib(s.raw),
            kib(s.gzip),
            kib(s.brotli)
        );
    }
    let total: usize = sizes.iter().map(|s| s.brotli).sum();
    let budget_text = std::fs::read_to_string(root.join("size-budget.json"))
        .map_err(|e| format!("reading size-budget.json: {e}"))?;
    let budget: serde_json::Value =
        serde_json::from_str(&budget_text).map_err(|e| format!("size-budget.json: {e}"))?;
    let mut over = Vec::new();
    for (part, files) in &parts.parts {
        println!(
            "part {part}: {} (loaded by {})",
            files.join(", "),
            parts.loader
        );
    }
    println!(
        "\n{:<24} {:>12} {:>12}",
        "first load of", "brotli", "budget"
    );
    for (page, bytes) in first_loads(&sizes, &parts) {
        let limit = budget["pages"][page]
            .as_u64()
            .ok_or_else(|| format!("size-budget.json has no budget for page {page}"))?;
        println!("{page:<24} {:>12} {:>12}", kib(bytes), kib(limit as usize));
        if bytes as u64 > limit {
            over.push(format!("{page}: {bytes} bytes, budget {limit}"));
        }
    }
    let limit = budget["all_files_brotli_bytes"]
        .as_u64()
        .ok_or("size-budget.json lacks all_files_brotli_bytes")?;
    println!(
        "{:<24} {:>12} {:>12}",
        "all files",
        kib(total),
        kib(limit as usize)
    );
    if total as u64 > limit {
        over.push(format!("all files: {total} bytes, budget {limit}"));
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over the size budget: {}", over.join("; ")))
    }
}
