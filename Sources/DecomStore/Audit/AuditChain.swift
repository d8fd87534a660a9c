import Foundation
import GRDB
import GRDBSQLite

/// The hash chains that make the audit tamper-evident (schema 4).
///
/// Each audit row's `hash` is SHA-256 of the previous row's hash (by id) and the row's own
/// values (``auditColumns``, all but `id` and `hash`); each transaction's `hash` is SHA-256
/// of the previous transaction's hash and its immutable content: its fields but
/// `undone_by`, its per-item results in order, and how many audit rows it wrote with the
/// hash of the last. A row changed, removed or inserted by hand no longer chains: `decom
/// audit verify` (``verify(_:)``) names the first that breaks. `undone_by`, set when an
/// archive is undone, is not hashed: the RESTORE that undid it names the archive in
/// `undoes`, which is, and the check compares the two.
///
/// The chain has no secret: someone who rewrites a row and then every hash after it makes a
/// chain that verifies. That is caught by comparing the head (printed by the check) with a
/// copy kept elsewhere.
///
/// Audit rows are written by one `INSERT … SELECT` per chunk of devices. The SQL function
/// `decom_audit_chain(…)`, registered on every connection (``register(_:)``), keeps the
/// running hash: `decom_audit_chain_start(hash)` sets it to the last stored hash before the
/// statement, then each row's call returns the hash of that row and remembers it, in the
/// order SQLite inserts the rows.
enum AuditChain {
    static let auditDomain = "decom audit v4"
    static let transactionDomain = "decom transaction v4"

    /// The audit columns a row's hash covers, in the order they are hashed: as the audit
    /// table was in schema 3 (a later column must not change the hash of older rows). A row
    /// that sets schema 10's `kept` hashes it after these.
    static let auditColumns: [String] = {
        var columns = ["transaction_id", "device_id", "action", "actor", "role", "at"]
        columns += FleetSchema.auditDeviceColumns.dropFirst()
        columns += FleetSchema.auditCharacteristicsColumns
        columns += FleetSchema.auditMDMColumns.map { "mdm_" + $0 }
        columns += ["mac_addresses", "sessions", "before"]
        return columns
    }()

    /// The transaction columns a transaction's hash covers, in order (not `undone_by`).
    static let transactionColumns = [
        "id", "type", "status", "user", "role", "created_at", "updated_at", "undoes", "error",
        "source",
    ]

    // MARK: - The SQL functions

    /// The running hash of one connection's audit inserts, and the hasher its rows reuse.
    private final class RunningHash {
        var previous: [UInt8]?
        var hasher = ChainHasher(domain: AuditChain.auditDomain, previous: nil)
    }

    /// Registers `decom_audit_chain_start(previous)` and `decom_audit_chain(values…)` on the
    /// connection. Called by the store for every connection it opens. Direct-only: a trigger
    /// or a view in the file cannot call them.
    static func register(_ db: Database) throws {
        let state = Unmanaged.passRetained(RunningHash())
        _ = state.retain()  // one reference for each function; each is released on close.
        let pointer = state.toOpaque()
        let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
            guard let pointer else { return }
            Unmanaged<RunningHash>.fromOpaque(pointer).release()
        }
        let start = sqlite3_create_function_v2(
            db.sqliteConnection, "decom_audit_chain_start", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
            pointer,
            { context, _, argv in
                guard let data = sqlite3_user_data(context) else { return }
                let state = Unmanaged<RunningHash>.fromOpaque(data).takeUnretainedValue()
                let value = argv?[0]
                if sqlite3_value_type(value) == SQLITE_BLOB, let blob = sqlite3_value_blob(value) {
                    state.previous = Array(
                        UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_value_bytes(value))))
                } else {
                    state.previous = nil
                }
                sqlite3_result_null(context)
            }, nil, nil, release)
        let chain = sqlite3_create_function_v2(
            db.sqliteConnection, "decom_audit_chain", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, pointer,
            { context, argc, argv in
                guard let data = sqlite3_user_data(context) else { return }
                let state = Unmanaged<RunningHash>.fromOpaque(data).takeUnretainedValue()
                state.hasher.start(domain: AuditChain.auditDomain, previous: state.previous)
                for index in 0..<Int(argc) { state.hasher.append(value: argv?[index]) }
                let hash = state.hasher.finalize()
                state.previous = hash
                hash.withUnsafeBytes { bytes in
                    sqlite3_result_blob(
                        context, bytes.baseAddress, Int32(bytes.count),
                        unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
            }, nil, nil, release)
        guard start == SQLITE_OK, chain == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: start == SQLITE_OK ? chain : start),
                message: "cannot register the audit chain's SQL functions")
        }
    }

    /// Sets the running hash to the last stored audit hash: run before each chained insert.
    static let startSQL =
        "SELECT decom_audit_chain_start((SELECT hash FROM audit ORDER BY id DESC LIMIT 1))"

    // MARK: - Transactions

    /// Computes and stores a transaction's hash: when it is final (finished, settled, or
    /// recorded as a FAILURE), inside the same SQLite transaction.
    ///
    /// The transaction chain runs in the order transactions become final (`chain_seq`, schema
    /// 7), not in id order: a queued transaction (``DeletionQueue``) is committed PENDING
    /// with its id, and others may be finished before it is. Until it is final it has no hash
    /// and no place in the chain; ``verify(_:)`` accepts that only of a PENDING, PREPARING or
    /// COMMITTING row.
    static func seal(_ transaction: Int64, db: Database) throws {
        let last = try Row.fetchOne(
            db,
            sql: """
                SELECT chain_seq, hash FROM transactions WHERE chain_seq IS NOT NULL
                ORDER BY chain_seq DESC LIMIT 1
                """)
        let seq = (last?[0] as Int64? ?? 0) + 1
        let previous = (last?[1] as Data?).map { Array($0) }
        let hash = try transactionHash(transaction, previous: previous, db: db)
        try db.execute(
            sql: "UPDATE transactions SET hash = ?, chain_seq = ? WHERE id = ?",
            arguments: [hash.map { Data($0) }, seq, transaction])
    }

    /// The hash a transaction should have after `previous`, or nil if there is no such
    /// transaction.
    static func transactionHash(_ id: Int64, previous: [UInt8]?, db: Database) throws
        -> [UInt8]?
    {
        var hasher = ChainHasher(domain: transactionDomain, previous: previous)
        let fields = try db.cachedStatement(
            sql:
                "SELECT \(transactionColumns.joined(separator: ", ")) FROM transactions WHERE id = ?"
        )
        fields.arguments = [id]
        var found = false
        try each(fields) { statement in
            found = true
            for index in transactionColumns.indices {
                hasher.append(column: Int32(index), of: statement)
            }
        }
        guard found else { return nil }
        let items = try db.cachedStatement(
            sql: """
                SELECT seq, key, device_id, device_name, outcome, reason FROM transaction_items
                WHERE transaction_id = ? ORDER BY seq
                """)
        items.arguments = [id]
        try each(items) { statement in
            for index in 0..<6 { hasher.append(column: Int32(index), of: statement) }
        }
        let audit = try db.cachedStatement(
            sql: """
                SELECT count(*),
                       (SELECT hash FROM audit WHERE transaction_id = ?1 ORDER BY id DESC LIMIT 1)
                FROM audit WHERE transaction_id = ?1
                """)
        audit.arguments = [id]
        try each(audit) { statement in
            hasher.append(column: 0, of: statement)
            hasher.append(column: 1, of: statement)
        }
        return hasher.finalize()
    }

    /// Steps through a statement's rows, giving its SQLite handle to read the current row.
    static func each(_ statement: Statement, _ body: (OpaquePointer) throws -> Void) throws {
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil { try body(statement.sqliteStatement) }
    }

    // MARK: - Migration

    /// Computes both chains over the rows of a database migrated to schema 4.
    static func chainExistingRows(_ db: Database) throws {
        var previous: [UInt8]?
        var last: Int64 = 0
        let rows = try db.makeStatement(
            sql: """
                SELECT id, \(auditColumns.joined(separator: ", ")) FROM audit
                WHERE id > ? ORDER BY id LIMIT 10000
                """)
        let update = try db.makeStatement(sql: "UPDATE audit SET hash = ? WHERE id = ?")
        while true {
            var hashes: [(Int64, [UInt8])] = []
            rows.arguments = [last]
            try each(rows) { statement in
                var hasher = ChainHasher(domain: auditDomain, previous: previous)
                for index in auditColumns.indices {
                    hasher.append(column: Int32(index + 1), of: statement)
                }
                let hash = hasher.finalize()
                hashes.append((sqlite3_column_int64(statement, 0), hash))
                previous = hash
            }
            guard let end = hashes.last?.0 else { break }
            for (id, hash) in hashes { try update.execute(arguments: [Data(hash), id]) }
            last = end
        }
        // Schema 4 chained the transactions in id order; schema 7 keeps that order as their
        // `chain_seq`.
        var previousTransaction: [UInt8]?
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM transactions ORDER BY id")
        for id in ids {
            let hash = try transactionHash(id, previous: previousTransaction, db: db)
            try db.execute(
                sql: "UPDATE transactions SET hash = ? WHERE id = ?",
                arguments: [hash.map { Data($0) }, id])
            previousTransaction = hash
        }
    }
}
