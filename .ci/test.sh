#!/usr/bin/env bash
# The whole test suite. Fails when a test fails, when any test is skipped (or xfails without
# strict) that tests/skip_allowlist.txt does not list (tests/skip_policy.py), and when no test ran
# (pytest exits 5).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
export ZHIYE_REQUIRE_FULL="${ZHIYE_REQUIRE_FULL:-1}"
export ZHIYE_REQUIRE_NEO4J="${ZHIYE_REQUIRE_NEO4J:-1}"
export ZHIYE_SKIP_POLICY="${ZHIYE_SKIP_POLICY:-strict}"
mkdir -p tests/artifacts
python -m pytest -q -p no:cacheprovider --durations=15 "$@"
