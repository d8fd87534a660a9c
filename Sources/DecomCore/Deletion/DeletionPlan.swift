import Foundation

/// What an execution would do, item by item, before anything changes: the result of
/// ``DeletionService/plan(_:mode:actor:)``, shown by `--dry-run` and the console's dialogs, and
/// the input of ``DeletionService/execute(_:progress:)``.
public struct DeletionPlan: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        case apply
        case skip(ItemOutcome, reason: String)
    }

    public struct Item: Sendable, Hashable {
        public var key: String
        public var device: DeviceFacts?
        public var decision: Decision

        public init(key: String, device: DeviceFacts?, decision: Decision) {
            self.key = key
            self.device = device
            self.decision = decision
        }

        public var willApply: Bool { decision == .apply }

        /// The item as it is reported when the plan is not (or not yet) executed, an applied
        /// one with the outcome `mode` has on its device (``DeletionMode/applied(to:)``).
        public func result(of mode: DeletionMode) -> ItemResult {
            guard willApply, let device else { return result(appliedAs: mode.appliedOutcome) }
            let applied = mode.applied(to: device)
            return ItemResult(
                key: key, deviceId: device.id, deviceName: device.name, outcome: applied.outcome,
                reason: applied.reason)
        }

        /// The item as it is reported when the plan is not (or not yet) executed.
        public func result(appliedAs outcome: ItemOutcome) -> ItemResult {
            switch decision {
            case .apply:
                return ItemResult(
                    key: key, deviceId: device?.id, deviceName: device?.name, outcome: outcome)
            case .skip(let o, let reason):
                return ItemResult(
                    key: key, deviceId: device?.id, deviceName: device?.name, outcome: o,
                    reason: reason)
            }
        }
    }

    /// How the plan's devices were chosen: a condition that held for each of them when the
    /// plan was made, and that ``DeletionService/execute(_:as:bulk:progress:)`` checks again.
    public enum Selection: Sendable, Hashable {
        /// Named by keys (ids, labels, MACs, HWIDs, serials): no condition beyond the policy.
        case keys
        /// Archived before the cutoff (`decom purge --archived-before`: seed 001's soft
        /// delete, kept for a retention period, then purged).
        case archivedBefore(Date)

        /// Why a device no longer meets the selection, or nil when it does.
        public func refusal(_ facts: DeviceFacts) -> String? {
            switch self {
            case .keys:
                return nil
            case .archivedBefore(let cutoff):
                guard facts.clientStatus == .archived else {
                    return "no longer archived (client status \(facts.clientStatus.rawValue))"
                }
                guard let at = facts.archivedAt, at < cutoff else {
                    return "archived again after the cutoff"
                }
                return nil
            }
        }
    }

    public var mode: DeletionMode
    public var actor: Actor
    public var createdAt: Date
    /// Changing the items forgets ``snapshot``: execution then compares every planned fact
    /// with the stored ones.
    public var items: [Item] { didSet { snapshot = nil } }
    public var selection: Selection

    /// The store's ``FleetStore/changeToken()`` when the plan's facts were read, set by
    /// ``DeletionService`` only when it did not move during the read (so no change was
    /// committed between the token and the facts). When the token has still not moved inside
    /// the execution's write transaction, nothing was committed since the plan, and the
    /// planned facts are the stored ones without being compared one by one (issue 16).
    /// Not part of the plan's equality.
    var snapshot: Snapshot?

    struct Snapshot: Sendable, Hashable {
        var token: Int64
        static func == (_: Snapshot, _: Snapshot) -> Bool { true }
        func hash(into hasher: inout Hasher) {}
    }

    public init(
        mode: DeletionMode, actor: Actor, createdAt: Date, items: [Item],
        selection: Selection = .keys
    ) {
        self.mode = mode
        self.actor = actor
        self.createdAt = createdAt
        self.items = items
        self.selection = selection
    }

    public var allowed: [Item] { items.filter(\.willApply) }
    public var rejected: [Item] { items.filter { !$0.willApply } }
    public var allowedIDs: [Int64] { items.compactMap { $0.willApply ? $0.device?.id : nil } }

    /// Sessions the execution would suspend (archive) or revoke (purge).
    public var sessionsAffected: Int {
        allowed.reduce(0) { $0 + ($1.device?.activeSessions ?? 0) }
    }

    /// MDM enrollments the execution would remove (purge) or end (unenroll).
    public var enrollmentsAffected: Int {
        allowed.filter { $0.device?.mdmStatus != nil }.count
    }

    /// The plan's items reported as they stand, with the applied ones as the mode's outcome.
    public var previewResults: [ItemResult] {
        items.map { $0.result(of: mode) }
    }
}
