import DecomCore
import Foundation
import GRDB

/// The fleet database: one SQLite file in WAL mode, shared by the console and CLI calls.
///
/// Reads run on a snapshot of their own; a ``write(_:)`` closure runs in one IMMEDIATE
/// transaction, so everything it does is committed together or rolled back together. A write
/// that finds another writer's lock waits for it as long as it is held, says for whom
/// through ``lockWait``, and stops when the front end cancels (``LockWaiter``); a busy or
/// locked database reaches callers as ``StoreBusy``, never as a bare SQLite error.
public final class SQLiteFleetStore: FleetStore {
    public let path: String
    let pool: DatabasePool
    /// Where a waiting write reports and looks for a cancel; given by the front end.
    public let lockWait: LockWait
    let waiter: LockWaiter
    /// A connection of its own for ``changeToken()``: `PRAGMA data_version` changes on a
    /// connection only when another connection commits.
    private let watcher: DatabaseQueue

    /// How long a reader waits for a lock (only rare moments, such as recovery after a crash,
    /// take one in WAL mode).
    public static let busyTimeout: TimeInterval = 10

    public init(path: String, lockWait: LockWait = LockWait()) throws {
        self.path = path
        self.lockWait = lockWait
        let waiter = LockWaiter(lockWait: lockWait, databasePath: path)
        self.waiter = waiter
        try Self.prepareFolder(for: path)
        try Self.checkHeader(path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = waiter.busyMode
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer's page cache holds up to 64 MiB (SQLite's default is 2 MiB): a bulk
            // change of 10,000 devices touches most pages of five tables, and with the default
            // it read them again and again through the OS. Readers keep the default.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        do {
            // Opening writes when the WAL file is empty (GRDB makes it non-empty), and so may
            // wait for another writer, as a migration may.
            pool = try waiter.whileWriting { try DatabasePool(path: path, configuration: config) }
            try waiter.whileWriting { [pool] in try Self.migrate(pool, path: path) }
            var watch = Configuration()
            watch.readonly = true
            watch.busyMode = .timeout(Self.busyTimeout)
            watcher = try DatabaseQueue(path: path, configuration: watch)
        } catch let error as DatabaseError where error.isBusy {
            throw waiter.failure(error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    // MARK: - FleetStore

    public func read<T>(_ body: (any FleetReader) throws -> T) throws -> T {
        try inWords { try pool.read { db in try body(SQLiteFleetReader(db: db)) } }
    }

    public func write<T>(_ body: (any FleetWriter) throws -> T) throws -> T {
        try writeDatabase { db, note in try body(SQLiteFleetWriter(db: db, note: note)) }
    }

    public func recordFailure(
        _ type: TransactionType, actor: Actor, at: Date, error: String, items: [ItemResult]
    ) throws -> Int64 {
        try writeDatabase { db, _ in
            let writer = SQLiteFleetWriter(db: db)
            let id = try writer.insertTransaction(
                type, status: .failure, actor: actor, at: at, undoes: nil, error: error)
            try writer.insertItems(items, transaction: id)
            return id
        }
    }

    public func changeToken() throws -> Int64 {
        try inWords {
            try watcher.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        }
    }

    // MARK: - Waiting for the write lock

    /// Runs `body` in one write transaction, after waiting for the lock as long as another
    /// writer holds it. While it holds the lock, a ``WriterNote`` says so to other writers.
    ///
    /// A cancelled wait throws ``StoreBusy/cancelled(_:)``; once cancelled, nothing is written
    /// until the front end resets ``lockWait`` (so no FAILURE is recorded for a cancel).
    func writeDatabase<T>(_ body: (Database, WriterNote) throws -> T) throws -> T {
        if lockWait.isCancelled { throw StoreBusy.cancelled(waiter.lastHolder()) }
        let note = WriterNote(databasePath: path)
        defer { note.withdraw() }
        do {
            return try waiter.whileWriting {
                try pool.write { db in
                    waiter.ended()
                    note.publish()
                    return try body(db, note)
                }
            }
        } catch let error as DatabaseError where error.isBusy {
            throw waiter.failure(error)
        }
    }

    /// Turns SQLite's busy and locked errors into ``StoreBusy``.
    private func inWords<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.isBusy {
            throw StoreBusy.locked(
                waiter.lastHolder(), detail: error.message ?? "\(error.resultCode)")
        }
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

extension DatabaseError {
    /// SQLITE_BUSY or SQLITE_LOCKED, whatever the extended code.
    var isBusy: Bool { resultCode == .SQLITE_BUSY || resultCode == .SQLITE_LOCKED }
}
