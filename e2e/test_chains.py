"""Chain commands against a real cluster (nats-server, five mpc-node processes, mpc-coordinator): `mpc address`,
`mpc sign-tx`, `mpc sign-message`. Every signature the cluster produced is checked by an independent verifier:
PyNaCl (Solana), coincurve / libsecp256k1 BIP-340 (Taproot, with the BIP-341 sighash recomputed here), eth-account
(every Ethereum transaction type, personal_sign, EIP-712). Inputs are the documented examples in examples/."""
import base64, hashlib, json, secrets
from pathlib import Path

import pytest
import rlp
from coincurve import PublicKey, PublicKeyXOnly
from eth_account import Account
from eth_account._utils.legacy_transactions import serializable_unsigned_transaction_from_dict, encode_transaction
from eth_account.messages import encode_defunct, encode_typed_data
from eth_keys import keys as eth_keys
from eth_utils import keccak
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from conftest import BIN, ROOT, mpc

EXAMPLES = ROOT / "examples"
SAFE_PRIMES = ROOT / "Tests" / "ProtocolsTests" / "Fixtures" / "safe-primes.json"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A 3-of-5 cluster as conftest's. When `cluster up` can import pre-generated safe primes as the nodes' ECDSA
    auxiliary info (tests only), it does, so threshold-ECDSA keygen does not wait for prime generation."""
    for exe in ("mpc", "mpc-node", "mpc-coordinator"):
        assert (BIN / exe).exists(), f"{BIN / exe} missing: run `swift build` first"
    d = tmp_path_factory.mktemp("chains")
    _, _, usage, _ = mpc("cluster", "up", "--help")
    extra = ["--aux-primes", str(SAFE_PRIMES)] if "--aux-primes" in usage and SAFE_PRIMES.exists() else []
    mpc("cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", str(d), *extra, timeout=120)
    yield d
    mpc("cluster", "down", "--dir", str(d), check=False, timeout=60)

# --- independent encodings (reference algorithms, written here from the specs) ---------------------------------

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n, s = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        n = n * 58 + B58.index(c)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (b >> i) & 1 else 0
    return chk


def segwit_decode(address: str):
    """BIP-173/350 reference decoding: (hrp, witness version, program); bech32m required for v1+."""
    hrp, _, data_part = address.rpartition("1")
    data = [BECH32.index(c) for c in data_part]
    expanded = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]
    const = bech32_polymod(expanded + data)
    version = data[0]
    assert const == (1 if version == 0 else 0x2BC830A3), "checksum / variant"
    acc = bits = 0
    prog = []
    for v in data[1:-6]:
        acc, bits = (acc << 5) | v, bits + 5
        if bits >= 8:
            bits -= 8
            prog.append((acc >> bits) & 0xFF)
    return hrp, version, bytes(prog)


def sha256(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def tagged(tag: str, msg: bytes) -> bytes:
    t = sha256(tag.encode())
    return sha256(t + t + msg)


def compact(n: int) -> bytes:
    assert n < 0xFD
    return bytes([n])


def parse_bitcoin_tx(raw: bytes):
    """BIP-144 parser: version, inputs (outpoint, sequence), outputs (serialized), witnesses, locktime."""
    pos = 0

    def take(n):
        nonlocal pos
        pos += n
        return raw[pos - n:pos]

    version = take(4)
    assert take(2) == b"\x00\x01", "segwit marker and flag"
    inputs = []
    for _ in range(take(1)[0]):
        outpoint = take(36)
        assert take(1) == b"\x00", "empty scriptSig"
        inputs.append((outpoint, take(4)))
    outputs = []
    for _ in range(take(1)[0]):
        value = take(8)
        script = take(take(1)[0])
        outputs.append(value + compact(len(script)) + script)
    witnesses = [[take(take(1)[0]) for _ in range(take(1)[0])] for _ in inputs]
    locktime = take(4)
    assert pos == len(raw), "trailing bytes"
    legacy = version + compact(len(inputs)) + b"".join(o + b"\x00" + s for o, s in inputs) \
        + compact(len(outputs)) + b"".join(outputs) + locktime
    return dict(version=version, inputs=inputs, outputs=outputs, witnesses=witnesses, locktime=locktime,
                txid=hashlib.sha256(sha256(legacy)).digest()[::-1].hex())


def taproot_key_path_sighash(tx, index, spent):
    """BIP-341 SigMsg for SIGHASH_DEFAULT, key path, no annex; spent = [(amount, scriptPubKey)]."""
    m = b"\x00" + tx["version"] + tx["locktime"]
    m += sha256(b"".join(o for o, _ in tx["inputs"]))
    m += sha256(b"".join(a.to_bytes(8, "little") for a, _ in spent))
    m += sha256(b"".join(compact(len(s)) + s for _, s in spent))
    m += sha256(b"".join(s for _, s in tx["inputs"]))
    m += sha256(b"".join(tx["outputs"]))
    m += b"\x00" + index.to_bytes(4, "little")
    return tagged("TapSighash", b"\x00" + m)


def sha256d(b: bytes) -> bytes:
    return sha256(sha256(b))


def p2wpkh_sighash_all(tx, index, amount, key_hash):
    """BIP-143 signature hash, SIGHASH_ALL, for a P2WPKH input."""
    outpoint, sequence = tx["inputs"][index]
    script_code = b"\x19\x76\xa9\x14" + key_hash + b"\x88\xac"
    preimage = tx["version"] + sha256d(b"".join(o for o, _ in tx["inputs"])) + sha256d(b"".join(q for _, q in tx["inputs"])) \
        + outpoint + script_code + amount.to_bytes(8, "little") + sequence + sha256d(b"".join(tx["outputs"])) \
        + tx["locktime"] + (1).to_bytes(4, "little")
    return sha256d(preimage)


# --- helpers ------------------------------------------------------------------------------------------------------

def cli(cluster, *args, check=True, timeout=180):
    return mpc("--cluster", str(cluster), *args, "--json", check=check, timeout=timeout)


def keygen(cluster, curve, wallet):
    # threshold ECDSA keygen (CGGMP21 with Paillier auxiliary info) takes far longer than FROST's DKG
    return cli(cluster, "keygen", "--curve", curve, "--wallet", wallet, check=False, timeout=600)


def results_count(cluster):
    """Requests the coordinator took on: each is claimed durably (its request log) before any work."""
    _, out, _, _ = cli(cluster, "status")
    return out["requestsClaimed"]


def example(name):
    return json.loads((EXAMPLES / name).read_text())


def write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return str(p)


@pytest.fixture(scope="module")
def ed25519_wallet(cluster):
    code, out, _, err = keygen(cluster, "ed25519", "chains-solana")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def taproot_wallet(cluster):
    code, out, _, err = keygen(cluster, "secp256k1-taproot", "chains-taproot")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def ecdsa_wallet(cluster):
    code, out, _, err = keygen(cluster, "secp256k1", "chains-evm")
    if code != 0 and out and out.get("code") == "unsupported_curve":
        pytest.skip("threshold ECDSA keygen answers unsupported_curve: the cluster does not serve secp256k1 (CGGMP21) wallets yet")
    assert code == 0, err
    assert out["curve"] == "secp256k1" and len(bytes.fromhex(out["publicKey"])) == 33
    return out


# --- Solana -------------------------------------------------------------------------------------------------------

def test_solana_transfer_signed_by_3_of_5_ed25519_wallet_verifies_with_pynacl(cluster, ed25519_wallet, tmp_path):
    wallet = ed25519_wallet["walletId"]
    _, addr, _, _ = cli(cluster, "address", "--wallet", wallet, "--chain", "solana")
    payer = b58decode(addr["address"])
    assert len(payer) == 32 and payer.hex() == ed25519_wallet["publicKey"] == addr["publicKey"]

    # The documented example, re-addressed: the wallet pays, with a fresh recent blockhash.
    doc = example("tx/solana-transfer.json")
    message = bytearray(base64.b64decode(doc["message"]))
    assert message[:4] == bytes([1, 0, 1, 3])            # legacy header, three account keys
    message[4:36] = payer
    message[4 + 3 * 32:4 + 4 * 32] = secrets.token_bytes(32)
    doc["message"] = base64.b64encode(bytes(message)).decode()
    before = results_count(cluster)
    _, out, _, _ = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "solana", "--tx", write(tmp_path, "sol.json", doc))
    assert results_count(cluster) == before + 1     # one sign request: what the refusal tests count

    raw = bytes.fromhex(out["raw"])
    assert base64.b64decode(out["rawBase64"]) == raw
    assert raw[0] == 1 and raw[65:] == bytes(message)    # one signature, then the message unchanged
    signature = raw[1:65]
    VerifyKey(payer).verify(bytes(message), signature)   # raises BadSignatureError
    assert out["txHash"] == b58encode(signature)
    assert len(out["signers"].split(",")) == 3
    tampered = bytearray(message)
    tampered[-1] ^= 1
    with pytest.raises(BadSignatureError):
        VerifyKey(payer).verify(bytes(tampered), signature)


def test_solana_message_with_another_fee_payer_is_refused_before_signing(cluster, ed25519_wallet, tmp_path):
    before = results_count(cluster)
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", ed25519_wallet["walletId"], "--chain", "solana",
                            "--tx", str(EXAMPLES / "tx" / "solana-transfer.json"), check=False)
    assert code != 0 and out["code"] == "CHAIN_SIGNER_MISMATCH" and out["field"] == "message.accountKeys[0]", err
    assert results_count(cluster) == before


# --- Bitcoin Taproot ----------------------------------------------------------------------------------------------

def test_taproot_key_path_spend_verifies_under_the_output_key(cluster, taproot_wallet, tmp_path):
    wallet = taproot_wallet["walletId"]
    output_key = bytes.fromhex(taproot_wallet["publicKey"])
    _, addr, _, _ = cli(cluster, "address", "--wallet", wallet, "--chain", "bitcoin-regtest")
    hrp, version, program = segwit_decode(addr["address"])
    assert (hrp, version, program) == ("bcrt", 1, output_key)       # the cluster's key IS the output key Q
    script = bytes.fromhex(addr["scriptPubKey"])
    assert script == b"\x51\x20" + output_key
    _, main, _, _ = cli(cluster, "address", "--wallet", wallet, "--chain", "bitcoin")
    assert segwit_decode(main["address"]) == ("bc", 1, output_key)

    # The documented example, spending two of the wallet's outputs back to its own address.
    doc = example("tx/bitcoin-p2tr.json")
    doc["chain"] = "bitcoin-regtest"
    first = doc["inputs"][0]
    first["scriptPubKey"] = script.hex()
    second = dict(first, txid=secrets.token_hex(32), vout=3, amount=50000)
    doc["inputs"] = [first, second]
    doc["outputs"][1]["address"] = addr["address"]
    before = results_count(cluster)
    _, out, _, _ = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "bitcoin-regtest", "--tx", write(tmp_path, "tr.json", doc))
    assert results_count(cluster) == before + 2     # one cluster signature per input

    tx = parse_bitcoin_tx(bytes.fromhex(out["raw"]))
    assert out["txHash"] == tx["txid"]
    spent = [(int(i["amount"]), script) for i in doc["inputs"]]
    for index, witness in enumerate(tx["witnesses"]):
        assert len(witness) == 1 and len(witness[0]) == 64               # SIGHASH_DEFAULT: bare BIP-340 signature
        digest = taproot_key_path_sighash(tx, index, spent)
        assert PublicKeyXOnly(output_key).verify(witness[0], digest)      # libsecp256k1 schnorrsig_verify
        assert not PublicKeyXOnly(output_key).verify(witness[0], taproot_key_path_sighash(tx, 1 - index, spent))
    assert len(out["signers"].split(";")) == 2


def test_taproot_input_of_another_key_is_refused(cluster, taproot_wallet, tmp_path):
    before = results_count(cluster)
    doc = example("tx/bitcoin-p2tr.json")   # spends the BIP-341 vector's output key, not the wallet's
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", taproot_wallet["walletId"], "--chain", "bitcoin",
                            "--tx", write(tmp_path, "other.json", doc), check=False)
    assert code != 0 and out["code"] == "CHAIN_SIGNER_MISMATCH" and out["field"] == "inputs[0].scriptPubKey", err
    assert results_count(cluster) == before


# --- refusals that need no ECDSA wallet -------------------------------------------------------------------------

def test_bad_input_names_the_field_and_signs_nothing(cluster, ed25519_wallet, taproot_wallet, tmp_path):
    before = results_count(cluster)
    wallet = ed25519_wallet["walletId"]
    # chainId 1 in the file, polygon on the command line
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "polygon",
                            "--tx", str(EXAMPLES / "tx" / "ethereum-legacy.json"), check=False)
    assert code != 0 and out["code"] == "CHAIN_ID_MISMATCH" and out["field"] == "chainId", err
    assert err.startswith("error CHAIN_ID_MISMATCH: chainId: ")
    doc = example("tx/ethereum-eip1559.json")
    del doc["nonce"]
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "base", "--tx", write(tmp_path, "n.json", doc), check=False)
    assert code != 0 and (out["code"], out["field"]) == ("CHAIN_FIELD_MISSING", "nonce"), err
    doc = example("tx/bitcoin-p2tr.json")
    doc["inputs"][0]["amount"] = 21_000_000 * 10**8 + 1
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", taproot_wallet["walletId"], "--chain", "bitcoin",
                            "--tx", write(tmp_path, "a.json", doc), check=False)
    assert code != 0 and (out["code"], out["field"]) == ("CHAIN_VALUE_OUT_OF_RANGE", "inputs[0].amount"), err
    # a wallet whose curve cannot serve the chain
    for w, chain in [(wallet, "ethereum"), (wallet, "bitcoin"), (taproot_wallet["walletId"], "solana"), (taproot_wallet["walletId"], "base")]:
        code, out, _, err = cli(cluster, "address", "--wallet", w, "--chain", chain, check=False)
        assert code != 0 and out["code"] == "CHAIN_WALLET_KEY_UNSUPPORTED", err
    code, out, _, err = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "ethereum",
                            "--tx", str(EXAMPLES / "tx" / "ethereum-legacy.json"), check=False)
    assert code != 0 and out["code"] == "CHAIN_WALLET_KEY_UNSUPPORTED", err
    code, out, _, err = cli(cluster, "sign-message", "--wallet", wallet, "--chain", "ethereum", "--personal", "hi", check=False)
    assert code != 0 and out["code"] == "CHAIN_WALLET_KEY_UNSUPPORTED", err
    assert results_count(cluster) == before


def test_schnorr_wallet_serves_no_chain(cluster):
    code, _, _, err = keygen(cluster, "secp256k1-schnorr", "chains-schnorr")
    assert code == 0, err
    code, out, _, err = cli(cluster, "address", "--wallet", "chains-schnorr", "--chain", "bitcoin", check=False)
    assert code != 0 and out["code"] == "CHAIN_WALLET_KEY_UNSUPPORTED" and "secp256k1-schnorr" in out["message"], err


# --- Ethereum family (threshold ECDSA) ----------------------------------------------------------------------------

EVM_EXAMPLES = [("ethereum-legacy.json", "ethereum"), ("ethereum-eip2930.json", "polygon"),
                ("ethereum-eip1559.json", "base"), ("ethereum-eip4844.json", "ethereum")]


def eth_account_dict(doc):
    """The example's fields as eth-account takes them (ints for quantities; legacy has no type)."""
    out = {}
    for k, v in doc.items():
        if k in ("chain", "from"):
            continue
        if k == "type":
            t = {"legacy": 0, "eip2930": 1, "eip1559": 2, "eip4844": 3}.get(v, v)
            t = int(t, 0) if isinstance(t, str) else t
            if t != 0:
                out["type"] = t
            continue
        if k in ("nonce", "gas", "value", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "maxFeePerBlobGas", "chainId"):
            v = int(v, 0) if isinstance(v, str) else v
        out[k] = v
    return out


@pytest.fixture(scope="module")
def evm_address(cluster, ecdsa_wallet):
    _, addr, _, _ = cli(cluster, "address", "--wallet", ecdsa_wallet["walletId"], "--chain", "ethereum")
    pub = eth_keys.PublicKey.from_compressed_bytes(bytes.fromhex(ecdsa_wallet["publicKey"]))
    assert addr["address"] == pub.to_checksum_address()
    _, by_id, _, _ = cli(cluster, "address", "--wallet", ecdsa_wallet["walletId"], "--chain-id", "11155111")
    assert by_id["address"] == addr["address"]
    return addr["address"]


@pytest.mark.parametrize("name,chain", EVM_EXAMPLES)
def test_every_ethereum_type_recovers_to_the_wallet(cluster, ecdsa_wallet, evm_address, tmp_path, name, chain):
    doc = example("tx/" + name)
    doc["from"] = evm_address
    _, out, _, _ = cli(cluster, "sign-tx", "--wallet", ecdsa_wallet["walletId"], "--chain", chain, "--tx", write(tmp_path, name, doc))
    raw = bytes.fromhex(out["raw"][2:])
    assert Account.recover_transaction(raw) == evm_address
    assert out["txHash"] == "0x" + keccak(raw).hex()
    # eth-account's own encoding of the same fields, with the cluster's (v, r, s), is the same bytes.
    fields = rlp.decode(raw) if raw[0] >= 0xC0 else rlp.decode(raw[1:])
    v, r, s = (int.from_bytes(x, "big") for x in fields[-3:])
    unsigned = serializable_unsigned_transaction_from_dict(eth_account_dict(doc))
    assert encode_transaction(unsigned, vrs=(v, r, s)) == raw
    if raw[0] >= 0xC0:
        assert v - 35 - 2 * int(doc["chainId"]) in (0, 1)                 # EIP-155
    assert s <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0   # low-S


def test_personal_sign_and_eip712_recover_to_the_wallet(cluster, ecdsa_wallet, evm_address):
    text = "custody e2e " + secrets.token_hex(8)
    _, out, _, _ = cli(cluster, "sign-message", "--wallet", ecdsa_wallet["walletId"], "--chain", "ethereum", "--personal", text)
    sig = bytes.fromhex(out["signature"][2:])
    assert len(sig) == 65 and sig[64] in (27, 28)
    assert Account.recover_message(encode_defunct(text=text), signature=sig) == evm_address

    path = EXAMPLES / "typed-data" / "mail.json"
    _, out, _, _ = cli(cluster, "sign-message", "--wallet", ecdsa_wallet["walletId"], "--chain", "ethereum", "--typed-data", str(path))
    sig = bytes.fromhex(out["signature"][2:])
    assert Account.recover_message(encode_typed_data(full_message=json.loads(path.read_text())), signature=sig) == evm_address
    # the document's domain is chain 1: another chain on the command line is refused before signing
    code, out, _, err = cli(cluster, "sign-message", "--wallet", ecdsa_wallet["walletId"], "--chain", "polygon",
                            "--typed-data", str(path), check=False)
    assert code != 0 and (out["code"], out["field"]) == ("CHAIN_ID_MISMATCH", "domain.chainId"), err


def test_p2wpkh_spend_verifies_under_the_wallet_key(cluster, ecdsa_wallet, tmp_path):
    wallet = ecdsa_wallet["walletId"]
    pub = bytes.fromhex(ecdsa_wallet["publicKey"])
    key_hash = hashlib.new("ripemd160", sha256(pub)).digest()
    _, addr, _, _ = cli(cluster, "address", "--wallet", wallet, "--chain", "bitcoin-testnet")
    assert segwit_decode(addr["address"]) == ("tb", 0, key_hash)
    assert addr["scriptPubKey"] == "0014" + key_hash.hex()

    doc = example("tx/bitcoin-p2wpkh.json")
    doc["chain"] = "bitcoin-testnet"
    doc["inputs"][0]["scriptPubKey"] = addr["scriptPubKey"]
    doc["outputs"] = [{"address": addr["address"], "amount": 599_000_000}]
    _, out, _, _ = cli(cluster, "sign-tx", "--wallet", wallet, "--chain", "bitcoin-testnet", "--tx", write(tmp_path, "wpkh.json", doc))
    tx = parse_bitcoin_tx(bytes.fromhex(out["raw"]))
    assert out["txHash"] == tx["txid"]
    (witness,) = tx["witnesses"]
    assert len(witness) == 2 and witness[1] == pub and witness[0][-1] == 0x01      # DER signature || SIGHASH_ALL, key
    digest = p2wpkh_sighash_all(tx, 0, int(doc["inputs"][0]["amount"]), key_hash)
    assert PublicKey(pub).verify(witness[0][:-1], digest, hasher=None)            # libsecp256k1 ECDSA (low-S) verify
    assert not PublicKey(pub).verify(witness[0][:-1], sha256(digest), hasher=None)
