#!/usr/bin/env bash
# Builds the Pulumi CLI v3.276.0 and the language hosts (Node.js, Python and Go: ours; YAML:
# pulumi-yaml's, with the Link it lacks) into .tools/pulumi/bin/ from the Go modules pinned in
# this folder (go.mod/go.sum, and yaml/ for pulumi-yaml, which pins an older pkg/v3), with the
# ordinary go client: no release binary is downloaded. Skips everything when the last build
# was of the same sources.
#   bash scripts/pulumi/install.sh        then: . scripts/pulumi/env.sh; pulumi version
# A cold build takes ~10 min of CPU (about 6 min on an idle 2-core machine): docs/pulumi-cli.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/.tools/pulumi/bin"
version=v3.276.0
yaml_version=v1.25.0

cd "$here"
sources=$(cat install.sh $(find . -type f \( -name 'go.mod' -o -name 'go.sum' -o -name '*.go' -o -name '*.py' \) | sort) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$bin/.built-from" 2>/dev/null)" = "$sources" ] && [ -x "$bin/pulumi" ]; then
  exit 0
fi

start=$(date +%s)
say() { printf '[pulumi/install.sh %s +%ss] %s\n' "$(date +%T)" "$(($(date +%s) - start))" "$*" >&2; }
command -v go >/dev/null || { echo "install.sh: no go on PATH; Go >= 1.26 is needed to build the Pulumi CLI" >&2; exit 1; }

say "downloading modules ($(go version | cut -d' ' -f3); GOMODCACHE $(go env GOMODCACHE))"
go mod download
(cd yaml && go mod download)
say "compiling pulumi $version, the language hosts and pulumi-language-yaml $yaml_version into .tools/pulumi/bin (CGO_ENABLED=0)"
mkdir -p "$bin"
export CGO_ENABLED=0
log="$root/.tools/pulumi/build.log"
# -v names each package as it is compiled: the log's length shows that a long build moves.
# Two builds, one after the other: each uses both cores.
(
  go build -v -trimpath -o "$bin/" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version -X pulumi-openstack-s3-access/scripts/pulumi/langhost.Version=${version#v}" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./pulumi-language-nodejs ./pulumi-language-python ./pulumi-language-go
  cd yaml && go build -v -trimpath -o "$bin/pulumi-language-yaml" \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version" .
) >"$log" 2>&1 &
build=$!
while kill -0 "$build" 2>/dev/null; do
  sleep 10
  say "$(wc -l <"$log") packages compiled"
done
if ! wait "$build"; then
  tail -n 30 "$log" >&2
  say "the build failed; the whole log is $log"
  exit 1
fi

# The Python host runs the SDK's entry point, which sdk/v3 ships as a script beside its sources.
install -m 0755 "$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/python/cmd/pulumi-language-python-exec" "$bin/"

# The dynamic-provider plugin is the small script @pulumi/pulumi ships: it runs the program's
# own @pulumi/pulumi/cmd/dynamic-provider, so one link serves every project.
ln -sf "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

"$bin/pulumi" version >/dev/null
echo "$sources" > "$bin/.built-from"
say "done: $("$bin/pulumi" version) in $bin"
