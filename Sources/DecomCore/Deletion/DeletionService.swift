import Foundation

/// The one path of every deletion, from any front end: plan, policy, one atomic transaction,
/// per-item results, audit, undo buffer.
public struct DeletionService: Sendable {
    public let store: any FleetStore
    public let clock: @Sendable () -> Date

    /// How many devices one store call changes before progress is reported.
    public static let chunkSize = 1_000

    public init(store: any FleetStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    // MARK: - Plan

    /// Resolves the keys, applies the role and the policy, and counts what cascades. Changes
    /// nothing.
    public func plan(_ keys: [KeyInput], mode: DeletionMode, actor: Actor) throws -> DeletionPlan {
        let now = clock()
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: mode) {
            let items = keys.map { input -> DeletionPlan.Item in
                switch input.parsed {
                case .failure(let error):
                    DeletionPlan.Item(
                        key: input.raw, device: nil,
                        decision: .skip(.invalidKey, reason: error.message))
                case .success:
                    DeletionPlan.Item(
                        key: input.raw, device: nil,
                        decision: .skip(.insufficientScope, reason: refusal))
                }
            }
            return DeletionPlan(mode: mode, actor: actor, createdAt: now, items: items)
        }
        let items = try store.read { reader in try Self.decide(keys, mode: mode, reader: reader) }
        return DeletionPlan(mode: mode, actor: actor, createdAt: now, items: items)
    }

    /// Plans from device ids (the console's marks).
    public func plan(ids: [Int64], mode: DeletionMode, actor: Actor) throws -> DeletionPlan {
        try plan(ids.map { KeyInput(.id($0)) }, mode: mode, actor: actor)
    }

    static func decide(_ keys: [KeyInput], mode: DeletionMode, reader: any FleetReader) throws
        -> [DeletionPlan.Item]
    {
        // Ids need no resolving: the facts say which exist. Other keys are looked up first.
        let parsed = Set(keys.compactMap { try? $0.parsed.get() })
        var direct: Set<Int64> = []
        var named: [DeviceKey] = []
        for key in parsed {
            if case .id(let id) = key { direct.insert(id) } else { named.append(key) }
        }
        let resolved = try reader.resolve(named)
        let facts = try reader.facts(ids: Array(direct.union(resolved.values)))
        var firstKeyOfDevice: [Int64: String] = [:]
        return keys.map { input in
            let key: DeviceKey
            switch input.parsed {
            case .failure(let error):
                return .init(
                    key: input.raw, device: nil, decision: .skip(.invalidKey, reason: error.message)
                )
            case .success(let k): key = k
            }
            let id: Int64? = if case .id(let n) = key { n } else { resolved[key] }
            guard let id, let device = facts[id] else {
                return .init(
                    key: input.raw, device: nil,
                    decision: .skip(
                        .notFound, reason: "no device has \(key.kindName) \(key.valueText)"))
            }
            if let first = firstKeyOfDevice[id] {
                return .init(
                    key: input.raw, device: device,
                    decision: .skip(.duplicate, reason: "same device as \(first)"))
            }
            firstKeyOfDevice[id] = input.raw
            if let refusal = DeletionPolicy.refusal(for: device, mode: mode) {
                return .init(
                    key: input.raw, device: device,
                    decision: .skip(refusal.outcome, reason: refusal.reason))
            }
            return .init(key: input.raw, device: device, decision: .apply)
        }
    }

    // MARK: - Execute

    /// Applies every allowed item of the plan in one SQLite transaction: all of them or none.
    /// Each device is checked again inside the transaction, so a device purged or changed by
    /// someone else since the plan is reported, not touched.
    ///
    /// A role that may not perform the mode writes nothing: the returned record has id 0 and
    /// is not kept.
    public func execute(
        _ plan: DeletionPlan, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> TransactionRecord {
        let actor = plan.actor
        let type = plan.mode.transactionType
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: plan.mode) {
            let now = clock()
            return TransactionRecord(
                id: 0, type: type, status: .failure, user: actor.user, role: actor.role,
                createdAt: plan.createdAt, updatedAt: now,
                items: plan.previewResults.map {
                    var r = $0
                    if r.outcome != .invalidKey {
                        r.outcome = .insufficientScope; r.reason = refusal
                    }
                    return r
                }, error: refusal)
        }
        do {
            return try store.write { writer in
                let now = clock()
                let id = try writer.begin(type, actor: actor, at: now, undoes: nil)
                let current = try writer.facts(ids: plan.allowedIDs)
                var results: [ItemResult] = []
                var toApply: [Int64] = []
                for item in plan.items {
                    guard item.willApply, let planned = item.device else {
                        results.append(item.result(appliedAs: plan.mode.appliedOutcome))
                        continue
                    }
                    guard let facts = current[planned.id] else {
                        results.append(
                            ItemResult(
                                key: item.key, deviceId: planned.id, deviceName: planned.name,
                                outcome: .notFound, reason: "the device was removed since the plan")
                        )
                        continue
                    }
                    if let refusal = DeletionPolicy.refusal(for: facts, mode: plan.mode) {
                        results.append(
                            ItemResult(
                                key: item.key, deviceId: facts.id, deviceName: facts.name,
                                outcome: refusal.outcome, reason: refusal.reason))
                        continue
                    }
                    toApply.append(facts.id)
                    results.append(
                        ItemResult(
                            key: item.key, deviceId: facts.id, deviceName: facts.name,
                            outcome: plan.mode.appliedOutcome))
                }
                var done = 0
                for chunk in toApply.chunked(Self.chunkSize) {
                    switch plan.mode {
                    case .archive:
                        try writer.archive(ids: chunk, transaction: id, actor: actor, at: now)
                    case .purge:
                        try writer.purge(ids: chunk, transaction: id, actor: actor, at: now)
                    case .unenroll:
                        try writer.unenroll(ids: chunk, transaction: id, actor: actor, at: now)
                    }
                    done += chunk.count
                    progress?(done, toApply.count)
                }
                try writer.finish(id, status: .success, items: results, at: now)
                return TransactionRecord(
                    id: id, type: type, status: .success, user: actor.user, role: actor.role,
                    createdAt: now, updatedAt: now, items: results)
            }
        } catch {
            let reason = "the transaction was rolled back: \(error)"
            let items = plan.previewResults.map { r -> ItemResult in
                guard r.outcome.isApplied else { return r }
                var failed = r
                failed.outcome = .failed
                failed.reason = reason
                return failed
            }
            _ = try? store.recordFailure(
                type, actor: actor, at: clock(), error: reason, items: items)
            throw error
        }
    }

    // MARK: - Undo

    /// Undoes the top of the undo stack, or the given archive transaction.
    ///
    /// Only archives can be undone. When the top of the stack is a purge or an unenroll, or
    /// `id` names one, nothing changes and ``UndoError/notUndoable(_:_:newestArchive:)`` names
    /// the newest archive that can still be undone.
    public func undo(_ transactionId: Int64? = nil, actor: Actor) throws -> TransactionRecord {
        guard actor.role.may(.restore) else {
            throw UndoError.insufficientScope(actor.role)
        }
        return try store.write { writer in
            let target: TransactionRecord
            if let transactionId {
                guard let found = try writer.transaction(id: transactionId) else {
                    throw UndoError.noSuchTransaction(transactionId)
                }
                target = found
            } else {
                guard let top = try writer.undoStack(limit: 1).first else {
                    throw UndoError.nothingToUndo
                }
                target = top
            }
            guard target.type == .archive else {
                // Only on this refusal is the rest of the stack read, to name an archive.
                let newestArchive = try writer.undoStack(limit: nil).first { $0.type == .archive }?
                    .id
                throw UndoError.notUndoable(target.id, target.type, newestArchive: newestArchive)
            }
            if let by = target.undoneBy { throw UndoError.alreadyUndone(target.id, by: by) }
            guard target.status == .success else {
                throw UndoError.notSuccessful(target.id, target.status)
            }
            let now = clock()
            let id = try writer.begin(.restore, actor: actor, at: now, undoes: target.id)
            let entries = try writer.undoEntries(archive: target.id)
            let facts = try writer.facts(ids: entries)
            let names = Dictionary(
                target.items.compactMap { item in item.deviceId.map { ($0, item.deviceName) } },
                uniquingKeysWith: { a, _ in a })
            var results: [ItemResult] = []
            var toRestore: [Int64] = []
            for deviceId in entries {
                let key = String(deviceId)
                guard let f = facts[deviceId] else {
                    results.append(
                        ItemResult(
                            key: key, deviceId: deviceId, deviceName: names[deviceId] ?? nil,
                            outcome: .gone, reason: "the device was purged after it was archived"))
                    continue
                }
                guard f.clientStatus == .archived else {
                    results.append(
                        ItemResult(
                            key: key, deviceId: deviceId, deviceName: f.name, outcome: .notArchived,
                            reason: "the device is no longer archived"))
                    continue
                }
                toRestore.append(deviceId)
                results.append(
                    ItemResult(key: key, deviceId: deviceId, deviceName: f.name, outcome: .restored)
                )
            }
            for chunk in toRestore.chunked(Self.chunkSize) {
                try writer.restore(
                    ids: chunk, archive: target.id, transaction: id, actor: actor, at: now)
            }
            try writer.finish(id, status: .success, items: results, at: now)
            try writer.markUndone(target.id, by: id)
            return TransactionRecord(
                id: id, type: .restore, status: .success, user: actor.user, role: actor.role,
                createdAt: now, updatedAt: now, items: results, undoes: target.id)
        }
    }

    // MARK: - Retention

    /// Plans a purge of the devices archived before the date (admin only).
    public func planPurgeOfArchived(before date: Date, actor: Actor) throws -> DeletionPlan {
        let ids = try store.read { try $0.archived(before: date) }
        return try plan(ids: ids, mode: .purge, actor: actor)
    }
}

/// Why an undo changed nothing.
public enum UndoError: Error, Sendable, Equatable, CustomStringConvertible {
    case insufficientScope(Role)
    case nothingToUndo
    case noSuchTransaction(Int64)
    case notUndoable(Int64, TransactionType, newestArchive: Int64?)
    case alreadyUndone(Int64, by: Int64)
    case notSuccessful(Int64, TransactionStatus)

    public var description: String {
        switch self {
        case .insufficientScope(let role):
            return "role \(role.rawValue) may not undo; it needs operator"
        case .nothingToUndo:
            return "nothing to undo"
        case .noSuchTransaction(let id):
            return "no transaction \(id)"
        case .notUndoable(let id, let type, let newest):
            let what =
                switch type {
                case .purge: "a purge is irreversible"
                case .unenroll: "an unenroll removed the agent"
                case .import, .seed: "it added devices; archive or purge them instead"
                case .archive, .restore: "a restore is not undone"
                }
            let hint =
                newest.map {
                    "; the newest archive that can be undone is transaction \($0) (decom undo \($0))"
                } ?? "; no archive can be undone"
            return "transaction \(id) (\(type.rawValue)) cannot be undone: \(what)\(hint)"
        case .alreadyUndone(let id, let by):
            return "transaction \(id) was already undone by transaction \(by)"
        case .notSuccessful(let id, let status):
            return
                "transaction \(id) is \(status.rawValue); only a successful archive can be undone"
        }
    }
}

extension DeviceKey {
    /// What kind of identifier the key is, in words.
    public var kindName: String {
        switch self {
        case .id: "id"
        case .label: "label"
        case .mac: "MAC address"
        case .hwid: "HWID"
        case .serial: "serial"
        }
    }

    public var valueText: String {
        switch self {
        case .id(let id): String(id)
        case .label(let v), .mac(let v), .hwid(let v), .serial(let v): v
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
