internal import CSodium
#if canImport(Glibc)
import Glibc
#endif

/// The request log's claims, made durable with one write and one fdatasync per batch (an LMDB commit takes two
/// device flushes: its data pages, then its meta page; on this kind of machine each is a virtio flush whose kernel
/// work competes with the signers for the CPU). The log moves the claims into its LMDB tables later, with its
/// lazy result commits, and empties the journal once it has grown (`RequestLog`).
///
/// File `claims.journal`: records back to back, each `"MCJ1"`, the body's length (UInt32, little-endian), a
/// 16-byte BLAKE2b hash of the body, then the body: the request ids, each UInt16 length + UTF-8 bytes. Opening
/// reads the records up to the first one that is incomplete or fails its hash (a write torn by a crash: its batch
/// was never reported durable, so nothing of it was released) and cuts the file there. Held with an exclusive
/// `flock` while open: a second process (or open) on the same directory is refused with `alreadyOpen`. Not
/// thread-safe: after `init`, one thread at a time (the request log's disk thread).
final class ClaimJournal: @unchecked Sendable {
    static let fileName = "claims.journal"
    static let magic: [UInt8] = Array("MCJ1".utf8)
    static let headerSize = 4 + 4 + 16

    let path: String
    private var fd: Int32
    /// Bytes of whole records in the file (where the next one is written).
    private(set) var size: Int
    /// The ids found when the journal was opened.
    let recovered: [String]

    init(directory: String) throws(StorageError) {
        path = directory + "/" + Self.fileName
        let existed = access(path, F_OK) == 0
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .fileIO(path: path, operation: "open", errno: errno) }
        do throws(StorageError) {
            // One writer: a second coordinator on the same data directory would append over this one's records
            // (and not see its claims), so it is refused here (the lock goes with the descriptor, also on a crash).
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                throw errno == EWOULDBLOCK ? StorageError.alreadyOpen(path: path) : StorageError.fileIO(path: path, operation: "flock", errno: errno)
            }
            let bytes = try Self.readAll(fd, path)
            let (ids, good) = Self.parse(bytes)
            recovered = ids
            size = good
            if good < bytes.count {   // a torn tail: cut it, so that the next record follows the last whole one
                guard ftruncate(fd, off_t(good)) == 0 else { throw StorageError.fileIO(path: path, operation: "ftruncate", errno: errno) }
                guard fsync(fd) == 0 else { throw StorageError.fileIO(path: path, operation: "fsync", errno: errno) }
            }
            if !existed { try LMDBEnvironment.syncDirectory(directory) }
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    /// Appends one record of `ids` and returns once it is on the device (pwrite + fdatasync).
    func append(_ ids: [String]) throws(StorageError) {
        let record = Self.record(ids)
        var written = 0
        while written < record.count {
            let n = record.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, record.count - written, off_t(size + written)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .fileIO(path: path, operation: "pwrite", errno: n < 0 ? errno : EIO) }
            written += n
        }
        guard fdatasync(fd) == 0 else { throw .fileIO(path: path, operation: "fdatasync", errno: errno) }
        size += record.count
    }

    /// Empties the journal (its claims are in LMDB, durably, before this is called).
    func reset() throws(StorageError) {
        guard ftruncate(fd, 0) == 0 else { throw .fileIO(path: path, operation: "ftruncate", errno: errno) }
        guard fsync(fd) == 0 else { throw .fileIO(path: path, operation: "fsync", errno: errno) }
        size = 0
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    // MARK: format

    static func record(_ ids: [String]) -> [UInt8] {
        var body: [UInt8] = []
        for id in ids {
            let utf8 = Array(id.utf8.prefix(Int(UInt16.max)))
            body += [UInt8(utf8.count & 0xff), UInt8(utf8.count >> 8)] + utf8
        }
        let n = UInt32(body.count)
        return magic + [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + hash(body) + body
    }

    /// The ids of the whole, intact records at the start of `bytes`, and how many bytes those records take.
    static func parse(_ bytes: [UInt8]) -> (ids: [String], length: Int) {
        var ids: [String] = []
        var at = 0
        while bytes.count - at >= headerSize, Array(bytes[at..<at + 4]) == magic {
            let n = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
            let start = at + headerSize
            guard bytes.count - start >= n else { break }
            let body = Array(bytes[start..<start + n])
            guard hash(body) == Array(bytes[at + 8..<at + 24]), let batch = decodeIds(body) else { break }
            ids += batch
            at = start + n
        }
        return (ids, at)
    }

    private static func decodeIds(_ body: [UInt8]) -> [String]? {
        var out: [String] = []
        var i = 0
        while i < body.count {
            guard body.count - i >= 2 else { return nil }
            let n = Int(body[i]) | Int(body[i + 1]) << 8
            guard body.count - i - 2 >= n else { return nil }
            out.append(String(decoding: body[i + 2..<i + 2 + n], as: UTF8.self))
            i += 2 + n
        }
        return out
    }

    private static func hash(_ body: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        _ = crypto_generichash(&out, 16, body, UInt64(body.count), nil, 0)
        return out
    }

    private static func readAll(_ fd: Int32, _ path: String) throws(StorageError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .fileIO(path: path, operation: "read", errno: errno) }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }
}
