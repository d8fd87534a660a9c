import Foundation

/// How devices enter the fleet: `decom import` and `decom seed`, each recorded as a
/// transaction of its own (IMPORT or SEED, with who, when and where the devices came from)
/// and one item a device (`imported` or `seeded`), in the same SQLite transaction as the
/// devices, so that the history tells how every device got there.
///
/// Adding devices needs the operator role, like every other change; neither can be undone
/// (the undo stack skips them, and `decom undo` of one refuses).
public struct DeviceIntake: Sendable {
    /// Where the devices come from.
    public enum Source: Sendable, Hashable {
        /// A file given to `decom import`, by the name the admin gave.
        case file(String)
        /// `decom seed`'s generated fleet, by its seed.
        case generated(seed: UInt64)

        public var transactionType: TransactionType {
            switch self {
            case .file: .import
            case .generated: .seed
            }
        }

        public var outcome: ItemOutcome {
            switch self {
            case .file: .imported
            case .generated: .seeded
            }
        }

        /// As the transaction's `source` records it: the file's name, or `seed N`.
        public var text: String {
            switch self {
            case .file(let name): name
            case .generated(let seed): "seed \(seed)"
            }
        }
    }

    /// What an intake recorded.
    public struct Result: Sendable, Hashable {
        public var transaction: Int64
        /// How many devices were added.
        public var count: Int
        /// Known devices updated in place, and known devices the file left as they were
        /// (a re-import, ``ImportSync``).
        public var updated = 0
        public var unchanged = 0
        /// The devices of the source that the file did not name, when asked for.
        public var missing: [ImportSync.Missing] = []

        public init(transaction: Int64, count: Int) {
            self.transaction = transaction
            self.count = count
        }
    }

    /// Why nothing was added.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public let source: Source
    public let actor: Actor

    public init(source: Source, actor: Actor) {
        self.source = source
        self.actor = actor
    }

    /// Why the actor may not add devices this way; nil when they may.
    public var refusal: Refusal? {
        let type = source.transactionType
        guard !actor.role.may(type) else { return nil }
        return Refusal(
            description:
                "role \(actor.role.rawValue) may not add devices; it needs \(Role.required(for: type).rawValue)"
        )
    }

    /// Records the intake inside the writer's transaction: the transaction first, then each
    /// batch of devices `body` hands to `add` with their items (all of them one
    /// ``FleetWriter/bulkLoad(_:)``), then SUCCESS. Any error rolls the whole of it back with
    /// the writer's transaction.
    public func run(
        writer: any FleetWriter, at: Date,
        body: (_ add: ([DeviceRecord]) throws -> Void) throws -> Void
    ) throws -> Result {
        if let refusal { throw refusal }
        let id = try writer.begin(
            source.transactionType, actor: actor, at: at, source: source.text)
        var count = 0
        try writer.bulkLoad {
            try body { records in
                try writer.insert(records)
                try writer.addItems(
                    records.map {
                        ItemResult(
                            key: String($0.device.id), deviceId: $0.device.id,
                            deviceName: $0.device.name, outcome: source.outcome)
                    }, transaction: id)
                count += records.count
            }
        }
        try writer.finish(id, status: .success, items: [], at: at)
        return Result(transaction: id, count: count)
    }

    /// A re-import (``ImportSync``): adds `records` and updates `updates` in one
    /// transaction, each added device an `imported` item and each updated one an `updated`
    /// item whose reason lists its changes; `unchanged` is only counted. Any error rolls the
    /// whole of it back with the writer's transaction.
    public func sync(
        writer: any FleetWriter, at: Date, adding records: [DeviceRecord],
        updating updates: [ImportSync.Update], unchanged: Int
    ) throws -> Result {
        if let refusal { throw refusal }
        let id = try writer.begin(
            source.transactionType, actor: actor, at: at, source: source.text)
        try writer.bulkLoad { try writer.insert(records) }
        try writer.addItems(
            records.map {
                ItemResult(
                    key: String($0.device.id), deviceId: $0.device.id,
                    deviceName: $0.device.name, outcome: source.outcome)
            }, transaction: id)
        if !updates.isEmpty {
            try writer.update(updates.map(\.device), transaction: id, actor: actor, at: at)
            try writer.addItems(
                updates.map {
                    ItemResult(
                        key: String($0.device.id), deviceId: $0.device.id,
                        deviceName: $0.device.name, outcome: .updated, reason: $0.reason)
                }, transaction: id)
        }
        try writer.finish(id, status: .success, items: [], at: at)
        var result = Result(transaction: id, count: records.count)
        result.updated = updates.count
        result.unchanged = unchanged
        return result
    }
}
