#!/usr/bin/env bash
# Runs every test: the Swift unit and integration suites (real nats-server, LMDB files, processes), the
# compose-file checks, then the e2e suite (real processes, independent Python verifiers) when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
python3 -m pytest -q Tests/compose
if ls e2e/test_*.py >/dev/null 2>&1; then
  python3 -m pytest -q e2e
fi
