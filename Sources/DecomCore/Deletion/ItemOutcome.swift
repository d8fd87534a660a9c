/// What happened to one key of a request: seed 004's per-item result, in words.
public enum ItemOutcome: String, CaseIterable, Sendable, Hashable, Codable {
    case archived
    case purged
    case unenrolled
    /// Archived and its MDM agent unenrolled in one transaction (seed 004's opt 2).
    case archivedUnenrolled = "archived_unenrolled"
    case restored
    /// The device was added by `decom import` (IMPORT).
    case imported
    /// A device already known was updated in place by a re-import (IMPORT); the reason
    /// lists what changed (``ImportSync``).
    case updated
    /// The device was added by `decom seed` (SEED).
    case seeded
    /// Archive of a device that is already archived: nothing changed.
    case alreadyArchived = "already_archived"
    /// Unenroll of a device that has no MDM agent to remove: nothing changed.
    case notEnrolled = "not_enrolled"
    /// Seed 000's 404: no device answers to the key.
    case notFound = "not_found"
    case invalidKey = "invalid_key"
    /// The key names more than one device (a serial or HWID they share): nothing is chosen.
    case ambiguous
    /// Undo of an archive whose device has been purged since.
    case gone
    /// Undo of an archive whose device is no longer archived.
    case notArchived = "not_archived"
    /// Restore of an archived device that no decom archive changed (imported or generated
    /// already archived): no earlier state is known, so it stays archived.
    case noArchiveRecord = "no_archive_record"
    /// The same device was already named by an earlier key of the request.
    case duplicate
    /// Seed 001's INSUFFICIENT_SCOPE: the role may not do this.
    case insufficientScope = "insufficient_scope"
    /// Seed 001's DEVICE_MUTATION_FORBIDDEN: the device's state forbids it, whatever the role.
    case forbidden
    /// The execution's transaction rolled back: nothing was applied.
    case failed
    /// The device's state changed between the plan and its execution (another admin or
    /// command acted on it): it was left alone, and the reason says what changed.
    case changed
    /// Queued in a PENDING transaction: the device it will act on, not yet changed.
    case pending
    /// Its transaction was canceled while PENDING: nothing was applied.
    case canceled

    /// Whether the item was changed.
    public var isApplied: Bool {
        switch self {
        case .archived, .purged, .unenrolled, .archivedUnenrolled, .restored, .imported, .updated,
            .seeded:
            true
        default: false
        }
    }

    /// Whether the admin asked for something that was not done (exit code 1), as opposed to
    /// a no-op that already holds (`already_archived`, `duplicate`).
    public var isFailure: Bool {
        switch self {
        case .archived, .purged, .unenrolled, .archivedUnenrolled, .restored, .imported, .updated,
            .seeded, .alreadyArchived, .duplicate, .pending:
            false
        default: true
        }
    }
}

/// The result of one key: the key as given, the device it named, the outcome and why.
public struct ItemResult: Sendable, Hashable, Codable {
    public var key: String
    public var deviceId: Int64?
    public var deviceName: String?
    public var outcome: ItemOutcome
    public var reason: String?

    public init(
        key: String, deviceId: Int64?, deviceName: String? = nil, outcome: ItemOutcome,
        reason: String? = nil
    ) {
        self.key = key
        self.deviceId = deviceId
        self.deviceName = deviceName
        self.outcome = outcome
        self.reason = reason
    }

    public enum CodingKeys: String, CodingKey {
        case key
        case deviceId = "device_id"
        case deviceName = "device_name"
        case outcome, reason
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(deviceId, forKey: .deviceId)
        try c.encode(deviceName, forKey: .deviceName)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(reason, forKey: .reason)
    }
}
