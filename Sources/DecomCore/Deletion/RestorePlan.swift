import Foundation

/// The archive that left a device archived: the newest archive transaction with an undo row
/// for it (``FleetReader/archiveOrigins(ids:)``), whoever made it.
public struct ArchiveOrigin: Sendable, Hashable {
    /// The ARCHIVE or ARCHIVE_UNENROLL transaction.
    public var transaction: Int64
    public var type: TransactionType
    /// Who archived the device.
    public var user: String
    public var at: Date

    public init(transaction: Int64, type: TransactionType, user: String, at: Date) {
        self.transaction = transaction
        self.type = type
        self.user = user
        self.at = at
    }
}

/// What a restore of chosen archived devices would do, item by item, before anything
/// changes: the result of ``DeletionService/planRestore(_:actor:)``, shown by the console's
/// dialog and `decom restore --dry-run`, and the input of
/// ``DeletionService/restore(_:as:progress:)``.
///
/// Each device comes back as the archive that archived it left it (its undo row: client
/// status and archive date before the archive, its suspended sessions), whoever archived it;
/// an undo, by contrast, brings back a whole archive.
public struct RestorePlan: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var key: String
        public var device: DeviceFacts?
        /// The archive the device comes back from.
        public var origin: ArchiveOrigin?
        public var decision: DeletionPlan.Decision

        public init(
            key: String, device: DeviceFacts?, origin: ArchiveOrigin?,
            decision: DeletionPlan.Decision
        ) {
            self.key = key
            self.device = device
            self.origin = origin
            self.decision = decision
        }

        public var willApply: Bool { decision == .apply }

        /// The item as it is reported when the plan is not (or not yet) executed.
        public var result: ItemResult {
            switch decision {
            case .apply:
                return ItemResult(
                    key: key, deviceId: device?.id, deviceName: device?.name, outcome: .restored,
                    reason: origin.map(RestorePlan.reason(from:)))
            case .skip(let outcome, let reason):
                return ItemResult(
                    key: key, deviceId: device?.id, deviceName: device?.name, outcome: outcome,
                    reason: reason)
            }
        }
    }

    /// How many of the plan's devices come from one archive.
    public struct Share: Sendable, Hashable {
        public var origin: ArchiveOrigin
        public var devices: Int
    }

    public var actor: Actor
    public var createdAt: Date
    public var items: [Item]

    public init(actor: Actor, createdAt: Date, items: [Item]) {
        self.actor = actor
        self.createdAt = createdAt
        self.items = items
    }

    public var allowed: [Item] { items.filter(\.willApply) }
    public var rejected: [Item] { items.filter { !$0.willApply } }
    public var allowedIDs: [Int64] { items.compactMap { $0.willApply ? $0.device?.id : nil } }

    /// The archives the devices to restore come from, oldest first.
    public var archives: [Share] {
        var counts: [Int64: Share] = [:]
        for item in allowed {
            guard let origin = item.origin else { continue }
            counts[origin.transaction, default: Share(origin: origin, devices: 0)].devices += 1
        }
        return counts.values.sorted { $0.origin.transaction < $1.origin.transaction }
    }

    public var previewResults: [ItemResult] { items.map(\.result) }

    /// The reason kept on a restored item: whose archive it came back from (and, for an
    /// archive-and-unenroll, that the agent stays removed).
    public static func reason(from origin: ArchiveOrigin) -> String {
        var text = "archived by \(origin.user) in transaction \(origin.transaction)"
        if origin.type == .archiveUnenroll {
            text += "; " + DeletionService.agentStaysReason
        }
        return text
    }

    /// The archive a restored item's reason names (``reason(from:)``), read back for a
    /// summary ("Restored 2 devices of archive #12").
    public static func archive(namedIn reason: String?) -> Int64? {
        guard let reason, let range = reason.range(of: " in transaction ", options: .backwards)
        else { return nil }
        return Int64(reason[range.upperBound...].prefix { $0.isNumber })
    }
}
