import ClientKit
import Coordination
import Foundation

// mpc-coordinator --config FILE: parse, wire, run until SIGTERM.
let args = CommandLine.arguments
guard args.count == 3, args[1] == "--config" else {
    FileHandle.standardError.write(Data("usage: mpc-coordinator --config FILE\n".utf8))
    exit(64)
}
do {
    try await CoordinatorBoot.run(configPath: args[2], waitForShutdown: { await Shutdown.wait() })
    exit(0)
} catch {
    FileHandle.standardError.write(Data("error \(error.code): \(error.message)\n".utf8))
    exit(1)
}
