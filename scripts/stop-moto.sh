#!/usr/bin/env bash
# Stop the moto_server scripts/start-moto.sh started (only the PID it recorded, never by name) and wipe MOTO_DIR.
# MOTO_KEEP=1 keeps the directory (the log) for debugging.
set -uo pipefail
DIR="${MOTO_DIR:-/tmp/bucketguard-moto}"
case "$DIR" in /|"") echo "stop-moto: refusing MOTO_DIR='$DIR'" >&2; exit 1 ;; esac
file="$DIR/moto.pid"
if [ ! -f "$file" ]; then
  echo "stop-moto: nothing to stop in $DIR" >&2
  [ "${MOTO_KEEP:-0}" = 1 ] || rm -rf "$DIR"
  exit 0
fi

# Alive = exists and is not a zombie (PID 1 in containers may reap orphans a moment late).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

pid=$(cat "$file")
# Only signal it if it is still the moto server we started (guards against PID reuse).
if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'moto_server'; then
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    echo "stop-moto: moto_server ($pid) ignored TERM, sending KILL" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  echo "stop-moto: stopped moto_server ($pid)" >&2
fi
rm -f "$file"
[ "${MOTO_KEEP:-0}" = 1 ] || rm -rf "$DIR"
exit 0
