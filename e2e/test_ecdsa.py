"""Threshold ECDSA (CGGMP21) wallets end to end: a 3-of-5 cluster whose nodes import the test fixture safe
primes (`cluster up --aux-primes`, tests only), keygen with `--curve secp256k1`, signatures checked with
coincurve (verify, and recover with v to the wallet key) and with eth-keys."""
import hashlib, os
from pathlib import Path

import coincurve
import pytest
from eth_keys import keys

from conftest import ROOT, mpc

PRIMES = ROOT / "Tests" / "ProtocolsTests" / "Fixtures" / "safe-primes.json"
ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@pytest.fixture(scope="module")
def ecdsa_cluster(tmp_path_factory):
    d = tmp_path_factory.mktemp("ecdsa")
    mpc("cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", str(d), "--aux-primes", str(PRIMES), timeout=120)
    yield d
    mpc("cluster", "down", "--dir", str(d), check=False, timeout=60)


def test_ecdsa_wallet_signs_and_independent_verifiers_accept(ecdsa_cluster):
    d = str(ecdsa_cluster)
    _, k, _, _ = mpc("--cluster", d, "keygen", "--curve", "secp256k1", "--wallet", "eth", "--json", timeout=120)
    pub = bytes.fromhex(k["publicKey"])
    assert len(pub) == 33 and pub[0] in (2, 3)
    eth_pub = keys.PublicKey.from_compressed_bytes(pub)
    for i in range(2):
        digest = hashlib.sha256(os.urandom(32) + bytes([i])).digest()
        _, s, _, _ = mpc("--cluster", d, "sign", "--wallet", "eth", "--digest", digest.hex(), "--json", timeout=240)
        sig = bytes.fromhex(s["signature"])
        r, ss, v = int(s["r"], 16), int(s["s"], 16), s["v"]
        assert sig == bytes.fromhex(s["r"]) + bytes.fromhex(s["s"]) and v == s["recoveryId"] and v in (0, 1)
        assert ss <= ORDER // 2  # low-S
        # coincurve: DER verify under the wallet key, and recovery with v
        der = coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(sig))
        assert coincurve.PublicKey(pub).verify(der, digest, hasher=None)
        assert coincurve.PublicKey.from_signature_and_message(sig + bytes([v]), digest, hasher=None).format() == pub
        assert coincurve.PublicKey.from_signature_and_message(sig + bytes([1 - v]), digest, hasher=None).format() != pub
        # eth-keys: recovery and verification
        es = keys.Signature(vrs=(v, r, ss))
        assert es.recover_public_key_from_msg_hash(digest) == eth_pub
        assert eth_pub.verify_msg_hash(digest, es)
        assert not eth_pub.verify_msg_hash(hashlib.sha256(digest).digest(), es)
