#!/usr/bin/env bash
# CI: start the two local servers the integration suite needs, run it against both, always stop both.
#  - Ceph RGW (real S3; installed with apt-get on first run, root) for scan.test.ts and remediation-handler.test.ts;
#  - moto_server (a local AWS: S3, S3 Control, Config, SNS, SQS, EventBridge, DynamoDB, STS; Python 3.11) for the
#    *.moto.test.ts suites.
# Called by .ci/run; also fine locally as root. Each suite fails loudly when its server's variables are missing, so
# the run never "passes" by skipping.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RGW_DIR="${RGW_DIR:-/tmp/bucketguard-rgw-ci}"
export MOTO_DIR="${MOTO_DIR:-/tmp/bucketguard-moto-ci}"
t0=$(date +%s)
rgw_env="$(mktemp /tmp/bucketguard-rgw-env.XXXXXX)"
moto_env="$(mktemp /tmp/bucketguard-moto-env.XXXXXX)"
cleanup() {
  local code=$?
  bash scripts/stop-moto.sh || true
  bash scripts/stop-rgw.sh || true
  rm -f "$rgw_env" "$moto_env"
  echo "ci-integration: finished in $(($(date +%s) - t0)) s (exit $code)" >&2
  exit "$code"
}
trap cleanup EXIT

bash scripts/start-moto.sh >"$moto_env"
bash scripts/start-rgw.sh >"$rgw_env"
set -a
# shellcheck disable=SC1090
. "$rgw_env"
# shellcheck disable=SC1090
. "$moto_env"
set +a
echo "ci-integration: RGW ${RGW_VERSION:-?} at $RGW_ENDPOINT, moto ${MOTO_VERSION:-?} at $MOTO_ENDPOINT after $(($(date +%s) - t0)) s" >&2

npm run --silent test:integration -- --ci
