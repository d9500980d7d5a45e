import ArgumentParser
import Chains
import ClientKit
import Foundation
import Protocols

/// The wallet and chain a chain subcommand works on.
struct ChainTarget: ParsableArguments {
    @Option(help: "Wallet id.") var wallet: String
    @Option(help: "ethereum | polygon | arbitrum | optimism | base | avalanche | bsc | evm:<id> | bitcoin | bitcoin-testnet | bitcoin-regtest | solana")
    var chain: String?
    @Option(name: .customLong("chain-id"), help: "An EVM chain by its EIP-155 chain id (instead of --chain).")
    var chainId: UInt64?

    func resolve() throws -> Chain {
        switch (chain, chainId) {
        case (let name?, nil): return try Chain(name: name)
        case (nil, let id?): return try Chain(name: "evm:\(id)")
        default: throw ClusterError("invalid_argument", "give exactly one of --chain NAME or --chain-id N")
        }
    }
}

/// A cluster wallet seen as a chain key: its id, cluster curve, displayed public key and `WalletKey`.
struct ChainWallet {
    let id: String
    let curve: Curve
    let publicKey: [UInt8]
    let key: WalletKey

    /// Connects to the cluster in `options` and loads the wallet.
    static func open(_ options: ClientOptions, walletId: String) async throws -> (ClusterClient, ChainWallet) {
        let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
        return (client, try await load(client, walletId: walletId))
    }

    /// Fetches the wallet's public key (the `mpc pubkey` request) and maps its curve to a chain key: `secp256k1`
    /// (threshold ECDSA) → ECDSA key, `secp256k1-taproot` → BIP-341 output key (already tweaked), `ed25519` → Ed25519.
    static func load(_ client: ClusterClient, walletId: String) async throws -> ChainWallet {
        let r = try await client.pubkey(walletId: walletId)
        try ChainRun.check(r)
        guard let curve = r.curve, let pk = r.publicKey.flatMap(Hex.decode) else {
            throw ClusterError("bad_result", "the coordinator's answer has no curve or public key")
        }
        let key: WalletKey
        switch curve {
        case .secp256k1: key = .ecdsa(pk)
        case .secp256k1Taproot: key = .taprootOutput(SignatureCheck.displayKey(curve: curve, groupKey: pk))
        case .ed25519: key = .ed25519(pk)
        case .secp256k1Schnorr:
            throw ChainError(.walletKeyUnsupported, field: "wallet",
                             "wallet \(walletId) is secp256k1-schnorr (RFC 9591 Schnorr), which no chain verifies; use a secp256k1 (ECDSA), secp256k1-taproot or ed25519 wallet")
        }
        return ChainWallet(id: walletId, curve: curve, publicKey: pk, key: key)
    }

    /// Has the cluster sign one task and returns the group signature, checked to come from this wallet's key.
    func sign(_ task: SigningTask, with client: ClusterClient) async throws -> (signature: GroupSignature, signers: [String]) {
        let r = try await client.sign(walletId: id, digest: task.message)
        try ChainRun.check(r)
        guard let pk = r.publicKey.flatMap(Hex.decode), pk == publicKey, let sig = r.signature.flatMap(Hex.decode) else {
            throw ClusterError("bad_result", "the signature is not from wallet \(id)'s key")
        }
        return (try GroupSignature.decode(sig, recoveryId: r.recoveryId, for: task, key: key), r.signers ?? [])
    }
}

/// Runs a chain subcommand and prints its result: text lines, or one sorted JSON object with `--json`. Failures go to
/// stderr as `error CODE: [field: ]sentence` (exit 1); with `--json` a `{code, field, message}` object is printed too.
enum ChainRun {
    static func run(json: Bool, _ body: () async throws -> [(String, String)]) async throws {
        let fields: [(String, String)]
        do {
            fields = try await body()
        } catch {
            let (code, field, message) = describe(error)
            if json { printJSON(["code": code, "message": message].merging(field.map { ["field": $0] } ?? [:]) { a, _ in a }) }
            FileHandle.standardError.write(Data("error \(code): \(field.map { "\($0): " } ?? "")\(message)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            printJSON(Dictionary(fields, uniquingKeysWith: { a, _ in a }))
        } else {
            for (k, v) in fields { print("\(k) \(v)") }
        }
    }

    /// A cluster answer with an error code becomes that error.
    static func check(_ r: ClientResultBody) throws {
        if let code = r.code { throw ClusterError(code, r.message ?? "") }
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else { throw ClusterError("invalid_argument", "cannot read \(path)") }
        return [UInt8](d)
    }

    static func describe(_ error: Error) -> (code: String, field: String?, message: String) {
        switch error {
        case let e as ChainError: return (e.code.rawValue, e.field, e.detail)
        case let e as ClusterError: return (e.code, nil, e.message)
        case let e as ValidationError: return ("invalid_argument", nil, e.message)
        default: return ("internal_error", nil, "\(error)")
        }
    }

    private static func printJSON(_ object: [String: String]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    }
}
