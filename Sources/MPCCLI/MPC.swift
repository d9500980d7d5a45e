import ArgumentParser

/// The `mpc` command: the operator's and client's entry point.
@main
struct MPC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpc",
        abstract: "Threshold-signature custody cluster: keys, signatures and conformance checks.",
        usage: "mpc [--cluster DIR] <subcommand>",
        subcommands: [VectorsCommand.self, BenchCommand.self, DemoCommand.self, ClusterCommand.self,
                      KeygenCommand.self, SignCommand.self, ReshareCommand.self, PubkeyCommand.self, StatusCommand.self,
                      AddressCommand.self, SignTxCommand.self, SignMessageCommand.self]
    )

    /// `mpc --cluster DIR <subcommand> ...` is accepted by moving the global option after the subcommand.
    static func main() async {
        var args = Array(CommandLine.arguments.dropFirst())
        if args.count >= 3, args[0] == "--cluster" {
            let dir = args[1]
            args.removeFirst(2)
            // `bench` is a group: its client subcommand (`bench sign`) takes the option.
            let at = args.count >= 2 && args[0] == "bench" ? 2 : 1
            args.insert(contentsOf: ["--cluster", dir], at: min(at, args.count))
        }
        await main(args)
    }
}
