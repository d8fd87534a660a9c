import ArgumentParser
import DecomCore
import DecomStore
import Foundation

/// The options every command takes: which database, as whom.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The fleet database (default: $DECOM_DB, else $XDG_DATA_HOME/decom/fleet.sqlite).")
    var db: String?

    @Option(
        name: .long,
        help: "viewer, operator or admin (default: $DECOM_ROLE, the config file, else admin).")
    var role: String?

    @Option(
        name: .long,
        help:
            "Who is acting, as recorded in history and audit (default: the config file, else $USER)."
    )
    var user: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func validate() throws {
        if let role, Role(rawValue: role.lowercased()) == nil {
            throw ValidationError(
                "unknown role '\(SafeText.visible(role))': use viewer, operator or admin")
        }
    }

    /// The config file's values, read once; a broken config file is a command error.
    func config() throws -> DecomSettings { try DecomSettings.load(environment: environment) }

    func databasePath() throws -> String {
        if let db { return db }
        if let path = try config().db { return path }
        return StoreLocation.defaultPath(environment: environment)
    }

    func actor() throws -> Actor {
        let settings = try config()
        let roleText = role ?? environment["DECOM_ROLE"] ?? settings.role?.rawValue
        var resolved = Role.default
        if let roleText {
            guard let r = Role(rawValue: roleText.lowercased()) else {
                throw CLIError(
                    "unknown role '\(SafeText.visible(roleText))': use viewer, operator or admin")
            }
            resolved = r
        }
        let name =
            user ?? settings.user ?? environment["USER"] ?? environment["LOGNAME"]
            ?? Self.accountName() ?? "uid \(getuid())"
        return Actor(user: name, role: resolved)
    }

    /// The login name of the process's user, from the password database.
    static func accountName() -> String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// Opens the database, turning a store error into a command error (exit 2). A write that
    /// finds the database busy waits as `lockWait` says: by default on standard error, with
    /// Ctrl-C to cancel (``CLIWaiting``).
    func openStore(lockWait: LockWait? = nil) throws -> SQLiteFleetStore {
        let path = try databasePath()
        do {
            return try SQLiteFleetStore(path: path, lockWait: lockWait ?? CLIWaiting.lockWait())
        } catch let busy as StoreBusy {
            throw busy
        } catch {
            throw CLIError("cannot open \(path): \(error)")
        }
    }
}

/// Output formats of the listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
