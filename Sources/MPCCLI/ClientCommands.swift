import ArgumentParser
import ClientKit
import Foundation
import Protocols

/// Options every client subcommand shares.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "The cluster directory (manifest.json, client/identity.json).")
    var cluster: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Client identity file (default: DIR/client/identity.json).", visibility: .hidden))
    var identity: String?
}

/// Prints a result (JSON or text), or its error code and sentence, and sets the exit status.
enum Output {
    static func show(_ r: ClientResultBody, json: Bool, text: (ClientResultBody) -> String) throws {
        if json {
            print(ResultJSON.encode(r))
        } else if r.ok {
            print(text(r))
        }
        if let code = r.code {
            FileHandle.standardError.write(Data("error \(code): \(r.message ?? "")\n".utf8))
            throw ExitCode(1)
        }
    }

    static func fail(_ e: ClusterError) -> ExitCode {
        FileHandle.standardError.write(Data("error \(e.code): \(e.message)\n".utf8))
        return ExitCode(1)
    }

    static func run(_ body: () async throws(ClusterError) -> Void) async throws {
        do { try await body() } catch { throw fail(error) }
    }
}

struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Create a wallet key with the cluster (FROST DKG).")
    @OptionGroup var options: ClientOptions
    @Option(help: "ed25519 | secp256k1 (ECDSA) | secp256k1-schnorr | secp256k1-taproot") var curve: String
    @Option(help: "Wallet id (default: random).") var wallet: String?

    func run() async throws {
        guard let c = Curve(rawValue: curve) else { throw Output.fail(ClusterError("invalid_argument", "--curve: ed25519, secp256k1, secp256k1-schnorr or secp256k1-taproot")) }
        var rng = SystemRandom()
        let walletId = wallet ?? "w-" + Hex.encode(rng.bytes(8))
        var result: ClientResultBody?
        try await Output.run { () throws(ClusterError) in
            let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            result = try await client.keygen(walletId: walletId, curve: c)
        }
        guard let r = result else { return }
        try Output.show(r, json: options.json) { "wallet \($0.walletId ?? "") \($0.curve?.rawValue ?? "") public key \($0.publicKey ?? "")" }
    }
}

struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Sign a 32-byte digest with a wallet.")
    @OptionGroup var options: ClientOptions
    @Option var wallet: String
    @Option(help: "32 bytes of hex.") var digest: String
    @Option(help: ArgumentHelp("Exact signer set, comma-separated node ids (tests).", visibility: .hidden)) var signers: String?

    func run() async throws {
        guard let d = Hex.decode(digest), d.count == 32 else { throw Output.fail(ClusterError("invalid_digest", "--digest must be 32 bytes of hex")) }
        var result: ClientResultBody?
        try await Output.run { () throws(ClusterError) in
            let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            result = try await client.sign(walletId: wallet, digest: d, signers: signers.map { $0.split(separator: ",").map(String.init) })
        }
        guard let r = result else { return }
        try Output.show(r, json: options.json) { "signature \($0.signature ?? "")\($0.recoveryId.map { " v \($0)" } ?? "") (signers \(($0.signers ?? []).joined(separator: ",")))" }
    }
}

struct PubkeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pubkey", abstract: "Show a wallet's public key.")
    @OptionGroup var options: ClientOptions
    @Option var wallet: String

    func run() async throws {
        var result: ClientResultBody?
        try await Output.run { () throws(ClusterError) in
            let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            result = try await client.pubkey(walletId: wallet)
        }
        guard let r = result else { return }
        try Output.show(r, json: options.json) { "\($0.curve?.rawValue ?? "") \($0.publicKey ?? "")" }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show which nodes discovery lists as healthy.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        var result: ClientResultBody?
        try await Output.run { () throws(ClusterError) in
            let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            result = try await client.status()
        }
        guard let r = result else { return }
        try Output.show(r, json: options.json) { r in
            (["discovery \(r.discovery ?? "unknown")"] + (r.nodes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "healthy" : "down")" })
                .joined(separator: "\n")
        }
    }
}
