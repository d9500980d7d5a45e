import ClientKit
import Foundation
import NodeRuntime

// mpc-node --config FILE: parse, wire, run. Exits non-zero with a code and a sentence on any start-up error.
let args = CommandLine.arguments
guard args.count == 3, args[1] == "--config" else {
    FileHandle.standardError.write(Data("usage: mpc-node --config FILE\n".utf8))
    exit(64)
}
do {
    try await NodeBoot.run(configPath: args[2])
} catch {
    FileHandle.standardError.write(Data("error \(error.code): \(error.message)\n".utf8))
    exit(1)
}
