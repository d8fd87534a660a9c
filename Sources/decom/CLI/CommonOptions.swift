import ArgumentParser
import DecomCommandLine
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

    /// Opens the database as `use` needs it, turning a store error into a command error
    /// (exit 2). A read opens a file this user may not write read-only; a write refuses it.
    /// A write that finds the database busy waits as `lockWait` says: by default on standard
    /// error, with Ctrl-C to cancel (``CLIWaiting``).
    ///
    /// A command gets one connection (`.single`): it does one thing at a time, and each
    /// connection costs a parse of the schema. The console passes `.pool`, as its reads run
    /// beside each other and beside a deletion.
    func openStore(
        _ use: StoreUse, lockWait: LockWait? = nil,
        connections: SQLiteFleetStore.Connections = .single
    ) throws -> SQLiteFleetStore {
        let lockWait = lockWait ?? CLIWaiting.lockWait()
        let path = try databasePath()
        let store: SQLiteFleetStore
        func open(_ mode: OpenMode) throws -> SQLiteFleetStore {
            try SQLiteFleetStore(
                path: path, mode: mode, lockWait: lockWait, connections: connections)
        }
        do {
            switch use {
            case .fill:
                store = try open(.create)
            case .write:
                store = try open(.existing)
            case .read:
                do {
                    store = try open(.existing)
                } catch StoreError.readOnly {
                    store = try open(.readOnly)
                }
            }
        } catch let busy as StoreBusy {
            throw busy
        } catch {
            throw CLIError(SafeText.visible("\(error)"))
        }
        OpenStores.add(store)
        return store
    }
}

/// What a command does with the fleet database, which decides how it is opened.
enum StoreUse {
    /// `init`, `seed`, `import`, `demo`: may create the database and its folders.
    case fill
    /// Changes the fleet: the database must be there and writable.
    case write
    /// Only reads: the database must be there; read-only files are opened read-only.
    case read
}

/// Output formats of the listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Output formats of the commands that print one device or transaction (show, delete, undo,
/// history, purge): a CSV row has no room for its items, so CSV is not offered, and
/// `--format csv` is refused by the parser with the values it takes (issue 15: no help
/// offers a format the command refuses).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
