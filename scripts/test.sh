#!/usr/bin/env bash
# Runs every test: the Swift unit and integration suites, then the e2e suite (real processes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
if [ -d e2e ] && ls e2e/test_*.py >/dev/null 2>&1; then
  python3 -m pytest -q e2e
fi
