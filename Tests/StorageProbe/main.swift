// StorageProbe: a separate process for the durability test (and a quick timing run).
//
//   StorageProbe write <directory> <count>   writes shares 0..<count of wallet "probe-wallet", printing
//                                            "committed <k>" (flushed) after each committed write.
//   StorageProbe time <directory>            prints how long open (Argon2id MODERATE) and sealed put/get take.
//
// The passphrase comes from the environment variable STORAGE_PROBE_PASSPHRASE.
import Foundation
import Protocols
import Storage

/// The share the probe writes as generation `k`; the test recomputes it to check what it reads back.
func probeShare(_ k: UInt64) -> [UInt8] {
    let digest = Hash.sha256(Array("storage-probe-record".utf8) + withUnsafeBytes(of: k.bigEndian) { Array($0) })
    return digest + digest + digest + digest
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: StorageProbe write <directory> <count> | time <directory>") }
let directory = args[2]
let passphrase: SecretBytes
do { passphrase = try PassphraseSource.environment(name: "STORAGE_PROBE_PASSPHRASE").read() } catch { fail("\(error)") }

switch args[1] {
case "write":
    guard args.count == 4, let count = UInt64(args[3]) else { fail("write needs a count") }
    do {
        let store = try NodeStore(directory: directory, passphrase: passphrase, options: .init(kdf: .interactive))
        for k in 0..<count {
            try await store.putShare(walletID: "probe-wallet", generation: k, share: probeShare(k))
            // write(2) on the descriptor: unbuffered, so the line is out before the next write begins.
            FileHandle.standardOutput.write(Data("committed \(k)\n".utf8))
        }
        await store.close()
    } catch {
        fail("\(error)")
    }

case "time":
    let clock = ContinuousClock()
    do {
        var store: NodeStore?
        let create = try clock.measure { store = try NodeStore(directory: directory, passphrase: passphrase) }
        await store?.close()
        store = nil
        let reopen = try clock.measure { store = try NodeStore(directory: directory, passphrase: passphrase) }
        guard let store else { fail("no store") }
        let n = 200
        let value = [UInt8](repeating: 0xab, count: 256)
        let start = clock.now
        for i in 0..<n { try await store.putAux("bench-\(i)", value: value) }
        let put = (clock.now - start) / n
        let start2 = clock.now
        for i in 0..<n { _ = try await store.aux("bench-\(i)") }
        let get = (clock.now - start2) / n
        print("create (Argon2id MODERATE + init): \(create)")
        print("open (Argon2id MODERATE + key check): \(reopen)")
        print("sealed put (256 B, durable commit): \(put) per write")
        print("sealed get (256 B): \(get) per read")
        await store.close()
    } catch {
        fail("\(error)")
    }

default:
    fail("unknown mode \(args[1])")
}
