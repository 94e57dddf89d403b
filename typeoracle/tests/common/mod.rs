//! Shared by the oracle's tests: the corpus of valid programs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub mod mutants;

/// Every corpus program that compiles with no diagnostic, as (name, text),
/// sorted by name: `compiler/test_data/{run,tests,parse/ok}` and `examples`.
pub fn valid_programs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["compiler/test_data/run", "compiler/test_data/tests", "compiler/test_data/parse/ok", "examples"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "sno") {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                if synoema_compiler::compile(&text).diagnostics.is_empty() {
                    out.push((format!("{dir}/{}", path.file_name().unwrap_or_default().to_string_lossy()), text));
                }
            }
        }
    }
    out.sort();
    out
}

/// Selects a shard of the corpus from the `ORACLE_SHARD=i/n` variable
/// (all of it by default), so a slow debug run can be split.
pub fn shard<T>(items: Vec<T>) -> Vec<T> {
    let Ok(spec) = std::env::var("ORACLE_SHARD") else { return items };
    let mut parts = spec.split('/').filter_map(|p| p.parse::<usize>().ok());
    let (Some(i), Some(n)) = (parts.next(), parts.next()) else { return items };
    items.into_iter().enumerate().filter(|(k, _)| n > 0 && k % n == i).map(|(_, x)| x).collect()
}
