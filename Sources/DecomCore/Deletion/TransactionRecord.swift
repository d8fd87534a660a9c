import Foundation

/// The type of a recorded transaction (seed 003's `type`, one per operation).
///
/// IMPORT and SEED add devices (`decom import`, `decom seed`), so that the history tells how
/// every device got there; neither can be undone.
public enum TransactionType: String, CaseIterable, Sendable, Hashable, Codable {
    case archive = "ARCHIVE"
    case purge = "PURGE"
    case unenroll = "UNENROLL"
    case restore = "RESTORE"
    case `import` = "IMPORT"
    case seed = "SEED"
    /// Archive and unenroll in one transaction (seed 004's opt 2): see
    /// ``DeletionMode/archiveAndUnenroll``.
    case archiveUnenroll = "ARCHIVE_UNENROLL"

    /// Whether `undo` can bring the devices back: an archive, and the archive half of an
    /// archive-and-unenroll (its agent stays unenrolled).
    public var isUndoable: Bool { self == .archive || self == .archiveUnenroll }
}

/// The state of a transaction (seed 003's PENDING, PREPARING, COMMITTING, SUCCESS, FAILURE,
/// CANCELED; its REJECTING is not used: decom refuses before it queues, or records FAILURE).
///
/// A synchronous execution is recorded as SUCCESS when its SQLite transaction commits and as
/// FAILURE when it rolls back. An asynchronous one (``DeletionQueue``) is committed PENDING
/// first; its executor takes it as PREPARING (committed, so that it is seen while it waits for
/// the write lock), then COMMITTING inside the SQLite transaction that applies it and sets
/// its final state. So COMMITTING is never seen by another connection: if that transaction
/// does not commit, the row is still PREPARING and nothing of it was applied. CANCELED is a
/// PENDING one canceled before it ran.
public enum TransactionStatus: String, CaseIterable, Sendable, Hashable, Codable {
    case pending = "PENDING"
    case preparing = "PREPARING"
    case committing = "COMMITTING"
    case success = "SUCCESS"
    case failure = "FAILURE"
    case canceled = "CANCELED"

    /// Whether the transaction has its final state (and, in the store, its hash).
    public var isFinal: Bool {
        switch self {
        case .success, .failure, .canceled: true
        case .pending, .preparing, .committing: false
        }
    }
}

/// One execution of a plan or an undo, as kept in the database and listed by `decom history`.
public struct TransactionRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var type: TransactionType
    public var status: TransactionStatus
    public var user: String
    public var role: Role
    public var createdAt: Date
    public var updatedAt: Date
    public var items: [ItemResult]
    /// For a RESTORE: the archive it undid.
    public var undoes: Int64?
    /// For an undone archive: the RESTORE that undid it.
    public var undoneBy: Int64?
    /// Why a FAILURE failed.
    public var error: String?
    /// Where the devices of an IMPORT or a SEED came from: the file's name, or the seed.
    public var source: String?

    public init(
        id: Int64, type: TransactionType, status: TransactionStatus, user: String, role: Role,
        createdAt: Date, updatedAt: Date, items: [ItemResult] = [], undoes: Int64? = nil,
        undoneBy: Int64? = nil, error: String? = nil, source: String? = nil
    ) {
        self.id = id
        self.type = type
        self.status = status
        self.user = user
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.items = items
        self.undoes = undoes
        self.undoneBy = undoneBy
        self.error = error
        self.source = source
    }

    /// How many items each outcome had.
    public var outcomeCounts: [(ItemOutcome, Int)] {
        var counts: [ItemOutcome: Int] = [:]
        for item in items { counts[item.outcome, default: 0] += 1 }
        return ItemOutcome.allCases.compactMap { o in counts[o].map { (o, $0) } }
    }

    public var appliedCount: Int { items.filter(\.outcome.isApplied).count }

    public enum CodingKeys: String, CodingKey {
        case id, type, status, user, role
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case items
        case undoes
        case undoneBy = "undone_by"
        case error
        case source
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
        try c.encode(user, forKey: .user)
        try c.encode(role, forKey: .role)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(undoes, forKey: .undoes)
        try c.encode(undoneBy, forKey: .undoneBy)
        try c.encode(error, forKey: .error)
        try c.encodeIfPresent(source, forKey: .source)
    }
}

/// A transaction without its items, with how many items had each outcome
/// (``FleetReader/transactionHeaders(limit:before:)``).
public struct TransactionHeader: Sendable, Hashable {
    /// The transaction; its `items` are empty.
    public var record: TransactionRecord
    public var counts: [ItemOutcome: Int]

    public init(record: TransactionRecord, counts: [ItemOutcome: Int]) {
        self.record = record
        self.counts = counts
    }
}
