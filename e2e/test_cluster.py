"""The cluster end to end: keygen over NATS among five node processes, signing by every 3-subset, and the
failure cases an operator meets (a node killed mid-flight, the broker restarted, hostile requests)."""
import asyncio, itertools, json, os, secrets, signal, subprocess, time
from pathlib import Path

import pytest
from coincurve import PublicKeyXOnly
from nacl.signing import VerifyKey
from nacl.exceptions import BadSignatureError

from conftest import AUX_PRIMES, mpc, pid_of, alive, restart, wait_until

NODES = [f"node-{i}" for i in range(1, 6)]


def verify(curve, public_key_hex, digest, signature_hex):
    pk, sig = bytes.fromhex(public_key_hex), bytes.fromhex(signature_hex)
    if curve == "ed25519":
        VerifyKey(pk).verify(digest, sig)          # raises BadSignatureError
        return True
    return PublicKeyXOnly(pk[-32:]).verify(sig, digest)


def sign(cluster, wallet, digest, signers=None, check=True):
    args = ["--cluster", str(cluster), "sign", "--wallet", wallet, "--digest", digest.hex(), "--json"]
    if signers:
        args += ["--signers", ",".join(signers)]
    return mpc(*args, check=check)


@pytest.fixture(scope="module")
def wallets(cluster):
    out = {}
    for curve in ("ed25519", "secp256k1-taproot"):
        _, key, _, _ = mpc("--cluster", str(cluster), "keygen", "--curve", curve, "--wallet", f"e2e-{curve}", "--json")
        assert key["walletId"] == f"e2e-{curve}" and key["curve"] == curve
        assert sorted(key["signers"]) == NODES
        out[curve] = key
    return out


@pytest.mark.parametrize("curve", ["ed25519", "secp256k1-taproot"])
def test_every_three_node_subset_signs_and_independent_verifiers_accept(cluster, wallets, curve):
    key = wallets[curve]
    for subset in itertools.combinations(NODES, 3):
        digest = secrets.token_bytes(32)
        _, res, _, _ = sign(cluster, key["walletId"], digest, signers=subset)
        assert sorted(res["signers"]) == sorted(subset)
        assert res["publicKey"] == key["publicKey"]
        assert verify(curve, key["publicKey"], digest, res["signature"])
        # The same signature must not verify for another message.
        other = bytes([digest[0] ^ 1]) + digest[1:]
        if curve == "ed25519":
            with pytest.raises(BadSignatureError):
                verify(curve, key["publicKey"], other, res["signature"])
        else:
            assert not verify(curve, key["publicKey"], other, res["signature"])


def test_pubkey_matches_keygen(cluster, wallets):
    for curve, key in wallets.items():
        _, res, _, _ = mpc("--cluster", str(cluster), "pubkey", "--wallet", key["walletId"], "--json")
        assert res["publicKey"] == key["publicKey"]


def test_bench_sign_reports_verified_latency_throughput_and_cpu_steal(cluster, wallets):
    n = 24
    _, r, _, _ = mpc("--cluster", str(cluster), "bench", "sign", "--wallet", wallets["ed25519"]["walletId"],
                     "--count", str(n), "--concurrency", "4", "--warmup", "2", "--json")
    assert r["count"] == n and r["ok"] == n and r["failed"] == 0 and r["errors"] == {}
    lat = r["latencyMillis"]
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]
    assert r["signaturesPerSecond"] > 0 and r["wallSeconds"] > 0
    # The hypervisor's share of the run's CPU time, from /proc/stat: a percentage on Linux.
    assert 0.0 <= r["stealPercent"] <= 100.0


def test_local_nats_server_runs_with_one_go_processor(cluster):
    # `mpc cluster up` starts nats-server with GOMAXPROCS=1 (its --nats-procs default).
    env = Path(f"/proc/{pid_of(cluster, 'nats')}/environ").read_bytes().split(b"\0")
    assert b"GOMAXPROCS=1" in env


def test_request_from_unknown_client_key_is_refused(cluster, wallets, tmp_path):
    other = tmp_path / "other"
    mpc("cluster", "init", "--nodes", "5", "--threshold", "3", "--dir", str(other))
    code, res, _, err = mpc("--cluster", str(cluster), "sign", "--wallet", wallets["ed25519"]["walletId"],
                            "--digest", secrets.token_bytes(32).hex(), "--identity", str(other / "client" / "identity.json"),
                            "--json", check=False)
    assert code != 0
    # The other cluster's client claims the id "client" with a key this cluster never authorized.
    assert res and res["code"] in ("unknown_sender", "bad_signature"), err


def test_hostile_messages_on_the_request_subject_crash_nothing(cluster, wallets):
    import nats

    manifest = json.loads((Path(cluster) / "manifest.json").read_text())
    url = manifest.get("natsURL") or manifest.get("natsUrl")
    assert url, "manifest has no NATS URL"

    async def flood():
        nc = await nats.connect(url)
        answers = []
        for payload in [b"", b"\x00", b"\x01" * 3, secrets.token_bytes(512), b"{not an envelope}"]:
            try:
                msg = await nc.request("mpc.sign.request", payload, timeout=3)
                answers.append(msg.data)
            except Exception as e:          # no answer is also acceptable; a crash is not
                answers.append(repr(e).encode())
        # 10 MB exceeds the broker's max payload: the broker refuses it before any node sees it.
        with pytest.raises(Exception):
            await nc.publish("mpc.sign.request", b"x" * (10 * 1024 * 1024))
            await nc.flush(timeout=3)
        await nc.close()
        return answers

    answers = asyncio.run(flood())
    assert len(answers) == 5
    for name in NODES + ["coordinator"]:
        assert alive(pid_of(cluster, name)), f"{name} died on hostile input"
    digest = secrets.token_bytes(32)
    _, res, _, _ = sign(cluster, wallets["ed25519"]["walletId"], digest)
    assert verify("ed25519", wallets["ed25519"]["publicKey"], digest, res["signature"])


def test_sigkill_a_node_signing_continues_and_the_restarted_node_keeps_its_shares(cluster, wallets):
    victim = "node-2"
    pid = pid_of(cluster, victim)
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: not alive(pid), 10)
    # Discovery drops it once its TTL (6 s) passes without a heartbeat; until then "healthy" is its last registration.
    def dropped():
        _, _, out, _ = mpc("--cluster", str(cluster), "status", check=False)
        return f"{victim} down" in out
    assert wait_until(dropped, 15), "killed node still listed healthy after its discovery TTL"
    for curve in ("ed25519", "secp256k1-taproot"):
        digest = secrets.token_bytes(32)
        _, res, _, _ = sign(cluster, wallets[curve]["walletId"], digest)
        assert victim not in res["signers"] and len(res["signers"]) == 3
        assert verify(curve, wallets[curve]["publicKey"], digest, res["signature"])
    # Restart it as it was started; it rejoins and signs with the shares it had.
    restart(cluster, victim, [c.decode() for c in cmdline])
    def rejoined():
        _, _, out, _ = mpc("--cluster", str(cluster), "status", check=False)
        return f"{victim} healthy" in out
    assert wait_until(rejoined, 30), "restarted node did not report healthy"
    for curve in ("ed25519", "secp256k1-taproot"):
        digest = secrets.token_bytes(32)
        _, res, _, _ = sign(cluster, wallets[curve]["walletId"], digest, signers=[victim, "node-4", "node-5"])
        assert verify(curve, wallets[curve]["publicKey"], digest, res["signature"])


def test_broker_restart_recovers_without_operator_action(cluster, wallets):
    pid = pid_of(cluster, "nats")
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: not alive(pid), 10)
    restart(cluster, "nats", [c.decode() for c in cmdline])
    digest = secrets.token_bytes(32)
    def signs():
        code, res, _, _ = sign(cluster, wallets["ed25519"]["walletId"], digest, check=False)
        return code == 0 and verify("ed25519", wallets["ed25519"]["publicKey"], digest, res["signature"])
    assert wait_until(signs, 45, step=1.0), "cluster did not recover after the broker restart"


def test_cluster_down_leaves_nothing_running(tmp_path):
    d = tmp_path / "short"
    mpc("cluster", "up", "--nodes", "3", "--threshold", "2", "--dir", str(d), "--aux-primes", AUX_PRIMES, timeout=120)
    pids = [pid_of(d, name) for name in ["nats", "coordinator", "node-1", "node-2", "node-3"]]
    assert all(alive(p) for p in pids)
    code, _, _, err = mpc("cluster", "up", "--nodes", "3", "--threshold", "2", "--dir", str(d), check=False)
    assert code != 0 and "cluster_running" in err
    mpc("cluster", "down", "--dir", str(d))
    assert wait_until(lambda: not any(alive(p) for p in pids), 15)
