import Foundation
import Testing

/// `decom serve-http`'s native API over real HTTP on 127.0.0.1 (issue 13): the built binary,
/// curl as the client, the database read back with sqlite3 after each change.
@Suite(.serialized) struct HTTPNativeEndToEndTests {
    /// A sandbox with a seeded fleet of `devices`, an operator, an admin and a viewer token,
    /// and a server on it.
    struct Fleet {
        let decom: DecomProcess
        let server: APIServer
        let viewer: String
        let operatorToken: String
        let admin: String

        init(devices: Int = 60, serverArguments: [String] = []) throws {
            decom = try DecomProcess()
            let seeded = try decom.run(["seed", "--devices", String(devices)])
            #expect(seeded.status == 0, "\(seeded.stderr)")
            viewer = try decom.token(user: "vic", role: "viewer")
            operatorToken = try decom.token(user: "olga", role: "operator")
            admin = try decom.token(user: "ada", role: "admin")
            server = try APIServer(decom, arguments: serverArguments)
        }

        func count(_ sql: String) throws -> Int { try SQLiteShell.int(decom.db, sql) }
    }

    @Test func everyRouteAsksForAToken() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        for (method, path) in [
            ("GET", "/api/v1/devices"), ("GET", "/api/v1/devices/1"),
            ("POST", "/api/v1/deletions"), ("GET", "/api/v1/transactions"),
            ("GET", "/api/v1/transactions/1"), ("POST", "/api/v1/transactions/1/undo"),
        ] {
            let reply = try fleet.server.request(method, path)
            #expect(reply.status == 401, "\(method) \(path): \(reply)")
            #expect(reply.headers["www-authenticate"] == "Bearer")
            let bad = try fleet.server.request(
                method, path, token: "decom_" + String(repeating: "0", count: 64))
            #expect(bad.status == 401, "\(method) \(path) with an unknown token: \(bad)")
        }
        #expect(try fleet.server.request("GET", "/api/v1/openapi.json").status == 200)
    }

    @Test func devicesArePagedWithACursorAndNeverSentWhole() throws {
        let fleet = try Fleet(devices: 250)
        defer { fleet.decom.remove() }
        let active = try fleet.count(
            "SELECT count(*) FROM devices WHERE client_status <> 'ARCHIVED';")
        var seen: [Int] = []
        var cursor: String?
        var pages = 0
        repeat {
            let path =
                "/api/v1/devices?limit=100&sort=name&desc=1"
                + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try fleet.server.request("GET", path, token: fleet.viewer)
            #expect(reply.status == 200, "\(reply)")
            let page = try reply.object()
            let data = try #require(page["data"] as? [[String: Any]])
            #expect(data.count <= 100)
            seen += data.compactMap { $0["id"] as? Int }
            #expect(page["total"] as? Int == active)
            cursor = page["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen.count == active && Set(seen).count == active, "every active device once")
        let expected = try SQLiteShell.run(
            fleet.decom.db,
            "SELECT id FROM devices WHERE client_status <> 'ARCHIVED' ORDER BY name COLLATE NOCASE DESC, id;"
        ).split(separator: "\n").compactMap { Int($0) }
        #expect(seen.count == expected.count)

        let first = try #require(try firstCursor(fleet))
        let other = try fleet.server.request(
            "GET", "/api/v1/devices?limit=100&cursor=\(first)&sort=id",
            token: fleet.viewer)
        #expect(other.status == 400 && other.body.contains("\"field\":\"cursor\""), "\(other)")
        let bad = try fleet.server.request(
            "GET", "/api/v1/devices?q=compliant:maybe", token: fleet.viewer)
        #expect(bad.status == 400 && bad.body.contains("\"field\":\"q\""), "\(bad)")
        let big = try fleet.server.request(
            "GET", "/api/v1/devices?limit=100000", token: fleet.viewer)
        #expect(big.status == 400 && big.body.contains("\"field\":\"limit\""), "\(big)")
    }

    func firstCursor(_ fleet: Fleet) throws -> String? {
        let reply = try fleet.server.request(
            "GET", "/api/v1/devices?limit=10&sort=name&desc=1", token: fleet.viewer)
        return try reply.object()["next_cursor"] as? String
    }

    @Test func aDeviceByAnyKeyIsTheDocumentDecomShowPrints() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let label = try SQLiteShell.run(fleet.decom.db, "SELECT label FROM devices WHERE id = 7;")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let byLabel = try fleet.server.request(
            "GET", "/api/v1/devices/~\(label)", token: fleet.viewer)
        #expect(byLabel.status == 200, "\(byLabel)")
        let shown = try fleet.decom.run(["show", "7", "--format", "json"])
        let fromAPI = try #require(try byLabel.object()["data"] as? [String: Any])
        let fromCLI = try #require(try shown.json()["data"] as? [String: Any])
        #expect(NSDictionary(dictionary: fromAPI).isEqual(to: fromCLI), "one vocabulary")
        let missing = try fleet.server.request("GET", "/api/v1/devices/99999", token: fleet.viewer)
        #expect(missing.status == 404 && missing.body.contains("not_found"), "\(missing)")
        let invalid = try fleet.server.request("GET", "/api/v1/devices/mac:zz", token: fleet.viewer)
        #expect(invalid.status == 400 && invalid.body.contains("\"field\":\"key\""), "\(invalid)")
    }

    @Test func rolesComeFromTheTokenAndAForgedActorChangesNothing() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let before = try fleet.count(
            "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
        let forged = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.viewer,
            body: #"{"keys": ["1", "2"], "mode": "archive", "user": "ada", "role": "admin"}"#)
        #expect(forged.status == 400 && forged.body.contains("\"field\":\"role\""), "\(forged)")
        let viewer = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.viewer,
            body: #"{"keys": ["1", "2"], "mode": "archive"}"#)
        #expect(
            viewer.status == 403 && viewer.body.contains("role viewer may not archive"), "\(viewer)"
        )
        let purge = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.operatorToken,
            body: #"{"keys": ["1"], "mode": "purge"}"#)
        #expect(purge.status == 403, "\(purge)")
        #expect(
            try fleet.count("SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
                == before)
        #expect(try fleet.count("SELECT count(*) FROM transactions WHERE type <> 'SEED';") == 0)

        let archived = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.operatorToken,
            body: #"{"keys": ["1", {"id": 2}, "99999"], "mode": "archive"}"#)
        #expect(archived.status == 200, "\(archived)")
        let document = try archived.object()
        let transaction = try #require(document["transaction"] as? [String: Any])
        #expect(
            transaction["user"] as? String == "olga" && transaction["role"] as? String == "operator"
        )
        let results = try #require(document["result"] as? [[String: Any]])
        #expect(results.map { $0["outcome"] as? String }.last == "not_found")
        let id = try #require(transaction["id"] as? Int)
        let applied = results.filter { $0["outcome"] as? String == "archived" }.count
        #expect(
            try fleet.count(
                "SELECT count(*) FROM audit WHERE transaction_id = \(id);") >= applied)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE id = \(id) AND user = 'olga';") == 1)

        let preview = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.admin,
            body:
                #"{"keys": [\#((3...40).map { "\"\($0)\"" }.joined(separator: ","))], "mode": "purge", "dry_run": true}"#
        )
        let purgeable = try #require(try preview.object()["result"] as? [[String: Any]])
            .filter { $0["outcome"] as? String == "purged" }.compactMap { $0["key"] as? String }
        #expect(purgeable.count >= 2, "\(preview)")
        let bulk = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.admin,
            body: #"{"keys": ["\#(purgeable[0])", "\#(purgeable[1])"], "mode": "purge"}"#)
        #expect(bulk.status == 400 && bulk.body.contains("\"field\":\"bulk\""), "\(bulk)")
        #expect(try fleet.count("SELECT count(*) FROM transactions WHERE type = 'PURGE';") == 0)
        let confirmed = try fleet.server.request(
            "POST", "/api/v1/deletions", token: fleet.admin,
            body:
                #"{"keys": ["\#(purgeable[0])", "\#(purgeable[1])"], "mode": "purge", "bulk": true}"#
        )
        #expect(confirmed.status == 200 && confirmed.body.contains("\"PURGE\""), "\(confirmed)")
        #expect(try fleet.count("SELECT count(*) FROM tombstones;") == 2)

        let undone = try fleet.server.request(
            "POST", "/api/v1/transactions/\(id)/undo", token: fleet.operatorToken)
        #expect(undone.status == 200, "\(undone)")
        #expect(
            try fleet.count("SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
                == before)
        let again = try fleet.server.request(
            "POST", "/api/v1/transactions/\(id)/undo", token: fleet.operatorToken)
        #expect(again.status == 409, "\(again)")
        let shown = try fleet.server.request(
            "GET", "/api/v1/transactions/\(id)", token: fleet.viewer)
        #expect(shown.status == 200 && shown.body.contains("\"undone_by\""), "\(shown)")
    }

    @Test func aRevokedOrExpiredTokenIsRefusedAndNoTokenReachesTheLog() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        #expect(
            try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer).status == 200)
        let revoked = try fleet.decom.run(
            ["token", "revoke", "1", "--db", fleet.decom.db], useDB: false)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let after = try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer)
        #expect(after.status == 401 && after.body.contains("revoked"), "\(after)")
        try SQLiteShell.run(
            fleet.decom.db,
            "UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE id = 2;")
        let expired = try fleet.server.request(
            "GET", "/api/v1/devices/1", token: fleet.operatorToken)
        #expect(expired.status == 401 && expired.body.contains("expired"), "\(expired)")
        _ = try fleet.server.request(
            "GET", "/api/v1/devices?token=\(fleet.admin)&limit=1", token: fleet.admin)
        let log = fleet.server.log
        #expect(log.contains("/api/v1/devices?token=[redacted]&limit=1"), "\(log)")
        for token in [fleet.viewer, fleet.operatorToken, fleet.admin] {
            #expect(!log.contains(String(token.dropFirst(6).prefix(16))), "a token reached the log")
        }
    }

    @Test func badBodiesAreRefusedByNameAndChangeNothing() throws {
        let fleet = try Fleet(serverArguments: ["--max-body", "2048"])
        defer { fleet.decom.remove() }
        let before = try SQLiteShell.run(
            fleet.decom.db, "SELECT count(*), sum(client_status = 'ARCHIVED') FROM devices;")
        let cases: [(String, Int, String)] = [
            ("", 400, "body"), ("not json", 400, "body"), ("[1]", 400, "body"),
            (#"{"mode": "archive"}"#, 400, "keys"),
            (#"{"keys": [], "mode": "archive"}"#, 400, "keys"),
            (#"{"keys": ["1"]}"#, 400, "mode"), (#"{"keys": ["1"], "mode": "shred"}"#, 400, "mode"),
            (#"{"keys": ["1"], "mode": "archive", "dry_run": "yes"}"#, 400, "dry_run"),
            (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), 400, "body"),
            // A repeated field: Foundation reads the first, most clients the last.
            (
                #"{"keys": ["1"], "mode": "archive", "dry_run": false, "dry_run": true}"#, 400,
                "dry_run"
            ),
            (#"{"keys": ["1"], "mode": "archive", "keys": ["2"]}"#, 400, "keys"),
            (
                #"{"keys": [""# + String(repeating: "x", count: 4000) + #""], "mode": "archive"}"#,
                413, ""
            ),
        ]
        for (body, status, field) in cases {
            let reply = try fleet.server.request(
                "POST", "/api/v1/deletions", token: fleet.admin, body: body)
            #expect(reply.status == status, "\(body.prefix(40)): \(reply)")
            if !field.isEmpty {
                #expect(
                    reply.body.contains("\"field\":\"\(field)\""), "\(body.prefix(40)): \(reply)")
            }
        }
        #expect(
            try SQLiteShell.run(
                fleet.decom.db, "SELECT count(*), sum(client_status = 'ARCHIVED') FROM devices;")
                == before)
    }

    @Test func aRateLimitIsAnsweredWithRetryAfterAndRecovers() throws {
        let fleet = try Fleet(serverArguments: ["--rate-limit", "3"])
        defer { fleet.decom.remove() }
        for _ in 0..<3 {
            #expect(
                try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer).status
                    == 200)
        }
        let limited = try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer)
        #expect(limited.status == 429, "\(limited)")
        let wait = try #require(Int(limited.headers["retry-after"] ?? ""))
        #expect((1...60).contains(wait))
        #expect(
            try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.admin).status == 200,
            "another token has its own allowance")
    }

    @Test func sigtermLetsTheServerExitCleanly() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        #expect(
            try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer).status == 200)
        let exit = fleet.server.stop()
        #expect(exit == Spawn.Exit(status: 0, signal: nil), "\(fleet.server.log)")
        #expect(fleet.server.log.hasSuffix("decom serve-http: stopped\n"), "\(fleet.server.log)")
    }

    @Test func aSecondServerOnTheSameDatabaseIsRefusedAndTheFirstKeepsItsQueue() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let out = fleet.decom.home.appendingPathComponent("second.out").path
        let err = fleet.decom.home.appendingPathComponent("second.err").path
        let second = try Spawn.start(
            [DecomProcess.binary, "serve-http", "--db", fleet.decom.db, "--listen", "127.0.0.1:0"],
            environment: fleet.decom.environment, stdout: out, stderr: err)
        var ended = false
        let deadline = Date().addingTimeInterval(30)
        while !ended && Date() < deadline {
            ended =
                kill(second.pid, 0) != 0
                || (try? String(contentsOfFile: err, encoding: .utf8))?
                    .contains("already serves") == true
            if !ended { Thread.sleep(forTimeInterval: 0.1) }
        }
        if !ended { second.kill(SIGKILL) }
        let exit = second.wait()
        let message = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(ended && exit.status == 2, "the second server ran: \(message)")
        #expect(message.contains("already serves this database's queue"), "\(message)")
        #expect(
            try fleet.server.request("GET", "/api/v1/devices/1", token: fleet.viewer).status == 200)
    }

    @Test func historyIsPagedWithoutItems() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        for key in ["1", "2", "3"] {
            _ = try fleet.server.request(
                "POST", "/api/v1/deletions", token: fleet.operatorToken,
                body: #"{"keys": ["\#(key)"], "mode": "archive"}"#)
        }
        let page = try fleet.server.request(
            "GET", "/api/v1/transactions?limit=2", token: fleet.viewer)
        #expect(page.status == 200, "\(page)")
        let object = try page.object()
        let entries = try #require(object["transactions"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(
            entries.allSatisfy { $0["result"] == nil && $0["counts"] is [String: Int] }, "\(page)")
        let next = try #require(object["next_before"] as? Int)
        let rest = try fleet.server.request(
            "GET", "/api/v1/transactions?limit=2&before=\(next)", token: fleet.viewer)
        let restIDs = try #require(try rest.object()["transactions"] as? [[String: Any]])
            .compactMap { $0["id"] as? Int }
        #expect(restIDs.allSatisfy { $0 < next } && !restIDs.isEmpty, "\(rest)")
        let all = try fleet.server.request(
            "GET", "/api/v1/transactions?limit=1000", token: fleet.viewer)
        #expect(try all.object()["next_before"] is NSNull, "the last page has no next")
        let bad = try fleet.server.request(
            "GET", "/api/v1/transactions?before=x", token: fleet.viewer)
        #expect(bad.status == 400 && bad.body.contains("\"field\":\"before\""), "\(bad)")
    }

    @Test func aTokenPastedAnywhereIsMaskedInTheLogAndSeedRoutesAnswer405() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        _ = try fleet.server.request("GET", "/api/v1/devices?q=\(fleet.admin)", token: fleet.viewer)
        _ = try fleet.server.request("GET", "/api/v1/devices/\(fleet.admin)", token: fleet.viewer)
        #expect(!fleet.server.log.contains(String(fleet.admin.dropFirst(6))), "\(fleet.server.log)")
        #expect(fleet.server.log.contains("decom_[redacted]"))
        let wrong = try fleet.server.request(
            "GET", "/compat/flashback/devices/1", token: fleet.admin)
        #expect(wrong.status == 405 && wrong.headers["allow"] == "DELETE", "\(wrong)")
    }
}
