#!/usr/bin/env bash
# Stop the daemons scripts/start-rgw.sh started (only the PIDs it recorded, never by name) and wipe RGW_DIR.
# RGW_KEEP=1 keeps the directory (logs) for debugging.
set -uo pipefail
DIR="${RGW_DIR:-/tmp/bucketguard-rgw}"
case "$DIR" in /|"") echo "stop-rgw: refusing RGW_DIR='$DIR'" >&2; exit 1 ;; esac
if [ ! -d "$DIR/pids" ]; then
  echo "stop-rgw: nothing to stop in $DIR" >&2
  [ "${RGW_KEEP:-0}" = 1 ] || rm -rf "$DIR"
  exit 0
fi

# Alive = exists and is not a zombie (PID 1 in containers may reap orphans a second or two late).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

# TERM the named daemons together, wait up to 15 s, then KILL the stragglers.
stop_group() {
  local entries=() name file pid entry any
  for name in "$@"; do
    file="$DIR/pids/$name.pid"
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    # Only signal it if it is still the ceph daemon we started (guards against PID reuse).
    if alive "$pid" && grep -qE 'ceph-|radosgw' "/proc/$pid/comm" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null && entries+=("$name:$pid")
    fi
    rm -f "$file"
  done
  for _ in $(seq 1 150); do
    any=0
    for entry in "${entries[@]}"; do alive "${entry#*:}" && any=1; done
    [ $any = 0 ] && break
    sleep 0.1
  done
  for entry in "${entries[@]}"; do
    if alive "${entry#*:}"; then
      echo "stop-rgw: ${entry%%:*} (${entry#*:}) ignored TERM, sending KILL" >&2
      kill -KILL "${entry#*:}" 2>/dev/null
    fi
    echo "stop-rgw: stopped ${entry%%:*} (${entry#*:})" >&2
  done
}

# Order matters: RGW while the OSD is up (its shutdown can hang without one), the OSD while the mon is up
# (otherwise it waits osd_mon_shutdown_timeout), the mon last.
stop_group rgw
stop_group osd mgr
stop_group mon
[ "${RGW_KEEP:-0}" = 1 ] || rm -rf "$DIR"
exit 0
