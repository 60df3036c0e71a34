#!/usr/bin/env bash
# Runs every check and test of kubeplay. Installs what a fresh machine lacks
# (the wasm32 target, rustfmt, clippy, trunk, wasm-bindgen-cli, wasm-pack,
# the npm packages, Debian's chromium and chromedriver); skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# A one-off run gains nothing from incremental caches; they only fill the disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

say() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is required (https://rustup.rs)" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  installed=$(rustup target list --installed 2>/dev/null || true)
  if ! grep -qx wasm32-unknown-unknown <<<"$installed"; then
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  components=$(rustup component list --installed 2>/dev/null || true)
  for c in rustfmt clippy; do
    if ! grep -q "^$c" <<<"$components"; then
      say "installing $c"
      rustup component add "$c"
    fi
  done
fi

. scripts/web-tools.sh
web_tools_test

say "cargo fmt --check"
cargo fmt --all -- --check

say "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "clippy (wasm32: core and console)"
cargo clippy -p kubeplay-core -p kubeplay-kubectl --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

say "clippy (wasm32: web app)"
cargo clippy -p kubeplay-web --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

say "tests"
cargo test --workspace --locked

say "editor bundle and its browser test"
(cd web/editor && npm test --silent)

say "wasm tests in headless Chromium (components, golden parity)"
(cd web && CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome --mode no-install --lib --test app --test parity)
say "benchmarks in wasm in headless Chromium, optimised as the native ones (they print their figures; the scale benchmark at full size)"
# (a panic unwinds in this build: with the release profile's abort, cargo
# would build the app crate once for the test harness and once without,
# and the two copies of its dependencies would not match)
(cd web && CARGO_PROFILE_RELEASE_PANIC=unwind KUBEPLAY_BENCH_FULL=1 WASM_BINDGEN_TEST_TIMEOUT=900 \
    CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --release --headless --chrome --mode no-install --test bench -- --nocapture)

say "release build (trunk)"
RUSTFLAGS="$(web_build_rustflags)" trunk build --release --locked

say "end-to-end tests of the release build in Chromium"
node web/tools/e2e.mjs dist
