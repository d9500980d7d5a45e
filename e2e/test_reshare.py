"""Resharing through the CLI on a real cluster: a 3-of-5 wallet moves to three members with threshold 2; the
public key is unchanged and every new 2-subset signs (PyNaCl / coincurve verify); removed members cannot sign."""
import itertools, secrets

import pytest
from coincurve import PublicKeyXOnly
from nacl.signing import VerifyKey
from nacl.exceptions import BadSignatureError

from conftest import mpc

NEW = ["node-1", "node-3", "node-5"]


def verify(curve, public_key_hex, digest, signature_hex):
    pk, sig = bytes.fromhex(public_key_hex), bytes.fromhex(signature_hex)
    if curve == "ed25519":
        try:
            VerifyKey(pk).verify(digest, sig)
            return True
        except BadSignatureError:
            return False
    return PublicKeyXOnly(pk[-32:]).verify(sig, digest)


@pytest.mark.parametrize("curve", ["ed25519", "secp256k1-taproot"])
def test_reshare_keeps_the_key_and_moves_the_signers(cluster, curve):
    wallet = f"reshare-{curve}"
    _, key, _, _ = mpc("--cluster", str(cluster), "keygen", "--curve", curve, "--wallet", wallet, "--json")
    _, res, _, _ = mpc("--cluster", str(cluster), "reshare", "--wallet", wallet, "--threshold", "2",
                       "--members", ",".join(reversed(NEW)), "--json", timeout=180)
    assert res["publicKey"] == key["publicKey"]
    assert res["signers"] == NEW and res["threshold"] == 2 and res["generation"] == 1

    for subset in itertools.combinations(NEW, 2):
        digest = secrets.token_bytes(32)
        _, sig, _, _ = mpc("--cluster", str(cluster), "sign", "--wallet", wallet, "--digest", digest.hex(),
                           "--signers", ",".join(subset), "--json")
        assert sig["signers"] == list(subset)
        assert verify(curve, key["publicKey"], digest, sig["signature"])
        assert not verify(curve, key["publicKey"], bytes([digest[0] ^ 1]) + digest[1:], sig["signature"])

    # node-2 and node-4 were removed: they are no holders any more.
    code, err, _, stderr = mpc("--cluster", str(cluster), "sign", "--wallet", wallet, "--digest", secrets.token_bytes(32).hex(),
                               "--signers", "node-1,node-2", "--json", check=False)
    assert code == 1 and err["code"] == "invalid_signers", stderr
    # Resharing again from the new committee (generation 2) back to 3-of-5 keeps the key too.
    _, back, _, _ = mpc("--cluster", str(cluster), "reshare", "--wallet", wallet, "--threshold", "3",
                        "--members", "node-1,node-2,node-3,node-4,node-5", "--json", timeout=180)
    assert back["publicKey"] == key["publicKey"] and back["generation"] == 2 and back["threshold"] == 3
    digest = secrets.token_bytes(32)
    _, sig, _, _ = mpc("--cluster", str(cluster), "sign", "--wallet", wallet, "--digest", digest.hex(),
                       "--signers", "node-2,node-4,node-5", "--json")
    assert verify(curve, key["publicKey"], digest, sig["signature"])


def test_reshare_refuses_bad_requests(cluster):
    _, key, _, _ = mpc("--cluster", str(cluster), "keygen", "--curve", "ed25519", "--wallet", "reshare-bad", "--json")
    for args, code in [(["--threshold", "1", "--members", "node-1,node-2"], "invalid_threshold"),
                       (["--threshold", "2", "--members", "node-1,node-1"], "invalid_members"),
                       (["--threshold", "2", "--members", "node-1,nobody"], "invalid_members")]:
        rc, err, _, _ = mpc("--cluster", str(cluster), "reshare", "--wallet", "reshare-bad", *args, "--json", check=False)
        assert rc == 1 and err["code"] == code
    rc, err, _, _ = mpc("--cluster", str(cluster), "reshare", "--wallet", "no-such-wallet", "--threshold", "2",
                        "--members", "node-1,node-2", "--json", check=False)
    assert rc == 1 and err["code"] == "unknown_wallet"
