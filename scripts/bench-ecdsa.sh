#!/usr/bin/env bash
# Threshold ECDSA (CGGMP21) signing end to end over NATS, release build: with a pooled presignature
# (one signing round) vs. without (presign + sign per request). Nodes import the benchmark primes
# (benchmarks/safe-primes.json, 11 nodes' worth; tests/dev only). Usage:
#   [BIN=DIR] [POOLED_ONLY=1] [NODES=5 THRESHOLD=3 PROFILE=2048|3072] bash scripts/bench-ecdsa.sh [COUNT] [INTERVAL_MS] [POOL_TARGET]
# prints, per run, the keygen time (`mpc keygen`: FROST DKG + conversion), the time until every node has verified
# every peer's aux info (Π^mod, Π^prm, Π^fac; the exchange starts with the first ECDSA keygen), and the bench report (JSON).
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
NODES=${NODES:-5}
THRESHOLD=${THRESHOLD:-3}
PROFILE=${PROFILE:-2048}
PRIMES=${PRIMES:-benchmarks/safe-primes.json}
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
  $B/mpc cluster init --nodes "$NODES" --threshold "$THRESHOLD" --dir "$DIR" --aux-primes "$PRIMES" >/dev/null
  python3 - "$DIR" "$2" "$PROFILE" <<'PY'
import glob, os, sys, yaml
d, target, profile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def edit(path, change):
    c = yaml.safe_load(open(path)); change(c); yaml.safe_dump(c, open(path, "w"))
edit(os.path.join(d, "coordinator", "config.yaml"), lambda c: c.update({"presignPoolTarget": target}))
for p in glob.glob(os.path.join(d, "node-*", "config.yaml")):
    edit(p, lambda c: c.setdefault("ecdsa", {}).update({"profileBits": profile}))
PY
  $B/mpc cluster up --nodes "$NODES" --threshold "$THRESHOLD" --dir "$DIR" >/dev/null
  local t0 t1 t2; t0=$(date +%s%N)
  $B/mpc --cluster "$DIR" keygen --curve secp256k1 --wallet bench --json >/dev/null
  t1=$(date +%s%N)
  # every node has verified every peer's aux info (Π^mod, Π^prm, Π^fac; started by the keygen): n × (n−1) exchanges
  for _ in $(seq 2400); do [ "$(cat "$DIR"/logs/node-*.log | grep -c 'aux info of .* verified')" -ge $((NODES * (NODES - 1))) ] && break; sleep 0.5; done
  t2=$(date +%s%N)
  echo "$THRESHOLD-of-$NODES, $PROFILE-bit: keygen $(( (t1 - t0) / 1000000 )) ms; every peer's aux info verified at every node $(( (t2 - t0) / 1000000 )) ms after the keygen started"
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
