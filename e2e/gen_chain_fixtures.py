#!/usr/bin/env python3
"""Generates Tests/ChainsTests/Fixtures/eth-account.json: independent Ethereum fixtures from PyPI's eth-account.

For fixed private keys and fixed transactions of every type (legacy EIP-155 on two chains, EIP-2930, EIP-1559,
EIP-4844 without sidecar), plus personal_sign (EIP-191) and EIP-712 documents, it records the input fields,
eth-account's signing hash, raw signed transaction, transaction hash, r/s/v (yParity) and the signer address.
The Swift tests recompute digest, raw encoding (from r, s, v), hash and address and compare byte for byte.

Deterministic: eth-account signs with RFC 6979 nonces, so rerunning gives the same file.
It also writes Tests/ChainsTests/Fixtures/solana.json: a Solana transfer message (legacy and v0) signed with PyNaCl
(Ed25519, RFC 8032 test-1 key), the wire transaction and base58 address/signature (base58 computed here with
Python integers, independently of the Swift code).
Usage: python3 e2e/gen_chain_fixtures.py [output-dir]
"""
import json
import os
import sys

import eth_account
from eth_account import Account
from eth_account._utils.legacy_transactions import serializable_unsigned_transaction_from_dict
from eth_account.messages import encode_defunct, encode_typed_data, _hash_eip191_message
from eth_keys import keys

KEYS = [
    "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
    "0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f",
    "0x0000000000000000000000000000000000000000000000000000000000000001",
]

ACCESS_LIST = [
    {"address": "0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe",
     "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000003",
                     "0x0000000000000000000000000000000000000000000000000000000000000007"]},
    {"address": "0xbb9bc244d798123fde783fcc1c72d3bb8c189413", "storageKeys": []},
]

TXS = [
    ("legacy-ethereum", 0, {"type": "0x0", "chainId": 1, "nonce": 0, "to": "0x3535353535353535353535353535353535353535",
                             "value": 10**18, "gas": 21000, "gasPrice": 20 * 10**9, "data": "0x"}),
    ("legacy-polygon", 1, {"type": "0x0", "chainId": 137, "nonce": 4242, "to": "0xF0109fC8DF283027b6285cc889F5aA624EaC1F55",
                            "value": 123456789012345678901234, "gas": 100000, "gasPrice": 31 * 10**9,
                            "data": "0xa9059cbb000000000000000000000000f0109fc8df283027b6285cc889f5aa624eac1f550000000000000000000000000000000000000000000000000000000000000001"}),
    ("legacy-bsc-zero-value", 2, {"type": "0x0", "chainId": 56, "nonce": 1, "to": "0x0000000000000000000000000000000000000000",
                                   "value": 0, "gas": 21000, "gasPrice": 3 * 10**9, "data": "0x"}),
    ("eip2930-ethereum", 0, {"type": "0x1", "chainId": 1, "nonce": 7, "to": "0x3535353535353535353535353535353535353535",
                              "value": 5, "gas": 60000, "gasPrice": 15 * 10**9, "data": "0x1234", "accessList": ACCESS_LIST}),
    ("eip1559-base", 1, {"type": "0x2", "chainId": 8453, "nonce": 3, "to": "0x3535353535353535353535353535353535353535",
                          "value": 2**200, "gas": 30000, "maxFeePerGas": 2 * 10**9, "maxPriorityFeePerGas": 10**8,
                          "data": "0x", "accessList": []}),
    ("eip1559-arbitrum-create", 0, {"type": "0x2", "chainId": 42161, "nonce": 0, "to": "", "value": 0, "gas": 1000000,
                                     "maxFeePerGas": 10**8, "maxPriorityFeePerGas": 0,
                                     "data": "0x6080604052348015600f57600080fd5b50603f80601d6000396000f3fe", "accessList": ACCESS_LIST}),
    ("eip1559-sepolia-user-chain", 2, {"type": "0x2", "chainId": 11155111, "nonce": 300, "to": "0x3535353535353535353535353535353535353535",
                                        "value": 1, "gas": 21000, "maxFeePerGas": 3 * 10**10, "maxPriorityFeePerGas": 2 * 10**9,
                                        "data": "0x", "accessList": []}),
    ("eip4844-ethereum", 0, {"type": "0x3", "chainId": 1, "nonce": 11, "to": "0x3535353535353535353535353535353535353535",
                              "value": 0, "gas": 21000, "maxFeePerGas": 5 * 10**10, "maxPriorityFeePerGas": 10**9,
                              "maxFeePerBlobGas": 3 * 10**9, "data": "0x", "accessList": ACCESS_LIST[:1],
                              "blobVersionedHashes": ["0x01" + "ab" * 31, "0x01" + "cd" * 31]}),
]

PERSONAL = [
    ("text", 0, "hello threshold custody"),
    ("bytes", 1, "0xdeadbeef00ff"),
]

MAIL_EIP712 = {  # the example from EIP-712 itself
    "types": {
        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                          {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}],
    },
    "primaryType": "Mail",
    "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
    "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"},
}

NESTED_EIP712 = {  # nested structs, arrays of structs and atoms, dynamic bytes/string, signed ints, fixed arrays
    "types": {
        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                          {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
                          {"name": "salt", "type": "bytes32"}],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallets", "type": "address[]"}],
        "Group": [{"name": "label", "type": "string"}, {"name": "members", "type": "Person[]"}],
        "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person[]"}, {"name": "contents", "type": "string"},
                 {"name": "attachment", "type": "bytes"}, {"name": "tags", "type": "string[]"},
                 {"name": "amounts", "type": "uint256[]"}, {"name": "flag", "type": "bool"}, {"name": "delta", "type": "int256"},
                 {"name": "small", "type": "int8"}, {"name": "digest", "type": "bytes32"}, {"name": "short", "type": "bytes4"},
                 {"name": "pair", "type": "uint16[2]"}, {"name": "group", "type": "Group"}],
    },
    "primaryType": "Mail",
    "domain": {"name": "Custody Mail", "version": "2", "chainId": 137, "verifyingContract": "0x1c7d4B196Cb0C7B01d743Fbc6116a902379C7238".lower(),
               "salt": "0x" + "11" * 32},
    "message": {
        "from": {"name": "Cow", "wallets": ["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF"]},
        "to": [{"name": "Bob", "wallets": ["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"]}, {"name": "Eve", "wallets": []}],
        "contents": "Hello, Bob! ünïcödé",
        "attachment": "0x00ff10",
        "tags": ["a", "", "long tag"],
        "amounts": [0, 1, 2**256 - 1],
        "flag": True,
        "delta": -12345678901234567890,
        "small": -1,
        "digest": "0x" + "22" * 32,
        "short": "0x01020304",
        "pair": [1, 65535],
        "group": {"label": "ops", "members": [{"name": "Alice", "wallets": ["0x3535353535353535353535353535353535353535"]}]},
    },
}


def hx(b) -> str:
    return "0x" + bytes(b).hex()


def signer(i):
    key = KEYS[i]
    pk = keys.PrivateKey(bytes.fromhex(key[2:])).public_key
    return {"privateKey": key, "publicKeyCompressed": hx(pk.to_compressed_bytes()),
            "publicKeyUncompressed": hx(b"\x04" + pk.to_bytes()), "address": pk.to_checksum_address()}


def sig_fields(r, s, v):
    return {"r": hx(r.to_bytes(32, "big")), "s": hx(s.to_bytes(32, "big")), "v": v}


def main():
    out = {"generator": f"e2e/gen_chain_fixtures.py with eth-account {eth_account.__version__ if hasattr(eth_account, '__version__') else ''}".strip(),
           "transactions": [], "personalSign": [], "typedData": []}
    for name, ki, tx in TXS:
        acct = Account.from_key(KEYS[ki])
        eth_tx = dict(tx)
        if eth_tx.get("to") == "":
            del eth_tx["to"]  # contract creation
        if eth_tx["type"] == "0x0":
            del eth_tx["type"]  # eth-account infers legacy from gasPrice
        signing_hash = serializable_unsigned_transaction_from_dict(dict(eth_tx)).hash()
        signed = acct.sign_transaction(dict(eth_tx))
        v = signed.v
        entry = {"name": name, "signer": signer(ki), "tx": tx, "signingHash": hx(signing_hash),
                 "rawSigned": hx(signed.raw_transaction), "txHash": hx(signed.hash), **sig_fields(signed.r, signed.s, v),
                 "recoveryId": (v - 35 - 2 * tx["chainId"]) if tx["type"] == "0x0" else v}
        out["transactions"].append(entry)
    for name, ki, msg in PERSONAL:
        acct = Account.from_key(KEYS[ki])
        sm = encode_defunct(text=msg) if name == "text" else encode_defunct(hexstr=msg)
        signed = acct.sign_message(sm)
        out["personalSign"].append({"name": name, "signer": signer(ki), "message": msg, "isHex": name != "text",
                                    "digest": hx(_hash_eip191_message(sm)), "signature": hx(signed.signature),
                                    **sig_fields(signed.r, signed.s, signed.v)})
    for name, ki, doc in [("eip712-mail", 0, MAIL_EIP712), ("nested-arrays", 1, NESTED_EIP712)]:
        acct = Account.from_key(KEYS[ki])
        sm = encode_typed_data(full_message=doc)
        signed = acct.sign_message(sm)
        out["typedData"].append({"name": name, "signer": signer(ki), "document": doc,
                                 "domainSeparator": hx(sm.header), "messageHash": hx(sm.body),
                                 "digest": hx(_hash_eip191_message(sm)), "signature": hx(signed.signature),
                                 **sig_fields(signed.r, signed.s, signed.v)})
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "Tests", "ChainsTests", "Fixtures")
    for name, doc in [("eth-account.json", out), ("solana.json", solana())]:
        path = os.path.join(outdir, name)
        with open(path, "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"wrote {os.path.normpath(path)}")


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s


def shortvec(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def solana():
    from nacl.signing import SigningKey
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")  # RFC 8032 test 1
    sk = SigningKey(seed)
    payer = bytes(sk.verify_key)
    recipient = bytes(range(1, 33))
    system = bytes(32)
    blockhash = bytes([0xAB] * 32)
    transfer = (2).to_bytes(4, "little") + (1_000_000).to_bytes(8, "little")  # SystemInstruction::Transfer
    body = (bytes([1, 0, 1]) + shortvec(3) + payer + recipient + system + blockhash + shortvec(1)
            + bytes([2]) + shortvec(2) + bytes([0, 1]) + shortvec(len(transfer)) + transfer)
    cases = []
    for name, msg in [("legacy-transfer", body), ("v0-transfer", bytes([0x80]) + body + shortvec(0))]:
        sig = sk.sign(msg).signature
        cases.append({"name": name, "message": msg.hex(), "signature": sig.hex(),
                      "signedTx": (shortvec(1) + sig + msg).hex(), "txId": b58(sig)})
    return {"generator": "e2e/gen_chain_fixtures.py with PyNaCl", "seed": seed.hex(), "publicKey": payer.hex(),
            "address": b58(payer), "recipientAddress": b58(recipient), "systemProgram": b58(system), "cases": cases}


if __name__ == "__main__":
    main()
