/// RFC 9591 Appendix E vector files (cfrg-draft-irtf-cfrg-frost_*.json) and the reference implementation's
/// Taproot file (ZcashFoundation-frost_frost-secp256k1-tr_vectors.json, same layout, the group key under
/// "verifying_key_key" and a 64-byte BIP-340 final signature). Every intermediate value is recomputed.
enum FROSTSigningVectors {
    static func run(json: JSONValue) throws(VectorError) -> VectorReport {
        let group = json["config"]?["group"]?.text ?? ""
        let sigHex = json["final_output"]?["sig"]?.text ?? ""
        switch group {
        case "ed25519":
            return try Runner<FROSTEd25519>.run(json, format: "RFC 9591 FROST(Ed25519, SHA-512)")
        case "secp256k1" where sigHex.count == 128:
            return try Runner<FROSTSecp256k1Taproot>.run(json, format: "FROST(secp256k1, SHA-256) Taproot (FROST-secp256k1-SHA256-TR-v1)")
        case "secp256k1":
            return try Runner<FROSTSecp256k1>.run(json, format: "RFC 9591 FROST(secp256k1, SHA-256)")
        default:
            throw .unrecognizedFormat("FROST signing vectors for group '\(group)'")
        }
    }

    struct Runner<C: FROSTCiphersuite> {
        typealias S = FROSTSigning<C>

        static func hex(_ v: JSONValue?, _ what: String) throws(VectorError) -> [UInt8] {
            guard let t = v?.text, let b = Hex.decode(t) else { throw .malformed("missing or bad hex: \(what)") }
            return b
        }

        static func id(_ v: JSONValue?) throws(VectorError) -> ParticipantID {
            guard let n = v?.int, n > 0, n <= Int(UInt16.max), let p = try? ParticipantID(UInt16(n)) else {
                throw .malformed("bad identifier")
            }
            return p
        }

        static func scalar(_ b: [UInt8], _ what: String) throws(VectorError) -> C.Scalar {
            do { return try C.Scalar(canonical: b) } catch { throw .malformed("non-canonical scalar: \(what)") }
        }

        static func ser(_ e: C.Element) -> [UInt8] { (try? e.serialized()) ?? [] }

        static func run(_ json: JSONValue, format: String) throws(VectorError) -> VectorReport {
            var report = VectorReport(format: format)
            guard let inputs = json["inputs"] else { throw .malformed("no inputs") }
            guard let minSigners = json["config"]?["MIN_PARTICIPANTS"]?.int else { throw .malformed("no MIN_PARTICIPANTS") }
            let message = try hex(inputs["message"], "message")
            let skBytes = try hex(inputs["group_secret_key"], "group_secret_key")
            let pkBytes = try hex(inputs["group_public_key"] ?? inputs["verifying_key_key"], "group public key")
            let sk = try scalar(skBytes, "group_secret_key")

            // Key generation: PK = sk·G, and every share is f(i) for the given polynomial.
            let PK = C.Element.baseMultiply(sk)
            report.check("group_public_key", expected: pkBytes, got: ser(PK))
            var coefficients = [sk]
            for (k, c) in (inputs["share_polynomial_coefficients"]?.array ?? []).enumerated() {
                coefficients.append(try scalar(try hex(c, "coefficient \(k)"), "coefficient \(k)"))
            }
            var shares = [ParticipantID: C.Scalar]()
            for entry in inputs["participant_shares"]?.array ?? [] {
                let i = try id(entry["identifier"])
                let share = try hex(entry["participant_share"], "participant_share")
                var fx = C.Scalar.zero
                for c in coefficients.reversed() { fx = fx * i.scalar(C.Scalar.self) + c }   // Horner
                report.check("participant \(i.value) share", expected: share, got: fx.bytes)
                shares[i] = try scalar(share, "participant_share")
            }
            let verifyingShares = shares.mapValues { C.Element.baseMultiply($0) }
            let pkp = PublicKeyPackage<C>(verifyingShares: verifyingShares, groupPublicKey: PK, minSigners: minSigners)

            // Round one: nonces from the given randomness, commitments, binding factor inputs and factors.
            guard let r1 = json["round_one_outputs"]?["outputs"]?.array else { throw .malformed("no round_one_outputs") }
            var nonceScalars = [ParticipantID: (C.Scalar, C.Scalar)]()
            var commitments = [SigningCommitments<C>]()
            for o in r1 {
                let i = try id(o["identifier"])
                guard let ski = shares[i] else { throw .malformed("round one output for \(i) without a share") }
                let d = S.nonceGenerate(secret: ski, randomBytes: try hex(o["hiding_nonce_randomness"], "hiding randomness"))
                let e = S.nonceGenerate(secret: ski, randomBytes: try hex(o["binding_nonce_randomness"], "binding randomness"))
                report.check("participant \(i.value) hiding_nonce", expected: try hex(o["hiding_nonce"], "hiding_nonce"), got: d.bytes)
                report.check("participant \(i.value) binding_nonce", expected: try hex(o["binding_nonce"], "binding_nonce"), got: e.bytes)
                let D = C.Element.baseMultiply(d), E = C.Element.baseMultiply(e)
                report.check("participant \(i.value) hiding_nonce_commitment",
                             expected: try hex(o["hiding_nonce_commitment"], "hiding commitment"), got: ser(D))
                report.check("participant \(i.value) binding_nonce_commitment",
                             expected: try hex(o["binding_nonce_commitment"], "binding commitment"), got: ser(E))
                nonceScalars[i] = (d, e)
                guard let c = try? SigningCommitments<C>(identifier: i, hiding: D, binding: E) else {
                    throw .malformed("identity commitment for \(i)")
                }
                commitments.append(c)
            }
            guard let package = try? SigningPackage<C>(commitments: commitments, message: message) else {
                throw .malformed("invalid signer list")
            }
            // The binding factors use the key signing uses (for BIP-340: even y).
            guard let signingPK = try? S.verifyingKey(publicKeyPackage: pkp, tweak: .untweaked) else {
                throw .malformed("unusable group key")
            }
            do {
                let rho = try S.computeBindingFactors(groupPublicKey: signingPK, list: package.commitments, message: message)
                for o in r1 {
                    let i = try id(o["identifier"])
                    guard let r = rho.first(where: { $0.identifier == i }) else { continue }
                    report.check("participant \(i.value) binding_factor_input",
                                 expected: try hex(o["binding_factor_input"], "binding_factor_input"), got: r.input)
                    report.check("participant \(i.value) binding_factor",
                                 expected: try hex(o["binding_factor"], "binding_factor"), got: r.factor.bytes)
                }
            } catch {
                report.failed("binding factors", expected: "computed", error: error)
            }

            // Round two: each signature share, through the same sign() the signer sessions use.
            guard let r2 = json["round_two_outputs"]?["outputs"]?.array else { throw .malformed("no round_two_outputs") }
            var sigShares = [SignatureShare<C>]()
            for o in r2 {
                let i = try id(o["identifier"])
                let expected = try hex(o["sig_share"], "sig_share")
                guard let ski = shares[i], let (d, e) = nonceScalars[i] else { throw .malformed("round two output for \(i) without round one") }
                let kp = KeyPackage<C>(identifier: i, signingShare: ski, verifyingShare: C.Element.baseMultiply(ski),
                                       groupPublicKey: PK, minSigners: minSigners)
                do {
                    let nonces = try SigningNonces<C>(hiding: d, binding: e, identifier: i)
                    let z = try S.sign(package: package, nonces: nonces, keyPackage: kp)
                    report.check("participant \(i.value) sig_share", expected: expected, got: z.share.bytes)
                    let ok = try S.verifySignatureShare(z, package: package, publicKeyPackage: pkp)
                    report.check("participant \(i.value) verify_signature_share", expected: "true", got: ok ? "true" : "false")
                    sigShares.append(z)
                } catch {
                    report.failed("participant \(i.value) sig_share", expected: Hex.encode(expected), error: error)
                }
            }

            // Aggregation and verification of the final signature.
            let expectedSig = try hex(json["final_output"]?["sig"], "final sig")
            do {
                let sig = try S.aggregate(package: package, shares: sigShares, publicKeyPackage: pkp)
                report.check("final sig", expected: expectedSig, got: try sig.bytes())
                let ok = S.verify(signature: sig, groupPublicKey: PK, message: message)
                report.check("final sig verifies", expected: "true", got: ok ? "true" : "false")
            } catch {
                report.failed("final sig", expected: Hex.encode(expectedSig), error: error)
            }
            return report
        }
    }
}
