#!/usr/bin/env bash
# CGGMP21 identification over the cluster, release build, 3-of-5, 2048-bit: node-2 runs with a test-only cheat
# (ecdsa.testCheatPresignDelta: δ_2 + 1, or ecdsa.testCheatPresignChi: S_2 + G). After the pool's first presign
# named it, COUNT signs are forced onto node-1,2,3 (`mpc sign --signers`, never retried): each runs the three
# presign rounds, fails its check, runs identification and answers presign_culprit. Prints the wall time of each
# forced sign (presign + identification + report) and node-1's verdict lines. Usage: [BIN=DIR] bash scripts/bench-identify.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-5}
if [ -z "${BIN:-}" ]; then for p in mpc mpc-node mpc-coordinator; do swift build -c release --product "$p" 2>&1 | tail -1; done; fi
B=${BIN:-.build/release}
for cheat in testCheatPresignDelta testCheatPresignChi; do
  D=$(mktemp -d /tmp/mpc-bench-identify.XXXXXX)
  trap "$B/mpc cluster down --dir $D >/dev/null 2>&1 || true; rm -rf $D" EXIT
  $B/mpc cluster init --nodes 5 --threshold 3 --dir "$D" --aux-primes benchmarks/safe-primes.json >/dev/null
  python3 - "$D" "$cheat" <<'PY'
import sys, yaml
d, cheat = sys.argv[1], sys.argv[2]
def edit(p, change):
    c = yaml.safe_load(open(p)); change(c); yaml.safe_dump(c, open(p, "w"))
edit(f"{d}/node-2/config.yaml", lambda c: c["ecdsa"].update({cheat: True}))
edit(f"{d}/coordinator/config.yaml", lambda c: c.update({"presignPoolTarget": 1}))
PY
  $B/mpc cluster up --nodes 5 --threshold 3 --dir "$D" >/dev/null
  $B/mpc --cluster "$D" keygen --curve secp256k1 --wallet w --json >/dev/null
  for _ in $(seq 600); do grep -q "presign culprit identified" "$D/logs/coordinator.log" && break; sleep 0.5; done
  times=()
  for _ in $(seq "$COUNT"); do
    t0=$(date +%s%N)
    code=$($B/mpc --cluster "$D" sign --wallet w --digest "$(head -c32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
      --signers node-1,node-2,node-3 --json 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1]).get("code"))' || true)
    times+=("$(( ($(date +%s%N) - t0) / 1000000 )) ms ($code)")
  done
  echo "== $cheat: forced signs (presign + identification): ${times[*]}"
  grep -h "identification names" "$D/logs/node-1.log" | tail -1 | cut -c1-220
  $B/mpc cluster down --dir "$D" >/dev/null; rm -rf "$D"; trap - EXIT
done
