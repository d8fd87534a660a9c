import Foundation
import Glibc
import Testing

/// Asynchronous deletions over HTTP (issue 13): `"async": true`, seed 002's task and seed
/// 003's `?async=true` commit a PENDING transaction and run on the server's one executor.
///
/// The server runs with `DECOM_QUEUE_GATE`: while the gate file exists, the executor holds the
/// transaction it took at PREPARING, so that what is submitted after it is PENDING for as
/// long as the test needs, without any timing. (The database's write lock cannot hold it:
/// every request writes its token's last use, and a cancel is a write too.)
@Suite(.serialized) struct HTTPAsyncEndToEndTests {
    /// The fixture fleet (devices 1 to 9), a viewer, an operator and an admin token, the gate
    /// closed, and a server.
    final class Fleet {
        let decom: DecomProcess
        var server: APIServer
        let viewer: String
        let operatorToken: String
        let admin: String
        let gate: String

        init() throws {
            decom = try DecomProcess()
            let file = decom.home.appendingPathComponent("fleet.json").path
            try Fixtures.write(to: file)
            let imported = try decom.run(["import", file, "--user", "ivy"])
            #expect(imported.status == 0, "\(imported.stderr)")
            viewer = try decom.token(user: "vic", role: "viewer")
            operatorToken = try decom.token(user: "olga", role: "operator")
            admin = try decom.token(user: "ada", role: "admin")
            gate = decom.home.appendingPathComponent("queue-gate").path
            _ = FileManager.default.createFile(atPath: gate, contents: nil)
            server = try APIServer(decom, environment: ["DECOM_QUEUE_GATE": gate])
        }

        /// A server on the same database, as after a restart.
        func restart() throws {
            server = try APIServer(decom, environment: ["DECOM_QUEUE_GATE": gate])
        }

        func openGate() { unlink(gate) }

        func count(_ sql: String) throws -> Int { try SQLiteShell.int(decom.db, sql) }

        func status(_ id: Int) throws -> String {
            try SQLiteShell.run(decom.db, "SELECT status FROM transactions WHERE id = \(id);")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Polls the database until transaction `id` has one of `statuses` (bounded).
        func until(_ id: Int, is statuses: Set<String>) throws -> String {
            var last = ""
            for _ in 0..<1200 {
                last = try status(id)
                if statuses.contains(last) { return last }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("transaction \(id) stayed \(last), never \(statuses.sorted())")
            return last
        }

        /// Every device's id and client status, and what was purged: what nothing half-done
        /// leaves as it was.
        func devices() throws -> String {
            try SQLiteShell.run(
                decom.db,
                "SELECT group_concat(id || ':' || client_status || ':' || coalesce((SELECT status FROM mdm_enrollments m WHERE m.device_id = d.id), '-')) FROM devices d; SELECT count(*) FROM tombstones; SELECT count(*) FROM audit;"
            )
        }

        /// POST /api/v1/deletions with `"async": true`: the transaction id of its 202.
        func submit(
            _ keys: String, mode: String, token: String, bulk: Bool = false,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> Int {
            let reply = try server.request(
                "POST", "/api/v1/deletions", token: token,
                body: #"{"keys": \#(keys), "mode": "\#(mode)", "async": true, "bulk": \#(bulk)}"#)
            #expect(reply.status == 202, "\(reply)", sourceLocation: sourceLocation)
            let transaction = try #require(
                try reply.object()["transaction"] as? [String: Any], "\(reply)",
                sourceLocation: sourceLocation)
            #expect(
                transaction["status"] as? String == "PENDING", "\(reply)",
                sourceLocation: sourceLocation)
            let id = try #require(transaction["id"] as? Int, sourceLocation: sourceLocation)
            #expect(
                reply.headers["location"] == "/api/v1/transactions/\(id)",
                sourceLocation: sourceLocation)
            return id
        }

        deinit {
            openGate()
            decom.remove()
        }
    }

    @Test func anAsyncDeletionIsAnsweredPendingThenSucceeds() throws {
        let fleet = try Fleet()
        let first = try fleet.submit(#"["6"]"#, mode: "archive", token: fleet.operatorToken)
        #expect(try fleet.until(first, is: ["PREPARING"]) == "PREPARING")
        let second = try fleet.submit(
            #"["7", "~dev-1"]"#, mode: "archive", token: fleet.operatorToken)
        #expect(try fleet.status(second) == "PENDING")
        let shown = try fleet.server.request(
            "GET", "/api/v1/transactions/\(second)", token: fleet.viewer)
        let document = try shown.object()
        #expect(document["status"] as? String == "PENDING", "\(shown)")
        let outcomes = (document["result"] as? [[String: Any]] ?? []).compactMap {
            $0["outcome"] as? String
        }
        #expect(outcomes == ["pending", "pending"], "\(shown)")
        #expect(
            try fleet.count("SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';") == 0)

        fleet.openGate()
        #expect(try fleet.until(second, is: ["SUCCESS", "FAILURE"]) == "SUCCESS")
        #expect(try fleet.status(first) == "SUCCESS")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM devices WHERE id IN (1, 6, 7) AND client_status = 'ARCHIVED';"
            )
                == 3)
        #expect(
            try fleet.count("SELECT count(*) FROM audit WHERE transaction_id = \(second);") == 2)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transaction_items WHERE transaction_id = \(second) AND outcome = 'archived';"
            ) == 2)
        let done = try fleet.server.request(
            "GET", "/api/v1/transactions/\(second)", token: fleet.viewer)
        #expect(try done.object()["status"] as? String == "SUCCESS", "\(done)")
        // Queued like any archive: it is undone like one.
        let undone = try fleet.server.request(
            "POST", "/api/v1/transactions/\(second)/undo", token: fleet.operatorToken)
        #expect(undone.status == 200, "\(undone)")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM devices WHERE id IN (1, 7) AND client_status = 'ARCHIVED';")
                == 0)
    }

    @Test func aPendingTransactionIsCanceledAndNothingOfItApplies() throws {
        let fleet = try Fleet()
        let running = try fleet.submit(#"["6"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(running, is: ["PREPARING"]) == "PREPARING")
        let purge = try fleet.submit(
            #"["7", "9"]"#, mode: "purge", token: fleet.admin, bulk: true)
        let mine = try fleet.submit(#"["2"]"#, mode: "archive", token: fleet.operatorToken)
        #expect(try fleet.status(purge) == "PENDING" && fleet.status(mine) == "PENDING")
        let before = try fleet.devices()

        for (token, who) in [(fleet.viewer, "viewer"), (fleet.operatorToken, "another user")] {
            let refused = try fleet.server.request(
                "DELETE", "/api/v1/transactions/\(purge)", token: token)
            #expect(refused.status == 403, "\(who): \(refused)")
        }
        let canceled = try fleet.server.request(
            "DELETE", "/api/v1/transactions/\(purge)", token: fleet.admin)
        #expect(canceled.status == 200, "\(canceled)")
        let document = try canceled.object()
        #expect(document["status"] as? String == "CANCELED", "\(canceled)")
        let own = try fleet.server.request(
            "DELETE", "/api/v1/transactions/\(mine)", token: fleet.operatorToken)
        let ownStatus = try own.object()["status"] as? String
        #expect(own.status == 200 && ownStatus == "CANCELED", "\(own)")

        let again = try fleet.server.request(
            "DELETE", "/api/v1/transactions/\(purge)", token: fleet.admin)
        #expect(again.status == 409, "\(again)")
        let taken = try fleet.server.request(
            "DELETE", "/api/v1/transactions/\(running)", token: fleet.admin)
        #expect(taken.status == 409 && taken.body.contains("PREPARING"), "\(taken)")
        let missing = try fleet.server.request(
            "DELETE", "/api/v1/transactions/99999", token: fleet.admin)
        #expect(missing.status == 404, "\(missing)")
        #expect(try fleet.devices() == before)

        fleet.openGate()
        #expect(try fleet.until(running, is: ["SUCCESS", "FAILURE"]) == "SUCCESS")
        // Submit one more and wait for it: the executor has passed the canceled ones.
        let after = try fleet.submit(#"["5"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(after, is: ["SUCCESS", "FAILURE"]) == "SUCCESS")
        #expect(try fleet.status(purge) == "CANCELED" && fleet.status(mine) == "CANCELED")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (2, 7, 9);") == 3)
        #expect(try fleet.count("SELECT count(*) FROM tombstones;") == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM devices WHERE id = 2 AND client_status = 'ARCHIVED';")
                == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM audit WHERE transaction_id IN (\(purge), \(mine));") == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transaction_items WHERE transaction_id = \(purge) AND outcome = 'canceled';"
            ) == 2)
    }

    @Test func aKilledServersQueueFailsAsInterruptedAndNothingIsHalfApplied() throws {
        let fleet = try Fleet()
        let running = try fleet.submit(#"["1", "2"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(running, is: ["PREPARING"]) == "PREPARING")
        let purge = try fleet.submit(#"["6", "7"]"#, mode: "purge", token: fleet.admin, bulk: true)
        let task = try HTTPCompatBEndToEndTests.taskID(
            try fleet.server.request(
                "POST", HTTPCompatBEndToEndTests.ubidots,
                headers: ["X-Auth-Token": fleet.admin, "X-Bulk-Operation": "True"],
                body: #"["~dev-9"]"#))
        let removal = try fleet.server.request(
            "DELETE", HTTPCompatBEndToEndTests.mobileFirst("rt", "5", async: true),
            token: fleet.admin)
        let removalID = try #require(
            (try removal.object()["transaction"] as? [String: Any])?["id"] as? Int, "\(removal)")
        let queued = [running, purge, task, removalID]
        #expect(
            try queued.dropFirst().map { try fleet.status($0) } == [
                "PENDING", "PENDING", "PENDING",
            ])
        let before = try fleet.devices()

        fleet.server.kill()
        fleet.openGate()
        #expect(
            try queued.map { try fleet.status($0) } == [
                "PREPARING", "PENDING", "PENDING", "PENDING",
            ],
            "a killed server leaves its queue as it was")
        try fleet.restart()
        for id in queued {
            #expect(try fleet.status(id) == "FAILURE", "transaction \(id)")
            let shown = try fleet.server.request(
                "GET", "/api/v1/transactions/\(id)", token: fleet.viewer)
            #expect(try shown.object()["error"] as? String == "interrupted", "\(shown)")
        }
        #expect(try fleet.devices() == before, "nothing of the killed queue was applied")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM audit WHERE transaction_id IN (\(queued.map(String.init).joined(separator: ", ")));"
            ) == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE status IN ('PENDING', 'PREPARING', 'COMMITTING');"
            ) == 0)
        #expect(fleet.server.log.contains("FAILURE interrupted"), "\(fleet.server.log)")
        let verified = try fleet.decom.run(
            ["audit", "verify", "--db", fleet.decom.db], useDB: false)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")

        // The restarted server's queue works.
        let again = try fleet.submit(#"["1", "2"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(again, is: ["SUCCESS", "FAILURE"]) == "SUCCESS")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM devices WHERE id IN (1, 2) AND client_status = 'ARCHIVED';")
                == 2)
    }

    @Test func seed002And003RunOnTheQueueAndASynchronousDeleteDoesNotWaitForIt() throws {
        let fleet = try Fleet()
        let running = try fleet.submit(#"["1"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(running, is: ["PREPARING"]) == "PREPARING")

        let task = try HTTPCompatBEndToEndTests.taskID(
            try fleet.server.request(
                "POST", HTTPCompatBEndToEndTests.ubidots,
                headers: ["X-Auth-Token": fleet.admin, "X-Bulk-Operation": "True"],
                body: #"["6", "~dev-7"]"#))
        #expect(try fleet.status(task) == "PENDING")
        let removal = try fleet.server.request(
            "DELETE", HTTPCompatBEndToEndTests.mobileFirst("rt", "~kiosk-5", async: true),
            token: fleet.admin)
        #expect(removal.status == 200, "\(removal)")
        let body = try removal.object()
        let transaction = try #require(body["transaction"] as? [String: Any], "\(removal)")
        #expect(body["ok"] as? Bool == true && transaction["status"] as? String == "PENDING")
        let removalID = try #require(transaction["id"] as? Int)
        #expect(try fleet.status(removalID) == "PENDING")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (5, 6, 7);") == 3)

        // async=false runs now, beside the held queue.
        let now = try fleet.server.request(
            "DELETE", HTTPCompatBEndToEndTests.mobileFirst("rt", "9", async: false),
            token: fleet.admin)
        #expect(now.status == 200, "\(now)")
        #expect(
            (try now.object()["transaction"] as? [String: Any])?["status"] as? String == "SUCCESS")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 9;") == 0)

        fleet.openGate()
        #expect(try fleet.until(removalID, is: ["SUCCESS", "FAILURE"]) == "SUCCESS")
        #expect(try fleet.status(task) == "SUCCESS")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (5, 6, 7);") == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM tombstones WHERE transaction_id IN (\(task), \(removalID));")
                == 3)
    }

    @Test func sigtermRunsWhatIsQueuedThenExits() throws {
        let fleet = try Fleet()
        let running = try fleet.submit(#"["1"]"#, mode: "archive", token: fleet.admin)
        #expect(try fleet.until(running, is: ["PREPARING"]) == "PREPARING")
        let queued = try fleet.submit(#"["2", "6"]"#, mode: "archive", token: fleet.admin)
        fleet.server.terminate()
        // Wait (bounded) until the server no longer takes requests: it is stopping.
        var refused = false
        for _ in 0..<600 where !refused {
            refused =
                (try? fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer))
                == nil
            if !refused { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(refused, "the server kept serving after SIGTERM")
        #expect(try fleet.status(queued) == "PENDING")
        fleet.openGate()
        let exit = fleet.server.waitForExit()
        #expect(exit == Spawn.Exit(status: 0, signal: nil), "\(fleet.server.log)")
        #expect(try fleet.status(running) == "SUCCESS" && fleet.status(queued) == "SUCCESS")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM devices WHERE id IN (1, 2, 6) AND client_status = 'ARCHIVED';"
            )
                == 3)
    }
}
