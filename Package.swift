// swift-tools-version: 6.1
import PackageDescription

// A release binary exports only what the shared libraries need. The static Swift runtime's link
// arguments export every symbol of every package (43,000), which the loader searches as it
// binds ncurses', SQLite's and libstdc++'s symbols, and the runtime's dladdr at start scans:
// about 1 ms of each `decom list` (issue 16). Nothing looks decom's own symbols up by name;
// crash backtraces read the symbol table, which stays.
let exportOnlyWhatLibrariesNeed: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(configuration: .release))
]

let package = Package(
    name: "decom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "decom", targets: ["decom"]),
        .executable(name: "decom-server", targets: ["decom-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The HTTP API (issue 13): Hummingbird 2 without its default traits (no
        // swift-configuration), its auth middleware, and TLS (swift-nio-ssl) for --tls-cert.
        .package(
            url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "DecomCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "DecomStore",
            dependencies: [
                "DecomCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DecomConsole",
            dependencies: ["DecomCore", .product(name: "Yams", package: "Yams")]
        ),
        .systemLibrary(name: "CNCursesW"),
        .target(name: "CursesTerminal", dependencies: ["CNCursesW", "DecomConsole"]),
        .target(name: "CPTY"),
        .target(
            name: "DecomSSH",
            dependencies: [
                "DecomCore", "CPTY",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DecomHTTP",
            dependencies: [
                "DecomCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // What both binaries' commands share: errors and exit codes, output, open stores, the
        // server commands' help.
        .target(
            name: "DecomCommandLine",
            dependencies: [
                "DecomCore", "DecomStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The console and the CLI. The network front ends are `decom-server`, which `decom
        // serve-ssh` and `decom serve-http` run, so no CLI command loads SwiftNIO or Hummingbird
        // at start (issue 16).
        .executableTarget(
            name: "decom",
            dependencies: [
                "DecomCore", "DecomStore", "DecomConsole", "CursesTerminal", "DecomCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: exportOnlyWhatLibrariesNeed
        ),
        .executableTarget(
            name: "decom-server",
            dependencies: [
                "DecomCore", "DecomStore", "DecomSSH", "DecomHTTP", "DecomCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: exportOnlyWhatLibrariesNeed
        ),
        .executableTarget(
            name: "decom-bench",
            dependencies: ["DecomCore", "DecomStore", "DecomConsole"],
            path: "Benchmarks/decom-bench"
        ),
        // The C floor the console's filter and memory are measured against (issue 16): a
        // plain C program over the same SQLite doing the same filter. decom-bench runs it.
        .executableTarget(
            name: "decom-floor",
            path: "Benchmarks/decom-floor",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // What several test targets share: the stress switch and summary, a seeded generator,
        // hostile text for the fuzz tests.
        .target(name: "DecomTestSupport", dependencies: ["DecomCore"], path: "Tests/Support"),
        .testTarget(name: "DecomCoreTests", dependencies: ["DecomCore", "DecomTestSupport"]),
        .testTarget(name: "CursesTerminalTests", dependencies: ["CursesTerminal", "DecomConsole"]),
        .testTarget(
            name: "DecomStoreTests", dependencies: ["DecomStore", "DecomCore", "DecomTestSupport"]
        ),
        .testTarget(
            name: "DecomConsoleTests",
            dependencies: ["DecomConsole", "DecomCore", "DecomTestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "DecomHTTPTests",
            dependencies: [
                "DecomHTTP", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["DecomCore", "DecomTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
