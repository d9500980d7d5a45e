"""e2e harness: real processes only. `mpc cluster up` starts nats-server (JetStream), five mpc-node processes
(each with its own LMDB directory) and mpc-coordinator on loopback; tests drive the `mpc` CLI and check
signatures with independent verifiers from PyPI (PyNaCl, coincurve)."""
import json, os, signal, subprocess, time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".build" / "debug"
# Test fixture safe primes: nodes import them as threshold ECDSA aux info instead of generating (tests/dev only).
AUX_PRIMES = str(ROOT / "Tests" / "ProtocolsTests" / "Fixtures" / "safe-primes.json")


def mpc(*args, check=True, timeout=60, env=None):
    """Runs the CLI (with `env` as its environment when given); returns (exit code, parsed JSON or None, stdout, stderr)."""
    p = subprocess.run([str(BIN / "mpc"), *args], capture_output=True, text=True, timeout=timeout, env=env)
    out = None
    for line in reversed(p.stdout.strip().splitlines()):
        if line.startswith("{"):
            out = json.loads(line)
            break
    if check and p.returncode != 0:
        raise AssertionError(f"mpc {' '.join(args)} failed ({p.returncode}): {p.stderr.strip()} {p.stdout.strip()}")
    return p.returncode, out, p.stdout, p.stderr


def pid_of(cluster_dir, name):
    return int((Path(cluster_dir) / "run" / f"{name}.pid").read_text().split()[0])


def restart(cluster_dir, name, cmdline):
    """Starts `cmdline` again in the background and records it the way `mpc cluster up` does
    (DIR/run/<name>.pid holds "pid executable"), so `mpc cluster down` stops it too."""
    pid_file = Path(cluster_dir) / "run" / f"{name}.pid"
    executable = pid_file.read_text().split(maxsplit=1)[1].strip()
    log = open(Path(cluster_dir) / "logs" / f"{name}.restart.log", "ab")
    proc = subprocess.Popen(cmdline, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    pid_file.write_text(f"{proc.pid} {executable}\n")
    return proc


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def wait_until(predicate, timeout=30.0, step=0.25):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    for exe in ("mpc", "mpc-node", "mpc-coordinator"):
        assert (BIN / exe).exists(), f"{BIN / exe} missing: run `swift build` first"
    d = tmp_path_factory.mktemp("cluster")
    mpc("cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", str(d), "--aux-primes", AUX_PRIMES, timeout=120)
    yield d
    mpc("cluster", "down", "--dir", str(d), check=False, timeout=60)
