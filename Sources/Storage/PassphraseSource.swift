import Glibc
import Protocols

/// Where the node's storage passphrase comes from. The passphrase is returned as `SecretBytes`; every
/// intermediate buffer is zeroized.
public enum PassphraseSource: Sendable {
    /// A file readable only by its owner (mode 0600 or 0400); one trailing newline (LF or CRLF) is trimmed.
    case file(path: String)
    /// An environment variable, by name.
    case environment(name: String)
    /// Asked on the controlling terminal without echo.
    case prompt(message: String)

    public func read() throws(StorageError) -> SecretBytes {
        var bytes: [UInt8]
        switch self {
        case let .file(path): bytes = try Self.readFile(path)
        case let .environment(name): bytes = try Self.readEnvironment(name)
        case let .prompt(message): bytes = try Self.readPrompt(message)
        }
        defer { zeroize(&bytes) }
        Self.trimNewline(&bytes)
        guard !bytes.isEmpty else { throw .passphraseEmpty }
        return SecretBytes(bytes)
    }

    static func trimNewline(_ bytes: inout [UInt8]) {
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
    }

    private static func readFile(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .passphraseFileUnreadable(path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .passphraseFileUnreadable(path: path, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .passphraseFileUnreadable(path: path, errno: EINVAL) }
        let mode = UInt32(st.st_mode & 0o7777)
        guard mode & 0o077 == 0 else { throw .passphraseFileInsecure(path: path, mode: mode) }

        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { zeroize(&chunk) }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                zeroize(&out)
                throw .passphraseFileUnreadable(path: path, errno: errno)
            }
            if n == 0 { break }
            // Grow by copying into a fresh, larger buffer so no stale copy is left unzeroized.
            var grown = [UInt8](repeating: 0, count: out.count + n)
            for i in 0..<out.count { grown[i] = out[i] }
            for i in 0..<n { grown[out.count + i] = chunk[i] }
            zeroize(&out)
            out = grown
            zeroize(&grown)
        }
        return out
    }

    private static func readEnvironment(_ name: String) throws(StorageError) -> [UInt8] {
        guard let value = getenv(name) else { throw .passphraseEnvironmentMissing(name: name) }
        let length = strlen(value)
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// Reads a line from /dev/tty with echo turned off (termios), restoring the terminal afterwards.
    private static func readPrompt(_ message: String) throws(StorageError) -> [UInt8] {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .passphrasePromptFailed(errno: errno) }
        defer { _ = Glibc.close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw .passphrasePromptFailed(errno: errno) }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(fd, TCSAFLUSH, &silent) == 0 else { throw .passphrasePromptFailed(errno: errno) }
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        let prompt = Array(message.utf8)
        _ = prompt.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }

        // Byte by byte up to the newline, into a fixed buffer (no reallocation leaves copies behind).
        var buffer = [UInt8](repeating: 0, count: 1024)
        defer { zeroize(&buffer) }
        var count = 0
        var byte: UInt8 = 0
        while count < buffer.count {
            let n = Glibc.read(fd, &byte, 1)
            if n < 0 {
                if errno == EINTR { continue }
                throw .passphrasePromptFailed(errno: errno)
            }
            if n == 0 || byte == UInt8(ascii: "\n") { break }
            buffer[count] = byte
            count += 1
        }
        byte = 0
        return Array(buffer[0..<count])
    }
}
