// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "decom",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "decom", targets: ["decom"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        .executableTarget(
            name: "decom",
            dependencies: [
                "DecomCore", "DecomStore", "DecomConsole", "CursesTerminal", "DecomSSH",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "decom-bench",
            dependencies: ["DecomCore", "DecomStore", "DecomConsole"],
            path: "Benchmarks/decom-bench"
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
        .testTarget(name: "EndToEndTests", dependencies: ["DecomCore", "DecomTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
