import DecomTestSupport
import Foundation
import Glibc
import Testing

/// SQLite's atomic commit, as decom relies on it: a bulk archive, purge, unenroll or undo of
/// 10,000 devices killed with SIGKILL at a random moment leaves the database whole, every
/// device fully changed or fully untouched, and no SUCCESS record for work not done; the next
/// command works.
///
/// A few kills per mode in `make test`, 30 per mode in `make stress`; the moments come from a
/// seeded generator (`DECOM_STRESS_SEED` repeats a run).
@Suite(.serialized) struct CrashEndToEndTests {
    static let deviceCount = 10_000

    enum Mode: String, CaseIterable, CustomTestStringConvertible {
        case archive, purge, unenroll, undo

        var testDescription: String { rawValue }

        var arguments: [String] {
            switch self {
            case .archive: ["delete", "-", "--bulk", "--yes", "--format", "json"]
            case .purge: ["delete", "-", "--hard", "--bulk", "--yes", "--format", "json"]
            case .unenroll: ["delete", "-", "--unenroll", "--bulk", "--yes", "--format", "json"]
            case .undo: ["undo", "--format", "json"]
            }
        }

        var transactionType: String {
            switch self {
            case .archive: "ARCHIVE"
            case .purge: "PURGE"
            case .unenroll: "UNENROLL"
            case .undo: "RESTORE"
            }
        }

        var appliedOutcome: String {
            switch self {
            case .archive: "archived"
            case .purge: "purged"
            case .unenroll: "unenrolled"
            case .undo: "restored"
            }
        }
    }

    /// A seeded fleet, and the same fleet after an archive of every device (what undo
    /// starts from), each one database file; built once for every mode.
    struct Templates: Sendable {
        var folder: String
        var seeded: String
        var archived: String
        var ids: String
        /// How long the uninterrupted archive took, in seconds: the window of the kills.
        var archiveSeconds: Double

        static let shared: Result<Templates, any Error> = Result { try build() }

        static func build() throws -> Templates {
            let decom = try DecomProcess()
            let seeded = try decom.run([
                "seed", "--devices", String(deviceCount), "--seed", "11",
            ])
            guard seeded.status == 0 else {
                throw SQLiteShell.Failed(description: "seed failed: \(seeded.stderr)")
            }
            let ids = decom.home.appendingPathComponent("ids.txt").path
            let all = try decom.allIDs()
            guard all.count == deviceCount else {
                throw SQLiteShell.Failed(description: "listed \(all.count) devices")
            }
            try Data(all.map(String.init).joined(separator: "\n").utf8).write(
                to: URL(fileURLWithPath: ids))
            try decom.checkpoint()
            let seededCopy = decom.home.appendingPathComponent("seeded.sqlite").path
            try FileManager.default.copyItem(atPath: decom.db, toPath: seededCopy)
            let started = Date()
            let archived = try decom.run(
                Mode.archive.arguments, stdin: try String(contentsOfFile: ids, encoding: .utf8))
            let seconds = Date().timeIntervalSince(started)
            guard archived.status == 0 || archived.status == 1 else {
                throw SQLiteShell.Failed(description: "archive failed: \(archived.stderr)")
            }
            try decom.checkpoint()
            let archivedCopy = decom.home.appendingPathComponent("archived.sqlite").path
            try FileManager.default.copyItem(atPath: decom.db, toPath: archivedCopy)
            return Templates(
                folder: decom.home.path, seeded: seededCopy, archived: archivedCopy, ids: ids,
                archiveSeconds: seconds)
        }
    }

    /// What a run left: the work not done at all, or all of it.
    enum Found: String { case untouched, done }

    @Test(arguments: Mode.allCases)
    func killedAtRandomMomentsLeavesAllOrNothing(_ mode: Mode) throws {
        let templates = try Templates.shared.get()
        // The modes run in order (the suite is serialized): the last one removes the templates.
        defer {
            if mode == Mode.allCases.last {
                try? FileManager.default.removeItem(atPath: templates.folder)
            }
        }
        let template = mode == .undo ? templates.archived : templates.seeded
        let decom = try DecomProcess()
        defer { decom.remove() }
        try decom.installDatabase(from: template)
        let before = try FleetSnapshot(db: decom.db)
        let beforeMaxID = try SQLiteShell.int(
            decom.db, "SELECT coalesce(max(id), 0) FROM transactions;")

        var random = SeededRandom(
            seed: SeededRandom.seed(0xDEC0) &+ UInt64(Mode.allCases.firstIndex(of: mode) ?? 0))
        // Startup and planning come first, then one write transaction: the window covers all.
        // A run that ends before its kill halves the window, so that a machine faster now
        // than when the templates were built still gets its kills.
        var window = templates.archiveSeconds * (mode == .purge ? 1.6 : 1.1)
        let kills = Stress.count(2, long: 30)
        var found: [Found: Int] = [:]
        var killed = 0
        var midWrite = 0
        var attempts = 0
        while killed < kills && attempts < kills * 4 {
            attempts += 1
            try decom.installDatabase(from: template)
            let delay = Double.random(in: 0.02...max(0.05, window), using: &random)
            let process = try decom.start(
                mode.arguments, stdinFile: mode == .undo ? nil : templates.ids)
            usleep(useconds_t(delay * 1_000_000))
            process.kill(SIGKILL)
            let wasKilled = process.wait().wasKilled
            if wasKilled { killed += 1 } else { window /= 2 }
            // The template has no WAL: pages in it now were written by the killed write.
            let wal = try? FileManager.default.attributesOfItem(atPath: decom.db + "-wal")
            let walBytes = (wal?[.size] as? NSNumber)?.intValue ?? 0

            let state = try check(
                decom, mode: mode, before: before, beforeMaxID: beforeMaxID,
                context: "kill after \(String(format: "%.3f", delay)) s")
            if wasKilled {
                found[state, default: 0] += 1
                if state == .untouched && walBytes > 0 { midWrite += 1 }
            }
            let next = try decom.run(["history", "--limit", "3", "--format", "json"])
            #expect(next.status == 0, "the next command failed: \(next.stderr)")
        }
        Stress.record("kill_runs", attempts)
        Stress.record("kills", killed)
        Stress.record("kills_untouched", found[.untouched, default: 0])
        Stress.record("kills_done", found[.done, default: 0])
        Stress.record("kills_mid_write", midWrite)
        #expect(killed > 0, "no run was killed before it ended, in \(attempts) attempts")
        // The next command on the last killed database: the whole operation, to the end
        // (for archive in `make test`, for every mode in `make stress`).
        guard mode == .archive || Stress.isOn else { return }
        let rerun = try decom.run(
            mode.arguments,
            stdin: mode == .undo ? nil : try String(contentsOfFile: templates.ids, encoding: .utf8))
        #expect(rerun.status == 0 || rerun.status == 1, "rerun after the kill: \(rerun.stderr)")
        #expect(try FleetInvariants.problems(db: decom.db).isEmpty, "\(mode) after the rerun")
        if mode == .archive {
            let archived = try FleetSnapshot(db: templates.archived)
            #expect(
                try FleetSnapshot(db: decom.db).deviceState == archived.deviceState,
                "an archive rerun after a kill ends where an uninterrupted archive ends")
        }
    }

    /// Checks the database a kill left and says whether the work is absent or complete.
    func check(
        _ decom: DecomProcess, mode: Mode, before: FleetSnapshot, beforeMaxID: Int,
        context: String
    ) throws -> Found {
        let db = decom.db
        let problems = try FleetInvariants.problems(db: db)
        #expect(problems.isEmpty, "\(mode) \(context): \(problems)")
        let after = try FleetSnapshot(db: db)
        let statuses = try SQLiteShell.run(
            db, "SELECT type || ' ' || status FROM transactions WHERE id > \(beforeMaxID);"
        ).split(separator: "\n").map(String.init)
        let successes = statuses.filter { $0 == "\(mode.transactionType) SUCCESS" }
        if successes.isEmpty {
            #expect(
                statuses.allSatisfy { $0.hasSuffix(" FAILURE") },
                "\(mode) \(context): only FAILURE or nothing recorded: \(statuses)")
            #expect(
                after.deviceState == before.deviceState,
                "\(mode) \(context): no SUCCESS but devices changed")
            return .untouched
        }
        #expect(successes.count == 1, "\(mode) \(context): \(statuses)")
        let tx = try SQLiteShell.int(
            db,
            "SELECT id FROM transactions WHERE id > \(beforeMaxID) AND status = 'SUCCESS';")
        let items = try SQLiteShell.int(
            db, "SELECT count(*) FROM transaction_items WHERE transaction_id = \(tx);")
        let applied = try SQLiteShell.int(
            db,
            "SELECT count(*) FROM transaction_items WHERE transaction_id = \(tx) AND outcome = '\(mode.appliedOutcome)';"
        )
        let audited = try SQLiteShell.int(
            db, "SELECT count(*) FROM audit WHERE transaction_id = \(tx);")
        #expect(applied > 0, "\(mode) \(context): SUCCESS without applied items")
        #expect(audited == applied, "\(mode) \(context): \(applied) applied, \(audited) audited")
        let appliedIDs =
            "SELECT device_id FROM transaction_items WHERE transaction_id = \(tx) AND outcome = '\(mode.appliedOutcome)'"
        switch mode {
        case .archive:
            #expect(items == Self.deviceCount)
            #expect(after["devices.ARCHIVED"] == before["devices.ARCHIVED"] + applied)
            #expect(after["undo_entries"] == before["undo_entries"] + applied)
            #expect(
                try SQLiteShell.int(
                    db,
                    "SELECT count(*) FROM devices WHERE id IN (\(appliedIDs)) AND client_status <> 'ARCHIVED';"
                ) == 0)
            #expect(
                try SQLiteShell.int(
                    db,
                    "SELECT count(*) FROM sessions WHERE device_id IN (\(appliedIDs)) AND suspended_by IS NULL;"
                ) == 0, "\(mode) \(context): a session of an archived device was left active")
        case .purge:
            #expect(items == Self.deviceCount)
            #expect(after["devices"] == before["devices"] - applied)
            #expect(after["tombstones"] == before["tombstones"] + applied)
            #expect(
                try SQLiteShell.int(db, "SELECT count(*) FROM devices WHERE id IN (\(appliedIDs));")
                    == 0)
        case .unenroll:
            #expect(items == Self.deviceCount)
            #expect(after["mdm.UNENROLLED"] == before["mdm.UNENROLLED"] + applied)
            #expect(after["devices"] == before["devices"])
            #expect(
                try SQLiteShell.int(
                    db,
                    "SELECT count(*) FROM mdm_enrollments WHERE device_id IN (\(appliedIDs)) AND status <> 'UNENROLLED';"
                ) == 0)
        case .undo:
            #expect(after["devices.ARCHIVED"] == before["devices.ARCHIVED"] - applied)
            #expect(
                try SQLiteShell.int(
                    db,
                    "SELECT count(*) FROM devices WHERE id IN (\(appliedIDs)) AND client_status = 'ARCHIVED';"
                ) == 0)
            #expect(
                try SQLiteShell.int(
                    db,
                    "SELECT count(*) FROM transactions t WHERE t.undone_by = \(tx);") == 1,
                "\(mode) \(context): the undone archive is not marked")
        }
        return .done
    }
}
