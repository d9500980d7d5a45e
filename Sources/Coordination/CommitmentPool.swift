import Foundation

/// The coordinator's preprocessed FROST commitments (RFC 9591 §5.1 run ahead): per wallet, share generation
/// and node, commitments the node prepared and has not yet used. Each is handed out once (`take` removes it);
/// the node holds the matching nonces in memory and refuses a second use anyway. Memory only: after a
/// coordinator restart the nodes' outstanding nonces are simply never asked for (they age out of the nodes'
/// bounded per-wallet memory).
actor CommitmentPool {
    struct Key: Hashable {
        let wallet: String
        let generation: UInt64
        let node: String
    }

    /// Commitments kept per wallet, generation and node; more are dropped (the node forgets its oldest too).
    let capacity: Int
    private var queues: [Key: [[UInt8]]] = [:]

    init(capacity: Int = 16) { self.capacity = capacity }

    /// One commitment for each of `nodes` that has one (removed from the pool).
    func take(wallet: String, generation: UInt64, nodes: [String]) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for n in nodes {
            let k = Key(wallet: wallet, generation: generation, node: n)
            guard var q = queues[k], !q.isEmpty else { continue }
            out[n] = q.removeFirst()
            queues[k] = q
        }
        return out
    }

    func add(wallet: String, generation: UInt64, node: String, _ commitments: [[UInt8]]) {
        guard !commitments.isEmpty else { return }
        let k = Key(wallet: wallet, generation: generation, node: node)
        var q = queues[k, default: []]
        q.append(contentsOf: commitments)
        if q.count > capacity { q.removeFirst(q.count - capacity) }
        queues[k] = q
    }

    /// How many commitments of `node` are pooled for the wallet and generation.
    func count(wallet: String, generation: UInt64, node: String) -> Int {
        queues[Key(wallet: wallet, generation: generation, node: node)]?.count ?? 0
    }

    /// Forgets everything `node` prepared (it answered `nonce_unknown`: it restarted and lost its nonces).
    func forget(node: String) {
        for k in queues.keys where k.node == node { queues[k] = nil }
    }
}
