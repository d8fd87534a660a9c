import DecomCore
import Foundation
import GRDB
import GRDBSQLite

/// The fleet database: one SQLite file in WAL mode, shared by the console and CLI calls.
///
/// Reads run on a snapshot of their own; a ``write(_:)`` closure runs in one IMMEDIATE
/// transaction, so everything it does is committed together or rolled back together. A write
/// that finds another writer's lock waits for it as long as it is held, says for whom
/// through ``lockWait``, and stops when the front end cancels (``LockWaiter``); a busy or
/// locked database reaches callers as ``StoreBusy``, never as a bare SQLite error.
public final class SQLiteFleetStore: FleetStore {
    public let path: String
    /// Opened with `SQLITE_OPEN_READONLY` (``OpenMode/readOnly``): every write fails.
    public let isReadOnly: Bool
    /// A ``DatabasePool`` or, for ``Connections/single``, a ``DatabaseQueue``.
    let database: any DatabaseWriter
    /// Where a waiting write reports and looks for a cancel; given by the front end.
    public let lockWait: LockWait
    let waiter: LockWaiter
    /// A connection of its own for ``changeToken()``: `PRAGMA data_version` changes on a
    /// connection only when another connection commits. Opened at the first call (a listing
    /// never needs it, and each connection parses the schema); guarded by ``closing``.
    private nonisolated(unsafe) var watcher: DatabaseQueue?
    private let watcherName: String
    private let closing = NSLock()
    private nonisolated(unsafe) var closed = false
    /// Set only by the benchmark, to time writes without the audit's hash chain.
    let withoutAuditChain = Flag()

    /// How long a reader waits for a lock (only rare moments, such as recovery after a crash,
    /// take one in WAL mode).
    public static let busyTimeout: TimeInterval = 10

    /// How many SQLite connections a store keeps. Each one parses the whole schema when it
    /// opens (about a millisecond at schema 10), which a one-shot command feels.
    public enum Connections: Sendable {
        /// A writer and a reader per concurrent read (GRDB's `DatabasePool`): the console and
        /// the servers, whose reads run beside each other and beside a write.
        case pool
        /// One connection for reads and writes (GRDB's `DatabaseQueue`, in WAL mode): a CLI
        /// command, which does one thing at a time. A read inside a write's closure is not
        /// allowed on it (GRDB stops the process), as no decom code does.
        case single
    }

    /// Opens the fleet at `path` as `mode` allows, after checking that the file is a decom
    /// fleet this decom can read (see ``FleetFile``): on the first connection, before anything
    /// on it can write (a WAL file without its `-wal` on a read-only connection of its own).
    /// Nothing is created or written before that check passes. A write that must wait for
    /// another writer's lock reports through `lockWait` and stops when it is cancelled.
    public init(
        path: String, mode: OpenMode = .create, lockWait: LockWait = LockWait(),
        connections: Connections = .pool
    ) throws {
        self.path = path
        self.lockWait = lockWait
        let waiter = LockWaiter(lockWait: lockWait, databasePath: path)
        self.waiter = waiter
        let file = try FleetFile.inspect(path, mode: mode)
        isReadOnly = file.access != .readWrite
        watcherName = file.sqliteName
        if !file.exists { try Self.prepareFolder(for: path) }
        let checked = CheckedContents(file.contents)
        var config = Configuration()
        config.readonly = isReadOnly
        config.foreignKeysEnabled = true
        config.busyMode = waiter.busyMode
        config.prepareDatabase { db in
            // The first connection's first statements: nothing has been written yet.
            if file.checksOnOpen, checked.needed {
                checked.found(try file.check(db, mode: mode))
            }
            try AuditChain.register(db)
            QuerySQL.register(db)
            Self.keepWAL(db)
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
            let database: any DatabaseWriter = try waiter.whileWriting {
                switch connections {
                case .pool:
                    return try DatabasePool(path: file.sqliteName, configuration: config)
                case .single:
                    var single = config
                    // GRDB's switch to WAL also looks at the `-wal` through Foundation and
                    // writes when it is empty: only a file not yet in WAL mode needs it.
                    if !file.isWAL { single.journalMode = .wal }
                    return try DatabaseQueue(path: file.sqliteName, configuration: single)
                }
            }
            self.database = database
            if !isReadOnly && checked.complete != true {
                try waiter.whileWriting { try Self.migrate(database, path: path) }
            }
        } catch let error as DatabaseError where error.isBusy {
            throw waiter.failure(error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    deinit { close() }

    // MARK: - FleetStore

    public func read<T>(_ body: (any FleetReader) throws -> T) throws -> T {
        try inWords { try database.read { db in try body(SQLiteFleetReader(db: db)) } }
    }

    public func write<T>(_ body: (any FleetWriter) throws -> T) throws -> T {
        try writeDatabase { db, note in
            try body(SQLiteFleetWriter(db: db, note: note, chained: !withoutAuditChain.isSet))
        }
    }

    public func recordFailure(
        _ type: TransactionType, actor: Actor, at: Date, error: String, items: [ItemResult]
    ) throws -> Int64 {
        try writeDatabase { db, _ in
            let writer = SQLiteFleetWriter(db: db)
            let id = try writer.insertTransaction(
                type, status: .failure, actor: actor, at: at, undoes: nil, error: error)
            try writer.insertItems(items, transaction: id)
            try writer.seal(id)
            return id
        }
    }

    public func changeToken() throws -> Int64 {
        try inWords {
            try openWatcher().read { db in
                try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            }
        }
    }

    private func openWatcher() throws -> DatabaseQueue {
        closing.lock()
        defer { closing.unlock() }
        if let watcher { return watcher }
        if closed {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the store is closed")
        }
        var watch = Configuration()
        watch.readonly = true
        watch.busyMode = .timeout(Self.busyTimeout)
        let opened = try DatabaseQueue(path: watcherName, configuration: watch)
        watcher = opened
        return opened
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
                try database.write { db in
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
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    // MARK: - Backup

    /// Writes a consistent copy of the fleet to `destination` with SQLite's `VACUUM INTO`: one
    /// read transaction, so consoles and writers go on meanwhile and the copy is the fleet as
    /// one commit left it. The copy is a single file (no `-wal`) that decom opens as it is.
    ///
    /// It is written next to `destination` under another name and moved into place at the
    /// end, so a failed backup leaves no half file. An existing file is refused unless
    /// `replacing`, and the database itself always.
    public func backup(to destination: String, replacing: Bool) throws {
        // The database's own log, index and journal are part of it: never a backup's target.
        let resolved = URL(fileURLWithPath: destination).resolvingSymlinksInPath().path
        let database = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if ["-wal", "-shm", "-journal"].contains(where: { resolved == database + $0 }) {
            throw StoreError.backupIsTheDatabase(path: destination)
        }
        var target = stat()
        if stat(destination, &target) == 0 {
            var source = stat()
            if stat(path, &source) == 0 && source.st_dev == target.st_dev
                && source.st_ino == target.st_ino
            {
                throw StoreError.backupIsTheDatabase(path: destination)
            }
            if (target.st_mode & S_IFMT) == S_IFDIR {
                throw StoreError.cannotBackUp(path: destination, reason: "it is a folder")
            }
            if !replacing { throw StoreError.backupExists(path: destination) }
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder) else {
            throw StoreError.cannotBackUp(
                path: destination, reason: "the folder \(folder) does not exist")
        }
        let partial = destination + ".partial-\(getpid())"
        unlink(partial)
        defer { unlink(partial) }
        do {
            try self.database.unsafeRead { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [partial])
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotBackUp(path: destination, reason: error.message ?? "\(error)")
        }
        // link(2) refuses to replace a file that appeared meanwhile; rename(2) replaces.
        let moved = replacing ? rename(partial, destination) : link(partial, destination)
        if moved != 0 {
            if errno == EEXIST { throw StoreError.backupExists(path: destination) }
            throw StoreError.cannotBackUp(
                path: destination, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: - Closing

    /// Folds the WAL back into the main file and closes every connection. Later calls do
    /// nothing; reads and writes after it fail.
    ///
    /// decom's data would otherwise stay in `fleet.sqlite-wal` (a read-only connection, such
    /// as ``watcher`` or a pool reader, cannot checkpoint when it is the last to close), and a
    /// copy of the main file alone would miss it. The checkpoint is TRUNCATE with no busy
    /// wait: while another process reads or writes, it folds what it can and leaves the rest
    /// to the last connection to close, which SQLite checkpoints and whose WAL it deletes.
    /// So the writer closes last: the readers first (``DatabasePool/releaseMemory()``).
    public func close() {
        closing.lock()
        defer { closing.unlock() }
        guard !closed else { return }
        closed = true
        try? watcher?.close()
        (database as? DatabasePool)?.releaseMemory()
        if !isReadOnly {
            try? database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                // FULL, not TRUNCATE: the log keeps its (copied) frames, so the next open finds
                // a WAL that is not empty and needs no write lock (see ``keepWAL(_:)``).
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(FULL)")
            }
        }
        try? database.close()
    }

    // MARK: - Opening

    /// Keeps the `-wal` file when the last connection closes (`SQLITE_FCNTL_PERSIST_WAL`).
    ///
    /// The last connection to close still copies every frame into the main file, so that
    /// file alone is the whole database (`cp` backs it up); only the log file stays, with
    /// frames already copied. GRDB's pool writes to the database when it opens on a missing
    /// or empty log (groue/GRDB.swift#102), and a write waits for any other writer's lock: with
    /// the log deleted at every clean exit, `decom list` and a console would wait to open
    /// whenever another writer held the lock. With it kept, opening writes nothing.
    static func keepWAL(_ db: Database) {
        var persist: Int32 = 1
        _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
    }

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

    /// Migrates to this decom's schema, after refusing a schema from a newer decom.
    private static func migrate(_ database: any DatabaseWriter, path: String) throws {
        let migrator = FleetSchema.migrator
        let (found, superseded, complete) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                try migrator.hasBeenSuperseded(db),
                try migrator.hasCompletedMigrations(db)
            )
        }
        if found > FleetSchema.version || superseded {
            throw StoreError.newerSchema(
                path: path, found: max(found, FleetSchema.version + 1),
                supported: FleetSchema.version)
        }
        // A file already at this schema is not written: the migrator's barrier and write
        // transaction would wait for every reader and take the write lock at each start.
        if complete { return }
        // Another decom opening the same older file may migrate it meanwhile: the migrator
        // reads which migrations ran before its transactions, so one of the two then fails
        // (a column already added, a migration already recorded) and its transaction rolls
        // back. What the other did is then there: read again and go on from it.
        var attempts = 0
        while true {
            do {
                try migrator.migrate(database)
                return
            } catch let error as DatabaseError where !error.isBusy {
                attempts += 1
                let done = try database.read { db in try migrator.hasCompletedMigrations(db) }
                if done { return }
                if attempts >= 5 { throw error }
            }
        }
    }
}

/// What the first connection's check found, shared by the connections' `prepareDatabase`
/// (readers open later and need no second check).
private final class CheckedContents: @unchecked Sendable {
    private let lock = NSLock()
    private var contents: FleetFile.Contents?

    init(_ contents: FleetFile.Contents?) { self.contents = contents }

    var needed: Bool { lock.withLock { contents == nil } }

    /// Whether every migration has run, when a check has read it.
    var complete: Bool? { lock.withLock { contents?.complete } }

    func found(_ contents: FleetFile.Contents) { lock.withLock { self.contents = contents } }
}

extension DatabaseError {
    /// SQLITE_BUSY or SQLITE_LOCKED, whatever the extended code.
    var isBusy: Bool { resultCode == .SQLITE_BUSY || resultCode == .SQLITE_LOCKED }
}
