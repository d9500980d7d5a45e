import ClientKit
import Protocols

/// A node's preprocessed FROST commitments (RFC 9591 §5.1, "commit ahead"): for each wallet, the signer
/// sessions whose commitments the coordinator holds, keyed by the commitment's wire bytes. The nonces live in
/// memory only and are taken out before they are used, so each signs at most once; a restart forgets them all
/// (the coordinator then hears `nonce_unknown` and asks for fresh ones). A commitment also names the share
/// generation it was made with: after a resharing, old commitments never sign.
actor PreparedNonces {
    struct Entry {
        let generation: UInt64
        let signer: any Sendable
    }

    /// At most this many outstanding commitments per wallet; the oldest are forgotten first. The coordinator
    /// keeps a few per node and wallet, so a full wallet means commitments it has already given up.
    let perWallet: Int
    private var entries: [String: [[UInt8]: Entry]] = [:]
    private var order: [String: [[UInt8]]] = [:]

    init(perWallet: Int = 64) { self.perWallet = perWallet }

    func add(wallet: String, generation: UInt64, commitment: [UInt8], signer: any Sendable) {
        entries[wallet, default: [:]][commitment] = Entry(generation: generation, signer: signer)
        order[wallet, default: []].append(commitment)
        while let queue = order[wallet], queue.count > perWallet {
            entries[wallet]?[queue[0]] = nil
            order[wallet]?.removeFirst()
        }
    }

    /// Takes the session of `commitment` out (it can never be taken again), if it is there.
    func take(wallet: String, commitment: [UInt8]) -> Entry? {
        guard let e = entries[wallet]?.removeValue(forKey: commitment) else { return nil }
        order[wallet]?.removeAll { $0 == commitment }
        return e
    }

    /// Forgets every commitment of `wallet` (resharing changed its shares).
    func forget(wallet: String) {
        entries[wallet] = nil
        order[wallet] = nil
    }

    func count(wallet: String) -> Int { entries[wallet]?.count ?? 0 }
}
