import Foundation
import GRDB
import GRDBSQLite

/// What `decom audit verify` found: the chains' lengths and heads, and where they break.
public struct AuditChainReport: Sendable, Hashable {
    /// One place where a chain breaks.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// `audit row` or `transaction`.
        public var kind: String
        public var id: Int64
        public var reason: String

        public var description: String { "\(kind) \(id): \(reason)" }
    }

    public var auditRows: Int
    public var transactions: Int
    /// The last audit row's hash and the last transaction's, in hex: keep them elsewhere to
    /// catch a history rewritten with every hash after the change recomputed.
    public var auditHead: String?
    public var transactionHead: String?
    /// The first break of the audit chain, the first of the transaction chain, and the first
    /// undo link that disagrees, in that order; empty when the audit is intact.
    public var breaks: [Break]

    public var isIntact: Bool { breaks.isEmpty }
}

extension SQLiteFleetStore {
    /// Walks both hash chains and the undo links in one read snapshot (``AuditChain``).
    public func verifyAuditChain() throws -> AuditChainReport {
        try database.read { db in try AuditChain.verify(db) }
    }
}

extension AuditChain {
    static func verify(_ db: Database) throws -> AuditChainReport {
        var breaks: [AuditChainReport.Break] = []
        let audit = try verifyAudit(db)
        if let broken = audit.broken { breaks.append(broken) }
        let transactions = try verifyTransactions(db)
        if let broken = transactions.broken { breaks.append(broken) }
        if let broken = try verifyUndoLinks(db) { breaks.append(broken) }
        return AuditChainReport(
            auditRows: audit.count, transactions: transactions.count,
            auditHead: audit.head.map(hexText), transactionHead: transactions.head.map(hexText),
            breaks: breaks)
    }

    private struct Walk {
        var count = 0
        var head: [UInt8]?
        var broken: AuditChainReport.Break?
    }

    /// Why a row's stored hash differs from the one its content and predecessor give. Ids
    /// are never reused and a rollback leaves no gap, so a gap before a broken row means
    /// rows were removed; a gap alone (ids kept by a migration) breaks nothing.
    private static func reason(
        kind: String, id: Int64, previousId: Int64, stored: [UInt8]?
    ) -> String {
        if id > previousId + 1 {
            let missing =
                id == previousId + 2
                ? "\(kind) \(previousId + 1) is" : "\(kind)s \(previousId + 1)–\(id - 1) are"
            return "the chain breaks here: \(missing) missing (removed from the file)"
        }
        if stored == nil { return "it has no hash (its hash was removed, or it was added by hand)" }
        return "its content no longer matches its hash: it was changed after it was written"
            + (kind == "transaction" ? " (its fields, its items or its audit rows)" : "")
    }

    private static func verifyAudit(_ db: Database) throws -> Walk {
        var walk = Walk()
        var previousId: Int64 = 0
        let rows = try db.makeStatement(
            sql: """
                SELECT id, \(auditColumns.joined(separator: ", ")), hash, kept
                FROM audit ORDER BY id
                """)
        let hashColumn = Int32(auditColumns.count + 1)
        let keptColumn = hashColumn + 1
        try each(rows) { statement in
            walk.count += 1
            let id = sqlite3_column_int64(statement, 0)
            let stored = blob(statement, hashColumn)
            if walk.broken == nil {
                var hasher = ChainHasher(domain: auditDomain, previous: walk.head)
                for index in auditColumns.indices {
                    hasher.append(column: Int32(index + 1), of: statement)
                }
                // Schema 10's `kept` is hashed only where it is set: older rows hash as before.
                if sqlite3_column_type(statement, keptColumn) != SQLITE_NULL {
                    hasher.append(column: keptColumn, of: statement)
                }
                if stored != hasher.finalize() {
                    walk.broken = .init(
                        kind: "audit row", id: id,
                        reason: reason(
                            kind: "audit row", id: id, previousId: previousId, stored: stored))
                }
            }
            walk.head = stored
            previousId = id
        }
        return walk
    }

    /// Walks the transactions in chain order (``seal(_:db:)``); then a row outside the chain
    /// breaks it unless it is still unfinished (PENDING, PREPARING, COMMITTING).
    private static func verifyTransactions(_ db: Database) throws -> Walk {
        var walk = Walk()
        var previousId: Int64 = 0
        var previousSeq: Int64 = 0
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, hash, chain_seq FROM transactions WHERE chain_seq IS NOT NULL
                ORDER BY chain_seq
                """)
        for row in rows {
            walk.count += 1
            let id: Int64 = row[0]
            let stored = (row[1] as Data?).map { Array($0) }
            let seq: Int64 = row[2]
            if walk.broken == nil {
                let expected = try transactionHash(id, previous: walk.head, db: db)
                if stored != expected {
                    let reason =
                        seq > previousSeq + 1 && id <= previousId + 1
                        ? "the chain breaks here: the transaction that became final before it is missing (removed from the file)"
                        : reason(
                            kind: "transaction", id: id, previousId: previousId, stored: stored)
                    walk.broken = .init(kind: "transaction", id: id, reason: reason)
                }
            }
            walk.head = stored
            previousId = id
            previousSeq = seq
        }
        let unfinished: Set<String> = ["PENDING", "PREPARING", "COMMITTING"]
        let outside = try Row.fetchAll(
            db, sql: "SELECT id, status FROM transactions WHERE chain_seq IS NULL ORDER BY id")
        walk.count += outside.count
        if walk.broken == nil,
            let row = outside.first(where: { !unfinished.contains($0[1] as String? ?? "") })
        {
            walk.broken = .init(
                kind: "transaction", id: row[0],
                reason: "it has no hash (its hash was removed, or it was added by hand)")
        }
        return walk
    }

    /// `undone_by` is not hashed; it must name a RESTORE that the hashed rows tie to the
    /// archive: an undo, whose `undoes` names it, or a restore of chosen devices
    /// (`decom restore`, `r` in the console), which names no archive (it may take devices
    /// from several) and marks each archive it empties: one of its items restored a device of
    /// that archive (the item's outcome is hashed with the transaction; the archive's undo
    /// entries say which devices it archived). And every successful undo's archive must name
    /// it back.
    private static func verifyUndoLinks(_ db: Database) throws -> AuditChainReport.Break? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT a.id, a.undone_by FROM transactions a
                LEFT JOIN transactions r ON r.id = a.undone_by
                WHERE a.undone_by IS NOT NULL
                  AND (r.id IS NULL OR r.type <> 'RESTORE'
                       OR (r.undoes IS NOT a.id
                           AND (r.undoes IS NOT NULL OR NOT EXISTS (
                                SELECT 1 FROM transaction_items i
                                JOIN undo_entries u
                                  ON u.transaction_id = a.id AND u.device_id = i.device_id
                                WHERE i.transaction_id = r.id AND i.outcome = 'restored'))))
                UNION ALL
                SELECT a.id, a.undone_by FROM transactions r
                JOIN transactions a ON a.id = r.undoes
                WHERE r.type = 'RESTORE' AND r.status = 'SUCCESS' AND a.undone_by IS NOT r.id
                ORDER BY 1 LIMIT 1
                """)
        guard let row else { return nil }
        let id: Int64 = row[0]
        let by: Int64? = row[1]
        return .init(
            kind: "transaction", id: id,
            reason: by.map { "undone_by names transaction \($0), which does not undo it" }
                ?? "a RESTORE undid it, but its undone_by was cleared")
    }

    private static func blob(_ statement: OpaquePointer, _ index: Int32) -> [UInt8]? {
        guard sqlite3_column_type(statement, index) == SQLITE_BLOB,
            let pointer = sqlite3_column_blob(statement, index)
        else { return nil }
        return Array(
            UnsafeRawBufferPointer(
                start: pointer, count: Int(sqlite3_column_bytes(statement, index))))
    }
}

extension SQLiteFleetStore {
    /// Writes audit rows and transactions without their hashes from now on: only for the
    /// benchmark's figure of what the chain costs. `decom audit verify` fails on what is
    /// written so.
    public func benchmarkWithoutAuditChain() { withoutAuditChain.set() }
}

/// A flag that is set once, from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
