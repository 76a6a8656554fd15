#!/usr/bin/env bash
# =============================================================================
# rgw-stop.sh - stop what rgw.sh started (radosgw, ceph-osd, ceph-mon, in that
#               order: the OSD reports to the mon on its way down and writes its
#               memstore RAM to disk, so objects survive a restart), by the PIDs
#               it saved. Then, unless RGW_KEEP_CATALOG=1, points region Kna1
#               back at Swift s3api (:8080, still running), so the stack stays
#               usable without RGW.
#
# Usage:  rgw-stop.sh [--purge]     --purge also deletes $CEPH_DIR
# Also run by stop.sh (everything) and stop.sh rgw.
# =============================================================================
set -euo pipefail
STACK_DIR=${STACK_DIR:-/tmp/openstack-stack}
CEPH_DIR=${CEPH_DIR:-$STACK_DIR/ceph}
RGW_REGION=${RGW_REGION:-Kna1}
SWIFT_S3_URL=http://127.0.0.1:8080   # start.sh's S3_PORT1
RUN="$CEPH_DIR/run"
say() { echo "[rgw-stop.sh] $*" >&2; }

alive() {
  local pf=$1 pat=$2 pid
  [ -s "$pf" ] || return 1
  pid=$(cat "$pf"); [ -d "/proc/$pid" ] || return 1
  grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$pat"
}
stop() {  # name pattern seconds
  local pf="$RUN/$1.pid" pid
  alive "$pf" "$2" || { rm -f "$pf"; return 0; }
  pid=$(cat "$pf"); say "$1: TERM $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $(($3 * 10))); do alive "$pf" "$2" || break; sleep 0.1; done
  if alive "$pf" "$2"; then say "$1: KILL $pid"; kill -KILL "$pid" 2>/dev/null || true; return 1; fi
  rm -f "$pf"
}

# radosgw can ignore TERM for minutes when its OSD is gone: 10 s, then KILL
stop rgw radosgw 10 || true
rm -f "$RUN/rgw.pid.conf-md5"
# a KILLed memstore OSD has not written its data: leave .running so that
# rgw.sh rebuilds instead of loading a stale copy
stop osd ceph-osd 60 && rm -f "$CEPH_DIR/osd/ceph-0/.running"
stop mon ceph-mon 30 || true

if [ "${RGW_KEEP_CATALOG:-0}" != 1 ] && [ -r "$STACK_DIR/admin-openrc.sh" ] && curl -s -m 3 -o /dev/null http://127.0.0.1:5000/v3; then
  os() { bash -c '. "$0"; shift; exec openstack "$@"' "$STACK_DIR/admin-openrc.sh" x "$@"; }
  read -r EP_ID EP_URL < <(os endpoint list --service s3 --interface public --region "$RGW_REGION" -f value -c ID -c URL) || true
  if [ -n "${EP_ID:-}" ] && [ "$EP_URL" != "$SWIFT_S3_URL" ]; then
    say "catalog: s3 $RGW_REGION -> $SWIFT_S3_URL (Swift s3api)"
    os endpoint set --url "$SWIFT_S3_URL" "$EP_ID"
  fi
  /usr/bin/python3 - "$STACK_DIR/stack.json" "$RGW_REGION" "$SWIFT_S3_URL" <<'PYEOF'
import json, os, sys
path, region, url = sys.argv[1:4]
with open(path) as f:
    info = json.load(f)
if info['regions'][region] != {'s3_endpoint': url}:
    info['regions'][region] = {'s3_endpoint': url}
    with open(os.open(path + '.rgw', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
        json.dump(info, f, indent=2)
    os.replace(path + '.rgw', path)
PYEOF
fi

if [ "${1:-}" = "--purge" ]; then
  case "$CEPH_DIR" in ""|"/"|"/tmp"|"/root"|"/home"|"/var"|"/etc"|"/usr") say "refusing to purge '$CEPH_DIR'"; exit 1 ;; esac
  say "purging $CEPH_DIR"
  rm -rf -- "$CEPH_DIR"
fi
say "done"
