#!/usr/bin/env bash
# The main job: creates a 3-of-5 threshold wallet on each curve and signs with it, printing each step.
# Today this runs every party in one process (real protocol state machines, messages routed in memory);
# see README "Status" for the multi-process cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product mpc
.build/debug/mpc demo --threshold "${MPC_THRESHOLD:-3}" --parties "${MPC_PARTIES:-5}"
