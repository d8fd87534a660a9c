import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomSSH
import DecomStore
import Foundation

struct ServeSSHCommand: ParsableCommand {
    static let configuration = ServerCommands.serveSSH

    @Option(help: "The address to listen on, HOST:PORT (port 0: any free port, printed).")
    var listen: String = "127.0.0.1:2222"

    @Option(
        name: .customLong("host-key"),
        help:
            "The ed25519 host key file, created if missing (default: $XDG_STATE_HOME/decom/ssh_host_ed25519_key)."
    )
    var hostKey: String?

    @Flag(help: "A fresh demo fleet for every session.") var demo = false

    @Option(parsing: .unconditional, help: "Devices in each demo fleet.") var devices: Int = 2_000

    @Option(
        name: .customLong("authorized-keys"), help: "The keys that may open the fleet console.")
    var authorizedKeys: String?

    @Option(
        help: "The fleet database (default: $DECOM_DB, else $XDG_DATA_HOME/decom/fleet.sqlite).")
    var db: String?

    @Option(
        name: .customLong("max-sessions"), parsing: .unconditional,
        help: "How many sessions at once.")
    var maxSessions: Int = 8

    @Option(
        name: .customLong("max-sessions-per-address"),
        parsing: .unconditional,
        help: "How many sessions at once from one remote address.")
    var maxSessionsPerAddress: Int = 4

    @Option(
        name: .customLong("idle-timeout"),
        parsing: .unconditional,
        help: "Seconds without a keystroke before a session is closed.")
    var idleTimeout: Int = 1_800

    @Option(
        name: .customLong("max-session-length"), parsing: .unconditional,
        help: "Seconds a session may last.")
    var maxSessionLength: Int = 14_400

    @Option(
        name: .customLong("login-timeout"), parsing: .unconditional,
        help: "Seconds a connection has to log in.")
    var loginTimeout: Int = 30

    @Option(
        name: .customLong("spare-fleets"),
        parsing: .unconditional,
        help:
            "Demo fleets generated ahead of visitors, so a session starts at once (default: --max-sessions; 0: none)."
    )
    var spareFleets: Int?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let (host, port) = try Self.address(listen)
        var limits = SessionLimits()
        limits.maxSessions = try Self.bounded(maxSessions, "--max-sessions", 1...10_000)
        limits.maxSessionsPerAddress = try Self.bounded(
            maxSessionsPerAddress, "--max-sessions-per-address", 1...10_000)
        limits.idleTimeout = try Self.bounded(idleTimeout, "--idle-timeout", 1...604_800)
        limits.maxSessionLength = try Self.bounded(
            maxSessionLength, "--max-session-length", 1...2_592_000)
        limits.loginTimeout = try Self.bounded(loginTimeout, "--login-timeout", 1...3_600)
        limits.spareFleets = try Self.bounded(
            spareFleets ?? limits.maxSessions, "--spare-fleets", 0...1_000)
        let mode = try serverMode(environment: environment)
        let keyPath = Self.absolute(hostKey ?? HostKey.defaultPath(environment: environment))
        let key: HostKey
        let created: Bool
        do {
            (key, created) = try HostKey.loadOrCreate(path: keyPath)
        } catch {
            throw CLIError(error.description)
        }
        let configuration = ConsoleServer.Configuration(
            host: host, port: port, hostKey: key, mode: mode, limits: limits,
            executable: try Executable.sibling("decom"),
            folderBase: FileManager.default.temporaryDirectory.path)
        let server = ConsoleServer(configuration: configuration)
        do {
            try server.run { boundHost, boundPort in
                let shown = boundHost.contains(":") ? "[\(boundHost)]" : boundHost
                let lines = [
                    "decom serve-ssh: listening on \(shown):\(boundPort) (\(Self.describe(mode)))",
                    "host key \(created ? "created" : "read") at \(SafeText.visible(keyPath)): \(key.fingerprint)",
                    key.publicLine,
                ]
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
        } catch let error as ConsoleServer.StartFailed {
            throw CLIError(error.description)
        }
    }

    private func serverMode(environment: [String: String]) throws -> ServerMode {
        switch (demo, authorizedKeys) {
        case (true, nil):
            guard (1...200_000).contains(devices) else {
                throw CLIError("--devices must be between 1 and 200000")
            }
            if db != nil {
                throw CLIError("--db is for fleet mode; --demo makes its own databases")
            }
            return .demo(devices: devices)
        case (false, let path?):
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CLIError("cannot read authorized keys \(SafeText.visible(path))")
            }
            let keys: AuthorizedKeys
            do {
                keys = try AuthorizedKeys.parse(text)
            } catch {
                throw CLIError("\(SafeText.visible(path)) \(error.description)")
            }
            guard !keys.entries.isEmpty else {
                throw CLIError("\(SafeText.visible(path)) lists no key: nobody could log in")
            }
            let database = Self.absolute(db ?? StoreLocation.defaultPath(environment: environment))
            guard FileManager.default.fileExists(atPath: database) else {
                throw CLIError(
                    "no fleet database at \(SafeText.visible(database)): give --db, or create it with decom import or decom seed"
                )
            }
            do {
                return try ServerMode.fleet(database: database, authorizedKeys: keys)
            } catch {
                throw CLIError("\(SafeText.visible(path)) \(error.description)")
            }
        case (true, _?):
            throw CLIError("choose one of --demo and --authorized-keys")
        case (false, nil):
            throw CLIError(
                "choose --demo (a fresh fleet per visitor) or --authorized-keys FILE (the fleet database)"
            )
        }
    }

    private static func describe(_ mode: ServerMode) -> String {
        switch mode {
        case .demo(let devices): "demo, \(devices) devices per session"
        case .fleet(let database, let keys):
            "fleet \(SafeText.visible(database)), \(keys.count) key\(keys.count == 1 ? "" : "s")"
        }
    }

    static func bounded(_ value: Int, _ flag: String, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw CLIError("\(flag) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// `HOST:PORT`, `[IPv6]:PORT`.
    static func address(_ text: String) throws -> (String, Int) {
        let bad = CLIError("--listen '\(SafeText.visible(text))' is not HOST:PORT")
        guard let colon = text.lastIndex(of: ":") else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw bad }
        return (host, port)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
