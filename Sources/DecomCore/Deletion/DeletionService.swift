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
        let token = try? store.changeToken()
        let items = try store.read { reader in try Self.decide(keys, mode: mode, reader: reader) }
        var plan = DeletionPlan(mode: mode, actor: actor, createdAt: now, items: items)
        if let token, (try? store.changeToken()) == token {
            plan.snapshot = .init(token: token)
        }
        return plan
    }

    /// Plans from device ids (the console's marks).
    public func plan(ids: [Int64], mode: DeletionMode, actor: Actor) throws -> DeletionPlan {
        try plan(ids.map { KeyInput(.id($0)) }, mode: mode, actor: actor)
    }

    static func decide(
        _ keys: [KeyInput], mode: DeletionMode, selection: DeletionPlan.Selection = .keys,
        reader: any FleetReader
    ) throws -> [DeletionPlan.Item] {
        try resolveEach(keys, reader: reader).map { resolved in
            switch resolved.found {
            case .skip(let item):
                return item
            case .missing(let key, _):
                return .init(
                    key: resolved.key, device: nil,
                    decision: .skip(
                        .notFound, reason: "no device has \(key.kindName) \(key.valueText)"))
            case .device(let device):
                if let refusal = selection.refusal(device) {
                    return .init(
                        key: resolved.key, device: device,
                        decision: .skip(.changed, reason: refusal))
                }
                if let refusal = DeletionPolicy.refusal(for: device, mode: mode) {
                    return .init(
                        key: resolved.key, device: device,
                        decision: .skip(refusal.outcome, reason: refusal.reason))
                }
                return .init(key: resolved.key, device: device, decision: .apply)
            }
        }
    }

    /// What one key of a request names, before any rule of the operation is applied.
    struct Resolved {
        enum Found {
            /// The one device the key names, with its facts.
            case device(DeviceFacts)
            /// No device answers to the key (the id, for a plain id key).
            case missing(DeviceKey, id: Int64?)
            /// Refused whatever the operation: `invalid_key`, `ambiguous`, `duplicate`.
            case skip(DeletionPlan.Item)
        }
        var key: String
        var found: Found
    }

    /// Resolves every key, in one snapshot: ids need no resolving (the facts say which
    /// exist), other keys are looked up first; a device named twice is a `duplicate`.
    static func resolveEach(_ keys: [KeyInput], reader: any FleetReader) throws -> [Resolved] {
        let parsed = Set(keys.compactMap { try? $0.parsed.get() })
        var direct: Set<Int64> = []
        var named: [DeviceKey] = []
        for key in parsed {
            if case .id(let id) = key { direct.insert(id) } else { named.append(key) }
        }
        let resolved = try reader.resolve(named)
        let facts = try reader.facts(ids: Array(direct.union(resolved.values.joined())))
        var firstKeyOfDevice: [Int64: String] = [:]
        return keys.map { input in
            func skip(_ device: DeviceFacts?, _ outcome: ItemOutcome, _ reason: String)
                -> Resolved
            {
                Resolved(
                    key: input.raw,
                    found: .skip(
                        .init(
                            key: input.raw, device: device,
                            decision: .skip(outcome, reason: reason))))
            }
            let key: DeviceKey
            switch input.parsed {
            case .failure(let error): return skip(nil, .invalidKey, error.message)
            case .success(let k): key = k
            }
            let matches: [Int64] = if case .id(let n) = key { [n] } else { resolved[key] ?? [] }
            if matches.count > 1 {
                let named = matches.map { id in
                    "#\(id)" + (facts[id]?.name.map { " \($0)" } ?? "")
                }
                return skip(
                    nil, .ambiguous,
                    "\(key.kindName) \(key.valueText) names \(matches.count) devices (\(named.joined(separator: ", "))); name one by its id"
                )
            }
            guard let id = matches.first, let device = facts[id] else {
                let id: Int64? = if case .id(let n) = key { n } else { nil }
                return Resolved(key: input.raw, found: .missing(key, id: id))
            }
            if let first = firstKeyOfDevice[id] {
                return skip(device, .duplicate, "same device as \(first)")
            }
            firstKeyOfDevice[id] = input.raw
            return Resolved(key: input.raw, found: .device(device))
        }
    }

    // MARK: - Execute

    /// Applies every allowed item of the plan in one SQLite transaction: all of them or none.
    ///
    /// Every condition the plan was made on is checked again inside that transaction, so that
    /// nothing the admin did not see is changed: a device removed since the plan is
    /// `not_found`; a device whose facts differ from the plan's (another admin archived,
    /// restored or unenrolled it, an archive moved past the cutoff) is `changed`, with what
    /// changed as the reason; then the plan's ``DeletionPlan/Selection`` and the policy are
    /// applied again. Those devices are left alone.
    ///
    /// The acting user is the caller's: the front end that established who is acting (the
    /// CLI's user and role, the console's, later a verified API token) passes it as `actor`.
    /// A plan is a value a client could have built or changed; one whose ``DeletionPlan/actor``
    /// differs from `actor` throws ``AuthorityError/actorMismatch(plan:caller:)`` and writes
    /// nothing, and the role is checked on `actor` (issue 13, "Authority first").
    ///
    /// - Parameters:
    ///   - actor: who is acting, as the front end established it.
    ///   - bulk: the front end's explicit bulk confirmation (the CLI's `--bulk`, the console's
    ///     typed count, as seed 002 demands a bulk flag). A purge of more than one device
    ///     without it throws ``DeletionError/bulkRequired(_:)`` and writes nothing.
    ///   - progress: called after each chunk of ``chunkSize`` devices, with devices done and
    ///     the total.
    /// - Returns: the recorded transaction. A role that may not perform the mode writes
    ///   nothing (the record has id 0). A plan of which nothing is left to apply changes
    ///   nothing: it is recorded as a FAILURE when an item failed (`not_found`, `changed`,
    ///   `forbidden`…), and not at all when every item already held (id 0).
    /// - Throws: ``AuthorityError/actorMismatch(plan:caller:)`` for a plan of another actor;
    ///   ``DeletionError`` for a refused bulk purge; the store's error when the transaction
    ///   rolled back (a FAILURE transaction is then recorded on its own).
    public func execute(
        _ plan: DeletionPlan, as actor: Actor, bulk: Bool,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> TransactionRecord {
        if let refused = try authorize(plan, as: actor, bulk: bulk) { return refused }
        return try apply(plan, actor: actor, queued: nil, progress: progress)
    }

    /// The checks of ``execute(_:as:bulk:progress:)`` before anything is read or written,
    /// shared with ``DeletionQueue/submit(_:as:bulk:)``: throws for a plan of another actor
    /// and for a bulk purge without `bulk`; returns the unrecorded FAILURE (id 0) of a role
    /// that may not perform the mode; nil when the plan may go ahead.
    func authorize(_ plan: DeletionPlan, as actor: Actor, bulk: Bool) throws
        -> TransactionRecord?
    {
        guard plan.actor == actor else {
            throw AuthorityError.actorMismatch(plan: plan.actor, caller: actor)
        }
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: plan.mode) {
            let now = clock()
            return TransactionRecord(
                id: 0, type: plan.mode.transactionType, status: .failure, user: actor.user,
                role: actor.role, createdAt: plan.createdAt, updatedAt: now,
                items: plan.previewResults.map {
                    var r = $0
                    if r.outcome != .invalidKey {
                        r.outcome = .insufficientScope; r.reason = refusal
                    }
                    return r
                }, error: refusal)
        }
        if !bulk,
            let refusal = DeletionPolicy.bulkRefusal(mode: plan.mode, count: plan.allowed.count)
        {
            throw DeletionError.bulkRequired(refusal)
        }
        return nil
    }

    /// A transaction of ``DeletionQueue`` that is being executed: its id and when it was
    /// submitted.
    struct Queued {
        var id: Int64
        var createdAt: Date
        /// Called inside the write transaction once the transaction is COMMITTING.
        var committing: (() -> Void)?
    }

    /// Applies an authorized plan: the one path of a synchronous execution and of a queued
    /// one. A queued one (`queued`) must still be PREPARING inside the write transaction (a
    /// start-up's recovery or a cancel may have settled it meanwhile: then nothing is applied
    /// and ``DeletionQueueError/notRunnable(_:_:)`` is thrown); it becomes COMMITTING there,
    /// and its own row receives the final state, items and error, in that same SQLite
    /// transaction. A synchronous one records a new row.
    func apply(
        _ plan: DeletionPlan, actor: Actor, queued: Queued?,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> TransactionRecord {
        let type = plan.mode.transactionType
        let record: TransactionRecord
        do {
            record = try store.write { writer in
                let now = clock()
                if let queued {
                    let status = try writer.transactionStatus(id: queued.id)
                    guard status == .preparing else {
                        throw DeletionQueueError.notRunnable(queued.id, status)
                    }
                    try writer.setStatus(queued.id, .committing, at: now)
                    queued.committing?()
                }
                // Read once: the plan's facts stand for every device whose stored values
                // are still the ones they were read from; only the others are read again.
                // Nothing committed since the plan (the write lock is held now): they all are.
                let unchanged =
                    plan.snapshot.map { (try? store.changeToken()) == $0.token } ?? false
                let changed =
                    unchanged
                    ? [:]
                    : try writer.factsChanged(
                        since: plan.items.compactMap { $0.willApply ? $0.device : nil })
                let (results, toApply) = Self.recheck(plan) { id, planned in
                    changed[id] ?? planned
                }
                guard !toApply.isEmpty else {
                    let nothing = TransactionRecord(
                        id: 0, type: type, status: .success, user: actor.user, role: actor.role,
                        createdAt: now, updatedAt: now, items: results)
                    guard let queued else { return nothing }
                    // The queued row holds what happened, as a synchronous one would be kept.
                    var settled = nothing
                    settled.id = queued.id
                    settled.createdAt = queued.createdAt
                    if let error = Self.nothingAppliedError(results) {
                        settled.status = .failure
                        settled.error = error
                    }
                    try writer.settle(
                        queued.id, status: settled.status, items: results, error: settled.error,
                        at: now)
                    return settled
                }
                let id = try queued?.id ?? writer.begin(type, actor: actor, at: now, undoes: nil)
                var done = 0
                for chunk in toApply.chunked(Self.chunkSize) {
                    switch plan.mode {
                    case .archive:
                        try writer.archive(ids: chunk, transaction: id, actor: actor, at: now)
                    case .purge:
                        try writer.purge(ids: chunk, transaction: id, actor: actor, at: now)
                    case .unenroll:
                        try writer.unenroll(ids: chunk, transaction: id, actor: actor, at: now)
                    case .archiveAndUnenroll:
                        // Each half skips the devices it does not change (already archived,
                        // no agent), and writes its own audit rows.
                        try writer.archive(ids: chunk, transaction: id, actor: actor, at: now)
                        try writer.unenroll(ids: chunk, transaction: id, actor: actor, at: now)
                    }
                    done += chunk.count
                    progress?(done, toApply.count)
                }
                if queued != nil {
                    try writer.settle(id, status: .success, items: results, error: nil, at: now)
                } else {
                    try writer.finish(id, status: .success, items: results, at: now)
                }
                return TransactionRecord(
                    id: id, type: type, status: .success, user: actor.user, role: actor.role,
                    createdAt: queued?.createdAt ?? now, updatedAt: now, items: results)
            }
        } catch let error as DeletionQueueError {
            throw error
        } catch {
            let reason = "the transaction was rolled back: \(error)"
            let items = plan.previewResults.map { r -> ItemResult in
                guard r.outcome.isApplied else { return r }
                var failed = r
                failed.outcome = .failed
                failed.reason = reason
                return failed
            }
            if let queued {
                // Its own row, unless it was settled meanwhile; if this write fails too, the
                // row stays PREPARING and the next start-up's recovery fails it.
                _ = try? store.write { writer in
                    guard try writer.transactionStatus(id: queued.id) == .preparing else { return }
                    try writer.settle(
                        queued.id, status: .failure, items: items, error: reason, at: clock())
                }
            } else {
                _ = try? store.recordFailure(
                    type, actor: actor, at: clock(), error: reason, items: items)
            }
            throw error
        }
        return queued == nil ? try recordNothingApplied(record) : record
    }

    /// Why nothing was applied, counted by outcome, when an item failed; nil when every item
    /// already held (nothing to record).
    static func nothingAppliedError(_ items: [ItemResult]) -> String? {
        guard items.contains(where: \.outcome.isFailure) else { return nil }
        var counts: [ItemOutcome: Int] = [:]
        for item in items { counts[item.outcome, default: 0] += 1 }
        let text = ItemOutcome.allCases.compactMap { o in counts[o].map { "\($0) \(o.rawValue)" } }
        return "nothing was applied: " + text.joined(separator: ", ")
    }

    /// A record of an execution that applied nothing (id 0) as it is kept: not at all when
    /// every item already held (`already_archived`, `duplicate`), else as a FAILURE with its
    /// items, so that the history tells who asked for what and why nothing changed.
    private func recordNothingApplied(_ record: TransactionRecord) throws -> TransactionRecord {
        guard record.id == 0, let error = Self.nothingAppliedError(record.items) else {
            return record
        }
        var failed = record
        failed.status = .failure
        failed.error = error
        failed.id = try store.recordFailure(
            record.type, actor: Actor(user: record.user, role: record.role), at: record.createdAt,
            error: error,
            items: record.items)
        return failed
    }

    /// The plan's items decided again on the devices' current facts: each item's result, and
    /// the ids still to apply.
    static func recheck(_ plan: DeletionPlan, current: [Int64: DeviceFacts]) -> (
        results: [ItemResult], toApply: [Int64]
    ) {
        recheck(plan) { id, _ in current[id] }
    }

    /// ``recheck(_:current:)`` with each device's current facts given by `current(id,
    /// planned)` (nil when the device is gone).
    static func recheck(
        _ plan: DeletionPlan, current: (Int64, DeviceFacts) -> DeviceFacts?
    ) -> (results: [ItemResult], toApply: [Int64]) {
        var results: [ItemResult] = []
        var toApply: [Int64] = []
        results.reserveCapacity(plan.items.count)
        for item in plan.items {
            guard item.willApply, let planned = item.device else {
                results.append(item.result(of: plan.mode))
                continue
            }
            func skip(_ outcome: ItemOutcome, _ reason: String, name: String?) {
                results.append(
                    ItemResult(
                        key: item.key, deviceId: planned.id, deviceName: name, outcome: outcome,
                        reason: reason))
            }
            guard let facts = current(planned.id, planned) else {
                skip(.notFound, "the device was removed since the plan", name: planned.name)
                continue
            }
            let changes = facts.changes(since: planned)
            if !changes.isEmpty {
                skip(
                    .changed, "changed since the plan: " + changes.joined(separator: ", "),
                    name: facts.name)
                continue
            }
            if let refusal = plan.selection.refusal(facts) {
                skip(.changed, refusal, name: facts.name)
                continue
            }
            if let refusal = DeletionPolicy.refusal(for: facts, mode: plan.mode) {
                skip(refusal.outcome, refusal.reason, name: facts.name)
                continue
            }
            toApply.append(facts.id)
            let applied = plan.mode.applied(to: facts)
            results.append(
                ItemResult(
                    key: item.key, deviceId: facts.id, deviceName: facts.name,
                    outcome: applied.outcome, reason: applied.reason))
        }
        return (results, toApply)
    }

    // MARK: - Undo

    /// The reason of a device restored by the undo of an archive-and-unenroll.
    public static let agentStaysReason =
        "the MDM agent stays unenrolled; enroll the device in its MDM again"

    /// Undoes the acting user's newest undoable transaction, or the given archive transaction.
    ///
    /// The undo stack is each user's own: without an id, only the actor's transactions are
    /// considered, so two admins working on one fleet never undo each other's archive by
    /// accident. Another user's archive is undone by naming its transaction id (the console
    /// asks first, naming whose work it is).
    ///
    /// Only archives can be undone, and the archive half of an archive-and-unenroll (seed
    /// 004's opt 2): its devices come back as the archive found them, their MDM enrollment
    /// stays UNENROLLED (an uninstalled agent cannot be put back by a database), and each
    /// restored item says so. When the actor's newest is a purge or an unenroll, or
    /// `id` names one, nothing changes and ``UndoError/notUndoable(_:_:newestArchive:)`` names
    /// the actor's newest archive that can still be undone.
    ///
    /// A device of the archive that is archived again by a later archive (after a restore,
    /// ``restore(_:as:progress:)``, brought it back) is that archive's to undo: it is left
    /// alone as `not_archived`, naming it. `progress` is called after each chunk of
    /// ``chunkSize`` devices, with devices done and the total.
    public func undo(
        _ transactionId: Int64? = nil, actor: Actor,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> TransactionRecord {
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
                guard let top = try writer.undoStack(user: actor.user, limit: 1).first else {
                    // Only on this refusal is everyone's stack read, to name an archive.
                    if let other = try writer.undoStack(user: nil, limit: nil).first(where: {
                        $0.type.isUndoable
                    }) {
                        throw UndoError.nothingOfYours(
                            actor.user, newestArchive: other.id, by: other.user)
                    }
                    throw UndoError.nothingToUndo
                }
                target = top
            }
            guard target.type.isUndoable else {
                // Only on this refusal is the rest of the stack read, to name an archive.
                let newestArchive = try writer.undoStack(user: actor.user, limit: nil).first {
                    $0.type.isUndoable
                }?.id
                // None of the actor's: name anyone's newest archive, with its user.
                if newestArchive == nil, transactionId == nil,
                    let other = try writer.undoStack(user: nil, limit: nil).first(where: {
                        $0.type.isUndoable
                    })
                {
                    throw UndoError.nothingOfYours(
                        actor.user, newestArchive: other.id, by: other.user)
                }
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
            let origins = try writer.archiveOrigins(ids: entries)
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
                if let later = origins[deviceId], later.transaction != target.id {
                    results.append(
                        ItemResult(
                            key: key, deviceId: deviceId, deviceName: f.name, outcome: .notArchived,
                            reason:
                                "restored since, then archived again by \(later.user)'s transaction \(later.transaction)"
                        ))
                    continue
                }
                toRestore.append(deviceId)
                results.append(
                    ItemResult(
                        key: key, deviceId: deviceId, deviceName: f.name, outcome: .restored,
                        reason: target.type == .archiveUnenroll ? Self.agentStaysReason : nil))
            }
            var done = 0
            progress?(0, toRestore.count)
            for chunk in toRestore.chunked(Self.chunkSize) {
                try writer.restore(
                    ids: chunk, archive: target.id, transaction: id, actor: actor, at: now)
                done += chunk.count
                progress?(done, toRestore.count)
            }
            try writer.finish(id, status: .success, items: results, at: now)
            try writer.markUndone(target.id, by: id)
            return TransactionRecord(
                id: id, type: .restore, status: .success, user: actor.user, role: actor.role,
                createdAt: now, updatedAt: now, items: results, undoes: target.id)
        }
    }

    // MARK: - Retention

    /// The least age `purge --archived-before` takes: an archive younger than a day is
    /// still its archiver's to undo, and a cutoff of minutes (`0m`) would purge what was
    /// archived a moment ago. Such devices are purged by key, with the bulk confirmation.
    public static let minimumRetention: TimeInterval = 24 * 60 * 60

    /// Plans a purge of the devices archived more than `age` seconds ago (admin only), in one
    /// read: the devices and their facts come from the same snapshot, and the plan keeps the
    /// cutoff as its ``DeletionPlan/Selection``, checked again when it executes.
    ///
    /// - Throws: ``DeletionError/retentionTooShort(_:)`` for an age under
    ///   ``minimumRetention``; the store's errors.
    public func planPurgeOfArchived(olderThan age: TimeInterval, actor: Actor) throws
        -> DeletionPlan
    {
        guard age >= Self.minimumRetention else {
            throw DeletionError.retentionTooShort(age)
        }
        let now = clock()
        let cutoff = now.addingTimeInterval(-age)
        let selection = DeletionPlan.Selection.archivedBefore(cutoff)
        if DeletionPolicy.scopeRefusal(role: actor.role, mode: .purge) != nil {
            let ids = try store.read { try $0.archived(before: cutoff) }
            var plan = try plan(ids: ids, mode: .purge, actor: actor)
            plan.selection = selection
            return plan
        }
        let items = try store.read { reader in
            let ids = try reader.archived(before: cutoff)
            return try Self.decide(
                ids.map { KeyInput(.id($0)) }, mode: .purge, selection: selection, reader: reader)
        }
        return DeletionPlan(
            mode: .purge, actor: actor, createdAt: now, items: items, selection: selection)
    }
}

/// Why a deletion was refused as a whole before anything was written.
public enum DeletionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A purge of more than one device without the bulk confirmation (seed 002: an explicit
    /// bulk flag is required); the text says how many.
    case bulkRequired(String)
    /// `purge --archived-before` with an age under ``DeletionService/minimumRetention``.
    case retentionTooShort(TimeInterval)

    public var description: String {
        switch self {
        case .bulkRequired(let text):
            return text
        case .retentionTooShort:
            return
                "--archived-before must be at least 1d: an archive younger than a day may still be undone by whoever archived it; to purge such devices, name them: decom delete --hard --bulk KEY..."
        }
    }
}

/// Why an undo changed nothing.
public enum UndoError: Error, Sendable, Equatable, CustomStringConvertible {
    case insufficientScope(Role)
    case nothingToUndo
    /// The actor has nothing to undo; the newest archive anyone can undo is named with its
    /// user.
    case nothingOfYours(String, newestArchive: Int64, by: String)
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
        case .nothingOfYours(let user, let id, let by):
            return
                "nothing of \(SafeText.visible(user))'s to undo; the newest archive that can be undone is \(SafeText.visible(by))'s transaction \(id) (decom undo \(id) undoes it)"
        case .noSuchTransaction(let id):
            return "no transaction \(id)"
        case .notUndoable(let id, let type, let newest):
            let what =
                switch type {
                case .purge: "a purge is irreversible"
                case .unenroll: "an unenroll removed the agent"
                case .import, .seed: "it added devices; archive or purge them instead"
                case .archive, .archiveUnenroll, .restore: "a restore is not undone"
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
        case .external(let source, _): source.map { "\($0) id" } ?? "external id"
        }
    }

    public var valueText: String {
        switch self {
        case .id(let id): String(id)
        case .label(let v), .mac(let v), .hwid(let v), .serial(let v): v
        case .external(_, let id): id
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
