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
    /// pools at most 16 per node and wallet, plus what its concurrent signings (64 by default) asked for and have not
    /// used yet (4 each when its pool is empty): under 300. Bounded so that a hostile coordinator cannot grow a node's
    /// memory without limit (an entry is about 1 KB).
    let perWallet: Int
    private var entries: [String: [[UInt8]: Entry]] = [:]
    private var order: [String: [[UInt8]]] = [:]

    init(perWallet: Int = 1024) { self.perWallet = perWallet }

    func add(wallet: String, generation: UInt64, commitment: [UInt8], signer: any Sendable) {
        entries[wallet, default: [:]][commitment] = Entry(generation: generation, signer: signer)
        order[wallet, default: []].append(commitment)
        // Oldest first; `order` may still list commitments taken since (skipped here, compacted below).
        while (entries[wallet]?.count ?? 0) > perWallet, let oldest = order[wallet]?.first {
            order[wallet]?.removeFirst()
            entries[wallet]?[oldest] = nil
        }
        if let o = order[wallet], o.count > 2 * perWallet, let live = entries[wallet] { order[wallet] = o.filter { live[$0] != nil } }
    }

    /// Takes the session of `commitment` out (it can never be taken again), if it is there.
    func take(wallet: String, commitment: [UInt8]) -> Entry? {
        entries[wallet]?.removeValue(forKey: commitment)
    }

    // MARK: stock

    /// Nonces made after a reply went out and not announced yet, so that the next signing hands their commitments
    /// out instead of making fresh ones on its path. At most `stockLimit` per wallet; memory only, like the rest.
    let stockLimit = 4
    private var stock: [String: [(generation: UInt64, commitment: [UInt8], signer: any Sendable)]] = [:]

    /// Up to `count` stocked commitments of `generation`, now announced (added as entries); stock of another
    /// generation is dropped (a resharing made it useless).
    func announceStocked(wallet: String, generation: UInt64, count: Int) -> [[UInt8]] {
        guard count > 0, var s = stock[wallet] else { return [] }
        s.removeAll { $0.generation != generation }
        let taken = s.prefix(count)
        stock[wallet] = Array(s.dropFirst(taken.count))
        for t in taken { add(wallet: wallet, generation: generation, commitment: t.commitment, signer: t.signer) }
        return taken.map(\.commitment)
    }

    /// How many more the wallet's stock takes to hold `target` (never more than `stockLimit`).
    func stockShortfall(wallet: String, target: Int) -> Int {
        max(0, min(target, stockLimit) - (stock[wallet]?.count ?? 0))
    }

    func addStock(wallet: String, generation: UInt64, commitment: [UInt8], signer: any Sendable) {
        guard (stock[wallet]?.count ?? 0) < stockLimit else { return }
        stock[wallet, default: []].append((generation, commitment, signer))
    }
}
