#!/usr/bin/env bash
# Start a throw-away local AWS for the integration suite: moto_server (moto 5.2, Python 3.11; S3, S3 Control,
# Config, SNS, SQS, EventBridge, DynamoDB, STS, Organizations on one port) on 127.0.0.1, on a free port. Prints
# source-able KEY=VALUE lines on stdout and exits 0 once the server answers GET /moto-api/; progress goes to stderr.
#
#   bash scripts/start-moto.sh > /tmp/moto.env && set -a && . /tmp/moto.env && set +a
#   ... npm run test:integration ...
#   bash scripts/stop-moto.sh
#
# Knobs: MOTO_DIR (default /tmp/bucketguard-moto; pid and log; wiped on start; never inside the repo), MOTO_PORT
# (default: a free port chosen by the kernel), MOTO_TIMEOUT (seconds to wait for it to answer, default 30).
# moto_server is not installed by this script: where it is missing, it says how to install it and fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${MOTO_DIR:-/tmp/bucketguard-moto}"
TIMEOUT="${MOTO_TIMEOUT:-30}"
T0=$(date +%s%N)

log() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '[start-moto %3d.%01ds] %s\n' $((ms / 1000)) $(((ms % 1000) / 100)) "$*" >&2; }
die() {
  log "ERROR: $*"
  [ -s "$DIR/moto.log" ] && { echo "--- tail $DIR/moto.log" >&2; tail -n 20 "$DIR/moto.log" >&2; }
  MOTO_DIR="$DIR" MOTO_KEEP=1 bash "$HERE/stop-moto.sh" >&2 || true
  exit 1
}
case "$DIR" in /|"") die "refusing MOTO_DIR='$DIR'" ;; esac

command -v moto_server >/dev/null 2>&1 ||
  die 'moto_server not found: install it for Python 3.11 with: pip install "moto[server]==5.2.1"'
command -v curl >/dev/null 2>&1 || die 'curl not found: apt-get install curl'

# Leftovers of an earlier run: stop them by recorded PID and wipe.
if [ -d "$DIR" ]; then MOTO_DIR="$DIR" bash "$HERE/stop-moto.sh" >/dev/null 2>&1 || true; fi
rm -rf "$DIR"
mkdir -p "$DIR"

# A free port: bind port 0 and read back what the kernel chose (a tiny race with other processes, checked below).
PORT="${MOTO_PORT:-$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is already in use on 127.0.0.1"; fi
ENDPOINT="http://127.0.0.1:${PORT}"

moto_server -H 127.0.0.1 -p "$PORT" </dev/null >"$DIR/moto.log" 2>&1 &
echo $! >"$DIR/moto.pid"
log "moto_server started (pid $(cat "$DIR/moto.pid"), port $PORT)"

answers() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$ENDPOINT/moto-api/" 2>/dev/null | grep -q '^200$'; }
t=0
until answers; do
  kill -0 "$(cat "$DIR/moto.pid")" 2>/dev/null || die "moto_server exited"
  t=$((t + 1)); [ $t -lt $((TIMEOUT * 4)) ] || die "moto_server did not answer within ${TIMEOUT} s"; sleep 0.25
done
VERSION=$(python3.11 -c 'import moto; print(moto.__version__)' 2>/dev/null || moto_server --version 2>/dev/null | awk '{print $NF}' || echo '?')
log "moto $VERSION answers on $ENDPOINT; ready"
cat <<EOF
MOTO_ENDPOINT=${ENDPOINT}
MOTO_REGION=us-east-1
MOTO_DIR=${DIR}
MOTO_VERSION=${VERSION}
EOF
