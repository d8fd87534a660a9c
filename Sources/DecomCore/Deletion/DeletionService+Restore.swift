import Foundation

extension DeletionService {
    // MARK: - Restore

    /// The refusal of a role that may not restore: restoring is undo's work, so it needs what
    /// undo needs (``Role/required(for:)`` of RESTORE: operator), and like an undo by id it
    /// may bring back anyone's archive (the console's dialog names whose).
    public static func restoreRefusal(role: Role) -> String? {
        guard !role.may(.restore) else { return nil }
        return
            "role \(role.rawValue) may not restore; it needs \(Role.required(for: .restore).rawValue)"
    }

    /// Plans the restore of the devices the keys name. Changes nothing.
    ///
    /// Item by item: `invalid_key`, `ambiguous`, `duplicate` as for a deletion; a device that
    /// no longer exists but was archived is `gone` (it was purged), any other missing key
    /// `not_found`; a device that is not archived is `not_archived`; an archived device that
    /// no decom archive changed (imported or generated archived) is `no_archive_record`, since
    /// no earlier state is known; the others are restored from the archive that archived them.
    public func planRestore(_ keys: [KeyInput], actor: Actor) throws -> RestorePlan {
        let now = clock()
        if let refusal = Self.restoreRefusal(role: actor.role) {
            let items = keys.map { input -> RestorePlan.Item in
                switch input.parsed {
                case .failure(let error):
                    RestorePlan.Item(
                        key: input.raw, device: nil, origin: nil,
                        decision: .skip(.invalidKey, reason: error.message))
                case .success:
                    RestorePlan.Item(
                        key: input.raw, device: nil, origin: nil,
                        decision: .skip(.insufficientScope, reason: refusal))
                }
            }
            return RestorePlan(actor: actor, createdAt: now, items: items)
        }
        let items = try store.read { reader -> [RestorePlan.Item] in
            let resolved = try Self.resolveEach(keys, reader: reader)
            let ids: [Int64] = resolved.compactMap {
                switch $0.found {
                case .device(let device): device.id
                case .missing(_, let id): id
                case .skip: nil
                }
            }
            let origins = try reader.archiveOrigins(ids: ids)
            return resolved.map { Self.decideRestore($0, origins: origins) }
        }
        return RestorePlan(actor: actor, createdAt: now, items: items)
    }

    /// Plans from device ids (the console's marks).
    public func planRestore(ids: [Int64], actor: Actor) throws -> RestorePlan {
        try planRestore(ids.map { KeyInput(.id($0)) }, actor: actor)
    }

    static func decideRestore(_ resolved: Resolved, origins: [Int64: ArchiveOrigin])
        -> RestorePlan.Item
    {
        let key = resolved.key
        switch resolved.found {
        case .skip(let item):
            return .init(key: key, device: item.device, origin: nil, decision: item.decision)
        case .missing(let deviceKey, let id):
            if let id, let origin = origins[id] {
                return .init(
                    key: key, device: nil, origin: origin,
                    decision: .skip(
                        .gone,
                        reason:
                            "the device was purged after \(origin.user) archived it (transaction \(origin.transaction))"
                    ))
            }
            return .init(
                key: key, device: nil, origin: nil,
                decision: .skip(
                    .notFound,
                    reason: "no device has \(deviceKey.kindName) \(deviceKey.valueText)"))
        case .device(let device):
            let origin = origins[device.id]
            if let refusal = restoreRefusal(device, origin: origin) {
                return .init(
                    key: key, device: device, origin: origin,
                    decision: .skip(refusal.outcome, reason: refusal.reason))
            }
            return .init(key: key, device: device, origin: origin, decision: .apply)
        }
    }

    /// Why a device cannot be restored, or nil when its archive can bring it back.
    static func restoreRefusal(_ device: DeviceFacts, origin: ArchiveOrigin?) -> (
        outcome: ItemOutcome, reason: String
    )? {
        guard device.clientStatus == .archived else {
            return (
                .notArchived,
                "the device is not archived (client status \(device.clientStatus.rawValue))"
            )
        }
        guard origin != nil else {
            return (
                .noArchiveRecord,
                "archived outside decom (imported or generated): no earlier state is known"
            )
        }
        return nil
    }

    /// Restores the plan's devices in one SQLite transaction: one RESTORE transaction for
    /// exactly those devices, each brought back from the archive that archived it (client
    /// status, archive date and suspended sessions as before that archive), with a RESTORE
    /// audit row each and its per-item results.
    ///
    /// Inside the transaction every device is checked again: one purged since is `gone`, one
    /// no longer archived `not_archived`, one archived again by another archive since the
    /// plan `changed` (that archive is the one to restore it from); those are left alone. An
    /// archive none of whose devices is still archived by it afterwards is marked undone by
    /// this restore, so that it leaves its user's undo stack.
    ///
    /// The actor is the caller's, as for ``execute(_:as:bulk:progress:)``: a plan made for
    /// another actor throws ``AuthorityError/actorMismatch(plan:caller:)``, and a role that may
    /// not restore gets an unrecorded FAILURE (id 0), every item `insufficient_scope`.
    /// A plan of which nothing is left to restore changes nothing and is kept as a FAILURE
    /// with its items.
    public func restore(
        _ plan: RestorePlan, as actor: Actor,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> TransactionRecord {
        guard plan.actor == actor else {
            throw AuthorityError.actorMismatch(plan: plan.actor, caller: actor)
        }
        if let refusal = Self.restoreRefusal(role: actor.role) {
            return TransactionRecord(
                id: 0, type: .restore, status: .failure, user: actor.user, role: actor.role,
                createdAt: plan.createdAt, updatedAt: clock(),
                items: plan.previewResults.map {
                    var r = $0
                    if r.outcome != .invalidKey {
                        r.outcome = .insufficientScope
                        r.reason = refusal
                    }
                    return r
                }, error: refusal)
        }
        let record: TransactionRecord
        do {
            record = try store.write { writer in
                let now = clock()
                let ids = plan.allowedIDs
                let facts = try writer.facts(ids: ids)
                let origins = try writer.archiveOrigins(ids: ids)
                var results: [ItemResult] = []
                var byArchive: [Int64: [Int64]] = [:]
                var total = 0
                for item in plan.items {
                    guard item.willApply, let planned = item.device, let from = item.origin
                    else {
                        results.append(item.result)
                        continue
                    }
                    func skip(_ outcome: ItemOutcome, _ reason: String) {
                        results.append(
                            ItemResult(
                                key: item.key, deviceId: planned.id,
                                deviceName: facts[planned.id]?.name ?? planned.name,
                                outcome: outcome, reason: reason))
                    }
                    guard let current = facts[planned.id] else {
                        skip(.gone, "the device was purged since the plan")
                        continue
                    }
                    let origin = origins[planned.id]
                    if let refusal = Self.restoreRefusal(current, origin: origin) {
                        skip(refusal.outcome, "since the plan: " + refusal.reason)
                        continue
                    }
                    if let origin, origin.transaction != from.transaction {
                        skip(
                            .changed,
                            "archived again since the plan, by \(origin.user) in transaction \(origin.transaction)"
                        )
                        continue
                    }
                    byArchive[from.transaction, default: []].append(planned.id)
                    total += 1
                    results.append(
                        ItemResult(
                            key: item.key, deviceId: planned.id, deviceName: current.name,
                            outcome: .restored, reason: RestorePlan.reason(from: from)))
                }
                guard total > 0 else {
                    return TransactionRecord(
                        id: 0, type: .restore, status: .success, user: actor.user,
                        role: actor.role, createdAt: now, updatedAt: now, items: results)
                }
                let id = try writer.begin(.restore, actor: actor, at: now, undoes: nil)
                var done = 0
                progress?(0, total)
                for archive in byArchive.keys.sorted() {
                    for chunk in (byArchive[archive] ?? []).chunked(Self.chunkSize) {
                        try writer.restore(
                            ids: chunk, archive: archive, transaction: id, actor: actor, at: now)
                        done += chunk.count
                        progress?(done, total)
                    }
                }
                try writer.finish(id, status: .success, items: results, at: now)
                try Self.markRestoredArchives(
                    Array(byArchive.keys), by: id, writer: writer)
                return TransactionRecord(
                    id: id, type: .restore, status: .success, user: actor.user,
                    role: actor.role, createdAt: now, updatedAt: now, items: results)
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
                .restore, actor: actor, at: clock(), error: reason, items: items)
            throw error
        }
        guard record.id == 0, let error = Self.nothingAppliedError(record.items) else {
            return record
        }
        var failed = record
        failed.status = .failure
        failed.error = error
        failed.id = try store.recordFailure(
            .restore, actor: actor, at: record.createdAt, error: error, items: record.items)
        return failed
    }

    /// Marks undone, by the restore `id`, each of these archives that no longer holds any
    /// device archived: its devices were all restored (by this restore or earlier ones) or
    /// purged, so undoing it would change nothing.
    static func markRestoredArchives(_ archives: [Int64], by id: Int64, writer: any FleetWriter)
        throws
    {
        for archive in archives.sorted() {
            // By chunks, stopping at the first device still archived by it: restoring two
            // devices of a 100,000-device archive reads a chunk, not the whole archive.
            var stillArchived = false
            for chunk in try writer.undoEntries(archive: archive).chunked(chunkSize) {
                let facts = try writer.facts(ids: chunk)
                let archived = chunk.filter { facts[$0]?.clientStatus == .archived }
                let origins = try writer.archiveOrigins(ids: archived)
                if archived.contains(where: { origins[$0]?.transaction == archive }) {
                    stillArchived = true
                    break
                }
            }
            // An archive already undone has no device archived by it: it is never touched here.
            if !stillArchived { try writer.markUndone(archive, by: id) }
        }
    }
}
