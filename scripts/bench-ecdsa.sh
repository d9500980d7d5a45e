#!/usr/bin/env bash
# Threshold ECDSA (CGGMP21) signing end to end over NATS, 3-of-5, release build: with a pooled presignature
# (one signing round) vs. without (presign + sign per request). Nodes import the test fixture primes
# (tests/dev only). Usage: [BIN=DIR] [POOLED_ONLY=1] bash scripts/bench-ecdsa.sh [COUNT] [INTERVAL_MS] [POOL_TARGET]   (prints both bench reports, JSON)
# Defaults 9, 4000, 4: the pool refills between two requests. INTERVAL_MS 1000 with POOL_TARGET 16 signs while the
# background refill (one presign after every sign) is running; a 4th argument START below POOL_TARGET starts signing
# once START are pooled, while presigning runs back to back. INTERVAL_MS 0 with POOL_TARGET 64 and COUNT 40 signs a burst
# back to back from a full pool (the refill waits while signing goes on, unless the pool falls to a quarter).
# The pooled run also prints the CPU time each cluster process spent per signature (utime + stime from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-9}
INTERVAL=${2:-4000}
POOL=${3:-4}
START=${4:-$POOL}   # pooled presignatures to wait for before the first request (below POOL: the refill is still running)
# BIN=DIR runs the binaries in DIR (e.g. another build, for an A/B) instead of building this tree's.
if [ -z "${BIN:-}" ]; then for p in mpc mpc-node mpc-coordinator; do swift build -c release --product "$p" 2>&1 | tail -1; done; fi
B=${BIN:-.build/release}
cluster_cpu() {  # {"process": clock ticks} of every process of the cluster in $1; bash builtins only, so that it reads
  # /proc before the pool's refill starts (50 ms after the last sign)
  local out="" f pid line name
  for f in "$1"/run/*.pid; do
    read -r pid _ < "$f"; read -r line < "/proc/$pid/stat"; local -a st=(${line##*) })
    name=${f##*/}; out+="\"${name%.pid}\": $((st[11] + st[12])), "
  done
  echo "{${out%, }}"
}
run() {  # $1 = mode (pooled | fresh), $2 = pool target
  local DIR; DIR=$(mktemp -d /tmp/mpc-bench-ecdsa.XXXXXX)
  trap "$B/mpc cluster down --dir $DIR >/dev/null 2>&1 || true; rm -rf $DIR" RETURN
  $B/mpc cluster init --nodes 5 --threshold 3 --dir "$DIR" --aux-primes Tests/ProtocolsTests/Fixtures/safe-primes.json >/dev/null
  python3 - "$DIR/coordinator" "$2" <<'PY'
import json, os, sys, yaml
d, target = sys.argv[1], int(sys.argv[2])
p = os.path.join(d, "config.yaml") if os.path.exists(os.path.join(d, "config.yaml")) else os.path.join(d, "config.json")
load, dump = (yaml.safe_load, yaml.safe_dump) if p.endswith(".yaml") else (json.load, json.dump)
c = load(open(p)); c["presignPoolTarget"] = target; dump(c, open(p, "w"))
PY
  $B/mpc cluster up --nodes 5 --threshold 3 --dir "$DIR" >/dev/null
  $B/mpc --cluster "$DIR" keygen --curve secp256k1 --wallet bench --json >/dev/null
  # every node has verified every peer's aux info (Π^mod, Π^prm, Π^fac; started by the keygen): 5 × 4 exchanges
  for _ in $(seq 600); do [ "$(cat "$DIR"/logs/node-*.log | grep -c 'aux info of .* verified')" -ge 20 ] && break; sleep 0.5; done
  if [ "$1" = pooled ]; then
    for _ in $(seq 600); do python3 -c "import json,sys; sys.exit(0 if len(json.load(open('$DIR/coordinator/data/presign-pool.json')).get('bench',[]))>=$START else 1)" 2>/dev/null && break; sleep 0.5; done
    local before; before=$(cluster_cpu "$DIR")
    $B/mpc --cluster "$DIR" bench sign --wallet bench --count "$COUNT" --warmup 0 --interval-ms "$INTERVAL" --json
    python3 - "$before" "$(cluster_cpu "$DIR")" "$COUNT" "$(getconf CLK_TCK)" "$INTERVAL" <<'PY'
import json, sys
a, b, n, hz = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per = {k: (b[k] - a[k]) * 1000 / hz / n for k in sorted(a)}
print("CPU per signature (ms" + ("; with an interval it includes the refill, one presign per sign" if int(sys.argv[5]) > 0 else "") + "): " + ", ".join(f"{k} {v:.2f}" for k, v in per.items() if v > 0)
      + f"; cluster {sum(per.values()):.2f}")
PY
  else
    $B/mpc --cluster "$DIR" bench sign --wallet bench --count "$COUNT" --warmup 1 --interval-ms 1000 --json
  fi
  echo "$1: $(grep -c 'with pooled presignature' "$DIR/logs/coordinator.log" || true) signatures from the pool, $(grep -c 'presign and sign' "$DIR/logs/coordinator.log" || true) with presign + sign"
}
echo "== with a pooled presignature (presignPoolTarget $POOL, one request every $INTERVAL ms)"; run pooled "$POOL"
# POOLED_ONLY=1 skips the run without a pool (e.g. for an A/B of the pooled path).
if [ -z "${POOLED_ONLY:-}" ]; then echo "== without (presignPoolTarget 0: presign + sign per request)"; run fresh 0; fi
