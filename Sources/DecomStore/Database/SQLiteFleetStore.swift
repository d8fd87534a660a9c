import DecomCore
import Foundation
import GRDB

/// The fleet database: one SQLite file in WAL mode, shared by the console and CLI calls.
///
/// Reads run on a snapshot of their own; a ``write(_:)`` closure runs in one IMMEDIATE
/// transaction, so everything it does is committed together or rolled back together. A busy
/// timeout of ten seconds lets several processes wait for each other instead of failing
/// with "database is locked".
public final class SQLiteFleetStore: FleetStore {
    public let path: String
    let pool: DatabasePool
    /// A connection of its own for ``changeToken()``: `PRAGMA data_version` changes on a
    /// connection only when another connection commits.
    private let watcher: DatabaseQueue
    /// Set only by the benchmark, to time writes without the audit's hash chain.
    let withoutAuditChain = Flag()

    /// How long a write waits for another process's write before it fails.
    public static let busyTimeout: TimeInterval = 10

    public init(path: String) throws {
        self.path = path
        try Self.prepareFolder(for: path)
        try Self.checkHeader(path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Self.busyTimeout)
        config.prepareDatabase { db in
            try AuditChain.register(db)
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer's page cache holds up to 64 MiB (SQLite's default is 2 MiB): a bulk
            // change of 10,000 devices touches most pages of five tables, and with the default
            // it read them again and again through the OS. Readers keep the default.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrate(pool, path: path)
            var watch = Configuration()
            watch.readonly = true
            watch.busyMode = .timeout(Self.busyTimeout)
            watcher = try DatabaseQueue(path: path, configuration: watch)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    // MARK: - FleetStore

    public func read<T>(_ body: (any FleetReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteFleetReader(db: db)) }
    }

    public func write<T>(_ body: (any FleetWriter) throws -> T) throws -> T {
        try pool.write { db in
            try body(SQLiteFleetWriter(db: db, chained: !withoutAuditChain.isSet))
        }
    }

    public func recordFailure(
        _ type: TransactionType, actor: Actor, at: Date, error: String, items: [ItemResult]
    ) throws -> Int64 {
        try pool.write { db in
            let writer = SQLiteFleetWriter(db: db)
            let id = try writer.insertTransaction(
                type, status: .failure, actor: actor, at: at, undoes: nil, error: error)
            try writer.insertItems(items, transaction: id)
            try writer.seal(id)
            return id
        }
    }

    public func changeToken() throws -> Int64 {
        try watcher.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// The schema version of the open database.
    public func schemaVersion() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    // MARK: - Opening

    private static func prepareFolder(for path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard !FileManager.default.fileExists(atPath: folder) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotCreateFolder(path: folder, reason: error.localizedDescription)
        }
    }

    /// Refuses a non-empty file that does not start with SQLite's header before SQLite sees
    /// it, so that nothing (not even a WAL file) is created next to someone's document.
    private static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) {
            throw StoreError.notADatabase(path: path)
        }
    }

    /// Migrates to this decom's schema, after refusing a schema from a newer decom.
    private static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = FleetSchema.migrator
        let (found, superseded) = try pool.read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                try migrator.hasBeenSuperseded(db)
            )
        }
        if found > FleetSchema.version || superseded {
            throw StoreError.newerSchema(
                path: path, found: max(found, FleetSchema.version + 1),
                supported: FleetSchema.version)
        }
        try migrator.migrate(pool)
    }
}
