import ArgumentParser
import Chains
import ClientKit
import Foundation
import Protocols

struct AddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address", abstract: "Show a wallet's address on a chain (EIP-55, bech32 P2WPKH, bech32m P2TR, base58).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: ChainTarget

    func run() async throws {
        try await ChainRun.run(json: options.json) {
            let chain = try target.resolve()
            let (_, wallet) = try await ChainWallet.open(options, walletId: target.wallet)
            let a = try wallet.key.address(on: chain)
            var out = [("walletId", wallet.id), ("curve", wallet.curve.rawValue), ("chain", chain.name),
                       ("publicKey", Hex.encode(wallet.publicKey)), ("address", a.address)]
            if let spk = a.scriptPubKey { out.append(("scriptPubKey", Hex.encode(spk))) }
            return out
        }
    }
}

struct SignTxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-tx", abstract: "Sign a transaction (JSON, see README \"Chains\") and print the raw signed transaction and its hash.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: ChainTarget
    @Option(help: "Transaction JSON file (examples/tx/*.json).") var tx: String

    func run() async throws {
        try await ChainRun.run(json: options.json) {
            let chain = try target.resolve()
            // Everything about the input is checked before the cluster is asked for anything.
            let request = try TransactionJSON.decode(ChainRun.readFile(tx), chain: chain)
            let (client, wallet) = try await ChainWallet.open(options, walletId: target.wallet)
            let tasks = try request.signingTasks(key: wallet.key)
            var signatures = [GroupSignature](), signers = [String]()
            for task in tasks {
                let s = try await wallet.sign(task, with: client)
                signatures.append(s.signature)
                signers.append(s.signers.joined(separator: ","))
            }
            let signed = try request.assemble(key: wallet.key, signatures: signatures)
            var out = [("walletId", wallet.id), ("chain", chain.name), ("address", try wallet.key.address(on: chain).address),
                       ("raw", (chain.family == .ethereum ? "0x" : "") + Hex.encode(signed.raw)), ("txHash", signed.id),
                       ("signers", signers.joined(separator: ";"))]
            if chain.family == .solana { out.append(("rawBase64", Data(signed.raw).base64EncodedString())) }
            return out
        }
    }
}

struct SignMessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-message", abstract: "Sign an EIP-191 personal message or EIP-712 typed data; prints the 65-byte signature.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: ChainTarget
    @Option(help: "personal_sign (EIP-191) of this UTF-8 text.") var personal: String?
    @Option(name: .customLong("typed-data"), help: "eth_signTypedData_v4 (EIP-712) of this JSON file.") var typedData: String?

    func run() async throws {
        try await ChainRun.run(json: options.json) {
            let chain = try target.resolve()
            guard let chainId = chain.evmChainId else {
                throw ClusterError("invalid_argument", "sign-message signs for Ethereum-family chains, not \(chain)")
            }
            let message: EthereumMessage
            switch (personal, typedData) {
            case (let text?, nil): message = .personal(Array(text.utf8))
            case (nil, let file?): message = .typedData(try TypedData(json: ChainRun.readFile(file)))
            default: throw ClusterError("invalid_argument", "give exactly one of --personal TEXT or --typed-data FILE")
            }
            let digest = try message.digest(chainId: chainId)
            let (client, wallet) = try await ChainWallet.open(options, walletId: target.wallet)
            let address = try wallet.key.address(on: chain).address
            let s = try await wallet.sign(SigningTask(scheme: .ecdsaSecp256k1, message: digest), with: client)
            guard case .ecdsa(let r, let sv, let recid) = s.signature else { throw ClusterError("bad_result", "expected an ECDSA signature") }
            let sig = try EthereumMessage.signature(digest: digest, r: r, s: sv, recoveryId: recid, expectedSigner: EthereumAddress(parsing: address))
            return [("walletId", wallet.id), ("chain", chain.name), ("address", address), ("digest", "0x" + Hex.encode(digest)),
                    ("signature", "0x" + Hex.encode(sig)), ("signers", s.signers.joined(separator: ","))]
        }
    }
}
