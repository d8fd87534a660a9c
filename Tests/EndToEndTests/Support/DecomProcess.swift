import DecomTestSupport
import Foundation
import Testing

/// Runs the built `decom` binary, as an admin's shell would.
struct DecomProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(value as? [String: Any], "stdout is not a JSON object: \(stdout)")
        }
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(
                atPath: url.appendingPathComponent("Package.swift").path)
            {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `DECOM_BIN`, else the debug build in `.build`.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["DECOM_BIN"] { return path }
        return packageRoot.appendingPathComponent(".build/debug/decom").path
    }()

    /// A clean environment: no inherited DECOM_* variables, config and data in the sandbox.
    let home: URL

    init() throws {
        home = try TestFolders.make("e2e")
    }

    var db: String { home.appendingPathComponent("fleet.sqlite").path }

    var environment: [String: String] {
        var env: [String: String] = [:]
        let inherited = ProcessInfo.processInfo.environment
        env["PATH"] = inherited["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = home.path
        env["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        env["USER"] = "e2e-admin"
        env["LANG"] = "C.UTF-8"
        return env
    }

    /// Runs `decom ARGS` with `--db` pointing at this sandbox's database unless `useDB` is
    /// false.
    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, env extra: [String: String] = [:],
        useDB: Bool = true
    ) throws -> Result {
        var args = arguments
        if useDB, let first = args.first {
            args = [first, "--db", db] + args.dropFirst()
        }
        let output = try Spawn.run(
            [Self.binary] + args, environment: environment.merging(extra) { $1 }, input: stdin)
        return Result(status: output.exit.status, stdout: output.stdout, stderr: output.stderr)
    }

    func remove() {
        try? FileManager.default.removeItem(at: home)
    }
}
