#!/usr/bin/env bash
# Runs the kubeplay playground with the default scenario: builds the
# `kubeplay` binary (installing nothing else it needs) and plays the guide's
# Deployment chapter on the simulated cluster, then prints how to script your own.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is required (https://rustup.rs)" >&2
  exit 1
fi
cargo build --release --locked -p kubeplay-cli
./target/release/kubeplay run scenarios/default.kp
echo
./target/release/kubeplay help
echo
echo "Try it yourself: ./target/release/kubeplay shell"
