#!/usr/bin/env bash
# The Python tools CI needs besides npm and apt (both installed for Python 3.11 on every machine of this project):
# moto_server for the local-AWS integration suites, cfn-lint for scripts/lint-templates.sh. pip is not reachable
# from CI, so nothing is installed here: a missing tool fails the run with ONE line saying what and how.
set -uo pipefail
missing=()
command -v moto_server >/dev/null 2>&1 || missing+=('moto_server (pip install "moto[server]==5.2.1")')
command -v cfn-lint >/dev/null 2>&1 || missing+=('cfn-lint (pip install cfn-lint==1.51.0)')
if [ ${#missing[@]} -gt 0 ]; then
  joined=$(printf '%s, ' "${missing[@]}")
  echo "MISSING for Python 3.11: ${joined%, }; install, then run again." >&2
  exit 1
fi
moto=$(python3.11 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?')
echo "local AWS tools: moto_server (moto $moto), $(cfn-lint --version 2>/dev/null)" >&2
