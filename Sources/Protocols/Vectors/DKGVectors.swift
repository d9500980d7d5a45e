/// Conformance run against the Zcash Foundation reference DKG vectors (frost-*/tests/helpers/vectors_dkg.json),
/// pure: JSON bytes in, (name, expected, actual) triples out. Every value in the files is compared:
/// - per participant: the commitment φ_{i0}, φ_{i1} recomputed from signing_key (a_{i0}) and coefficient
///   (a_{i1}); the proof of knowledge, recomputed with the nonce k = μ − a_{i0}·c (the files do not carry k;
///   recovering it from the published proof fixes the randomness, and R = k·G is then checked byte for byte);
///   that the proof verifies; the round-1 package through the wire codec;
/// - round 2: the share f_i(ℓ) each participant sends, from our round-2 step on the file's round-1 packages;
/// - the final step on the file's round-2 shares: signing share, verifying share, the group key, and every
///   participant's verifying share in the public key package.
/// The Ed25519 file's "secret" fields are not read by the reference test and are not derivable from the
/// other values; they are not compared.
public func runDKGVectorChecks(json: [UInt8]) throws -> [(name: String, expected: String, actual: String)] {
    let root = try DKGVectorJSON.parse(json)
    let group = root["config"]["group"].string ?? ""
    switch group {
    case "ed25519":
        return try DKGVectorRunner<FROSTEd25519>.run(root, label: "FROST-ED25519")
    case "secp256k1":
        // Both secp256k1 files name the same group; the Taproot one has 64-byte (x-only R) proofs.
        let proofHex = root["inputs"]["1"]["proof_of_knowledge"].string ?? ""
        if proofHex.utf8.count == 128 {
            return try DKGVectorRunner<FROSTSecp256k1Taproot>.run(root, label: "FROST-secp256k1-TR")
        }
        return try DKGVectorRunner<FROSTSecp256k1>.run(root, label: "FROST-secp256k1")
    default:
        throw DKGVectorError("unknown group \"\(group)\"")
    }
}

struct DKGVectorError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

enum DKGVectorRunner<C: FROSTCiphersuite> {
    typealias Check = (name: String, expected: String, actual: String)

    static func run(_ root: DKGVectorJSON, label: String) throws -> [Check] {
        guard let n = root["config"]["MAX_PARTICIPANTS"].int, let t = root["config"]["MIN_PARTICIPANTS"].int else {
            throw DKGVectorError("config without MAX_PARTICIPANTS / MIN_PARTICIPANTS")
        }
        let inputs = root["inputs"]
        let params = try KeyGenParameters(count: n, threshold: t)
        var checks: [Check] = []
        func check(_ name: String, _ expected: String?, _ actual: String) {
            checks.append((name: "\(label)/\(name)", expected: expected?.lowercased() ?? "<missing in file>", actual: actual))
        }

        // Round 1, from the file's coefficients and recovered nonces.
        var filePackages: [ParticipantID: DKGRound1Package<C>] = [:]
        var states: [ParticipantID: DKGVectorSlot<DKGRound1State<C>>] = [:]
        for id in params.participants {
            let p = inputs[String(id.value)]
            guard p["identifier"].int == Int(id.value) else { throw DKGVectorError("participant \(id.value) missing") }
            let a0: C.Scalar = try scalar(p["signing_key"])
            var coefficients = [a0]
            if let list = p["coefficients"].array { for c in list { coefficients.append(try scalar(c)) } }
            else { coefficients.append(try scalar(p["coefficient"])) }
            let phis: [C.Element] = try p["vss_commitments"].array.map { try $0.map(element) } ?? []
            let proofBytes = try bytes(p["proof_of_knowledge"])
            let proof = try DKGSuiteRules<C>.deserializeProof(proofBytes)
            let filePackage = DKGRound1Package<C>(commitment: phis, proofOfKnowledge: DKGProofOfKnowledge(R: proof.R, mu: proof.mu))
            filePackages[id] = filePackage
            let phi0 = C.Element.baseMultiply(a0)
            let c = try DKGProofOfKnowledge<C>.challenge(identifier: id, phi0: phi0, R: proof.R)
            let k = proof.mu - a0 * c

            let step = try DKG<C>.round1(identifier: id, parameters: params, coefficients: &coefficients, nonce: k)
            let package = step.package
            states[id] = DKGVectorSlot(step.state)
            let name = "participant \(id.value)"
            for (j, phi) in package.commitment.enumerated() {
                check("\(name)/vss_commitments[\(j)]", p["vss_commitments"][j].string, hex(phi))
            }
            check("\(name)/vss_commitments.count", String(p["vss_commitments"].array?.count ?? 0), String(package.commitment.count))
            let ours = (try? DKGSuiteRules<C>.serializeProof(R: package.proofOfKnowledge.R, mu: package.proofOfKnowledge.mu)) ?? []
            check("\(name)/proof_of_knowledge", p["proof_of_knowledge"].string, Hex.encode(ours))
            check("\(name)/proof_of_knowledge verifies", "valid",
                  filePackage.proofOfKnowledge.verify(identifier: id, phi0: phi0) ? "valid" : "invalid")
            let wire = (try? DKGRound1Package<C>(serialized: package.serialized())) ?? nil
            check("\(name)/round-1 package wire round trip", "equal", wire == filePackage ? "equal" : "different")
        }

        // Round 2 on the file's round-1 packages: the share sent to each other participant.
        var states2: [ParticipantID: DKGVectorSlot<DKGRound2State<C>>] = [:]
        for id in params.participants {
            guard let state = states[id]?.take() else { continue }
            let inbox = params.participants.filter { $0 != id }.compactMap { from in
                filePackages[from].map { (from: from, package: $0) }
            }
            do {
                let step = try state.round2(inbox)
                for to in params.participants where to != id {
                    let sent = step.packages[to].map { Hex.encode($0.share.copyBytes()) } ?? "<none>"
                    check("participant \(id.value)/share to \(to.value)", inputs[String(to.value)]["signing_shares"][String(id.value)].string, sent)
                }
                states2[id] = DKGVectorSlot(step.state)
            } catch {
                check("participant \(id.value)/round 2", "ok", "error: \(error)")
            }
        }

        // Final step on the file's round-2 shares.
        for id in params.participants {
            guard let state = states2[id]?.take() else { continue }
            let p = inputs[String(id.value)]
            let name = "participant \(id.value)"
            do {
                let inbox: [(from: ParticipantID, package: DKGRound2Package<C>)] = try params.participants
                    .filter { $0 != id }
                    .map { from in (from: from, package: DKGRound2Package<C>(share: try scalar(p["signing_shares"][String(from.value)]))) }
                let out = try state.finalize(inbox)
                check("\(name)/signing_share", p["signing_share"].string, Hex.encode(out.keyPackage.signingShare.copyBytes()))
                check("\(name)/verifying_share", p["verifying_share"].string, hex(out.keyPackage.verifyingShare))
                check("\(name)/verifying_key", inputs["verifying_key"].string, hex(out.keyPackage.groupPublicKey))
                check("\(name)/public key package verifying_key", inputs["verifying_key"].string, hex(out.publicKeyPackage.groupPublicKey))
                check("\(name)/min_signers", String(t), String(out.keyPackage.minSigners))
                for k in params.participants {
                    check("\(name)/public key package verifying_share \(k.value)", inputs[String(k.value)]["verifying_share"].string,
                          out.publicKeyPackage.verifyingShares[k].map(hex) ?? "<none>")
                }
            } catch {
                check("\(name)/final step", "ok", "error: \(error)")
            }
        }
        return checks
    }

    static func bytes(_ v: DKGVectorJSON) throws -> [UInt8] {
        guard let s = v.string, let b = Hex.decode(s) else { throw DKGVectorError("missing or bad hex") }
        return b
    }

    static func scalar(_ v: DKGVectorJSON) throws -> C.Scalar { try C.Scalar(canonical: try bytes(v)) }

    static func element(_ v: DKGVectorJSON) throws -> C.Element { try C.Element(serialized: try bytes(v)) }

    static func hex(_ e: C.Element) -> String { (try? e.serialized()).map { Hex.encode($0) } ?? "<identity>" }
}

final class DKGVectorSlot<T: ~Copyable> {
    var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}

/// Non-optional navigation over the shared `JSONValue` reader: a missing key or index reads as null, so a
/// lookup chain needs no `?` at each step.
struct DKGVectorJSON {
    let value: JSONValue?

    static func parse(_ bytes: [UInt8]) throws -> DKGVectorJSON { DKGVectorJSON(value: try JSONValue.parse(bytes)) }

    subscript(key: String) -> DKGVectorJSON { DKGVectorJSON(value: value?[key]) }

    subscript(index: Int) -> DKGVectorJSON {
        guard let a = value?.array, index >= 0, index < a.count else { return DKGVectorJSON(value: nil) }
        return DKGVectorJSON(value: a[index])
    }

    var string: String? { if case .string(let s)? = value { return s } else { return nil } }
    var array: [DKGVectorJSON]? { value?.array?.map { DKGVectorJSON(value: $0) } }
    var int: Int? { value?.int }
}
