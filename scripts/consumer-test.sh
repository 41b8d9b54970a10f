#!/usr/bin/env bash
# The consumer test: what a new user does with the published package, on this machine, outside the repo.
#   1. npm pack (prepack runs the build: lib/ and the pre-bundled Lambda handlers);
#   2. a fresh CDK app from the CDK CLI's own `cdk init app --language typescript` template (--generate-only: the
#      repo's pinned CLI ships the template, so this works offline), its two source files replaced by the README's
#      example (examples/consumer-app/), its own package.json;
#   3. npm install of the app's dependencies, the tarball and cdk-nag from the npm registry, at pinned versions;
#   4. cdk synth with the app's own `app` command (tsc type-checks the app against bucketguard's .d.ts, then tsx runs
#      it), cdk-nag's AwsSolutionsChecks and BucketGuardChecks applied: any finding fails the synth;
#   5. cfn-lint on the app's template (.cfnlintrc.yaml's accepted warnings only);
#   6. the installed CLI: --version, replay with no argument (the events shipped in the package), evaluate,
#      check-template on the app's cdk.out, and `| head` ending quietly.
#
#   bash scripts/consumer-test.sh        # CONSUMER_DIR (default /tmp/bucketguard-consumer) is wiped first
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD
WORK="${CONSUMER_DIR:-/tmp/bucketguard-consumer}"
case "$WORK" in /|"") echo "consumer-test: refusing CONSUMER_DIR='$WORK'" >&2; exit 1 ;; esac
command -v cfn-lint >/dev/null 2>&1 || {
  echo 'consumer-test: cfn-lint not found: install it for Python 3.11 with: pip install cfn-lint==1.51.0' >&2
  exit 1
}
export CDK_DISABLE_CLI_TELEMETRY=true AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING=1 NPM_CONFIG_UPDATE_NOTIFIER=false
say() { printf 'consumer-test: %s\n' "$*" >&2; }
t=$(date +%s)
lap() { local now; now=$(date +%s); say "$1 in $((now - t)) s"; t=$now; }

rm -rf "$WORK"
mkdir -p "$WORK/consumer-app"
npm pack --silent --pack-destination "$WORK" >/dev/null
tarball=$(ls "$WORK"/bucketguard-*.tgz)
tar -tzf "$tarball" | sed 's#^package/##' | sort >"$WORK/contents.txt"
{
  grep -E '^(test|bench|scripts|examples|infra|bin|model|rules|remediation|exposure|aws|\.ci)/' "$WORK/contents.txt"
  grep -E '\.ts$' "$WORK/contents.txt" | grep -v '\.d\.ts$'
} >"$WORK/unexpected.txt" || true
if [ -s "$WORK/unexpected.txt" ]; then
  head -n 20 "$WORK/unexpected.txt" >&2; say 'FAILED: the tarball holds sources, tests or tooling (package.json "files")'; exit 1
fi
for handler in "$REPO"/lib/handlers/*/; do
  grep -qx "lib/handlers/$(basename "$handler")/index.js" "$WORK/contents.txt" || {
    say "FAILED: no pre-built bundle for $(basename "$handler") in the tarball"; exit 1; }
done
grep -qx 'events/README.md' "$WORK/contents.txt" || { say 'FAILED: events/ not in the tarball'; exit 1; }
lap "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(wc -l <"$WORK/contents.txt") files, $(ls -d "$REPO"/lib/handlers/*/ | wc -l) pre-built handlers)"

cd "$WORK/consumer-app"
"$REPO/node_modules/.bin/cdk" init app --language typescript --generate-only >/dev/null 2>&1
cp "$REPO/examples/consumer-app/bin/consumer-app.ts" bin/consumer-app.ts
cp "$REPO/examples/consumer-app/lib/consumer-app-stack.ts" lib/consumer-app-stack.ts
rm -f test/*.test.ts # cdk init's sample test asserts on the sample stack's commented-out queue
# The versions CI tests against, pinned so an upstream release cannot change the result from one run to the next:
# the repo's own aws-cdk-lib and constructs (what the construct is built and tested with) and cdk-nag 3 (what a bare
# `npm i cdk-nag` installs today). A consumer's newer versions are covered by the peer range.
cdk_lib=$(node -p "require('$REPO/node_modules/aws-cdk-lib/package.json').version")
constructs=$(node -p "require('$REPO/node_modules/constructs/package.json').version")
npm install --no-audit --no-fund --loglevel=error --save-exact "$tarball" cdk-nag@3.0.2 \
  "aws-cdk-lib@$cdk_lib" "constructs@$constructs" >/dev/null
lap "cdk init app + npm install ($(node -p "require('aws-cdk-lib/package.json').version") aws-cdk-lib, cdk-nag $(node -p "require('cdk-nag/package.json').version"), typescript $(node -p "require('typescript/package.json').version"))"

npx cdk synth --quiet >synth.log 2>&1 || { cat synth.log >&2; say 'FAILED: cdk synth'; exit 1; }
grep -q 'AWS::Config::ConfigRule' cdk.out/ConsumerAppStack.template.json
lap 'cdk synth with AwsSolutionsChecks and BucketGuardChecks: no finding'

cfn-lint --config-file "$REPO/.cfnlintrc.yaml" --non-zero-exit-code warning -- cdk.out/ConsumerAppStack.template.json
lap 'cfn-lint: no errors, no unaccepted warnings'

version=$(npx bucketguard --version)
[ "$version" = "$(node -p "require('$REPO/package.json').version")" ] || { say "FAILED: --version printed '$version'"; exit 1; }
npx bucketguard replay >replay.out
grep -q '^Summary: .*notification' replay.out || { tail -n 20 replay.out >&2; say 'FAILED: replay'; exit 1; }
npx bucketguard evaluate node_modules/bucketguard/events/config-items >evaluate.out
grep -q 'NON_COMPLIANT' evaluate.out
# Every bucket passes every rule except the one finding bucketguard accepts by design (and BucketGuardChecks
# acknowledges in the synth): its access-log bucket does not log into itself (infra/nag.ts).
npx bucketguard check-template cdk.out --account-id 123456789012 --region us-east-1 --format json >check.out 2>check.err || true
node -e '
  const rows = JSON.parse(require("fs").readFileSync("check.out", "utf8")).results;
  const open = rows.filter((r) => r.compliance !== "COMPLIANT");
  const accepted = (r) => r.rule === "s3-bucket-logging-enabled" && /^<BucketGuardAccessLogsBucket[0-9A-F]{8}>$/.test(r.resourceId);
  if (rows.length < 10 || open.length !== 1 || !accepted(open[0])) {
    console.error(`unexpected findings: ${JSON.stringify(open.map((r) => [r.rule, r.resourceId]))} (${rows.length} results)`);
    process.exit(1);
  }
' || { cat check.out check.err >&2; say 'FAILED: check-template on the app'; exit 1; }
set +o pipefail
npx bucketguard replay --json 2>pipe.err | head -c 10 >/dev/null # ~110 KB: more than a pipe holds
set -o pipefail
[ ! -s pipe.err ] || { cat pipe.err >&2; say 'FAILED: replay | head printed an error'; exit 1; }
lap "installed CLI: --version $version, replay ($(tail -n 1 replay.out | cut -c1-80)...), evaluate, check-template, | head"
say 'passed'
