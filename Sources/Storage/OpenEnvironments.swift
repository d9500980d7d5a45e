import Glibc
import Synchronization

/// The LMDB environments open in this process, by the (device, inode) of their directory.
///
/// LMDB must not open the same environment twice in one process: closing the second handle drops the
/// first one's POSIX locks, after which another process could corrupt the database. This registry turns
/// that mistake into `StorageError.alreadyOpen`. It is the layer's one lock: `LMDBEnvironment.init` is
/// synchronous (it runs inside `NodeStore.init`), so an actor cannot guard it.
enum OpenEnvironments {
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    private static let open = Mutex<Set<Identity>>([])

    static func identity(of directory: String) throws(StorageError) -> Identity {
        var st = stat()
        guard stat(directory, &st) == 0 else { throw .directoryUnusable(path: directory, errno: errno) }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Registers `id`; false if it is already open in this process.
    static func register(_ id: Identity) -> Bool {
        open.withLock { $0.insert(id).inserted }
    }

    static func unregister(_ id: Identity) {
        _ = open.withLock { $0.remove(id) }
    }
}
