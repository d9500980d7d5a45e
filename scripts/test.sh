#!/usr/bin/env bash
# Runs every test: the Swift unit and integration suites (real nats-server, LMDB files, processes), the
# compose-file checks, then the e2e suite (real processes, independent Python verifiers) when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# Pure and storage suites in parallel; the suites that run real nats-server, node and coordinator processes one
# test at a time: on 2 cores, parallel cluster tests (ECDSA presigning among them) starve each other's timeouts.
SERIAL="MessagingTests|DiscoveryTests|ClusterTests"
swift test --skip-build --skip "$SERIAL"
swift test --skip-build --no-parallel --filter "$SERIAL"
python3 -m pytest -q Tests/compose
if ls e2e/test_*.py >/dev/null 2>&1; then
  python3 -m pytest -q e2e
fi
