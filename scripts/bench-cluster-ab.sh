#!/usr/bin/env bash
# Interleaved A/B of cluster signing: two running clusters (e.g. main's release binaries on one, this branch's on the
# other), each with an Ed25519 wallet WALLET; per round, `bench sign` on A then on B, and the CPU time every cluster
# process spent per signature (utime + stime from /proc/<pid>/stat, all of DIR/run/*.pid).
# Usage: bash scripts/bench-cluster-ab.sh MPC_A DIR_A MPC_B DIR_B COUNT CONCURRENCY [ROUNDS] [WALLET]
set -euo pipefail
MPC_A=$1 DIR_A=$2 MPC_B=$3 DIR_B=$4 N=$5 C=$6 R=${7:-3} W=${8:-bw}
cpu() {   # total and coordinator clock ticks of the cluster in $1
  local total=0 coord=0
  for f in "$1"/run/*.pid; do
    local pid t; pid=$(awk '{print $1}' "$f"); t=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    total=$((total + t)); [ "$(basename "$f")" = coordinator.pid ] && coord=$t
  done
  echo "$total $coord"
}
hz=$(getconf CLK_TCK)
for _ in $(seq "$R"); do
  for side in A B; do
    if [ $side = A ]; then MPC=$MPC_A; DIR=$DIR_A; else MPC=$MPC_B; DIR=$DIR_B; fi
    read -r t0 c0 < <(cpu "$DIR"); load=$(cut -d' ' -f1 /proc/loadavg)
    out=$("$MPC" --cluster "$DIR" bench sign --wallet "$W" --count "$N" --concurrency "$C" --warmup 5 --json)
    read -r t1 c1 < <(cpu "$DIR")
    python3 - "$side" "$C" "$N" "$out" "$((t1 - t0))" "$((c1 - c0))" "$hz" "$load" <<'PY'
import json, sys
side, c, n, out, dt, dc, hz, load = sys.argv[1:]
r = json.loads(out); l = r["latencyMillis"]; n = int(n); ms = 1000 / int(hz); signed = n + 5   # with the warm-up
print(f"{side} c={c} n={n} p50 {l['p50']:.1f} p95 {l['p95']:.1f} p99 {l['p99']:.1f} ms, {r['signaturesPerSecond']:.1f} sig/s, "
      f"failed {r['failed']}, steal {r.get('stealPercent', float('nan')):.1f} % | CPU per signature: cluster {int(dt) * ms / signed:.2f} ms, coordinator {int(dc) * ms / signed:.2f} ms | load {load}")
PY
  done
done
