import DecomTestSupport
import Foundation
import Glibc
import Testing

/// A plan must still hold when it executes (issue 10): an operator's `decom undo` and a
/// retention `decom purge --archived-before` started 0.1 s apart, round after round, with the
/// real binary on one database. The purge plans from a snapshot taken before the undo commits
/// and then waits for the write lock; every device it was planned on is checked again when it
/// executes, so no device that the undo restored is purged.
@Suite struct PlanRaceEndToEndTests {
    @Test func aBackgroundUndoAndARetentionPurgePurgeNoActiveDevice() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let rounds = Stress.count(3, long: 20)
        let batch = 4_000
        let total = rounds * batch
        #expect(try decom.run(["seed", "--devices", String(total), "--seed", "21"]).status == 0)
        var changedSeen = 0
        for round in 0..<rounds {
            // The operator archives a batch; the archive is made old enough to be purged.
            let ids = (round * batch + 1...(round + 1) * batch).map(String.init)
            let archived = try decom.run(
                ["delete", "--soft", "--format", "json", "--user", "ops", "-"],
                stdin: ids.joined(separator: "\n"))
            #expect(archived.status == 0 || archived.status == 1, "\(archived.stderr)")
            try SQLiteShell.run(
                decom.db,
                """
                UPDATE devices SET archived_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')
                WHERE client_status = 'ARCHIVED';
                """)

            let undoOutput = decom.home.appendingPathComponent("undo-\(round).txt").path
            let undo = try decom.start(["undo", "--user", "ops"], output: undoOutput)
            usleep(100_000)
            let purge = try decom.run([
                "purge", "--archived-before", "30d", "--bulk", "--yes", "--format", "json",
                "--user", "cron",
            ])
            let undone = undo.wait()
            let undoText = (try? String(contentsOfFile: undoOutput, encoding: .utf8)) ?? ""
            #expect(undone.status == 0 || undone.status == 1, "undo: \(undoText)")
            #expect(purge.status == 0 || purge.status == 1, "purge: \(purge.stderr)")
            if purge.stdout.contains("\"changed\"") { changedSeen += 1 }

            // The audit keeps each purged device's state before the purge: none was active,
            // none was archived after the cutoff.
            #expect(
                try SQLiteShell.int(
                    decom.db,
                    """
                    SELECT count(*) FROM audit WHERE action = 'PURGE'
                    AND (client_status <> 'ARCHIVED'
                         OR archived_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days'));
                    """) == 0, "round \(round): an active device was purged")
            // Every device an undo reported restored is still there, active.
            #expect(
                try SQLiteShell.int(
                    decom.db,
                    """
                    SELECT count(*) FROM transaction_items i
                    JOIN transactions t ON t.id = i.transaction_id
                    WHERE t.type = 'RESTORE' AND i.outcome = 'restored'
                      AND i.device_id NOT IN (
                        SELECT id FROM devices WHERE client_status <> 'ARCHIVED');
                    """) == 0, "round \(round): a restored device is gone or archived")
        }
        Stress.record("race_rounds", rounds)
        Stress.record("race_rounds_changed", changedSeen)
    }
}
