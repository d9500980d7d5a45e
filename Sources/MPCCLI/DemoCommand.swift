import ArgumentParser
import CSecp256k1
import CSodium
import Protocols

/// `mpc demo`: the whole protocol path in one process, printed step by step — an n-party DKG through the
/// `DKGSession` state machines (messages routed between the parties in memory), then a signature by a
/// random t-subset through `SignerSession`/`SigningCoordinator`, checked by an independent verifier.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a threshold wallet on each curve and sign with it, in one process (no network).")

    @Option(help: "Threshold t.") var threshold: Int = 3
    @Option(help: "Participants n.") var parties: Int = 5
    @Option(help: "32-byte digest to sign, hex (default: SHA-256 of a fixed text).") var digest: String?

    func validate() throws {
        guard threshold >= 2, threshold <= parties, parties <= 100 else { throw ValidationError("need 2 ≤ threshold ≤ parties ≤ 100") }
        if let d = digest, Hex.decode(d)?.count != 32 { throw ValidationError("--digest must be 32 bytes of hex") }
    }

    func run() throws {
        let message = digest.flatMap(Hex.decode) ?? Hash.sha256(Array("threshold custody demo".utf8))
        print("digest to sign: \(Hex.encode(message))")
        try LocalWalletDemo<FROSTEd25519>.run(name: "ed25519", t: threshold, n: parties, message: message) { pk, sig in
            // libsodium's RFC 8032 verifier, not ours.
            crypto_sign_verify_detached(sig, message, UInt64(message.count), pk) == 0 ? "libsodium crypto_sign_verify_detached: valid" : nil
        }
        try LocalWalletDemo<FROSTSecp256k1Taproot>.run(name: "secp256k1-taproot", t: threshold, n: parties, message: message) { pk, sig in
            // libsecp256k1's BIP-340 verifier against the x-only output key.
            guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
            defer { secp256k1_context_destroy(ctx) }
            var xonly = secp256k1_xonly_pubkey()
            guard secp256k1_xonly_pubkey_parse(ctx, &xonly, Array(pk.suffix(32))) == 1 else { return nil }
            return secp256k1_schnorrsig_verify(ctx, sig, message, message.count, &xonly) == 1
                ? "libsecp256k1 secp256k1_schnorrsig_verify: valid" : nil
        }
        try LocalWalletDemo<FROSTSecp256k1>.run(name: "secp256k1 (RFC 9591)", t: threshold, n: parties, message: message) { _, _ in
            "RFC 9591 verification (z·G = R + c·PK): valid"   // the demo only reaches here when FROSTSigning.verify passed
        }
    }
}

/// Holds one non-copyable DKG session so that n of them can sit in a dictionary.
private final class SessionSlot<C: FROSTCiphersuite> {
    var session: DKGSession<C>
    init(_ s: consuming DKGSession<C>) { session = s }
}

enum LocalWalletDemo<C: FROSTCiphersuite> {
    static func run(name: String, t: Int, n: Int, message: [UInt8],
                    independentCheck: ([UInt8], [UInt8]) -> String?) throws {
        var rng = SystemRandom()
        let params = try KeyGenParameters(count: n, threshold: t, sessionID: rng.bytes(16))
        print("\n== \(name): \(t)-of-\(n) wallet")

        // DKG: every party's session runs its own state machine; the loop plays the network.
        var slots: [ParticipantID: SessionSlot<C>] = [:]
        for id in params.participants { slots[id] = SessionSlot(try DKGSession<C>(identifier: id, parameters: params)) }
        var queue: [(from: ParticipantID, actions: [DKGAction<C>])] = []
        for id in params.participants { if let s = slots[id] { queue.append((id, s.session.start(using: &rng))) } }
        var outputs: [ParticipantID: DKGOutput<C>] = [:]
        var messages = 0
        while !queue.isEmpty {
            let (from, actions) = queue.removeFirst()
            for action in actions {
                switch action {
                case .broadcast(let package):
                    for to in params.participants where to != from {
                        messages += 1
                        if let s = slots[to] { queue.append((to, s.session.receive(.round1(package), from: from))) }
                    }
                case .sendEach(let packages):
                    for (to, package) in packages {
                        messages += 1
                        if let s = slots[to] { queue.append((to, s.session.receive(.round2(package), from: from))) }
                    }
                case .finished(let output): outputs[from] = output
                case .abort(let error), .refused(let error):
                    throw ValidationError("DKG failed at \(from): \(error.code) culprits \(error.culprits)")
                }
            }
        }
        guard outputs.count == n, let first = outputs.values.first else { throw ValidationError("DKG did not finish") }
        let groupKey = first.publicKeyPackage.groupPublicKey
        guard outputs.values.allSatisfy({ $0.publicKeyPackage.groupPublicKey == groupKey }) else {
            throw ValidationError("parties disagree on the group key")
        }
        print("DKG: \(n) parties, \(messages) messages, every party holds only its own share")
        print("group public key: \(Hex.encode(try groupKey.serialized()))")

        // Signing by a random t-subset.
        var ids = params.participants
        var order = rng.bytes(ids.count)
        ids = zip(order, ids).sorted { $0.0 < $1.0 }.map(\.1)
        zeroize(&order)
        let signers = Array(ids.prefix(t)).sorted()
        print("signers: \(signers.map { String($0.value) }.joined(separator: ", "))")
        let coordinator = try SigningCoordinator<C>(publicKeyPackage: first.publicKeyPackage, signers: signers, message: message)
        let sessions = signers.compactMap { outputs[$0].map { SignerSession<C>(keyPackage: $0.keyPackage) } }
        var package: SigningPackage<C>?
        for s in sessions {
            if case .sendSigningPackage(let p) = try coordinator.receive(try s.round1(using: &rng)) { package = p }
        }
        guard let signingPackage = package else { throw ValidationError("no signing package") }
        var signature: Signature<C>?
        for s in sessions {
            if case .finished(let sig) = try coordinator.receive(try s.round2(signingPackage)) { signature = sig }
        }
        let verifyingKey = try coordinator.verifyingKey()
        guard let sig = signature, FROSTSigning<C>.verify(signature: sig, groupPublicKey: verifyingKey, message: message) else {
            throw ValidationError("signature does not verify")
        }
        let sigBytes = try sig.bytes()
        print("signature: \(Hex.encode(sigBytes))")
        guard let verdict = independentCheck(try verifyingKey.serialized(), sigBytes) else {
            throw ValidationError("the independent verifier rejected the signature")
        }
        print("verified: \(verdict)")
    }
}
