import DecomTestSupport
import Foundation
import Glibc
import Testing

/// Eight API clients archiving and undoing at once while a console is open on the same
/// database (issue 13): no change lost, no "database is locked" (nor any 5xx) reaching a
/// client, the console showing the API's changes without a restart.
@Suite(.serialized) struct HTTPLoadEndToEndTests {
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        var archives = 0
        var undos = 0
        var failures: [String] = []

        func note(_ body: () -> Void) {
            lock.lock()
            defer { lock.unlock() }
            body()
        }
    }

    @Test func eightClientsArchiveAndUndoWhileAConsoleWatches() throws {
        let fleet = try HTTPNativeEndToEndTests.Fleet(
            devices: 400, serverArguments: ["--rate-limit", "0"])
        defer { fleet.decom.remove() }
        let archivedBefore = try fleet.count(
            "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
        // Each client works on devices of its own, which the policy lets it archive.
        let candidates = try SQLiteShell.run(
            fleet.decom.db,
            """
            SELECT d.id FROM devices d LEFT JOIN mdm_enrollments m ON m.device_id = d.id
            WHERE d.client_status NOT IN ('ARCHIVED') AND (m.status IS NULL OR m.status <> 'DEVICE_WIPE_PENDING')
            ORDER BY d.id;
            """
        ).split(separator: "\n").compactMap { Int($0) }
        let preview = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.operatorToken,
            body:
                #"{"keys": [\#(candidates.map { "\"\($0)\"" }.joined(separator: ","))], "mode": "archive", "dry_run": true}"#
        )
        let allowed = try #require(try preview.object()["result"] as? [[String: Any]])
            .filter { $0["outcome"] as? String == "archived" }.compactMap {
                $0["device_id"] as? Int
            }
        try #require(allowed.count >= 16, "\(preview.body.prefix(300))")

        var env = fleet.decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", fleet.decom.db], width: 160,
            height: 30, environment: env)
        try tmux.waitFor("the header") { $0.contains(" active") }

        let clients = 8
        let seconds = Stress.seconds(4, long: 20)
        let deadline = Date().addingTimeInterval(seconds)
        let tally = Tally()
        let group = DispatchGroup()
        for client in 0..<clients {
            let mine = allowed.enumerated().filter { $0.offset % clients == client }.map(\.element)
            DispatchQueue.global().async(group: group) {
                var turn = 0
                while Date() < deadline {
                    let device = mine[turn % mine.count]
                    turn += 1
                    do {
                        let archived = try fleet.server.request(
                            "POST", "/api/v1/deletions", token: fleet.operatorToken,
                            body: #"{"keys": ["\#(device)"], "mode": "archive"}"#)
                        guard archived.status == 200, !archived.body.contains("locked"),
                            let document = try? archived.object(),
                            let transaction = document["transaction"] as? [String: Any],
                            transaction["status"] as? String == "SUCCESS",
                            let id = transaction["id"] as? Int
                        else {
                            tally.note { tally.failures.append("archive \(device): \(archived)") }
                            continue
                        }
                        tally.note { tally.archives += 1 }
                        let undone = try fleet.server.request(
                            "POST", "/api/v1/transactions/\(id)/undo", token: fleet.operatorToken)
                        guard undone.status == 200, !undone.body.contains("locked") else {
                            tally.note { tally.failures.append("undo \(id): \(undone)") }
                            continue
                        }
                        tally.note { tally.undos += 1 }
                    } catch {
                        tally.note { tally.failures.append("curl: \(error)") }
                    }
                }
            }
        }
        group.wait()
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(3))")
        #expect(tally.archives > 0 && tally.archives == tally.undos)
        #expect(
            try fleet.count("SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
                == archivedBefore, "every archive undone, none lost")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE type = 'ARCHIVE' AND status = 'SUCCESS';")
                == tally.archives)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE type = 'RESTORE' AND status = 'SUCCESS';")
                == tally.undos)
        #expect(!fleet.server.log.contains(" 500 ") && !fleet.server.log.contains(" 503 "))
        Stress.record("http_calls", tally.archives + tally.undos)

        // The console sees an API change without a restart: first the fleet as the clients
        // left it, then one more archive.
        func waitForActive(_ what: String) throws {
            let active = try fleet.count(
                "SELECT count(*) FROM devices WHERE client_status <> 'ARCHIVED';")
            try tmux.waitFor("the header to show \(active) active devices \(what)", timeout: 30) {
                screen in
                let line = screen.split(separator: "\n").first.map(String.init) ?? ""
                return line.replacingOccurrences(of: ",", with: "").contains(
                    " \(active)/\(active) active")
            }
        }
        try waitForActive("after the load")
        let one = try #require(allowed.first)
        let archived = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.operatorToken,
            body: #"{"keys": ["\#(one)"], "mode": "archive"}"#)
        #expect(archived.status == 200 && archived.body.contains("\"archived\""), "\(archived)")
        try waitForActive("after one more archive")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0", timeout: 30)
        let audit = try fleet.decom.run(
            ["audit", "verify", "--db", fleet.decom.db], useDB: false)
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }
}
