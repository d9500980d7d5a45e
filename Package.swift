// swift-tools-version:6.0
// Layers (dependencies point down only), see ../shared/ARCHITECTURE.md:
//   executables -> actors -> Messaging / Discovery / Storage -> Protocols / Chains (pure) -> C shims
import PackageDescription

let package = Package(
    name: "threshold-custody",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mpc", targets: ["MPCCLI"]),
        .executable(name: "mpc-node", targets: ["MPCNode"]),
        .executable(name: "mpc-coordinator", targets: ["Coordinator"]),
        .library(name: "Protocols", targets: ["Protocols"]),
        .library(name: "Chains", targets: ["Chains"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C shims: one system-library target per C library, one shim header each.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CGMP", providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(name: "CLMDB", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CNats", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),

        // Pure layers: no I/O, no clocks, no logging.
        // Release builds serialise Protocols' bodies for cross-module optimisation, so the generic protocol code
        // (FROSTSigning<C>, SignerSession<C>, ...) is specialised for the concrete suite where nodes, the
        // coordinator and the CLI call it, instead of running through witness tables and runtime metadata.
        .target(name: "Protocols", dependencies: ["CSodium", "CSecp256k1", "CGMP"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        .target(name: "Chains", dependencies: ["Protocols", "CSodium", "CSecp256k1"]),

        // I/O layers.
        .target(name: "Storage", dependencies: ["CLMDB", "CSodium", "Protocols"]),
        .target(name: "Messaging", dependencies: ["CNats", "CSodium", "Protocols"]),
        .target(name: "Discovery", dependencies: ["Messaging"]),

        // Actors: cluster files and client requests, node sessions, coordination.
        .target(name: "ClientKit", dependencies: ["Messaging", "Discovery", "Protocols", .product(name: "Yams", package: "Yams")]),
        .target(name: "NodeRuntime", dependencies: ["ClientKit", "Messaging", "Discovery", "Storage", "Protocols"]),
        .target(name: "Coordination", dependencies: ["ClientKit", "Messaging", "Discovery", "Storage", "Protocols"]),

        // Executables.
        .executableTarget(name: "MPCNode", dependencies: ["NodeRuntime", "ClientKit"]),
        .executableTarget(name: "Coordinator", dependencies: ["Coordination", "ClientKit"]),
        .executableTarget(name: "MPCCLI", dependencies: [
            "Protocols", "Chains", "ClientKit", "Messaging", "CSodium", "CSecp256k1",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test-only probe: a separate process the durability test SIGKILLs mid-write.
        .executableTarget(name: "StorageProbe", dependencies: ["Storage"], path: "Tests/StorageProbe"),

        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "CSodium", "CSecp256k1"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ChainsTests", dependencies: ["Chains", "Protocols", "CSecp256k1"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Protocols"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "Protocols"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Messaging"], exclude: ["fake_consul.py"]),
        .testTarget(name: "ClusterTests", dependencies: ["ClientKit", "Messaging", "Discovery", "Protocols", "Storage", "CSodium", "CSecp256k1"]),
    ],
    swiftLanguageModes: [.v6]
)
