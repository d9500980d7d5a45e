import ClientKit
import Foundation
import NodeRuntime

// mpc-node --config FILE: parse, wire, run. Exits non-zero with a code and a sentence on any start-up error.
// mpc-node --config FILE --drop-presignatures: delete every presignature in the node's store (after restoring the
// store from a backup: SECURITY-CHECKLIST 17), print how many, and exit without starting the node.
let args = CommandLine.arguments
guard args.count == 3 || (args.count == 4 && args[3] == "--drop-presignatures"), args[1] == "--config" else {
    FileHandle.standardError.write(Data("usage: mpc-node --config FILE [--drop-presignatures]\n".utf8))
    exit(64)
}
do {
    if args.count == 4 {
        let dropped = try await NodeBoot.dropPresignatures(configPath: args[2])
        print("dropped \(dropped.count) presignature(s) from \(dropped.store)")
        exit(0)
    }
    try await NodeBoot.run(configPath: args[2])
} catch {
    FileHandle.standardError.write(Data("error \(error.code): \(error.message)\n".utf8))
    exit(1)
}
