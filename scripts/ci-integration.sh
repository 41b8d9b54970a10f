#!/usr/bin/env bash
# CI: install (first run only) and start Ceph RGW, run the integration suite against it, always stop it.
# Called by .ci/run; also fine locally as root. The suite fails loudly when RGW_* is missing, so it never "passes"
# by skipping.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RGW_DIR="${RGW_DIR:-/tmp/bucketguard-rgw-ci}"
t0=$(date +%s)
env_file="$(mktemp /tmp/bucketguard-rgw-env.XXXXXX)"
cleanup() {
  local code=$?
  bash scripts/stop-rgw.sh || true
  rm -f "$env_file"
  echo "ci-integration: finished in $(($(date +%s) - t0)) s (exit $code)" >&2
  exit "$code"
}
trap cleanup EXIT

bash scripts/start-rgw.sh >"$env_file"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
echo "ci-integration: RGW ${RGW_VERSION:-?} at $RGW_ENDPOINT after $(($(date +%s) - t0)) s" >&2

npm run --silent test:integration -- --ci
