import Foundation
import GRDB

/// What is at a database path, found out before decom opens it for real and without writing a
/// byte: no folder, no file, no `-wal`, no journal mode switched.
///
/// A ``DatabasePool`` switches the file to WAL as it opens, and migrating adds tables: both
/// must wait until the file is known to be a decom fleet (or a new one the command may create).
struct FleetFile {
    /// How the store's connections open the file.
    enum Access: Equatable {
        case readWrite
        /// SQLite's `SQLITE_OPEN_READONLY`. With `immutable`, SQLite reads the main file
        /// without locks or `-shm` (see ``FleetFile/immutableAllowed``).
        case readOnly(immutable: Bool)
    }

    let path: String
    /// False when the command creates the database (no file yet, or an empty one).
    let exists: Bool
    let access: Access
    /// The file is in WAL mode (header byte 18), so a connection need not switch it.
    var isWAL = false
    /// What the file holds, when ``inspect(_:mode:)`` had to read it on a connection of its
    /// own (a WAL file without its `-wal`, read as `immutable` so that nothing is created
    /// beside a file that may be another program's). Nil otherwise: the store checks the
    /// contents on its first connection, before anything can write (``check(_:mode:)``).
    var contents: Contents?

    /// The schema version and tables a check reads (``contents(of:)``).
    struct Contents {
        var version: Int
        var tables: [String]
        /// The file has migrations this decom does not know (a newer decom's).
        var superseded: Bool
        /// Every migration this decom knows has run: opening writes nothing.
        var complete: Bool
    }

    /// Whether the store must run ``check(_:mode:)`` on its first connection.
    var checksOnOpen: Bool { exists && contents == nil }

    /// The name SQLite opens: the path, or a `file:` URI asking for `immutable=1`.
    var sqliteName: String {
        guard access == .readOnly(immutable: true) else { return path }
        return Self.immutableURI(path)
    }

    /// Checks the path for a command opening it in `mode`.
    static func inspect(_ path: String, mode: OpenMode) throws -> FleetFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard mode == .create else { throw StoreError.noDatabase(path: path) }
            return FleetFile(path: path, exists: false, access: .readWrite, contents: nil)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw StoreError.isAFolder(path: path) }
        let header = try readHeader(path)
        if header.isEmpty {
            guard mode == .create else { throw StoreError.noDatabase(path: path) }
            if let reason = whyNotWritable(path) {
                throw StoreError.readOnly(path: path, reason: reason)
            }
            return FleetFile(path: path, exists: false, access: .readWrite, contents: nil)
        }
        guard header.starts(with: Data("SQLite format 3\0".utf8)) else {
            throw StoreError.notADatabase(path: path)
        }
        var access = Access.readWrite
        if mode == .readOnly {
            access = .readOnly(immutable: immutableAllowed(path, header: header, info: info))
        } else if let reason = whyNotWritable(path) {
            throw StoreError.readOnly(path: path, reason: reason)
        }
        var file = FleetFile(path: path, exists: true, access: access, contents: nil)
        file.isWAL = header.count > 18 && header[18] == 2
        // A WAL file that no connection holds open has no `-wal`, and reading it creates one:
        // unless its header says it is a fleet, it is read first as immutable, which creates
        // nothing. With a `-wal` there, its `-shm` is there or being made by its owner, and
        // the store's own connection reads it without creating anything.
        if file.isWAL && !Self.isMarkedAsFleet(header)
            && access != .readOnly(immutable: true)
            && !FileManager.default.fileExists(atPath: path + "-wal")
        {
            let contents = try file.readContentsAlone()
            try file.check(contents, mode: mode)
            file.contents = contents
        }
        return file
    }

    // MARK: - Contents

    /// Reads the schema version and the tables on a read-only, immutable connection of its
    /// own (see ``contents``).
    private func readContentsAlone() throws -> Contents {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(SQLiteFleetStore.busyTimeout)
        do {
            let queue = try DatabaseQueue(path: Self.immutableURI(path), configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in try Self.contents(of: db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// The schema version, the tables and the migrations on `db`; reading them loads the
    /// schema, which the connection keeps for what it does next. Writes nothing.
    static func contents(of db: Database) throws -> Contents {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table'
                    AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
        guard tables.contains("grdb_migrations") else {
            return Contents(version: version, tables: tables, superseded: false, complete: false)
        }
        // Each migration sets user_version to its number in its own transaction, and a newer
        // decom's to a larger one (FleetSchema): at this decom's version every migration it
        // knows has run and none it does not, without reading the migrations' table (two
        // queries of every command's open).
        if version == FleetSchema.version {
            return Contents(version: version, tables: tables, superseded: false, complete: true)
        }
        let migrator = FleetSchema.migrator
        return Contents(
            version: version, tables: tables, superseded: try migrator.hasBeenSuperseded(db),
            complete: try migrator.hasCompletedMigrations(db))
    }

    /// Reads the contents on `db` (the store's first connection, before anything on it can
    /// write) and refuses what the contents' own check refuses.
    func check(_ db: Database, mode: OpenMode) throws -> Contents {
        let contents = try Self.contents(of: db)
        try check(contents, mode: mode)
        return contents
    }

    /// Refuses a newer schema, another program's database, or (read-only) an older schema.
    func check(_ contents: Contents, mode: OpenMode) throws {
        let version = contents.version
        let tables = contents.tables
        if version > FleetSchema.version || contents.superseded {
            throw StoreError.newerSchema(
                path: path, found: max(version, FleetSchema.version + 1),
                supported: FleetSchema.version)
        }
        if tables.isEmpty {
            if mode == .create { return }
            throw StoreError.noDatabase(path: path)
        }
        let isFleet =
            tables.contains("grdb_migrations") && tables.contains("devices") && version >= 1
        guard isFleet else {
            throw StoreError.notAFleet(
                path: path, tables: tables.filter { $0 != "grdb_migrations" })
        }
        if case .readOnly = access, !contents.complete,
            version < FleetSchema.readableWithoutMigrating
        {
            throw StoreError.olderSchemaReadOnly(
                path: path, found: version, supported: FleetSchema.version)
        }
    }

    // MARK: - Permissions

    /// Why this process may not write the database, or nil when it may: the file itself, and
    /// its folder (where SQLite keeps `-wal` and `-shm`) unless both of those are writable.
    static func whyNotWritable(_ path: String) -> String? {
        if Glibc.access(path, W_OK) != 0 { return "the file may not be written by this user" }
        if Glibc.access(folderName(path), W_OK) == 0 { return nil }
        if Glibc.access(path + "-wal", W_OK) == 0 && Glibc.access(path + "-shm", W_OK) == 0 {
            return nil
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return "its folder \(folder) may not be written by this user"
    }

    /// The folder holding `path` as the file system calls take it: `.` for a bare name, `/` at
    /// the root. (Foundation's URL gives the same folder absolute, at the cost of its first
    /// use in every command.)
    static func folderName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether SQLite may read the main file alone, as `immutable`, without `-shm`.
    ///
    /// A WAL database opened read-only needs its `-shm`, which SQLite creates only where it
    /// may write (sqlite.org/wal.html, "Read-Only Databases"); `immutable` needs none but is
    /// correct only while nobody writes the file. That holds when there is no `-wal` (no
    /// connection has it open, and all its pages are in the main file) and nobody may write
    /// it: the file has no write permission bit, or its folder has none (a writer could not
    /// create `-wal`); and, as the only way to read it at all, when this user may not create
    /// the `-shm`. Anyone else reads the usual way, through an existing or new `-shm`.
    static func immutableAllowed(_ path: String, header: Data, info: stat) -> Bool {
        if FileManager.default.fileExists(atPath: path + "-wal") { return false }
        if info.st_mode & 0o222 == 0 { return true }
        var folder = stat()
        let folderPath = folderName(path)
        guard stat(folderPath, &folder) == 0 else { return false }
        if folder.st_mode & 0o222 == 0 { return true }
        // A copy of the main file alone in a folder this user may not write (someone else's
        // backup, say): SQLite cannot create the `-shm` a read needs, so `immutable` is the
        // only way to read it. A writer appearing meanwhile (the owner) is not seen by this
        // read, which sees the file as it was when it opened it.
        return Glibc.access(folderPath, W_OK) != 0
            && !FileManager.default.fileExists(atPath: path + "-shm")
    }

    /// `file:PATH?immutable=1`, with the characters a URI gives meaning to escaped.
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%", "?", "#":
                escaped += String(format: "%%%02X", scalar.value)
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    /// Whether the header carries ``FleetSchema/applicationID`` (big-endian at offset 68),
    /// as every fleet at schema 11 or later does.
    static func isMarkedAsFleet(_ header: Data) -> Bool {
        guard header.count >= 72 else { return false }
        let id = header.dropFirst(68).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int32(bitPattern: id) == FleetSchema.applicationID
    }

    private static func readHeader(_ path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "the file may not be read by this user")
        }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 100)) ?? Data()
    }
}
