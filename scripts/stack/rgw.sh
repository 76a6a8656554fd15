#!/usr/bin/env bash
# =============================================================================
# rgw.sh - region Kna1's S3 on Ceph RADOS Gateway, common on OpenStack public
#          clouds, validating Keystone EC2 credentials against the local
#          Keystone of start.sh. Sto2 stays on Swift s3api: the tests see
#          both gateways.
#
#   ceph-mon  a   127.0.0.1:3300 (v2) / 6789 (v1), auth none (loopback only)
#   ceph-osd  0   memstore (objects in RAM, written back on a clean stop)
#   radosgw       http://127.0.0.1:7480, https://127.0.0.1:7443 (own test CA)
#   no ceph-mgr   RGW does not need it (64 more packages)
#
# Then points Kna1 at RGW: Keystone's catalog (service s3, public, region Kna1)
# and $STACK_DIR/stack.json. start.sh keeps Kna1 there while RGW answers, and
# points it at Swift when RGW is down (a fresh machine, stop.sh rgw): so run this
# after start.sh (scripts/run.sh and the jest global setup do).
#
# Idempotent: installs only missing packages, keeps the cluster, starts only
# what is not running, changes the catalog only when it differs.
# Stop with stop.sh (everything) or stop.sh rgw (only this).
#
#   $CEPH_DIR/tls/ca.pem       the CA to trust for https://127.0.0.1:7443
#   $CEPH_DIR/run/*.pid        what rgw-stop.sh stops
#   $CEPH_DIR/log/             client.rgw.a.log, mon.a.log, osd.0.log
#
# Env: STACK_DIR=/tmp/openstack-stack  CEPH_DIR=$STACK_DIR/ceph
#      RGW_PORT=7480 RGW_TLS_PORT=7443 RGW_REGION=Kna1
#      RGW_CATALOG=1   0 = start RGW but leave Kna1 on Swift
#      RGW_DEBUG=1     "debug rgw" level; 20 logs every auth decision
# Adapted from a working recipe; its pitfalls are kept as comments where the
# setting that avoids them is made.
# =============================================================================
set -euo pipefail

STACK_DIR=${STACK_DIR:-/tmp/openstack-stack}
CEPH_DIR=${CEPH_DIR:-$STACK_DIR/ceph}
RGW_PORT=${RGW_PORT:-7480}
RGW_TLS_PORT=${RGW_TLS_PORT:-7443}
RGW_REGION=${RGW_REGION:-Kna1}
RGW_CATALOG=${RGW_CATALOG:-1}
RGW_DEBUG=${RGW_DEBUG:-1}
MON_PORT_V2=3300; MON_PORT_V1=6789
KEYSTONE_URL=http://127.0.0.1:5000
# RGW's own Keystone user (find-or-create; roles via idempotent PUT)
RGW_KS_USER=rgw; RGW_KS_PASSWORD=rgw-secret; RGW_KS_PROJECT=service
OSD_BYTES=4294967296

PY=/usr/bin/python3          # Debian's python (pyenv's may be first on PATH)
unset CEPH_ARGS              # radosgw-admin rejects flags it does not know
CONF="$CEPH_DIR/ceph.conf"
RUN="$CEPH_DIR/run"; LOG="$CEPH_DIR/log"; TLS="$CEPH_DIR/tls"
MON_DIR="$CEPH_DIR/mon/ceph-a"; OSD_DIR="$CEPH_DIR/osd/ceph-0"
RGW_NAME=client.rgw.a
S3_URL="http://127.0.0.1:$RGW_PORT"
S3_TLS_URL="https://127.0.0.1:$RGW_TLS_PORT"

T0=$(cut -d' ' -f1 /proc/uptime)   # monotonic
say() { printf '[rgw.sh %5ss] %s\n' "$(awk -v t0="$T0" '{printf "%.1f", $1 - t0}' /proc/uptime)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get)"
[ -s "$STACK_DIR/stack.json" ] && [ -r "$STACK_DIR/admin-openrc.sh" ] || die "no local Keystone stack in $STACK_DIR: run scripts/stack/start.sh first"

# -----------------------------------------------------------------------------
# 1. Packages (~55 s on a fresh machine: 53 packages incl. boost and lvm2)
# -----------------------------------------------------------------------------
# shellcheck source=packages.sh
. "$(dirname "$0")/packages.sh"
install_missing ceph-mon ceph-osd radosgw ceph-common || die "apt-get install of the ceph packages failed"

# -----------------------------------------------------------------------------
# helpers
# -----------------------------------------------------------------------------
alive() {  # pidfile pattern: alive, not a zombie, and still the program we started
  local pf=$1 pat=$2 pid
  [ -s "$pf" ] || return 1
  pid=$(cat "$pf"); [ -d "/proc/$pid" ] || return 1
  grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$pat"
}
launch() {  # pidfile logfile cmd...: detached; the pidfile gets the program's own PID
  local pf=$1 lf=$2; shift 2
  rm -f "$pf"
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pf" "$@" >>"$lf" 2>&1 < /dev/null &
  for _ in $(seq 50); do [ -s "$pf" ] && return 0; sleep 0.1; done
  die "could not start $*"
}
stop_pid() {  # pidfile pattern seconds: TERM, wait, KILL
  local pf=$1 pat=$2 secs=$3 pid
  alive "$pf" "$pat" || { rm -f "$pf"; return 0; }
  pid=$(cat "$pf"); say "stopping $pat (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((secs * 10))); do alive "$pf" "$pat" || break; sleep 0.1; done
  alive "$pf" "$pat" && { kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; }
  rm -f "$pf"
}
need_port() {
  for _ in $(seq 25); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 0; sleep 0.2; done
  die "127.0.0.1:$1 is in use by a process rgw.sh did not start"
}
C() { timeout 60 ceph -c "$CONF" --connect-timeout 15 "$@"; }
RA() { timeout 60 radosgw-admin -c "$CONF" "$@" 2>>"$LOG/radosgw-admin.log"; }

mkdir -p "$CEPH_DIR" "$RUN" "$LOG"

# -----------------------------------------------------------------------------
# 2. Cluster identity. Anything short of a complete cluster, or a memstore OSD
#    that died without writing its RAM back, is wiped and rebuilt: the cluster
#    is throwaway (Keystone is untouched; RGW re-creates its users on use).
# -----------------------------------------------------------------------------
rebuild=""
if [ ! -e "$CEPH_DIR/.cluster-ok" ]; then
  [ -e "$CEPH_DIR/fsid" ] && rebuild="incomplete previous setup"
elif [ -e "$OSD_DIR/.running" ] && ! alive "$RUN/osd.pid" ceph-osd; then
  rebuild="the memstore OSD was not stopped cleanly (its data is lost)"
fi
if [ ! -e "$CEPH_DIR/.cluster-ok" ] || [ -n "$rebuild" ]; then
  if [ -n "$rebuild" ]; then
    say "rebuilding the cluster: $rebuild"
    # radosgw ignores TERM for minutes once its OSD is gone: short waits
    stop_pid "$RUN/rgw.pid" radosgw 2; stop_pid "$RUN/osd.pid" ceph-osd 2; stop_pid "$RUN/mon.pid" ceph-mon 2
  fi
  # The zonegroup marker belongs to the old cluster: kept, it would skip the
  # api_name step and leave CreateBucket refusing LocationConstraint Kna1.
  rm -rf "$CEPH_DIR/mon" "$CEPH_DIR/osd" "$CEPH_DIR/rgw" "$CEPH_DIR/monmap" "$CEPH_DIR/fsid" "$CEPH_DIR/.cluster-ok" \
    "$CEPH_DIR"/.zonegroup-* "$RUN"
  uuidgen > "$CEPH_DIR/fsid"
fi
FSID=$(cat "$CEPH_DIR/fsid")
mkdir -p "$MON_DIR" "$OSD_DIR" "$CEPH_DIR/rgw" "$RUN"

# A CA of its own (not the Keystone one of tls.sh): clients must be shown to
# need exactly this bundle for this endpoint.
if [ ! -s "$TLS/ca.pem" ] || [ ! -s "$TLS/server.pem" ]; then
  mkdir -p "$TLS"; chmod 700 "$TLS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=local RGW test CA" \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
  printf 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n' > "$TLS/server.ext"
  openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial \
    -days 3650 -extfile "$TLS/server.ext" -out "$TLS/server.pem" 2>/dev/null || die "openssl failed"
  chmod 600 "$TLS"/*.key
fi

# -----------------------------------------------------------------------------
# 3. ceph.conf (regenerated every run; a change of the RGW section restarts RGW)
# -----------------------------------------------------------------------------
cat > "$CONF.new" <<EOF
# generated by rgw.sh - throwaway single-node cluster
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# radosgw(-admin) default to ms_mon_client_mode = secure, which auth none cannot
# provide: they would hang 300 s and exit "failed to fetch mon config"
ms mon client mode = crc
client mount timeout = 30
keyring = $CEPH_DIR/keyring
# no "admin socket" in [global]: radosgw-admin would fight the daemon for it
run dir = $RUN
log file = $LOG/\$name.log
mon cluster log file = $LOG/cluster.log
mon data = $CEPH_DIR/mon/\$cluster-\$id
osd data = $CEPH_DIR/osd/\$cluster-\$id
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
# the mon shuts itself down below 5 % free disk by default
mon data avail warn = 2
mon data avail crit = 1
# RGW creates its pools one by one and waits for each map commit: 25 s -> 8 s
paxos propose interval = 0.05

[osd]
osd objectstore = memstore
memstore device bytes = $OSD_BYTES
# memstore writes RAM back to osd data only on a clean umount, which the
# default fast shutdown skips
osd fast shutdown = false

[$RGW_NAME]
rgw data = $CEPH_DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT ssl_endpoint=127.0.0.1:$RGW_TLS_PORT ssl_certificate=$TLS/server.pem ssl_private_key=$TLS/server.key
rgw thread pool size = 128
# deleted objects' data stays in the OSD's RAM until garbage-collected (2 h)
rgw gc obj min wait = 60
rgw gc processor period = 60
debug rgw = $RGW_DEBUG
rgw s3 auth use keystone = true
rgw s3 auth order = sts, external, local
rgw keystone url = $KEYSTONE_URL
rgw keystone api version = 3
rgw keystone admin user = $RGW_KS_USER
rgw keystone admin password = $RGW_KS_PASSWORD
rgw keystone admin domain = Default
rgw keystone admin project = $RGW_KS_PROJECT
rgw keystone accepted roles = member,admin
# one bucket namespace per Keystone project, like Swift's per-project accounts
rgw keystone implicit tenants = true
rgw keystone verify ssl = false
# also sizes the EC2 secret cache, whose TTL is a hard-coded 300 s in 16.2: a
# key deleted in Keystone keeps working until 300 s after RGW first saw it
rgw keystone token cache size = 10000
EOF
mv "$CONF.new" "$CONF"

# -----------------------------------------------------------------------------
# 4. Monitor, OSD
# -----------------------------------------------------------------------------
if [ ! -e "$MON_DIR/store.db" ]; then
  say "mon: mkfs"
  monmaptool --create --clobber --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT_V2,v1:127.0.0.1:$MON_PORT_V1]" "$CEPH_DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" >>"$LOG/mkfs.log" 2>&1 || die "ceph-mon --mkfs failed ($LOG/mkfs.log)"
fi
if ! alive "$RUN/mon.pid" ceph-mon; then
  need_port "$MON_PORT_V2"; need_port "$MON_PORT_V1"
  launch "$RUN/mon.pid" "$LOG/mon.out" ceph-mon -f -c "$CONF" -i a
  say "mon started"
fi
for _ in $(seq 60); do C mon stat >/dev/null 2>&1 && break; sleep 0.5; done
C mon stat >/dev/null 2>&1 || die "mon not reachable (see $LOG/mon.a.log)"

if [ ! -e "$OSD_DIR/ready" ]; then
  say "osd: creating osd.0 (memstore)"
  OSD_UUID=$(uuidgen)
  id=$(C osd new "$OSD_UUID" 0) || die "ceph osd new failed"
  [ "$id" = 0 ] || die "expected osd id 0, got '$id'"
  rm -rf "$OSD_DIR"; mkdir -p "$OSD_DIR"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$LOG/mkfs.log" 2>&1 || die "ceph-osd --mkfs failed ($LOG/mkfs.log)"
fi
if ! alive "$RUN/osd.pid" ceph-osd; then
  launch "$RUN/osd.pid" "$LOG/osd.out" ceph-osd -f -c "$CONF" -i 0
  touch "$OSD_DIR/.running"   # removed by rgw-stop.sh after a clean shutdown
  say "osd started"
fi
osd_up() { C osd dump -f json 2>/dev/null | "$PY" -c 'import json,sys; sys.exit(0 if any(o["osd"]==0 and o["up"]==1 for o in json.load(sys.stdin)["osds"]) else 1)'; }
for _ in $(seq 120); do osd_up && break; sleep 0.5; done
osd_up || die "osd.0 did not come up (see $LOG/osd.0.log)"

# -----------------------------------------------------------------------------
# 5. RGW's Keystone user. "admin" lets RGW read EC2 secrets and cache them (the
#    300 s window); with "service" alone every S3 request goes to Keystone and
#    Keystone logs a traceback for each. Ceph's docs, kolla and OSA use both.
# -----------------------------------------------------------------------------
ks_ok() {  # the user gets a project token with both roles (~0.3 s)
  curl -s -m 10 -H 'Content-Type: application/json' -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"$RGW_KS_USER\",\"domain\":{\"id\":\"default\"},\"password\":\"$RGW_KS_PASSWORD\"}}},\"scope\":{\"project\":{\"name\":\"$RGW_KS_PROJECT\",\"domain\":{\"id\":\"default\"}}}}}" \
    "$KEYSTONE_URL/v3/auth/tokens" | "$PY" -c 'import json,sys; have={r["name"] for r in json.load(sys.stdin)["token"]["roles"]}; sys.exit(0 if {"admin","service"} <= have else 1)' 2>/dev/null
}
if ! ks_ok; then
  say "keystone: creating user $RGW_KS_USER (roles admin, service on project $RGW_KS_PROJECT)"
  RGW_KS_USER=$RGW_KS_USER RGW_KS_PASSWORD=$RGW_KS_PASSWORD RGW_KS_PROJECT=$RGW_KS_PROJECT \
  bash -c '. "$0"; "$1" -' "$STACK_DIR/admin-openrc.sh" "$PY" <<'PYEOF' || die "could not set up RGW's Keystone user"
import os
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client
E = os.environ
ks = client.Client(session=session.Session(auth=v3.Password(
    auth_url=E['OS_AUTH_URL'], username=E['OS_USERNAME'], password=E['OS_PASSWORD'], project_name=E['OS_PROJECT_NAME'],
    user_domain_name=E['OS_USER_DOMAIN_NAME'], project_domain_name=E['OS_PROJECT_DOMAIN_NAME'])))
proj = ks.projects.list(name=E['RGW_KS_PROJECT'], domain='default')[0]
users = ks.users.list(name=E['RGW_KS_USER'], domain='default')
user = users[0] if users else ks.users.create(name=E['RGW_KS_USER'], domain='default', password=E['RGW_KS_PASSWORD'],
                                              description='radosgw service user (scripts/stack/rgw.sh)')
for name in ('admin', 'service'):
    ks.roles.grant(ks.roles.list(name=name)[0], user=user, project=proj)
PYEOF
  ks_ok || die "RGW's Keystone user still cannot get a token with roles admin+service (password changed by hand?)"
  # a role or password change revokes the admin token a running RGW caches
  stop_pid "$RUN/rgw.pid" radosgw 10
fi

# -----------------------------------------------------------------------------
# 6. radosgw. The zonegroup's api_name is what CreateBucket accepts as
#    LocationConstraint; the SigV4 scope region itself is not checked by 16.2.
# -----------------------------------------------------------------------------
rgw_sum=$(sed -n "/^\[$RGW_NAME\]/,\$p" "$CONF" | md5sum | cut -d' ' -f1)
if alive "$RUN/rgw.pid" radosgw && [ "$(cat "$RUN/rgw.pid.conf-md5" 2>/dev/null)" != "$rgw_sum" ]; then
  say "radosgw: configuration changed"; stop_pid "$RUN/rgw.pid" radosgw 10
fi
if [ ! -e "$CEPH_DIR/.zonegroup-$RGW_REGION" ]; then
  # "zonegroup get" fails on a fresh cluster; "user list" opens the whole store
  # and creates the realm-less default zone + zonegroup first. Setting
  # "rgw zonegroup = default" in ceph.conf instead breaks a fresh cluster.
  zg=$(RA zonegroup get 2>/dev/null) || { RA user list >/dev/null || true; zg=$(RA zonegroup get) || die "radosgw-admin cannot read the zonegroup ($LOG/radosgw-admin.log)"; }
  if [ "$(echo "$zg" | "$PY" -c 'import json,sys; print(json.load(sys.stdin).get("api_name",""))')" != "$RGW_REGION" ]; then
    RA zonegroup modify --rgw-zonegroup default --api-name "$RGW_REGION" >/dev/null || die "radosgw-admin zonegroup modify failed"
    stop_pid "$RUN/rgw.pid" radosgw 10
  fi
  touch "$CEPH_DIR/.zonegroup-$RGW_REGION"
fi
if ! alive "$RUN/rgw.pid" radosgw; then
  need_port "$RGW_PORT"; need_port "$RGW_TLS_PORT"
  launch "$RUN/rgw.pid" "$LOG/rgw.out" radosgw -f -c "$CONF" -n "$RGW_NAME"
  echo "$rgw_sum" > "$RUN/rgw.pid.conf-md5"
  say "radosgw started"
fi
code() { curl -s -m 2 "$@" -o /dev/null -w '%{http_code}' 2>/dev/null || true; }
for _ in $(seq 120); do
  [ "$(code "$S3_URL/")" = 200 ] && break
  alive "$RUN/rgw.pid" radosgw || die "radosgw exited (see $LOG/$RGW_NAME.log, $LOG/rgw.out)"
  sleep 0.5
done
[ "$(code "$S3_URL/")" = 200 ] || die "radosgw not answering on $S3_URL"
[ "$(code --cacert "$TLS/ca.pem" "$S3_TLS_URL/")" = 200 ] || die "radosgw not answering on $S3_TLS_URL with CA $TLS/ca.pem"
touch "$CEPH_DIR/.cluster-ok"

# -----------------------------------------------------------------------------
# 7. Kna1 -> RGW: Keystone catalog and stack.json (start.sh writes both for
#    Swift; tests and the demo read them). Swift's Kna1 proxy keeps running.
# -----------------------------------------------------------------------------
if [ "$RGW_CATALOG" = 1 ]; then
  os() { bash -c '. "$0"; shift; exec openstack "$@"' "$STACK_DIR/admin-openrc.sh" x "$@"; }
  read -r EP_ID EP_URL < <(os endpoint list --service s3 --interface public --region "$RGW_REGION" -f value -c ID -c URL) \
    || die "no public s3 endpoint for $RGW_REGION in Keystone's catalog (start.sh creates it)"
  if [ "$EP_URL" != "$S3_URL" ]; then
    say "catalog: s3 $RGW_REGION $EP_URL -> $S3_URL"
    os endpoint set --url "$S3_URL" "$EP_ID"
  fi
  S3_URL=$S3_URL S3_TLS_URL=$S3_TLS_URL CA=$TLS/ca.pem REGION=$RGW_REGION "$PY" - "$STACK_DIR/stack.json" <<'PYEOF'
import json, os, sys
E = os.environ
with open(sys.argv[1]) as f:
    info = json.load(f)
want = {'s3_endpoint': E['S3_URL'], 'gateway': 'rgw', 's3_endpoint_tls': E['S3_TLS_URL'], 's3_ca_file': E['CA']}
if info['regions'][E['REGION']] != want:
    info['regions'][E['REGION']] = want
    tmp = sys.argv[1] + '.rgw'
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
        json.dump(info, f, indent=2)
    os.replace(tmp, sys.argv[1])   # readers never see a half-written file
PYEOF
fi
say "radosgw up: $S3_URL and $S3_TLS_URL (CA $TLS/ca.pem), region $RGW_REGION$([ "$RGW_CATALOG" = 1 ] && echo ", in the catalog")"
echo "$TLS/ca.pem"
