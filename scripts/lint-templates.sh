#!/usr/bin/env bash
# Lint the synthesized CloudFormation template of every supported setting combination with cfn-lint (AWS's
# CloudFormation linter, which checks every resource property against the CloudFormation resource specification).
# Each combination is synthesized offline into its own directory (`npx cdk synth -o DIR -c key=value ...`, with the
# app's cdk-nag checks), then all templates are linted in one cfn-lint run. Errors fail; so does any warning not
# accepted in .cfnlintrc.yaml (the one list of accepted warnings, each with its reason).
#
#   bash scripts/lint-templates.sh            # LINT_TEMPLATES_DIR (default /tmp/bucketguard-templates) is wiped first
#
# Add a combination here when a new deployment shape (a context key or value) is added (see infra/context.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="${LINT_TEMPLATES_DIR:-/tmp/bucketguard-templates}"
case "$OUT" in /|"") echo "lint-templates: refusing LINT_TEMPLATES_DIR='$OUT'" >&2; exit 1 ;; esac

command -v cfn-lint >/dev/null 2>&1 || {
  echo 'lint-templates: cfn-lint not found: install it for Python 3.11 with: pip install cfn-lint==1.51.0' >&2
  exit 1
}

# name | cdk context arguments
COMBINATIONS=(
  "default|"
  "recorder|-c recorder=true -c alarmTopicActions=true -c athena=true"
  "remediate-every-action|-c mode=remediate -c actions=block-public-access,block-account-public-access,enable-versioning -c actionModes=enable-versioning=notify -c email=security@example.com,oncall@example.com"
  "trail-log-group|-c trail=log-group:example-org-trail-logs"
  "trail-none|-c trail=none -c actions=block-public-access,block-account-public-access,enable-versioning -c remediationReservedConcurrency=false"
  "actions-none|-c actions=none"
  "home-region|-c homeRegion=us-east-1"
  # The organization deployment (README "Deploy to an organization"): security stack, asset-bucket stacks and the
  # member (StackSet) templates, one per mode group.
  "organization|-c deployment=organization -c organizationId=o-a1b2c3d4e5 -c homeRegion=eu-west-1 -c regions=eu-west-1,us-east-1 -c organizationalUnits=ou-ab12-11111111,ou-ab12-22222222 -c ouModes=ou-ab12-22222222=remediate -c callAs=DELEGATED_ADMIN -c email=security@example.com -c memberEmail=team@example.com"
)

rm -rf "$OUT"
mkdir -p "$OUT"
JOBS="${LINT_TEMPLATES_JOBS:-1}" # synths at once; on 2 cores two at a time took as long as one (CPU-bound)

synth() {
  local name="$1" args="$2" t0
  t0=$(date +%s)
  # shellcheck disable=SC2086
  if npx cdk synth --quiet -o "$OUT/$name" $args >"$OUT/$name.synth.log" 2>&1; then
    echo "lint-templates: synthesized $name${args:+ ($args)} in $(($(date +%s) - t0)) s" >&2
  else
    tail -n 30 "$OUT/$name.synth.log" >&2
    echo "lint-templates: cdk synth failed for '$name' ($args)" >&2
    return 1
  fi
}

t_synth=$(date +%s)
pids=()
failed=0
for entry in "${COMBINATIONS[@]}"; do
  synth "${entry%%|*}" "${entry#*|}" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$JOBS" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ $failed = 0 ] || exit 1
templates=()
for entry in "${COMBINATIONS[@]}"; do
  # Every template of the combination (the organization deployment has several; member templates included).
  found=0
  for template in "$OUT/${entry%%|*}"/*.template.json; do
    [ -s "$template" ] || continue
    templates+=("$template")
    found=1
  done
  [ $found = 1 ] || { echo "lint-templates: no template in $OUT/${entry%%|*}" >&2; exit 1; }
done
echo "lint-templates: ${#templates[@]} templates synthesized in $(($(date +%s) - t_synth)) s ($JOBS at a time)" >&2

t0=$(date +%s)
set +e
cfn-lint --config-file .cfnlintrc.yaml --non-zero-exit-code warning -- "${templates[@]}"
code=$?
set -e
echo "lint-templates: cfn-lint $(cfn-lint --version | awk '{print $2}') on ${#templates[@]} templates in $(($(date +%s) - t0)) s: exit $code" >&2
if [ $code -ne 0 ]; then
  echo "lint-templates: FAILED: fix the findings above, or accept a warning in .cfnlintrc.yaml with its reason" >&2
  exit 1
fi
echo "lint-templates: no errors, no unaccepted warnings (accepted: $(grep -E '^  - ' .cfnlintrc.yaml | tr -d ' -' | paste -sd, -))" >&2
