//! Cross-crate tests: golden transcripts of the guide's scenarios, the real
//! manifests from the Kubernetes documentation, and simulation invariants
//! over many seeds.

use kubeplay_kubectl::{script, Console, Files};
use std::path::{Path, PathBuf};

/// Where the scenario scripts and example manifests live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct DirFiles(PathBuf);

impl Files for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path))
            .map_err(|_| format!("the path \"{path}\" does not exist"))
    }
}

/// Runs a script file from `tests/scenarios` with a seed, as `kubeplay run` does.
pub fn run_scenario(name: &str, seed: u64) -> String {
    let path = root().join("scenarios").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    run_script(&text, seed, path.parent().unwrap_or(Path::new(".")))
}

pub fn run_script(text: &str, seed: u64, dir: &Path) -> String {
    let mut con = Console::new(seed);
    con.files = Some(Box::new(DirFiles(dir.to_path_buf())));
    script::run(&mut con, text)
}

#[cfg(test)]
mod bad_input;
#[cfg(test)]
mod examples;
#[cfg(test)]
mod golden;
#[cfg(test)]
mod invariants;
#[cfg(test)]
mod layout;
#[cfg(test)]
mod yaml_reader;
