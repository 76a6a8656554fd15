# Sourced by rgw.sh and tls.sh: install_missing PKG... installs, without recommends, the
# Debian packages that are not installed yet, and returns non-zero (the apt log on stderr)
# when that fails. The package lists are only refreshed when the first attempt fails:
# apt-get update costs ~10 s and the lists are usually fresh from start.sh.
install_missing() {
  local p missing=() created_policy=0 log rc=0
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "[packages.sh] installing: ${missing[*]}" >&2
  # no service may start from dpkg (no systemd here; the scripts start what they need)
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; created_policy=1
  fi
  log=$(mktemp /tmp/apt-install.XXXXXX)
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1 \
    || { "${apt[@]}" update -qq >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; } \
    || { rc=1; tail -40 "$log" >&2; }
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  rm -f "$log"
  return "$rc"
}
