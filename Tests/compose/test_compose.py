"""Validates compose/docker-compose.yml, compose/Dockerfile and .dockerignore without a Docker engine.

The structural checks (PyYAML + text parsing) always run. `docker compose config -q` runs in addition
when the compose plugin is installed; otherwise that one test is skipped with the reason.
Run: python3 -m pytest -q Tests/compose
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
DOCKERFILE = COMPOSE_DIR / "Dockerfile"
NODE_COUNT = 5
THRESHOLD = "3"
REQUIRED_NODE_ENV = {"NODE_ID", "NATS_URL", "CONSUL_ADDRESS", "MPC_THRESHOLD", "DB_PATH"}
SECRET_WORDS = re.compile(r"PASS|SECRET|PASSWORD|TOKEN|PRIVATE|SEED", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose():
    with COMPOSE_FILE.open() as f:
        doc = yaml.safe_load(f)
    assert isinstance(doc, dict), "compose file is not a mapping"
    return doc


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def nodes(services):
    return {name: svc for name, svc in services.items() if re.fullmatch(r"mpc-node-\d+", name)}


def env_of(svc):
    env = svc.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def volume_mounts(svc):
    """(source, target, read_only) for short-syntax and long-syntax volumes."""
    out = []
    for v in svc.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            out.append((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
        else:
            out.append((v.get("source"), v["target"], bool(v.get("read_only"))))
    return out


def depends_on(svc):
    d = svc.get("depends_on", {})
    return {name: "service_started" for name in d} if isinstance(d, list) else {k: v.get("condition") for k, v in d.items()}


# ---------- Dockerfile parsing ----------

def dockerfile_text():
    return DOCKERFILE.read_text()


def dockerfile_stages(text):
    return re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)\s*$", text, re.MULTILINE | re.IGNORECASE)


def stage_bodies(text):
    """stage name -> its instructions (text up to the next FROM)."""
    parts = re.split(r"^(?=FROM\s)", text, flags=re.MULTILINE)
    bodies = {}
    for p in parts:
        m = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", p, re.IGNORECASE)
        if m:
            bodies[m.group(2)] = (m.group(1), p)
    return bodies


def copied_binaries(text):
    m = re.search(r"^COPY\s+--from=builder\s+(.+)\s+/usr/local/bin/\s*$", text, re.MULTILINE)
    assert m, "runtime stage does not COPY binaries from the builder into /usr/local/bin/"
    return [Path(p).name for p in m.group(1).split()]


def built_products(text):
    m = re.search(r"for product in ([^;]+); do", text)
    assert m, "builder does not loop over the products it builds"
    return m.group(1).split()


def package_products():
    text = (ROOT / "Package.swift").read_text()
    return set(re.findall(r'\.executable\(\s*name:\s*"([^"]+)"', text))


def setup_dev_packages():
    text = (ROOT / "scripts" / "setup.sh").read_text()
    # Up to the line that closes the array (comments inside may hold parentheses).
    m = re.search(r"DEBIAN_PACKAGES=\((.*?)^\)", text, re.DOTALL | re.MULTILINE)
    assert m, "scripts/setup.sh has no DEBIAN_PACKAGES"
    names = [line.split("#")[0].strip() for line in m.group(1).splitlines()]
    dev = [n for n in names if n.endswith("-dev")]
    assert len(dev) >= 5, f"could not read the -dev packages of scripts/setup.sh: {dev}"
    return dev


# ---------- compose structure ----------

def test_core_services_present(services):
    for name in ("nats", "consul", "mpc-coordinator"):
        assert name in services, f"service {name} missing"


def test_five_nodes_with_distinct_ids_and_volumes(nodes, compose):
    assert len(nodes) == NODE_COUNT, f"expected {NODE_COUNT} mpc-node services, found {sorted(nodes)}"
    ids = [env_of(svc).get("NODE_ID") for svc in nodes.values()]
    assert len(set(ids)) == NODE_COUNT and None not in ids, f"NODE_IDs not distinct: {ids}"
    declared = set((compose.get("volumes") or {}).keys())
    data_volumes = []
    for name, svc in nodes.items():
        named = [src for src, _, _ in volume_mounts(svc) if src and not src.startswith((".", "/"))]
        assert len(named) == 1, f"{name}: expected exactly one named data volume, got {named}"
        assert named[0] in declared, f"{name}: volume {named[0]} not declared at top level"
        data_volumes.append(named[0])
    assert len(set(data_volumes)) == NODE_COUNT, f"nodes share data volumes: {data_volumes}"


def test_node_environment(nodes):
    for name, svc in nodes.items():
        env = env_of(svc)
        missing = REQUIRED_NODE_ENV - env.keys()
        assert not missing, f"{name}: missing env {sorted(missing)}"
        assert env["NATS_URL"] == "nats://nats:4222", name
        assert env["CONSUL_ADDRESS"] == "consul:8500", name
        assert env["MPC_THRESHOLD"] == THRESHOLD, name
        # The store must live on the node's own volume, not in the container's writable layer.
        mounts = [t for src, t, _ in volume_mounts(svc) if src and not src.startswith((".", "/"))]
        assert any(env["DB_PATH"] == t or env["DB_PATH"].startswith(t.rstrip("/") + "/") for t in mounts), \
            f"{name}: DB_PATH {env['DB_PATH']} is not on a named volume {mounts}"
        # The config the node is started with is mounted, read-only.
        cmd = svc.get("command", [])
        assert "--config" in cmd, f"{name}: not started with --config"
        config = cmd[cmd.index("--config") + 1]
        assert any(t == config and ro for _, t, ro in volume_mounts(svc)), f"{name}: {config} not mounted read-only"
        assert env["NODE_ID"] in config, f"{name}: config {config} is not the one of {env['NODE_ID']}"


def test_no_passphrase_in_clear(services, nodes, compose):
    for name, svc in services.items():
        for key, value in env_of(svc).items():
            assert not SECRET_WORDS.search(key), f"{name}: secret-looking variable {key} in the compose file"
            if value:
                assert not SECRET_WORDS.search(value) or value.startswith("${"), f"{name}: {key}={value}"
    top_secrets = compose.get("secrets") or {}
    for name, svc in nodes.items():
        node_id = env_of(svc)["NODE_ID"]
        secrets = svc.get("secrets", [])
        assert secrets, f"{name}: no passphrase secret"
        for s in secrets:
            source = s if isinstance(s, str) else s["source"]
            assert source in top_secrets, f"{name}: secret {source} not declared"
            definition = top_secrets[source]
            assert set(definition) == {"file"}, f"secret {source} must come from a file, not {definition}"
            assert node_id in definition["file"], f"{name}: uses another node's secret {definition['file']}"
    raw = COMPOSE_FILE.read_text()
    assert not re.search(r"(?i)(passphrase|password)\s*[:=]\s*[^$\s{][^\s]*", raw.replace("-passphrase:", "")), \
        "a passphrase/password value appears in the compose file"


def test_each_node_gets_only_its_own_secret(nodes, compose):
    sources = [s if isinstance(s, str) else s["source"] for svc in nodes.values() for s in svc["secrets"]]
    assert len(sources) == len(set(sources)) == NODE_COUNT, sources


def test_depends_on_and_healthchecks(services, nodes):
    for name, svc in services.items():
        if "init" in (svc.get("profiles") or []):
            continue
        hc = svc.get("healthcheck")
        assert hc and hc.get("test"), f"{name}: no healthcheck"
        assert hc["test"][0] in ("CMD", "CMD-SHELL"), f"{name}: healthcheck test form {hc['test'][0]}"
    for name, svc in nodes.items():
        deps = depends_on(svc)
        assert deps.get("nats") == "service_healthy", f"{name}: must wait for a healthy nats"
        assert deps.get("consul") == "service_healthy", f"{name}: must wait for a healthy consul"
    coord = depends_on(services["mpc-coordinator"])
    assert coord.get("nats") == "service_healthy"
    for name in nodes:
        assert coord.get(name) == "service_healthy", f"coordinator does not wait for {name}"
    assert "-js" in services["nats"]["command"], "nats must run with JetStream"
    assert any(t == "/data" for _, t, _ in volume_mounts(services["nats"])), "nats JetStream store not on a volume"


def test_images_and_build_targets_match_the_dockerfile(services):
    stages = set(dockerfile_stages(dockerfile_text()))
    built = [(n, s) for n, s in services.items() if "build" in s]
    assert {n for n, _ in built} >= {"mpc-coordinator", *[f"mpc-node-{i}" for i in range(1, NODE_COUNT + 1)]}
    for name, svc in built:
        b = svc["build"]
        context = (COMPOSE_DIR / b["context"]).resolve()
        assert context == ROOT, f"{name}: build context {context} is not the repository root"
        assert (context / b["dockerfile"]).resolve() == DOCKERFILE, f"{name}: dockerfile {b['dockerfile']}"
        assert b.get("target") in stages, f"{name}: target {b.get('target')} is not a stage of the Dockerfile {stages}"
        image = svc.get("image", "")
        assert image.split(":")[0].endswith("/" + b["target"]), f"{name}: image {image} does not name target {b['target']}"


def test_compose_never_publishes_node_ports(nodes, services):
    for name, svc in nodes.items():
        assert not svc.get("ports"), f"{name}: nodes are reached over NATS only"
    for name in ("nats", "consul"):
        for p in services[name].get("ports", []):
            assert str(p).startswith("127.0.0.1:"), f"{name}: port {p} published beyond localhost"


# ---------- Dockerfile ----------

def test_dockerfile_stages_and_runtime():
    text = dockerfile_text()
    stages = dockerfile_stages(text)
    for s in ("builder", "runtime", "mpc-node", "mpc-coordinator", "mpc-cli"):
        assert s in stages, f"stage {s} missing from {stages}"
    bodies = stage_bodies(text)
    assert "swift" in bodies["builder"][0].lower(), "builder is not a swift image"
    runtime = bodies["runtime"][1]
    for lib in ("libsodium23", "libsecp256k1-1", "libgmp10", "liblmdb0"):
        assert lib in runtime, f"runtime lacks {lib}"
    assert re.search(r"\blibnats3\.\d+\b", runtime), "runtime lacks libnats3.x"
    user = re.findall(r"^USER\s+(\S+)", runtime, re.MULTILINE)
    assert user and not user[-1].split(":")[0] in ("root", "0"), "runtime must run as a non-root user"
    for stage, binary in (("mpc-node", "mpc-node"), ("mpc-coordinator", "mpc-coordinator"), ("mpc-cli", "mpc")):
        base, body = bodies[stage]
        assert base == "runtime", f"{stage} does not build on the runtime stage"
        assert f'"/usr/local/bin/{binary}"' in body, f"{stage} entrypoint is not {binary}"


def test_builder_installs_the_setup_dev_packages():
    builder = stage_bodies(dockerfile_text())["builder"][1]
    for pkg in setup_dev_packages():
        assert re.search(rf"\b{re.escape(pkg)}\b", builder), f"builder does not install {pkg} (scripts/setup.sh)"
    assert "-c release" in builder


def test_copied_binaries_are_built_and_are_package_products():
    text = dockerfile_text()
    copied, built = copied_binaries(text), built_products(text)
    assert sorted(copied) == sorted(built) == ["mpc", "mpc-coordinator", "mpc-node"], (copied, built)
    products = package_products()
    missing = [b for b in copied if b not in products]
    if missing and not (ROOT / "Sources" / "MPCNode").exists():
        # The executables are written on another branch; once they land this check is strict.
        assert "mpc" in products, "mpc is not a product of Package.swift"
        pytest.skip(f"{missing} are not yet products of Package.swift on this branch")
    assert not missing, f"Dockerfile copies binaries that Package.swift does not build: {missing}"


def test_dockerignore_keeps_secrets_and_build_output_out_of_the_context():
    lines = {l.strip() for l in (ROOT / ".dockerignore").read_text().splitlines() if l.strip() and not l.startswith("#")}
    for needed in (".build/", "compose/cluster/", ".git/"):
        assert needed in lines, f".dockerignore lacks {needed}"
    for kept in ("Sources", "Tests", "Package.swift"):
        assert kept not in lines and kept + "/" not in lines, f".dockerignore excludes {kept}, which the build copies"


def test_readme_explains_running_and_ci():
    text = (COMPOSE_DIR / "README.md").read_text()
    assert "docker compose" in text and "mpc-init" in text
    assert "Tests/compose/test_compose.py" in text


# ---------- optional: the real compose parser ----------

def docker_compose_available():
    if not shutil.which("docker"):
        return False
    r = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=30)
    return r.returncode == 0


def test_docker_compose_config_accepts_the_file(tmp_path):
    if not docker_compose_available():
        pytest.skip("docker compose plugin not installed here: only the structural checks above ran")
    # Secrets and bind-mounted files must exist for `config` to resolve them; use a scratch copy of compose/.
    scratch = tmp_path / "compose"
    shutil.copytree(COMPOSE_DIR, scratch, ignore=shutil.ignore_patterns("cluster"))
    for i in range(1, NODE_COUNT + 1):
        d = scratch / "cluster" / f"node-{i}"
        d.mkdir(parents=True)
        for f in ("passphrase", "config.yaml", "identity.json"):
            (d / f).write_text("x")
    coordinator = scratch / "cluster" / "coordinator"
    coordinator.mkdir(parents=True)
    for f in ("passphrase", "config.yaml", "identity.json"):
        (coordinator / f).write_text("x")
    env = {k: v for k, v in os.environ.items() if k != "DOCKER_HOST"} | {"DOCKER_HOST": "unix:///nonexistent.sock"}
    r = subprocess.run(["docker", "compose", "-f", str(scratch / "docker-compose.yml"), "config", "-q"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
