/// The ways to take a device out of the fleet.
///
/// | mode | seeds | what happens | undo |
/// | --- | --- | --- | --- |
/// | archive | 001 soft delete | client_status ARCHIVED, sessions suspended, all else kept | yes |
/// | purge | 000, 002, 004 opt 1 | device and its data removed, a tombstone kept | never |
/// | unenroll | 004 opt 0 | agent removed: mdm.status UNENROLLED; the record stays | never |
/// | archiveAndUnenroll | 004 opt 2 | archive and unenroll, in one transaction | the archive half |
public enum DeletionMode: String, CaseIterable, Sendable, Hashable, Codable {
    case archive, purge, unenroll
    /// Seed 004's opt 2, "archive Cloud database entry for the device as well as uninstall the
    /// client agent": the device is archived (sessions suspended, undo buffer row) and its MDM
    /// enrollment set UNENROLLED, in one SQLite transaction, with an audit row for each half.
    ///
    /// A device already archived still has its agent removed (`unenrolled`, "already
    /// archived"); one without an agent is still archived (`archived`); one already archived
    /// and without an agent is `already_archived`. Undo restores what the archive changed
    /// (client status, archive date, suspended sessions) and leaves the enrollment UNENROLLED:
    /// an agent uninstalled from a device cannot be put back by a database; the device must
    /// enroll in its MDM again. Operators may do it, as both halves are operator work.
    case archiveAndUnenroll = "archive-unenroll"

    /// The transaction type an execution of this mode records.
    public var transactionType: TransactionType {
        switch self {
        case .archive: .archive
        case .purge: .purge
        case .unenroll: .unenroll
        case .archiveAndUnenroll: .archiveUnenroll
        }
    }

    /// The outcome of an item that this mode applied, when all of the mode applied.
    public var appliedOutcome: ItemOutcome {
        switch self {
        case .archive: .archived
        case .purge: .purged
        case .unenroll: .unenrolled
        case .archiveAndUnenroll: .archivedUnenrolled
        }
    }

    /// The outcome of applying this mode to a device with these facts, and, when only part of
    /// the mode applies (``archiveAndUnenroll`` on a device already archived or without an
    /// agent), the reason naming the part that already held.
    public func applied(to facts: DeviceFacts) -> (outcome: ItemOutcome, reason: String?) {
        guard self == .archiveAndUnenroll else { return (appliedOutcome, nil) }
        let archives = facts.clientStatus != .archived
        let unenrolls = facts.mdmStatus != nil && facts.mdmStatus != .unenrolled
        switch (archives, unenrolls) {
        case (true, true):
            return (.archivedUnenrolled, nil)
        case (true, false):
            return (
                .archived,
                facts.mdmStatus == nil
                    ? "no MDM agent to remove" : "the MDM agent was already unenrolled"
            )
        case (false, _):
            return (.unenrolled, "already archived; only the MDM agent was removed")
        }
    }

    /// Whether `undo` can bring the devices back.
    public var isUndoable: Bool { transactionType.isUndoable }

    public var verb: String {
        switch self {
        case .archive: "archive"
        case .purge: "purge"
        case .unenroll: "unenroll"
        case .archiveAndUnenroll: "archive and unenroll"
        }
    }

    public var pastTense: String {
        switch self {
        case .archive: "archived"
        case .purge: "purged"
        case .unenroll: "unenrolled"
        case .archiveAndUnenroll: "archived and unenrolled"
        }
    }
}
