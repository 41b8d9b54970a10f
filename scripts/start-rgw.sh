#!/usr/bin/env bash
# Start a throw-away S3 server for the integration suite: Debian's Ceph (radosgw 16.2.x) as a single-node cluster
# (1 mon, 1 memstore OSD, radosgw/beast) on 127.0.0.1, without systemd. Installs the packages with apt-get on first
# use (root). Prints source-able KEY=VALUE lines on stdout and exits 0 once RGW answers; progress goes to stderr.
#
#   bash scripts/start-rgw.sh > /tmp/rgw.env && set -a && . /tmp/rgw.env && set +a
#   ... npm run test:integration ...
#   bash scripts/stop-rgw.sh
#
# Knobs: RGW_DIR (default /tmp/bucketguard-rgw; wiped on start; never put it inside the repo), RGW_PORT (7480),
# RGW_ACCESS_KEY / RGW_SECRET_KEY (S3 user "tester"), RGW_INSTALL (1 = apt-get install when missing),
# RGW_TIMEOUT (seconds per stage, 120). Ports (127.0.0.1 only): mon 3300+6789, osd 6800-7300, rgw $RGW_PORT.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${RGW_DIR:-/tmp/bucketguard-rgw}"
PORT="${RGW_PORT:-7480}"
AK="${RGW_ACCESS_KEY:-TESTACCESSKEY0000001}"
SK="${RGW_SECRET_KEY:-testsecretkey0000000000000000000000000001}"
TIMEOUT="${RGW_TIMEOUT:-120}"
ENDPOINT="http://127.0.0.1:${PORT}"
T0=$(date +%s%N)

log() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '[start-rgw %3d.%01ds] %s\n' $((ms / 1000)) $(((ms % 1000) / 100)) "$*" >&2; }
die() {
  log "ERROR: $*"
  for f in "$DIR"/log/*.log "$DIR"/log/*.out "$DIR"/log/*.err; do
    [ -s "$f" ] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }
  done
  RGW_DIR="$DIR" RGW_KEEP=1 bash "$HERE/stop-rgw.sh" >&2 || true # stop what we started, keep the logs
  exit 1
}
print_env() {
  cat <<EOF
RGW_ENDPOINT=${ENDPOINT}
RGW_ACCESS_KEY=${AK}
RGW_SECRET_KEY=${SK}
RGW_REGION=us-east-1
RGW_DIR=${DIR}
RGW_VERSION=$(radosgw --version 2>/dev/null | awk '{print $3}')
EOF
}
rgw_answers() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$ENDPOINT/" 2>/dev/null | grep -q '^200$'; }

case "$DIR" in /|"") die "refusing RGW_DIR='$DIR'" ;; esac

# Already up (same directory)? Then there is nothing to do.
if [ -f "$DIR/pids/rgw.pid" ] && kill -0 "$(cat "$DIR/pids/rgw.pid")" 2>/dev/null && command -v curl >/dev/null && rgw_answers; then
  log "already running"
  print_env
  exit 0
fi
# Leftovers of an earlier run: stop them by recorded PID and wipe.
if [ -d "$DIR" ]; then RGW_DIR="$DIR" bash "$HERE/stop-rgw.sh" >/dev/null 2>&1 || true; fi

# --- packages ------------------------------------------------------------------------------------------------
need=""
add_need() { case " $need " in *" $1 "*) ;; *) need="$need $1" ;; esac; }
for pair in curl:curl radosgw:radosgw radosgw-admin:radosgw ceph-osd:ceph-osd ceph-mon:ceph-mon ceph:ceph-common ceph-authtool:ceph-common monmaptool:ceph-common; do
  command -v "${pair%%:*}" >/dev/null || add_need "${pair#*:}"
done
if [ -n "$need" ]; then
  [ "${RGW_INSTALL:-1}" = 1 ] || die "packages missing:$need (RGW_INSTALL=0)"
  [ "$(id -u)" = 0 ] || die "packages missing:$need; apt-get needs root"
  log "installing:$need (apt-get --no-install-recommends)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null || die "apt-get install failed"
  log "installed: $(radosgw --version 2>/dev/null | awk '{print $1, $2, $3}')"
fi
for p in 3300 6789 "$PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use on 127.0.0.1"; fi
done

# --- config --------------------------------------------------------------------------------------------------
rm -rf "$DIR"
mkdir -p "$DIR"/{mon,osd,rgw,log,run,pids}
FSID=$(cat /proc/sys/kernel/random/uuid)
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
export CEPH_CONF="$DIR/ceph.conf"
# No "rgw zone/zonegroup = default": on a new cluster RGW then fails to start; it creates the defaults itself.
cat >"$CEPH_CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
crash dir = $DIR/log/crash
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool delete = true
mon data avail warn = 2
mon data avail crit = 1
osd objectstore = memstore
memstore device bytes = 1073741824
debug ms = 0
mon cluster log file = $DIR/log/cluster.log
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
rgw thread pool size = 64
EOF

# One keyring for every entity, imported by the mon at mkfs (no "ceph auth add" round trips).
KR="$DIR/keyring"
ceph-authtool --create-keyring "$KR" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$KR" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$KR" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
ceph-authtool "$KR" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null

# --- mon -----------------------------------------------------------------------------------------------------
monmaptool --create --fsid "$FSID" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" --keyring "$KR" 2>"$DIR/log/mon-mkfs.err" || die "mon mkfs failed"
ceph-mon -f -i a </dev/null >"$DIR/log/mon.a.out" 2>&1 &
echo $! >"$DIR/pids/mon.pid"
log "mon started (pid $(cat "$DIR/pids/mon.pid"))"
t=0
until timeout 10 ceph --connect-timeout 5 mon stat >/dev/null 2>&1; do
  t=$((t + 1)); [ $t -lt "$TIMEOUT" ] || die "mon did not come up"; sleep 1
done
log "mon answers"

# --- osd (memstore: objects live in RAM, capped at 1 GiB) ----------------------------------------------------
OSD_ID=$(ceph osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || die "unexpected osd id '$OSD_ID'"
mkdir -p "$DIR/osd/ceph-0"
ceph-osd -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$DIR/log/osd-mkfs.out" 2>&1 || die "osd mkfs failed"
ceph-osd -f -i 0 </dev/null >"$DIR/log/osd.0.out" 2>&1 &
echo $! >"$DIR/pids/osd.pid"
log "osd started (pid $(cat "$DIR/pids/osd.pid"))"
t=0
until ceph osd dump 2>/dev/null | grep -q '^osd.0 up'; do
  t=$((t + 1)); [ $t -lt "$TIMEOUT" ] || die "osd did not come up"; sleep 1
done
log "osd up"

# --- rgw -----------------------------------------------------------------------------------------------------
radosgw -f -n client.rgw.a </dev/null >"$DIR/log/rgw.out" 2>&1 &
echo $! >"$DIR/pids/rgw.pid"
log "radosgw started (pid $(cat "$DIR/pids/rgw.pid"))"
t=0
until rgw_answers; do
  kill -0 "$(cat "$DIR/pids/rgw.pid")" 2>/dev/null || die "radosgw exited"
  t=$((t + 1)); [ $t -lt $((TIMEOUT * 2)) ] || die "radosgw did not answer"; sleep 0.5
done
log "radosgw answers on $ENDPOINT"

# The S3 user only after RGW has created the default zone (both doing it at once makes duplicate zonegroups).
radosgw-admin user create --uid=tester --display-name="Tester" --access-key="$AK" --secret="$SK" \
  >"$DIR/log/user-create.json" 2>"$DIR/log/user-create.err" || die "radosgw-admin user create failed"
log "user 'tester' created; ready"
print_env
