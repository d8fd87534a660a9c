import Foundation

/// Who holds the fleet database's write lock, as far as a writer waiting for it can tell.
///
/// A decom process that holds the lock leaves a note next to the database (its process id,
/// and once its transaction is recorded, the user, the type and the id); any other program
/// (the `sqlite3` shell, a backup tool) leaves none and is "another program".
public struct LockHolder: Sendable, Hashable {
    /// The process id of the decom process that holds the lock; nil for another program.
    public var pid: Int32?
    /// Who is acting in that process, once its transaction is recorded.
    public var user: String?
    public var transactionType: TransactionType?
    public var transactionId: Int64?
    /// When the holder took the lock, when it said so.
    public var since: Date?

    public init(
        pid: Int32? = nil, user: String? = nil, transactionType: TransactionType? = nil,
        transactionId: Int64? = nil, since: Date? = nil
    ) {
        self.pid = pid
        self.user = user
        self.transactionType = transactionType
        self.transactionId = transactionId
        self.since = since
    }

    /// A program that is not decom, or a decom that left no note.
    public static let otherProgram = LockHolder()

    public var isDecom: Bool { pid != nil }

    /// The holder in words, safe for a terminal: "alice's archive (transaction 12)",
    /// "decom process 4242", "another program".
    public var words: String {
        guard let pid else { return "another program" }
        guard let user, let transactionType else { return "decom process \(pid)" }
        let what = "\(SafeText.visible(user))'s \(transactionType.activity)"
        return transactionId.map { "\(what) (transaction \($0))" } ?? what
    }
}

extension TransactionType {
    /// The work a transaction of this type is, as a noun: "archive", "undo".
    public var activity: String {
        switch self {
        case .archive: "archive"
        case .purge: "purge"
        case .unenroll: "unenroll"
        case .archiveUnenroll: "archive and unenroll"
        case .restore: "undo"
        case .import: "import"
        case .seed: "seed"
        }
    }
}
