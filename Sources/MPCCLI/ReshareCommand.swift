import ArgumentParser
import ClientKit
import Foundation
import Protocols

struct ReshareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reshare",
        abstract: "Move a wallet to new members and/or a new threshold; the public key (and every address) stays the same.")
    @OptionGroup var options: ClientOptions
    @Option var wallet: String
    @Option(help: "The new threshold (2...number of members).") var threshold: Int
    @Option(help: "The new members: comma-separated node ids of the manifest.") var members: String

    func run() async throws {
        let list = members.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw Output.fail(ClusterError("invalid_argument", "--members: at least one node id")) }
        var result: ClientResultBody?
        try await Output.run { () throws(ClusterError) in
            let client = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            result = try await client.reshare(walletId: wallet, threshold: threshold, members: list)
        }
        guard let r = result else { return }
        try Output.show(r, json: options.json) { r in
            "wallet \(r.walletId ?? "") public key \(r.publicKey ?? "") (unchanged)\n"
                + "members \((r.signers ?? []).joined(separator: ",")) threshold \(r.threshold ?? 0) generation \(r.generation ?? 0)"
        }
    }
}
