# Installs what the web app's build and tests need, skipping what is there.
# Sourced by run.sh and test.sh. Nothing is downloaded from GitHub: Rust
# tools come from crates.io, wasm-opt and the editor's packages from npm,
# Chromium from Debian.
#   web_tools_build   wasm32 target, trunk, wasm-bindgen-cli, npm packages
#   web_tools_test    the above, plus wasm-pack, chromium, chromedriver

TRUNK_VERSION=0.21.14

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# wasm-bindgen in Cargo.lock: the CLI must be the same version.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_target() {
  if command -v rustup >/dev/null 2>&1 &&
    ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    say "installing Node.js and npm (Debian)"
    apt_install nodejs npm
  fi
}

# npm packages of a folder, installed from its lock file once.
ensure_npm() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    say "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules"
  fi
}

web_tools_build() {
  ensure_wasm_target
  local want
  want=$(wasm_bindgen_version)
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (crates.io; about 10 minutes)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (the version in Cargo.lock)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
  ensure_node
  ensure_npm web/tools
  ensure_npm web/editor
  # trunk finds wasm-opt (binaryen 132) here
  PATH="$PWD/web/tools/node_modules/.bin:$PATH"
  export PATH
}

# RUSTFLAGS for the app's build: the wasm names source files in its panic
# messages, and these name them from their source trees (library/...,
# crates/<crate>-<version>/...) rather than from where this machine keeps
# them, so that the bundle does not carry this machine's home directory and
# is the same wherever it is built.
web_build_rustflags() {
  local flags="${RUSTFLAGS:-}" sysroot dir
  sysroot=$(rustc --print sysroot)
  flags="$flags --remap-path-prefix=$sysroot/lib/rustlib/src/rust/library=library"
  for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    [ -d "$dir" ] && flags="$flags --remap-path-prefix=${dir%/}=crates"
  done
  printf '%s' "${flags# }"
}

web_tools_test() {
  web_tools_build
  if ! command -v wasm-pack >/dev/null 2>&1; then
    say "installing wasm-pack (crates.io)"
    cargo install wasm-pack
  fi
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver (Debian)"
    apt_install chromium chromium-driver
  fi
  # Chinese text in the lessons' screenshots
  if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    say "installing CJK fonts (Debian)"
    apt_install fonts-noto-cjk
  fi
}
