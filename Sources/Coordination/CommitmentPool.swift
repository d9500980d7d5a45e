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

    /// A pooled commitment: its wire bytes and, once validated off the signing path (`validated`), the decoded
    /// value (a `SigningCommitments<C>` of the wallet's suite).
    struct Entry: Sendable {
        let bytes: [UInt8]
        var decoded: (any Sendable)?
    }

    /// Commitments kept per wallet, generation and node; more are dropped (the node forgets its oldest too).
    let capacity: Int
    private var queues: [Key: [Entry]] = [:]

    init(capacity: Int = 16) { self.capacity = capacity }

    /// One commitment for each of `nodes` that has one (removed from the pool).
    func take(wallet: String, generation: UInt64, nodes: [String]) -> [String: Entry] {
        var out: [String: Entry] = [:]
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
        q.append(contentsOf: commitments.map { Entry(bytes: $0, decoded: nil) })
        if q.count > capacity { q.removeFirst(q.count - capacity) }
        queues[k] = q
    }

    /// Attaches the decoded (validated) value of a pooled commitment, if it is still pooled.
    func validated(wallet: String, generation: UInt64, node: String, bytes: [UInt8], decoded: any Sendable) {
        let k = Key(wallet: wallet, generation: generation, node: node)
        guard let i = queues[k]?.firstIndex(where: { $0.bytes == bytes }) else { return }
        queues[k]?[i].decoded = decoded
    }

    /// Forgets everything `node` prepared (it answered `nonce_unknown`: it restarted and lost its nonces).
    func forget(node: String) {
        for k in queues.keys where k.node == node { queues[k] = nil }
    }
}
