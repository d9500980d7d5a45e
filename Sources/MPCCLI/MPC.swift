import ArgumentParser

/// The `mpc` command: the operator's and client's entry point.
@main
struct MPC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpc",
        abstract: "Threshold-signature custody cluster: keys, signatures and conformance checks.",
        subcommands: [VectorsCommand.self, BenchCommand.self, DemoCommand.self]
    )
}
