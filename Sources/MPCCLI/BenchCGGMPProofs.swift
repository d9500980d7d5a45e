import Foundation
import Protocols

/// `mpc bench cggmp --proofs`: each CGGMP21 proof proved and verified alone between two parties A
/// (prover) and B (verifier), `iterations` times, to see where aux info and presigning spend their
/// time. CPU time of this thread (every proof runs on the calling thread; the proofs' own concurrency
/// shows as wall < CPU).
struct CGGMPProofBreakdown {
    let profile: CGGMPProfile
    let primes: [BigNum]
    let iterations: Int

    func run(rng: inout SeededRandom) throws {
        let skA = try PaillierSecretKey(p: primes[0], q: primes[1], profile: profile)
        let skB = try PaillierSecretKey(p: primes[2], q: primes[3], profile: profile)
        let rpA = try RingPedersenSecret.generate(over: skA, profile: profile, using: &rng)
        let rpB = try RingPedersenSecret.generate(over: skB, profile: profile, using: &rng)
        // B's view of A's public values (no CRT accelerators: built from bare numbers).
        let pkA = try PaillierPublicKey(n: skA.publicKey.n, profile: profile)
        let auxA = try RingPedersenParameters(n: rpA.parameters.n, s: rpA.parameters.s, t: rpA.parameters.t, profile: profile)
        let pkB = try PaillierPublicKey(n: skB.publicKey.n, profile: profile)
        let auxB = try RingPedersenParameters(n: rpB.parameters.n, s: rpB.parameters.s, t: rpB.parameters.t, profile: profile)
        let ctx = CGGMPProofContext(sessionId: Array("bench-proofs".utf8), proverId: [0, 1], round: 1)
        var rows: [(String, Double, Double)] = []
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            var xs: [(Double, Double)] = []
            for _ in 0..<iterations { xs.append(try timedProcess(body).1) }
            rows.append((name, Samples(values: xs.map(\.0)).median, Samples(values: xs.map(\.1)).median))
        }
        let q = CGGMPProfile.curveOrder

        var mod: PiMod?
        try time("Π^mod prove (A)") { mod = try PiMod.prove(secretKey: skA, profile: profile, context: ctx, using: &rng) }
        try time("Π^mod verify (B, A's N)") { try mod?.verify(n: pkA.n, profile: profile, context: ctx) }
        var prm: PiPrm?
        try time("Π^prm prove (A)") { prm = try PiPrm.prove(secret: rpA, profile: profile, context: ctx, using: &rng) }
        try time("Π^prm verify (B, A's N̂)") { try prm?.verify(auxA, profile: profile, context: ctx) }
        var fac: PiFac?
        try time("Π^fac prove (A, B's N̂)") { fac = try PiFac.prove(secretKey: skA, verifierAux: auxB, profile: profile, context: ctx, using: &rng) }
        try time("Π^fac verify (B, own N̂)") { try fac?.verify(n0: pkA.n, ownAux: rpB.parameters, profile: profile, context: ctx) }

        let k = BigNum.random(below: q, using: &rng)
        let (K, rho) = skA.encrypt(k, using: &rng)
        try time("Paillier encrypt, own key (CRT)") { _ = skA.encrypt(k, using: &rng) }
        try time("Paillier encrypt, peer key") { _ = pkB.encrypt(k, using: &rng) }
        try time("Paillier decrypt (CRT)") { _ = try skA.decrypt(K) }
        var enc: PiEnc?
        try time("Π^enc prove (A, B's N̂)") {
            enc = try PiEnc.prove(pk: skA.publicKey, K: K, k: k, rho: rho, verifierAux: auxB, profile: profile, context: ctx, using: &rng)
        }
        try time("Π^enc verify (B)") { try enc?.verify(pk: pkA, K: K, ownAux: rpB.parameters, profile: profile, context: ctx) }

        // Π^aff-g as in presign round 2: A proves D = K_B^x·enc_B(y), F = enc_A(y) to B.
        let (KB, _) = skB.encrypt(BigNum.random(below: q, using: &rng), using: &rng)
        let x = BigNum.random(below: q, using: &rng)
        let y = BigNum.randomSigned(magnitude: .powerOfTwo(profile.ellPrime), using: &rng)
        let s = BigNum.randomUnit(modulo: pkB.n, using: &rng)
        let D = try pkB.multiply(KB, by: x).mulMod(try pkB.encrypt(y, nonce: s), pkB.nSquared)
        let (F, r) = skA.encrypt(y, using: &rng)
        let X = Secp256k1Group.multiplyGenerator(x)
        let stProver = PiAffG<Secp256k1Group>.Statement(pk0: pkB, pk1: skA.publicKey, C: KB, D: D, Y: F, X: X, g: .generator)
        let stProverT = PiAffG<Secp256k1Group>.Statement(pk0: pkB, pk1: skA.withNonceTables().publicKey, C: KB, D: D, Y: F, X: X, g: .generator)
        let stVerifier = PiAffG<Secp256k1Group>.Statement(pk0: skB.publicKey, pk1: pkA, C: KB, D: D, Y: F, X: X, g: .generator)
        var aff: PiAffG<Secp256k1Group>?
        try time("Π^aff-g prove (A, B's N0, N̂)") {
            aff = try PiAffG.prove(stProver, x: x, y: y, rho: s, rhoY: r, verifierAux: auxB, profile: profile, context: ctx, using: &rng)
        }
        try time("Π^aff-g verify (B, own N0)") { try aff?.verify(stVerifier, ownAux: rpB.parameters, profile: profile, context: ctx) }
        var log: PiLogStar<Secp256k1Group>?
        let Xk = Secp256k1Group.multiplyGenerator(k)
        try time("Π^log* prove (A, B's N̂)") {
            log = try PiLogStar.prove(pk: skA.publicKey, C: K, X: Xk, g: .generator, x: k, rho: rho, verifierAux: auxB,
                                      profile: profile, context: ctx, using: &rng)
        }
        try time("Π^log* verify (B)") {
            try log?.verify(pk: pkA, C: K, X: Xk, g: .generator, ownAux: rpB.parameters, profile: profile, context: ctx)
        }

        // The same with the presign tables (`withProverTables` on B's parameters at A, `withVerifierTables` at B).
        var tablesB = auxB, ownB = rpB.parameters
        time("tables: B's (s, t) mod N̂ at A (prover)") { tablesB = auxB.withProverTables(profile: profile) }
        time("tables: own (s, t) mod p̂, q̂ at B") { ownB = rpB.parameters.withVerifierTables() }
        var skAT = skA
        time("tables: own Paillier nonces at A") { skAT = skA.withNonceTables() }
        time("Paillier encrypt, own key, tables") { _ = skAT.encrypt(k, using: &rng) }
        let alpha = BigNum.randomSigned(magnitude: .powerOfTwo(profile.ell + profile.epsilon), using: &rng)
        let gamma = BigNum.randomSigned(magnitude: BigNum.powerOfTwo(profile.ell + profile.epsilon) * auxB.n, using: &rng)
        time("commit s^α t^γ, powm_sec") { _ = auxB.commit(alpha, gamma) }
        time("commit s^α t^γ, tables") { _ = tablesB.commit(alpha, gamma) }
        time("verifier s^z1 t^z3, CRT powm_sec") { _ = rpB.parameters.commitPublic(alpha, gamma) }
        time("verifier s^z1 t^z3, CRT tables") { _ = ownB.commitPublic(alpha, gamma) }
        try time("Π^enc prove, tables") {
            enc = try PiEnc.prove(pk: skAT.publicKey, K: K, k: k, rho: rho, verifierAux: tablesB, profile: profile, context: ctx, using: &rng)
        }
        try time("Π^enc verify, tables") { try enc?.verify(pk: pkA, K: K, ownAux: ownB, profile: profile, context: ctx) }
        try time("Π^aff-g prove, tables") {
            aff = try PiAffG.prove(stProverT, x: x, y: y, rho: s, rhoY: r, verifierAux: tablesB, profile: profile, context: ctx, using: &rng)
        }
        try time("Π^aff-g verify, tables") { try aff?.verify(stVerifier, ownAux: ownB, profile: profile, context: ctx) }

        print("CGGMP21 \(profile.name) single proofs, median of \(iterations) (process CPU time counts every core)")
        print("proof".padding(toLength: 36, withPad: " ", startingAt: 0) + "wall median   CPU median")
        for (name, w, c) in rows {
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0)
                  + benchFormat(w).padding(toLength: 14, withPad: " ", startingAt: 0) + benchFormat(c))
        }
    }
}

/// (wall, process CPU) seconds of `body`: the process clock counts the work of every thread, so it
/// is the cost of concurrent rounds too (the thread clock of `timed` would miss the workers).
func timedProcess<T>(_ body: () throws -> T) rethrows -> (T, (Double, Double)) {
    func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let w0 = ContinuousClock.now, c0 = cpu()
    let r = try body()
    let d = ContinuousClock.now - w0
    return (r, (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, cpu() - c0))
}
