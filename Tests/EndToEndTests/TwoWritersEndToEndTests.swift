import DecomTestSupport
import Foundation
import Glibc
import Testing

/// Two writers on one database: CLI loops archiving and unenrolling the same devices while the
/// console watches. No call fails with "database is locked", every change reported is in the
/// database, the console sees the other writers' changes without a restart, and two admins
/// purging one device get one `purged` and one `not_found`, each recorded under their name.
@Suite struct TwoWritersEndToEndTests {
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        var calls = 0
        var outcomes: [String: Int] = [:]
        var failures: [String] = []

        func fail(_ error: any Error) {
            lock.lock()
            defer { lock.unlock() }
            failures.append("could not run decom: \(error)")
        }

        func add(_ result: DecomProcess.Result) {
            lock.lock()
            defer { lock.unlock() }
            calls += 1
            if result.status != 0 && result.status != 1 || result.stderr.contains("locked") {
                failures.append("exit \(result.status): \(result.stderr)")
                return
            }
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            let items = (object as? [String: Any])?["result"] as? [[String: Any]] ?? []
            if items.isEmpty { failures.append("no result: \(result.stdout.prefix(200))") }
            for item in items {
                outcomes[item["outcome"] as? String ?? "?", default: 0] += 1
            }
        }
    }

    @Test func twoCLILoopsAndTheConsole() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let count = 2_000
        #expect(try decom.run(["seed", "--devices", String(count), "--seed", "5"]).status == 0)
        let archivedBefore = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
        let unenrolledBefore = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM mdm_enrollments WHERE status = 'UNENROLLED';")

        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: 160, height: 30,
            environment: env)
        let first = try tmux.waitFor("the header") { $0.contains(" active") }
        let header = first.split(separator: "\n").first.map(String.init) ?? ""

        let seconds = Stress.seconds(3, long: 30)
        let deadline = Date().addingTimeInterval(seconds)
        let tally = Tally()
        let group = DispatchGroup()
        for (index, mode) in [["--soft"], ["--unenroll", "--yes"]].enumerated() {
            DispatchQueue.global().async(group: group) {
                var random = SeededRandom(seed: SeededRandom.seed(0x2217) &+ UInt64(index))
                while Date() < deadline {
                    let ids = (0..<25).map { _ in String(Int.random(in: 1...count, using: &random))
                    }
                    do {
                        tally.add(
                            try decom.run(
                                ["delete"] + mode + ["--format", "json", "--user", "loop\(index)"]
                                    + ids))
                    } catch {
                        tally.fail(error)
                    }
                }
            }
        }
        group.wait()
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(3))")
        let archived = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
        let unenrolled = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM mdm_enrollments WHERE status = 'UNENROLLED';")
        #expect(
            archived - archivedBefore == tally.outcomes["archived", default: 0], "no lost archive")
        #expect(
            unenrolled - unenrolledBefore == tally.outcomes["unenrolled", default: 0],
            "no lost unenroll")
        #expect(tally.outcomes["archived", default: 0] > 0)
        #expect(try FleetInvariants.problems(db: decom.db).isEmpty)
        Stress.record("writer_calls", tally.calls)
        Stress.record("writer_changes", tally.outcomes.values.reduce(0, +))

        // The console saw it: its header's count is no longer the one it started with.
        let active = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM devices WHERE client_status <> 'ARCHIVED';")
        try tmux.waitFor("the header to show \(active) active devices", timeout: 40) { screen in
            let line = screen.split(separator: "\n").first.map(String.init) ?? ""
            return line != header
                && line.replacingOccurrences(of: ",", with: "").contains("\(active)/")
        }
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0", timeout: 30)
    }

    @Test func twoAdminsPurgeTheSameDevice() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let rounds = Stress.count(2, long: 10)
        for round in 0..<rounds {
            let id = [1, 6, 7, 9, 2, 5][round % 6]
            if round >= 6 { break }
            var processes: [(String, Spawn.Child, String)] = []
            for user in ["alice", "bob"] {
                let out = decom.home.appendingPathComponent("\(user)-\(round).json").path
                let process = try decom.start(
                    ["delete", "--hard", "--yes", String(id), "--format", "json", "--user", user],
                    output: out)
                processes.append((user, process, out))
            }
            var outcome: [String: String] = [:]
            for (user, process, out) in processes {
                process.wait()
                let text = try String(contentsOfFile: out, encoding: .utf8)
                #expect(!text.contains("locked"), "\(user): \(text)")
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
                let items = (object as? [String: Any])?["result"] as? [[String: Any]] ?? []
                outcome[user] = items.first?["outcome"] as? String
            }
            #expect(
                Set(outcome.values) == ["purged", "not_found"], "device \(id): \(outcome)")
            let winner = outcome.first { $0.value == "purged" }?.key ?? "?"
            let loser = outcome.first { $0.value == "not_found" }?.key ?? "?"
            let recorded = try SQLiteShell.run(
                decom.db,
                """
                SELECT t.user, i.outcome FROM transactions t
                JOIN transaction_items i ON i.transaction_id = t.id
                WHERE t.type = 'PURGE' AND i.key = '\(id)' ORDER BY t.user;
                """)
            #expect(
                recorded.split(separator: "\n").sorted()
                    == ["\(winner)|purged", "\(loser)|not_found"].sorted(), "\(recorded)")
            #expect(
                try SQLiteShell.run(
                    decom.db,
                    "SELECT actor FROM audit WHERE device_id = \(id) AND action = 'PURGE';")
                    == "\(winner)\n")
        }
    }

    /// Two admins archiving and undoing on one fleet while a console watches (issue 10: the
    /// undo stack was shared, and 63 of 79 undos reverted the other admin's archive). Every
    /// undo restores the undoer's own archive, no change is lost, no lock error reaches a
    /// user, and the console's `u` (a third user, who archived nothing) undoes nobody's work.
    @Test func twoAdminsArchiveAndUndoTheirOwnWork() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let count = 2_000
        #expect(try decom.run(["seed", "--devices", String(count), "--seed", "6"]).status == 0)
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: 160, height: 30,
            environment: env)
        try tmux.waitFor("the header") { $0.contains(" active") }

        let deadline = Date().addingTimeInterval(Stress.seconds(3, long: 30))
        let tally = Tally()
        let group = DispatchGroup()
        for (index, user) in ["alice", "bob"].enumerated() {
            DispatchQueue.global().async(group: group) {
                var random = SeededRandom(seed: SeededRandom.seed(0x2218) &+ UInt64(index))
                var round = 0
                // At least four rounds, however slow the machine: every other one undoes.
                while Date() < deadline || round < 4 {
                    round += 1
                    let ids = (0..<20).map { _ in String(Int.random(in: 1...count, using: &random))
                    }
                    do {
                        tally.add(
                            try decom.run(
                                ["delete", "--soft", "--format", "json", "--user", user] + ids))
                        if round % 2 == 0 {
                            tally.add(
                                try decom.run(["undo", "--format", "json", "--user", user]))
                        }
                    } catch {
                        tally.fail(error)
                    }
                }
            }
        }
        group.wait()
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(3))")
        #expect(tally.outcomes["restored", default: 0] > 0, "the loops undid something")
        // Every restore undid an archive of its own user.
        #expect(
            try SQLiteShell.int(
                decom.db,
                """
                SELECT count(*) FROM transactions r JOIN transactions a ON a.id = r.undoes
                WHERE r.type = 'RESTORE' AND r.user <> a.user;
                """) == 0, "an undo reverted the other admin's archive")
        // No change lost: every device an archive still in force archived is archived.
        #expect(
            try SQLiteShell.int(
                decom.db,
                """
                SELECT count(*) FROM transaction_items i
                JOIN transactions a ON a.id = i.transaction_id
                JOIN devices d ON d.id = i.device_id
                WHERE a.type = 'ARCHIVE' AND a.undone_by IS NULL AND i.outcome = 'archived'
                  AND d.client_status <> 'ARCHIVED';
                """) == 0, "an archive in force lost a device")
        #expect(try FleetInvariants.problems(db: decom.db).isEmpty)
        let restores = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM transactions WHERE type = 'RESTORE';")
        Stress.record("two_admin_calls", tally.calls)
        Stress.record("two_admin_undos", restores)

        // The console's user archived nothing: its u names the newest archive, undoes nothing.
        let before = try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;")
        try tmux.send("u")
        try tmux.waitFor(text: "Nothing of yours to undo", timeout: 20)
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;") == before)
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0", timeout: 30)
    }
}
