#!/usr/bin/env bash
# Runs the kubeplay playground in the browser: installs what is missing
# (the wasm32 target, trunk, wasm-bindgen-cli, the npm packages for the editor
# and wasm-opt), then builds the web app and serves it with `trunk serve`.
# It opens on the guide's Deployment lesson (chapter 3), the default scenario.
#   PORT=8080 ADDRESS=127.0.0.1 ./scripts/run.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is required (https://rustup.rs)" >&2
  exit 1
fi
. scripts/web-tools.sh
web_tools_build
port=${PORT:-8080}
address=${ADDRESS:-127.0.0.1}
say "serving kubeplay at http://$address:$port/ (Ctrl+C stops)"
RUSTFLAGS="$(web_build_rustflags)" exec trunk serve --address "$address" --port "$port" --open=false "$@"
