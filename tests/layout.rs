//! The repository's build files, as `trunk serve` reads them on a fresh
//! checkout.

use std::path::PathBuf;

/// The repository's root (the parent of this crate).
fn repo() -> PathBuf {
    crate::root().join("..")
}

/// The quoted strings of the `[watch]` table of `Trunk.toml`.
fn watch_paths(toml: &str) -> Vec<String> {
    let mut in_watch = false;
    let mut out = Vec::new();
    for line in toml.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') && !line.starts_with("[\"") {
            in_watch = line == "[watch]";
            continue;
        }
        if !in_watch {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let Some(len) = rest[start + 1..].find('"') else {
                break;
            };
            out.push(rest[start + 1..start + 1 + len].to_string());
            rest = &rest[start + 2 + len..];
        }
    }
    out
}

/// `trunk serve` refuses to start if a path it is told to watch or ignore
/// does not exist, so each must be part of the checkout, not a build output.
#[test]
fn trunk_serve_watches_only_paths_of_a_fresh_checkout() {
    let toml = std::fs::read_to_string(repo().join("Trunk.toml")).expect("Trunk.toml");
    let paths = watch_paths(&toml);
    assert!(
        paths.iter().any(|p| p == "web/src"),
        "the app's sources are watched: {paths:?}"
    );
    for p in &paths {
        let first = p.split('/').next().unwrap_or("");
        assert!(
            !["target", "dist", "node_modules"].contains(&first) && !p.contains("node_modules"),
            "{p} is a build output, absent from a fresh checkout"
        );
        assert!(
            repo().join(p).exists(),
            "Trunk.toml watches {p}, which does not exist"
        );
    }
}

#[test]
fn the_watch_paths_are_read_from_the_watch_table_only() {
    let toml = "[build]\ndist = \"dist\"\n[watch]\nwatch = [\"a\", \"b/c\"] # \"d\"\nignore = [\"e\"]\n[tools]\nx = \"1\"\n";
    assert_eq!(watch_paths(toml), ["a", "b/c", "e"]);
}
