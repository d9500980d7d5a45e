#!/usr/bin/env bash
# Installs every Debian and PyPI package the build, the tests and the local cluster need.
# Safe to run again: apt and pip skip what is already there. Needs root (CI and dev machines run as root).
set -euo pipefail

DEBIAN_PACKAGES=(
  libsodium-dev      # Ed25519, X25519, AES-256-GCM, Argon2id, SHA-2
  libsecp256k1-dev   # secp256k1 points, BIP-340 verification, ECDSA verification/recovery
  libgmp-dev         # big integers for Paillier (CGGMP21)
  liblmdb-dev        # the node's store
  libnats-dev        # the cnats client
  nats-server        # the broker for tests and the local cluster
  libcurl4-openssl-dev
  python3-venv
)
PYPI_PACKAGES=(pynacl coincurve eth-account eth-keys nats-py pytest pyyaml)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

need_pip=0
for m in nacl coincurve eth_account eth_keys nats pytest yaml; do
  python3 -c "import $m" >/dev/null 2>&1 || need_pip=1
done
if [ $need_pip -eq 1 ]; then
  echo "setup: installing PyPI packages: ${PYPI_PACKAGES[*]}"
  python3 -m pip install -q --disable-pip-version-check "${PYPI_PACKAGES[@]}"
fi
echo "setup: done"
