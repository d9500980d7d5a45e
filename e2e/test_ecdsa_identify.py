"""CGGMP21 identification after a failed δ or χ check, end to end: node-2 is a real mpc-node process started with
the test-only `ecdsa.testCheatPresignDelta` (it announces δ_2 + 1 in presign round 3) or `ecdsa.testCheatPresignChi`
(S_2 + G: δ holds, Σ S_j ≠ δ·X). The honest signers run the identification round (Π^mul, Π^mul*, Π^aff-g, Π^dec),
name node-2 and only node-2; the coordinator keeps it out of the presign pool and of signing; the signature the
cluster then makes is checked with coincurve."""
import hashlib, json, os
from pathlib import Path

import coincurve
import pytest
import yaml

from conftest import ROOT, mpc, wait_until

PRIMES = ROOT / "Tests" / "ProtocolsTests" / "Fixtures" / "safe-primes.json"


def edit_yaml(path, change):
    data = yaml.safe_load(Path(path).read_text())
    change(data)
    Path(path).write_text(yaml.safe_dump(data))


# (node setting, the check that fails at the honest signers, what their verdict says)
CHEATS = {
    "delta": ("testCheatPresignDelta", "δ", "badProof(Protocols.CGGMPProofKind.dec, round: 4"),
    "chi": ("testCheatPresignChi", "χ", 'inconsistent("σ* does not match the Δ_i and S_i it announced")'),
}


@pytest.fixture(scope="module", params=sorted(CHEATS))
def cheat_cluster(request, tmp_path_factory):
    d = tmp_path_factory.mktemp("ident")
    mpc("cluster", "init", "--nodes", "5", "--threshold", "3", "--dir", str(d), "--aux-primes", str(PRIMES), timeout=120)
    setting = CHEATS[request.param][0]
    edit_yaml(d / "node-2" / "config.yaml", lambda c: c["ecdsa"].update({setting: True}))
    edit_yaml(d / "coordinator" / "config.yaml", lambda c: c.update({"presignPoolTarget": 1}))
    mpc("cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", str(d), timeout=120)
    yield d, CHEATS[request.param]
    mpc("cluster", "down", "--dir", str(d), check=False, timeout=60)


def log(d, name):
    p = Path(d) / "logs" / f"{name}.log"
    return p.read_text(errors="replace") if p.exists() else ""


def test_cheating_node_is_identified_and_signing_goes_on_without_it(cheat_cluster):
    d, (_, check, verdict) = str(cheat_cluster[0]), cheat_cluster[1]
    _, k, _, _ = mpc("--cluster", d, "keygen", "--curve", "secp256k1", "--wallet", "w", "--json", timeout=120)
    pub = bytes.fromhex(k["publicKey"])
    # the pool's presign for node-1,2,3 fails its δ (or χ) check; identification names node-2
    assert wait_until(lambda: "presign culprit identified for wallet w: node-2 (presign_culprits_total" in log(d, "coordinator"),
                      timeout=300), log(d, "coordinator")[-3000:]
    for n in ("node-1", "node-3"):
        assert f"presign {check} check failed: running identification" in log(d, n), n
        verdicts = [l for l in log(d, n).splitlines() if "identification names" in l]
        assert verdicts, n
        for v in verdicts:
            assert f"{check} check failed; identification names node-2: {verdict}" in v, v
            assert "node-1:" not in v and "node-3:" not in v, v
    # the pool refills without node-2
    pool_file = Path(d) / "coordinator" / "data" / "presign-pool.json"
    assert wait_until(lambda: pool_file.exists() and json.loads(pool_file.read_text()).get("w"), timeout=300)
    assert all("node-2" not in e["signers"] for e in json.loads(pool_file.read_text())["w"])
    # a sign forced onto node-1,2,3 (never retried) fails, and the client's error names node-2 alone
    rc, out, _, err = mpc("--cluster", d, "sign", "--wallet", "w", "--digest", os.urandom(32).hex(), "--signers",
                          "node-1,node-2,node-3", "--json", check=False, timeout=240)
    assert rc == 1 and out["code"] == "presign_culprit", (out, err)
    assert "(culprits: node-2)" in out["message"], out
    # signing works without node-2; coincurve verifies the signature under the wallet key
    digest = hashlib.sha256(os.urandom(32)).digest()
    _, s, _, _ = mpc("--cluster", d, "sign", "--wallet", "w", "--digest", digest.hex(), "--json", timeout=240)
    assert "node-2" not in s["signers"]
    sig = bytes.fromhex(s["signature"])
    der = coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(sig))
    assert coincurve.PublicKey(pub).verify(der, digest, hasher=None)
    assert not coincurve.PublicKey(pub).verify(der, hashlib.sha256(digest).digest(), hasher=None)
