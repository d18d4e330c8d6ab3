//! Sizes of the built portal: precompressed variants for the server, a raw / gzip / brotli
//! report, and the first-load budget (`size-budget.json`), which `cargo xtask test` enforces.

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

/// Sizes of every file in dist (each is part of the first load: the portal is one page).
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

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

/// Prints the size table and checks the first-load brotli total against `size-budget.json`.
pub fn report_and_check(root: &Path) -> Result<(), String> {
    let sizes = measure(&root.join("dist"))?;
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
    let raw: usize = sizes.iter().map(|s| s.raw).sum();
    println!(
        "{:<48} {:>12} {:>12} {:>12}",
        "first load (all files)",
        kib(raw),
        "",
        kib(total)
    );
    let budget_text = std::fs::read_to_string(root.join("size-budget.json"))
        .map_err(|e| format!("reading size-budget.json: {e}"))?;
    let budget: serde_json::Value =
        serde_json::from_str(&budget_text).map_err(|e| format!("size-budget.json: {e}"))?;
    let limit = budget["first_load_brotli_bytes"]
        .as_u64()
        .ok_or("size-budget.json lacks first_load_brotli_bytes")?;
    println!(
        "budget: {} brotli ({} bytes); used {total} bytes",
        kib(limit as usize),
        limit
    );
    if total as u64 > limit {
        return Err(format!(
            "first load is {total} bytes brotli, over the budget of {limit} bytes"
        ));
    }
    Ok(())
}
