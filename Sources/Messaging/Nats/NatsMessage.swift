internal import CNats

/// A core NATS message as received. Everything in it came from the network: treat as hostile.
public struct NatsMessage: Sendable, Equatable {
    public var subject: String
    public var reply: String?
    public var data: [UInt8]
    public var headers: [String: [String]]
    /// The server's "503 no responders" status for a request nobody is subscribed to.
    public var isNoResponders: Bool

    public init(subject: String, reply: String? = nil, data: [UInt8], headers: [String: [String]] = [:], isNoResponders: Bool = false) {
        self.subject = subject; self.reply = reply; self.data = data; self.headers = headers; self.isNoResponders = isNoResponders
    }

    /// Copies a cnats message (does not destroy it).
    init(copying msg: OpaquePointer) {
        subject = natsMsg_GetSubject(msg).map { String(cString: $0) } ?? ""
        reply = natsMsg_GetReply(msg).flatMap { $0.pointee == 0 ? nil : String(cString: $0) }
        let len = Int(natsMsg_GetDataLength(msg))
        if len > 0, let p = natsMsg_GetData(msg) {
            data = Array(UnsafeRawBufferPointer(start: p, count: len))
        } else {
            data = []
        }
        headers = NatsMessage.copyHeaders(msg)
        isNoResponders = natsMsg_IsNoResponders(msg)
    }

    static func copyHeaders(_ msg: OpaquePointer) -> [String: [String]] {
        var keys: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var count: Int32 = 0
        guard natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK, let keys else { return [:] }
        defer { free(UnsafeMutableRawPointer(mutating: keys)) }
        var out: [String: [String]] = [:]
        for i in 0..<Int(max(count, 0)) {
            guard let k = keys[i] else { continue }
            var values: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            var n: Int32 = 0
            guard natsMsgHeader_Values(msg, k, &values, &n) == NATS_OK, let values else { continue }
            var vs: [String] = []
            for j in 0..<Int(max(n, 0)) { if let v = values[j] { vs.append(String(cString: v)) } }
            free(UnsafeMutableRawPointer(mutating: values))
            out[String(cString: k), default: []].append(contentsOf: vs)
        }
        return out
    }
}
