import ArgumentParser
import CursesTerminal
import DecomCommandLine
import DecomConsole
import DecomCore
import DecomStore
import Foundation

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console on the fleet database (the default command).",
        usage: "decom console [--theme <name>] [--confined] [options]")

    @OptionGroup var common: CommonOptions
    @Option(
        help: "A theme name or a theme file (default: $DECOM_THEME, the config file, else default)."
    )
    var theme: String?
    @Flag(help: ConsoleLauncher.confinedHelp) var confined = false

    func run() throws {
        let actor = try common.actor()
        // Until the console's screen opens, a wait is told on standard error (opening may wait).
        let lockWait = CLIWaiting.lockWait()
        let store = try common.openStore(
            actor.role == .viewer ? .read : .write, lockWait: lockWait, connections: .pool)
        defer { store.close() }
        let interruption = try ConsoleLauncher.run(
            store: store, actor: actor,
            databaseName: URL(fileURLWithPath: store.path).lastPathComponent,
            themeFlag: theme, common: common, lockWait: lockWait, confined: confined)
        // As shells report a program a signal ended: 128 + the signal (129 for a terminal
        // that went away, 130 for Ctrl-C, 143 for SIGTERM).
        if let interruption { throw ExitCode(interruption.exitStatus) }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the console on a fresh generated fleet in a temporary database.",
        usage: "decom demo [--devices <n>] [--seed <n>] [--theme <name>] [options]",
        discussion: "The temporary database is removed when the console exits, however it exits.")

    @Option(parsing: .unconditional, help: "How many devices.") var devices: Int = 2_000
    @Option(parsing: .unconditional, help: "The generator's seed.") var seed: UInt64 = 1
    @Option(name: .long, help: "viewer, operator or admin.") var role: String?
    @Option(name: .long, help: "Who is acting, as recorded in history.") var user: String?
    @Option(help: "A theme name or a theme file.") var theme: String?
    @Flag(help: ConsoleLauncher.confinedHelp) var confined = false

    func run() throws {
        guard (1...2_000_000).contains(devices) else {
            throw CLIError("--devices must be between 1 and 2000000")
        }
        DemoFolder.removeAbandoned()
        let folder = try DemoFolder.create()
        defer { DemoFolder.remove(folder) }
        var common = try CommonOptions.parse([])
        common.db = folder.appendingPathComponent("demo.sqlite").path
        common.role = role
        common.user = user
        // Until the console's screen opens, a wait is told on standard error (opening may wait).
        let lockWait = CLIWaiting.lockWait()
        let store = try common.openStore(.fill, lockWait: lockWait, connections: .pool)
        defer { store.close() }
        // The demo's own fleet, whatever role the visitor plays in it.
        _ = try Seeder.seed(
            store: store, count: devices, seed: seed,
            actor: Actor(user: "decom demo", role: .admin))
        let interruption = try ConsoleLauncher.run(
            store: store, actor: try common.actor(), databaseName: "demo (\(devices) devices)",
            themeFlag: theme,
            common: common, lockWait: lockWait, confined: confined)
        if let interruption { throw ExitCode(interruption.exitStatus) }
    }
}

/// The temporary folders of `decom demo`: named with the owning process id, so one left by a
/// demo that was killed outright (SIGKILL leaves no chance to clean up) is removed by the
/// next demo.
enum DemoFolder {
    static let prefix = "decom-demo-"

    static var base: URL { FileManager.default.temporaryDirectory }

    static func create() throws -> URL {
        let url = base.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    static func removeAbandoned() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base.path) else {
            return
        }
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                remove(base.appendingPathComponent(name))
            }
        }
    }
}
