/// The three ways to take a device out of the fleet.
///
/// | mode | seeds | what happens | undo |
/// | --- | --- | --- | --- |
/// | archive | 001 soft delete, 004 opt 2 | client_status ARCHIVED, sessions suspended, all else kept | yes |
/// | purge | 000, 002, 004 opt 1 | device and its data removed, a tombstone kept | never |
/// | unenroll | 004 opt 0 | agent removed: mdm.status UNENROLLED; the record stays | never |
public enum DeletionMode: String, CaseIterable, Sendable, Hashable, Codable {
    case archive, purge, unenroll

    /// The transaction type an execution of this mode records.
    public var transactionType: TransactionType {
        switch self {
        case .archive: .archive
        case .purge: .purge
        case .unenroll: .unenroll
        }
    }

    /// The outcome of an item that this mode applied.
    public var appliedOutcome: ItemOutcome {
        switch self {
        case .archive: .archived
        case .purge: .purged
        case .unenroll: .unenrolled
        }
    }

    /// Whether `undo` can bring the devices back.
    public var isUndoable: Bool { self == .archive }

    public var verb: String {
        switch self {
        case .archive: "archive"
        case .purge: "purge"
        case .unenroll: "unenroll"
        }
    }

    public var pastTense: String {
        switch self {
        case .archive: "archived"
        case .purge: "purged"
        case .unenroll: "unenrolled"
        }
    }
}
