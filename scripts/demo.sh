#!/usr/bin/env bash
# The main job, on embedded defaults: starts a local nats-server (JetStream), 5 node processes and the
# coordinator on loopback; creates a 3-of-5 wallet on each curve by DKG; signs a digest with each; verifies
# every signature with independent libraries (PyNaCl for Ed25519, coincurve/libsecp256k1 for BIP-340 and ECDSA);
# prints what it did; stops the cluster. `MPC_DEMO_DIR` chooses the cluster directory (default: a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for p in mpc mpc-node mpc-coordinator; do swift build --product "$p" 2>&1 | tail -1; done
MPC=.build/debug/mpc
DIR=${MPC_DEMO_DIR:-$(mktemp -d /tmp/mpc-demo.XXXXXX)}
trap '$MPC cluster down --dir "$DIR" >/dev/null 2>&1 || true' EXIT

echo "== starting a 3-of-5 cluster in $DIR"
# Threshold ECDSA aux info needs two safe primes per node; generating them takes minutes here, so the demo
# imports the test fixture primes (an explicit tests/dev-only step; production nodes generate their own).
$MPC cluster up --nodes 5 --threshold 3 --dir "$DIR" --aux-primes Tests/ProtocolsTests/Fixtures/safe-primes.json
DIGEST=$(printf 'threshold custody demo' | sha256sum | cut -d' ' -f1)
echo "== digest to sign: $DIGEST"

for CURVE in ed25519 secp256k1-taproot secp256k1-schnorr secp256k1; do
  WALLET="demo-$CURVE-$(date +%s)"
  echo
  echo "== $CURVE: keygen (DKG among the 5 nodes; no process ever holds the key)"
  KEY_JSON=$($MPC --cluster "$DIR" keygen --curve "$CURVE" --wallet "$WALLET" --json)
  echo "$KEY_JSON"
  case "$CURVE" in
    ed25519) CHAIN=solana ;; secp256k1-taproot) CHAIN=bitcoin ;; secp256k1) CHAIN=ethereum ;; *) CHAIN= ;;
  esac
  if [ -n "$CHAIN" ]; then
    echo "== $CURVE: $CHAIN address"
    $MPC --cluster "$DIR" address --wallet "$WALLET" --chain "$CHAIN"
  fi
  [ "$CURVE" = secp256k1 ] && ECDSA_WALLET=$WALLET
  echo "== $CURVE: sign"
  SIG_JSON=$($MPC --cluster "$DIR" sign --wallet "$WALLET" --digest "$DIGEST" --json)
  python3 - "$CURVE" "$DIGEST" "$KEY_JSON" "$SIG_JSON" <<'PY'
import json, sys
curve, digest, key, sig = sys.argv[1], bytes.fromhex(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
pk, s = bytes.fromhex(key["publicKey"]), bytes.fromhex(sig["signature"])
print(f"   wallet {sig['walletId']} signed by {', '.join(sig['signers'])}")
print(f"   public key {pk.hex()}")
print(f"   signature  {s.hex()}")
if curve == "ed25519":
    from nacl.signing import VerifyKey
    VerifyKey(pk).verify(digest, s)
    print("   verified by PyNaCl (libsodium Ed25519): valid")
elif curve == "secp256k1":
    import coincurve
    v = sig["recoveryId"]
    der = coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(s))
    assert coincurve.PublicKey(pk).verify(der, digest, hasher=None), "ECDSA verification failed"
    assert coincurve.PublicKey.from_signature_and_message(s + bytes([v]), digest, hasher=None).format() == pk, "recovery failed"
    print(f"   threshold ECDSA (CGGMP21): r={sig['r']} s={sig['s']} v={v}")
    print("   verified by coincurve (libsecp256k1 ECDSA, low-S) and recovered with v to the wallet key: valid")
elif curve == "secp256k1-taproot":
    from coincurve import PublicKeyXOnly
    assert PublicKeyXOnly(pk[-32:]).verify(s, digest), "BIP-340 verification failed"
    print("   verified by coincurve (libsecp256k1 BIP-340): valid")
else:
    # FROST(secp256k1, SHA-256) per RFC 9591: z·G == R + c·PK, c = H2(R || PK || m), checked with coincurve points.
    import hashlib
    from coincurve import PublicKey
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    def expand(msg, dst, length=48):
        dst_prime = dst + bytes([len(dst)])
        b0 = hashlib.sha256(bytes(64) + msg + length.to_bytes(2, "big") + b"\0" + dst_prime).digest()
        out, bi = b"", hashlib.sha256(b0 + b"\1" + dst_prime).digest()
        out += bi
        i = 2
        while len(out) < length:
            bi = hashlib.sha256(bytes(x ^ y for x, y in zip(b0, bi)) + bytes([i]) + dst_prime).digest(); out += bi; i += 1
        return out[:length]
    R, z = s[:33], int.from_bytes(s[33:], "big")
    c = int.from_bytes(expand(R + pk + digest, b"FROST-secp256k1-SHA256-v1chal"), "big") % n
    lhs = PublicKey.from_secret(z.to_bytes(32, "big"))
    rhs = PublicKey.combine_keys([PublicKey(R), PublicKey(pk).multiply(c.to_bytes(32, "big"))])
    assert lhs.format() == rhs.format(), "RFC 9591 verification failed"
    print("   verified by an independent RFC 9591 check over coincurve points: valid")
PY
done

echo
echo "== secp256k1: an EIP-1559 transaction on Base (examples/tx/ethereum-eip1559.json), signed by the cluster"
TX_JSON=$($MPC --cluster "$DIR" sign-tx --wallet "$ECDSA_WALLET" --chain base --tx examples/tx/ethereum-eip1559.json --json)
ADDR_JSON=$($MPC --cluster "$DIR" address --wallet "$ECDSA_WALLET" --chain base --json)
python3 - "$TX_JSON" "$ADDR_JSON" <<'PY'
import json, sys
from eth_account import Account
tx, addr = json.loads(sys.argv[1]), json.loads(sys.argv[2])
raw = tx["raw"]
print(f"   raw signed transaction {raw[:66]}... ({(len(raw) - 2) // 2 if raw.startswith('0x') else len(raw) // 2} bytes)")
print(f"   transaction hash {tx['txHash']}")
sender = Account.recover_transaction(raw)
assert sender.lower() == addr["address"].lower(), (sender, addr)
print(f"   eth-account recovers the sender {sender}: the wallet's address")
PY
echo
echo "== status"
$MPC --cluster "$DIR" status
echo "== stopping the cluster"
