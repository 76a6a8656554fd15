#!/usr/bin/env bash
# `bash scripts/run.sh demo` (or `npm run demo`): the multi-region example (the root
# Pulumi.yaml) end to end by the real pulumi on the local OpenStack: Kna1's S3 on Ceph RGW,
# Sto2's on Swift s3api. Every pulumi command is shown as typed, followed by what it printed.
# State goes to a file backend in $S3_ACCESS_DEMO_DIR (default /tmp/s3-access-demo), the
# client files to a home directory there.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${S3_ACCESS_DEMO_DIR:-/tmp/s3-access-demo}
stack_dir=${STACK_DIR:-/tmp/openstack-stack}
cd "$root"

bash scripts/pulumi/install.sh
bash scripts/stack/start.sh >/dev/null
rm -rf "$work"
mkdir -p "$work/state" "$work/home"
chmod 700 "$work/home"
export PULUMI_BACKEND_URL="file://$work/state" PULUMI_CONFIG_PASSPHRASE=demo
. scripts/pulumi/env.sh
# The runner's own OpenStack settings would decide which user logs in: the stack config does.
unset $(compgen -e | grep -E '^(OS_|S3_ACCESS_)') 2>/dev/null || true

say() { printf '\n[demo] %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
setting() { node -e 'const s = require(process.argv[1]); console.log(process.argv[2].split(".").reduce((o, k) => o[k], s))' "$stack_dir/stack.json" "$1"; }

say "pulumi $(pulumi version) (built from Go modules by scripts/pulumi/install.sh), state in $work/state"
run pulumi stack init demo
trap 'say "cleaning up: pulumi destroy"; pulumi destroy --yes --skip-preview >/dev/null 2>&1 || true; pulumi stack rm --yes --force demo >/dev/null 2>&1 || true' ERR
# The README's keys; the password as a secret, typed at the prompt (here: on stdin).
run pulumi config set openstack:authUrl "$(setting auth_url)"
run pulumi config set openstack:userName alice
run pulumi config set openstack:userDomainName testdom
printf '$ pulumi config set --secret openstack:password   (typed at the prompt)\n'
setting users.alice.password | pulumi config set --secret openstack:password
run pulumi config set openstack:tenantName proj-a
run pulumi config set openstack:projectDomainName testdom
run pulumi config set --path 's3access:regions[0]' Kna1
run pulumi config set --path 's3access:regions[1]' Sto2
run pulumi config set s3access:preset none

say "pulumi up: one EC2 credential per region and the client configs as secret outputs"
run pulumi up --yes
run pulumi stack output endpoints

say "the configs into a home directory of the demo's own, as users do with npx --no-install s3-access-write"
printf '$ pulumi stack output --json --show-secrets | s3-access-write --home %s\n' "$work/home"
pulumi stack output --json --show-secrets | node dist/components/write/cli.js --home "$work/home"

printf 'hello from pulumi-openstack-s3-access, %s\n' "$(date -u +%FT%TZ)" >"$work/hello.txt"
for region in kna1 sto2; do
  bucket="demo-$region-$$"
  say "s3cmd with ~/.s3cfg-$region: make a bucket, put, list, remove"
  cfg="$work/home/.s3cfg-$region"
  run s3cmd -c "$cfg" mb "s3://$bucket"
  run s3cmd -c "$cfg" put --quiet "$work/hello.txt" "s3://$bucket/hello.txt"
  run s3cmd -c "$cfg" ls "s3://$bucket"
  run s3cmd -c "$cfg" rb --recursive --force "s3://$bucket"
done

say "pulumi refresh: Keystone still has both keys as created"
run pulumi refresh --yes
say "pulumi destroy: the keys are deleted in Keystone (Kna1's RGW may honour them up to ~300 s more, Sto2's Swift not at all)"
run pulumi destroy --yes
trap - ERR
run pulumi stack rm --yes demo
say "done; the client files written for you to inspect are under $work/home (their keys are deleted now)"
