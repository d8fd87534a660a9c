import DecomCore
import DecomStore
import Foundation

/// Archive, undo and purge of 10,000 devices through ``DeletionService``, against the same
/// changes made by the `sqlite3` shell with bare SQL, each run on fresh copies of the fleet;
/// and the same archive without the audit's hash chain, for what the chain costs.
struct DeletionBench {
    static let batch = 10_000
    static let actor = Actor(user: "bench", role: .admin)

    let pristine: String
    let folder: URL
    let runs: Int

    func measure() throws -> [Figure] {
        let (archiveIDs, purgeIDs) = try chooseDevices()
        var archive = Samples()
        var archiveUnchained = Samples()
        var undo = Samples()
        var purge = Samples()
        var bareArchive = Samples()
        var bareUndo = Samples()
        var barePurge = Samples()
        var applied = (archived: 0, restored: 0, purged: 0)
        for run in 0..<runs {
            let ours = folder.appendingPathComponent("ours-\(run).sqlite").path
            let bare = folder.appendingPathComponent("bare-\(run).sqlite").path
            let unchained = folder.appendingPathComponent("unchained-\(run).sqlite").path
            try FileManager.default.copyItem(atPath: pristine, toPath: ours)
            try FileManager.default.copyItem(atPath: pristine, toPath: bare)
            try FileManager.default.copyItem(atPath: pristine, toPath: unchained)
            defer { Self.remove(ours) }
            defer { Self.remove(bare) }
            defer { Self.remove(unchained) }

            // The same archive without the chain, before ours in even runs and after it in odd
            // ones, so that neither always has the warmer machine.
            let measureUnchained = {
                let withoutChain = try SQLiteFleetStore(path: unchained)
                withoutChain.benchmarkWithoutAuditChain()
                let unchainedService = DeletionService(store: withoutChain)
                archiveUnchained.add(
                    try milliseconds {
                        let plan = try unchainedService.plan(
                            ids: archiveIDs, mode: .archive, actor: Self.actor)
                        _ = try unchainedService.execute(plan, as: Self.actor, bulk: false)
                    })
            }
            if run % 2 == 0 { try measureUnchained() }

            let store = try SQLiteFleetStore(path: ours)
            let service = DeletionService(store: store)
            let previous = try previousStatuses(store, archiveIDs)
            var archived: TransactionRecord?
            archive.add(
                try milliseconds {
                    let plan = try service.plan(ids: archiveIDs, mode: .archive, actor: Self.actor)
                    archived = try service.execute(plan, as: Self.actor, bulk: false)
                })
            if run % 2 == 1 { try measureUnchained() }
            var restored: TransactionRecord?
            undo.add(try milliseconds { restored = try service.undo(actor: Self.actor) })
            var purged: TransactionRecord?
            purge.add(
                try milliseconds {
                    let plan = try service.plan(ids: purgeIDs, mode: .purge, actor: Self.actor)
                    purged = try service.execute(plan, as: Self.actor, bulk: true)
                })
            guard let archived, let restored, let purged else { continue }
            let archivedIDs = Self.appliedIDs(archived)
            let purgedIDs = Self.appliedIDs(purged)
            applied = (archivedIDs.count, Self.appliedIDs(restored).count, purgedIDs.count)

            let sql = BareSQL(path: bare, folder: folder)
            bareArchive.add(
                try sql.run(BareSQL.archive(archivedIDs, transaction: archived.id), name: "archive")
            )
            bareUndo.add(
                try sql.run(
                    BareSQL.restore(
                        archivedIDs, previous: previous, transaction: archived.id),
                    name: "undo"))
            barePurge.add(try sql.run(BareSQL.purge(purgedIDs), name: "purge"))
        }
        return [
            Figure(
                name: "archive 10k", unit: "ms", ours: archive, bare: bareArchive,
                target: .ratio(2), note: "\(applied.archived) archived, plan + execute"),
            Figure(
                name: "archive 10k, chain off", unit: "ms", ours: archiveUnchained,
                bare: bareArchive, target: .none,
                note: "without the audit's hash chain: the chain costs "
                    + Report.number(archive.median / max(archiveUnchained.median, 0.001))
                    + "x (on/off medians)"),
            Figure(
                name: "undo 10k", unit: "ms", ours: undo, bare: bareUndo, target: .ratio(2),
                note: "\(applied.restored) restored"),
            Figure(
                name: "purge 10k", unit: "ms", ours: purge, bare: barePurge, target: .ratio(2),
                note: "\(applied.purged) purged, plan + execute"),
        ]
    }

    /// Two sets of 10,000 active devices spread evenly over the fleet (the whole active fleet
    /// when it has fewer): one to archive and undo, one to purge, disjoint when the fleet is
    /// large enough.
    func chooseDevices() throws -> ([Int64], [Int64]) {
        let store = try SQLiteFleetStore(path: pristine)
        let active = try store.read {
            try $0.summaries(scope: .active, evaluator: ComplianceEvaluator()).map(\.id)
        }
        let step = max(1, active.count / Self.batch)
        let archive = stride(from: 0, to: active.count, by: step).prefix(Self.batch).map {
            active[$0]
        }
        let offset = step / 2
        let purge = stride(from: offset, to: active.count, by: step).prefix(Self.batch).map {
            active[$0]
        }
        return (Array(archive), Array(purge))
    }

    /// The client status of each device before the archive, for the bare undo.
    func previousStatuses(_ store: SQLiteFleetStore, _ ids: [Int64]) throws -> [Int64: String] {
        let wanted = Set(ids)
        let rows = try store.read { try $0.summaries(scope: .active, evaluator: .init()) }
        var result: [Int64: String] = [:]
        for row in rows where wanted.contains(row.id) { result[row.id] = row.clientStatus.rawValue }
        return result
    }

    static func appliedIDs(_ record: TransactionRecord) -> [Int64] {
        record.items.filter(\.outcome.isApplied).compactMap(\.deviceId)
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
