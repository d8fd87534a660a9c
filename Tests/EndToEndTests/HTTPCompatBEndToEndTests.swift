import Foundation
import FoundationXML
import Testing

/// Seed 002 (Ubidots bulk delete) and seed 003 (MobileFirst device delete) as their clients
/// send them, over real HTTP on 127.0.0.1 to the built `decom serve-http`, with curl; the
/// database read back with sqlite3 after each request.
@Suite(.serialized) struct HTTPCompatBEndToEndTests {
    /// The fixture fleet (devices 1 to 9: 3 has a wipe pending, 4 is rented and shipped, 5 is
    /// `~kiosk-5`, the others `~dev-N`), a viewer, an operator and an admin token, a server.
    struct Fleet {
        let decom: DecomProcess
        let server: APIServer
        let viewer: String
        let operatorToken: String
        let admin: String

        init(serverArguments: [String] = []) throws {
            decom = try DecomProcess()
            let file = decom.home.appendingPathComponent("fleet.json").path
            try Fixtures.write(to: file)
            let imported = try decom.run(["import", file, "--user", "ivy"])
            #expect(imported.status == 0, "\(imported.stderr)")
            viewer = try decom.token(user: "vic", role: "viewer")
            operatorToken = try decom.token(user: "olga", role: "operator")
            admin = try decom.token(user: "ada", role: "admin")
            server = try APIServer(decom, arguments: serverArguments)
        }

        func count(_ sql: String) throws -> Int { try SQLiteShell.int(decom.db, sql) }

        /// What a refused request must leave as it was: every device, every transaction.
        func state() throws -> String {
            try SQLiteShell.run(
                decom.db,
                "SELECT (SELECT group_concat(id || ':' || client_status) FROM devices), (SELECT count(*) FROM transactions), (SELECT count(*) FROM tombstones), (SELECT count(*) FROM audit);"
            )
        }

        /// The transaction's native document once it is final (SUCCESS, FAILURE, CANCELED),
        /// polled a bounded number of times.
        func finished(_ id: Int) throws -> [String: Any] {
            for _ in 0..<600 {
                let reply = try server.request("GET", "/api/v1/transactions/\(id)", token: admin)
                let document = try reply.object()
                if let status = document["status"] as? String,
                    ["SUCCESS", "FAILURE", "CANCELED"].contains(status)
                {
                    return document
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("transaction \(id) never finished")
            return [:]
        }
    }

    static let ubidots = "/compat/ubidots/api/v2.0/devices/_/bulk/delete/"
    static let bulk = ["X-Bulk-Operation": "True"]

    // MARK: - Seed 002

    /// The task id of a seed 002 answer, `{"task": {"id": "17"}}`: a string, as the seed's.
    static func taskID(_ reply: APIServer.Reply) throws -> Int {
        let task = try #require(try reply.object()["task"] as? [String: Any], "\(reply)")
        let text = try #require(task["id"] as? String, "the task id is a string: \(reply)")
        return try #require(Int(text))
    }

    @Test func ubidotsBulkDeletePurgesExactlyTheListedDevicesAsATask() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let reply = try fleet.server.request(
            "POST", Self.ubidots, headers: Self.bulk.merging(["X-Auth-Token": fleet.admin]) { $1 },
            body: #"["6", "~dev-7", {"id": 1}, {"id": "2"}, "99999", "~dev-7"]"#)
        #expect(reply.status == 200, "\(reply)")
        let task = try #require(try reply.object()["task"] as? [String: Any])
        let idText = try #require(task["id"] as? String, "the task id is a string, as the seed's")
        let id = try #require(Int(idText))
        #expect(reply.headers["location"] == "/api/v1/transactions/\(id)")
        let done = try fleet.finished(id)
        #expect(done["status"] as? String == "SUCCESS", "\(done)")
        #expect(done["type"] as? String == "PURGE" && done["user"] as? String == "ada")
        let outcomes = (done["result"] as? [[String: Any]] ?? []).map {
            "\($0["key"] ?? "")=\($0["outcome"] ?? "")"
        }
        #expect(
            outcomes == [
                "6=purged", "~dev-7=purged", #"{"id":1}=purged"#, #"{"id":"2"}=purged"#,
                "99999=not_found", "~dev-7=duplicate",
            ], "\(outcomes)")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (1, 2, 6, 7);") == 0)
        #expect(try fleet.count("SELECT count(*) FROM devices;") == 5, "nothing else purged")
        #expect(
            try fleet.count("SELECT count(*) FROM tombstones WHERE transaction_id = \(id);") == 4)
        #expect(try fleet.count("SELECT count(*) FROM sessions WHERE device_id IN (1, 2);") == 0)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE id = \(id) AND type = 'PURGE' AND status = 'SUCCESS' AND user = 'ada' AND role = 'admin';"
            ) == 1)
    }

    @Test func ubidotsAsTheSeedsCurlExampleSendsIt() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        // The seed's example: DELETE, the token in the query string this time, its labels.
        let reply = try fleet.server.request(
            "DELETE", Self.ubidots + "?token=\(fleet.admin)", headers: Self.bulk,
            body: #"["~dev-9", "~kiosk-5", {"id": "6"}]"#)
        #expect(reply.status == 200, "\(reply)")
        let id = try Self.taskID(reply)
        #expect(try fleet.finished(id)["status"] as? String == "SUCCESS")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (5, 6, 9);") == 0)
        #expect(try fleet.count("SELECT count(*) FROM devices;") == 6)
        #expect(fleet.server.log.contains("?token=[redacted]"), "\(fleet.server.log)")
        #expect(!fleet.server.log.contains(String(fleet.admin.dropFirst(6).prefix(16))))
    }

    @Test func ubidotsAForbiddenDeviceFailsItsTaskAndNothingIsHalfDone() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let before = try fleet.count("SELECT count(*) FROM devices;")
        // Device 3 has a wipe pending and 4 is rented and shipped: the policy refuses them;
        // 6 goes.
        let reply = try fleet.server.request(
            "POST", Self.ubidots, headers: Self.bulk.merging(["X-Auth-Token": fleet.admin]) { $1 },
            body: #"["3", "4", "6"]"#)
        #expect(reply.status == 200, "\(reply)")
        let id = try Self.taskID(reply)
        let done = try fleet.finished(id)
        let outcomes = (done["result"] as? [[String: Any]] ?? []).compactMap {
            $0["outcome"] as? String
        }
        #expect(outcomes == ["forbidden", "forbidden", "purged"], "\(done)")
        #expect(try fleet.count("SELECT count(*) FROM devices;") == before - 1)
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (3, 4);") == 2)
    }

    @Test func ubidotsErrorsAreTheSeedsAndChangeNothing() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        func send(
            _ headers: [String: String], _ body: String, method: String = "POST",
            path: String = Self.ubidots
        ) throws -> APIServer.Reply {
            try fleet.server.request(method, path, headers: headers, body: body)
        }
        let admin = Self.bulk.merging(["X-Auth-Token": fleet.admin]) { $1 }

        let none = try send(Self.bulk, #"["6"]"#)
        #expect(none.status == 401)
        let noneBody = try none.object()
        #expect(noneBody.count == 3 && noneBody["code"] as? Int == 401001, "\(none)")
        #expect(noneBody["message"] as? String == "Authentication credentials were not provided.")
        #expect(noneBody["detail"] as? String == "Authentication credentials were not provided.")
        let unknown = try send(
            Self.bulk.merging(["X-Auth-Token": "decom_" + String(repeating: "0", count: 64)]) {
                $1
            }, #"["6"]"#)
        let unknownCode = try unknown.object()["code"] as? Int
        #expect(unknown.status == 401 && unknownCode == 401002, "\(unknown)")

        for (token, role) in [(fleet.viewer, "viewer"), (fleet.operatorToken, "operator")] {
            let refused = try send(Self.bulk.merging(["X-Auth-Token": token]) { $1 }, #"["6"]"#)
            #expect(refused.status == 403, "\(role): \(refused)")
            let body = try refused.object()
            #expect(body["code"] as? Int == 403001)
            #expect(
                body["detail"] as? String == "role \(role) may not purge; it needs admin",
                "\(refused)")
        }

        for headers in [
            ["X-Auth-Token": fleet.admin], admin.merging(["X-Bulk-Operation": "False"]) { $1 },
        ] {
            let missing = try send(headers, #"["6"]"#)
            #expect(missing.status == 400)
            #expect(
                NSDictionary(dictionary: try missing.object()).isEqual(to: [
                    "detail": "Header `X-BULK-OPERATION` should be provided for bulk operation."
                ]), "\(missing)")
        }

        let invalid: [(String, Set<String>)] = [
            (#"{"id": 6}"#, ["non_field_errors"]), ("[]", ["non_field_errors"]),
            ("not json", ["non_field_errors"]),
            (#"["6", "6e309da44fc8455a9cceb5aa", {"name": "x"}, 7, "~"]"#, ["1", "2", "3", "4"]),
        ]
        for (body, fields) in invalid {
            let reply = try send(admin, body)
            #expect(reply.status == 400, "\(body): \(reply)")
            let object = try reply.object()
            #expect(
                object["code"] as? Int == 400001
                    && object["message"] as? String == "Validation Error.")
            let detail = try #require(object["detail"] as? [String: Any], "\(reply)")
            #expect(Set(detail.keys) == fields, "\(body): \(reply)")
        }
        let hexID = try send(admin, #"["6e309da44fc8455a9cceb5aa"]"#)
        #expect(hexID.body.contains("6e309da44fc8455a9cceb5aa"), "the bad key is named: \(hexID)")

        let plain = try send(admin.merging(["Content-Type": "text/plain"]) { $1 }, #"["6"]"#)
        let plainCode = try plain.object()["code"] as? Int
        #expect(plain.status == 415 && plainCode == 415001, "\(plain)")

        #expect(try fleet.state() == before, "no refused request changed anything")
    }

    // MARK: - Seed 003

    static func mobileFirst(_ runtime: String, _ device: String, async: Bool? = nil) -> String {
        "/compat/mobilefirst/management-apis/2.0/runtimes/\(runtime)/devices/\(device)"
            + (async.map { "?async=\($0)&locale=de_DE" } ?? "")
    }

    @Test func mobileFirstDeleteIsAPurgeAnsweredWithTheSeedsResult() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        try SQLiteShell.run(
            fleet.decom.db, "UPDATE devices SET device_status = 'LOST' WHERE id = 6;")
        let reply = try fleet.server.request(
            "DELETE", Self.mobileFirst("myruntime", "6", async: false), token: fleet.admin)
        #expect(reply.status == 200, "\(reply)")
        #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
        let body = try reply.object()
        #expect(body["ok"] as? Bool == true && body["productVersion"] is String)
        let transaction = try #require(body["transaction"] as? [String: Any])
        #expect(transaction["type"] as? String == "REMOVE_DEVICE")
        #expect(transaction["status"] as? String == "SUCCESS")
        #expect(transaction["userName"] as? String == "ada")
        #expect(transaction["appServerId"] is String)
        #expect((transaction["errors"] as? [Any])?.isEmpty == true)
        #expect((transaction["project"] as? [String: Any])?["name"] as? String == "myruntime")
        let description = try #require(transaction["description"] as? [String: Any])
        #expect(
            description["deviceId"] as? String == "6" && description["status"] as? String == "LOST")
        for time in ["timeCreated", "timeUpdated"] {
            let text = try #require(transaction[time] as? String)
            #expect(
                text.range(
                    of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression)
                    != nil, "\(time): \(text)")
        }
        let id = try #require(transaction["id"] as? Int)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE id = \(id) AND type = 'PURGE' AND status = 'SUCCESS' AND user = 'ada';"
            ) == 1)
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 6;") == 0)
        #expect(
            try fleet.count("SELECT count(*) FROM tombstones WHERE transaction_id = \(id);") == 1)

        // Any decom key names the device; without ?async it is synchronous.
        let byLabel = try fleet.server.request(
            "DELETE", Self.mobileFirst("rt", "~dev-7"), token: fleet.admin)
        #expect(byLabel.status == 200, "\(byLabel)")
        let labelled = try #require(try byLabel.object()["transaction"] as? [String: Any])
        #expect((labelled["description"] as? [String: Any])?["deviceId"] as? String == "~dev-7")
        #expect(labelled["status"] as? String == "SUCCESS")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 7;") == 0)
    }

    @Test func mobileFirstAnswersXMLToAClientThatAcceptsOnlyXML() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        let reply = try fleet.server.request(
            "DELETE", Self.mobileFirst("myproject", "6", async: false), token: fleet.admin,
            headers: ["Accept": "application/xml"])
        #expect(reply.status == 200, "\(reply)")
        #expect(reply.headers["content-type"]?.hasPrefix("application/xml") == true)
        let root = try XMLTree.parse(reply.body)
        #expect(root.name == "remove-device-result", "\(reply.body)")
        #expect(root.attributes["ok"] == "true" && root.attributes["productVersion"] != nil)
        let transaction = try #require(root.children.first { $0.name == "transaction" })
        #expect(transaction.attributes["type"] == "REMOVE_DEVICE")
        #expect(transaction.attributes["status"] == "SUCCESS")
        #expect(transaction.attributes["userName"] == "ada")
        let id = try #require(Int(transaction.attributes["id"] ?? ""))
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE id = \(id) AND type = 'PURGE';") == 1)
        let description = try #require(transaction.children.first { $0.name == "description" })
        #expect(description.attributes == ["deviceId": "6", "status": "ACTIVE"])
        #expect(
            transaction.children.first { $0.name == "project" }?.attributes["name"] == "myproject")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 6;") == 0)

        let textXML = try fleet.server.request(
            "DELETE", Self.mobileFirst("p", "99999"), token: fleet.admin,
            headers: ["Accept": "text/xml"])
        #expect(textXML.status == 404, "\(textXML)")
        #expect(textXML.headers["content-type"]?.hasPrefix("text/xml") == true)
        let failed = try XMLTree.parse(textXML.body)
        #expect(failed.attributes["ok"] == "false")
        let errors = failed.children.first?.children.first { $0.name == "errors" }
        #expect(
            errors?.children.first?.attributes["details"]?.contains("99999") == true,
            "\(textXML.body)")

        // A client that takes JSON as well gets JSON.
        let both = try fleet.server.request(
            "DELETE", Self.mobileFirst("p", "7"), token: fleet.admin,
            headers: ["Accept": "application/xml, application/json"])
        #expect(both.headers["content-type"]?.hasPrefix("application/json") == true, "\(both)")
        #expect(try both.object()["ok"] as? Bool == true)
    }

    @Test func mobileFirstErrorsAreTheSeedsResultAndChangeNothing() throws {
        let fleet = try Fleet()
        defer { fleet.decom.remove() }
        try SQLiteShell.run(
            fleet.decom.db, "UPDATE devices SET serial_number = 'DUP-1' WHERE id IN (6, 7);")
        let before = try fleet.state()
        func refused(
            _ path: String, token: String?, headers: [String: String] = [:]
        ) throws -> (Int, [String: Any], String) {
            let reply = try fleet.server.request("DELETE", path, token: token, headers: headers)
            let body = try reply.object()
            #expect(body["ok"] as? Bool == false, "\(path): \(reply)")
            let transaction = try #require(body["transaction"] as? [String: Any], "\(reply)")
            #expect(transaction["id"] == nil, "a refusal records nothing: \(reply)")
            #expect(transaction["status"] as? String == "FAILURE")
            let details = (transaction["errors"] as? [[String: Any]])?.first?["details"] as? String
            return (reply.status, transaction, details ?? "")
        }
        let none = try refused(Self.mobileFirst("rt", "6"), token: nil)
        #expect(none.0 == 401 && none.2.contains("no API token"), "\(none)")
        for (token, role) in [(fleet.viewer, "viewer"), (fleet.operatorToken, "operator")] {
            let forbidden = try refused(Self.mobileFirst("rt", "6"), token: token)
            #expect(forbidden.0 == 403, "\(role)")
            #expect(forbidden.2 == "role \(role) may not purge; it needs admin", "\(forbidden)")
            #expect(forbidden.1["userName"] as? String == (role == "viewer" ? "vic" : "olga"))
        }
        let missing = try refused(Self.mobileFirst("rt", "99999"), token: fleet.admin)
        #expect(missing.0 == 404 && missing.2 == "no device has id 99999", "\(missing)")
        #expect((missing.1["project"] as? [String: Any])?["name"] as? String == "rt")
        let foreign = try refused(Self.mobileFirst("rt", "12345-6789"), token: fleet.admin)
        #expect(foreign.0 == 404 && foreign.2.contains("12345-6789"), "\(foreign)")
        let runtime = try refused(Self.mobileFirst("%2Eetc", "6"), token: fleet.admin)
        #expect(runtime.0 == 404 && runtime.2.contains("runtime"), "\(runtime)")
        let async = try refused(
            "/compat/mobilefirst/management-apis/2.0/runtimes/rt/devices/6?async=maybe",
            token: fleet.admin)
        #expect(async.0 == 400 && async.2.contains("async"), "\(async)")
        let shared = try refused(Self.mobileFirst("rt", "serial:DUP-1"), token: fleet.admin)
        #expect(shared.0 == 409 && shared.2.contains("names 2 devices"), "\(shared)")
        #expect(try fleet.state() == before, "no refused request changed anything")

        // The device's state forbids it: a FAILURE transaction, recorded, ok false.
        let wipe = try fleet.server.request(
            "DELETE", Self.mobileFirst("rt", "3", async: false), token: fleet.admin)
        #expect(wipe.status == 200, "\(wipe)")
        let body = try wipe.object()
        let transaction = try #require(body["transaction"] as? [String: Any])
        #expect(body["ok"] as? Bool == false && transaction["status"] as? String == "FAILURE")
        let details =
            (transaction["errors"] as? [[String: Any]])?.compactMap {
                $0["details"] as? String
            } ?? []
        #expect(details.contains { $0.contains("wipe is pending") }, "\(wipe)")
        let id = try #require(transaction["id"] as? Int)
        #expect(
            try fleet.count(
                "SELECT count(*) FROM transactions WHERE id = \(id) AND status = 'FAILURE';") == 1)
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 3;") == 1)
    }
}

extension HTTPCompatBEndToEndTests {
    @Test func rateLimitsAndRefusedTokensAnswerInEachSeedsShape() throws {
        let fleet = try Fleet(serverArguments: ["--rate-limit", "2"])
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let viewer = Self.bulk.merging(["X-Auth-Token": fleet.viewer]) { $1 }
        for _ in 0..<2 {
            let reply = try fleet.server.request(
                "POST", Self.ubidots, headers: viewer, body: #"["6"]"#)
            #expect(reply.status == 403, "\(reply)")
        }
        let limited = try fleet.server.request(
            "POST", Self.ubidots, headers: viewer, body: #"["6"]"#)
        #expect(limited.status == 429, "\(limited)")
        #expect(try limited.object()["code"] as? Int == 429001, "\(limited)")
        #expect(Int(limited.headers["retry-after"] ?? "").map { (1...60).contains($0) } == true)

        // Seed 003's routes have their own allowance, and answer in the seed's result.
        for _ in 0..<2 {
            let reply = try fleet.server.request(
                "DELETE", Self.mobileFirst("rt", "6"), token: fleet.viewer)
            #expect(reply.status == 403, "\(reply)")
        }
        let xml = try fleet.server.request(
            "DELETE", Self.mobileFirst("rt", "6"), token: fleet.viewer,
            headers: ["Accept": "application/xml"])
        #expect(xml.status == 429, "\(xml)")
        #expect(xml.headers["retry-after"] != nil)
        let root = try XMLTree.parse(xml.body)
        #expect(root.attributes["ok"] == "false", "\(xml.body)")

        let revoked = try fleet.decom.run(
            ["token", "revoke", "2", "--db", fleet.decom.db], useDB: false)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let ubidots = try fleet.server.request(
            "POST", Self.ubidots,
            headers: Self.bulk.merging(["X-Auth-Token": fleet.operatorToken]) { $1 },
            body: #"["6"]"#)
        let ubidotsBody = try ubidots.object()
        #expect(ubidots.status == 401 && ubidotsBody["code"] as? Int == 401002, "\(ubidots)")
        #expect((ubidotsBody["detail"] as? String)?.contains("revoked") == true, "\(ubidots)")
        let mobileFirst = try fleet.server.request(
            "DELETE", Self.mobileFirst("rt", "6"), token: fleet.operatorToken)
        #expect(mobileFirst.status == 401, "\(mobileFirst)")
        #expect(mobileFirst.headers["www-authenticate"] == "Bearer")
        #expect(mobileFirst.body.contains("revoked"), "\(mobileFirst)")
        #expect(try fleet.state() == before)
    }
}

/// A parsed XML element: name, attributes, children (FoundationXML's parser; a document
/// that is not well-formed throws).
struct XMLTree {
    var name: String
    var attributes: [String: String]
    var children: [XMLTree]

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.stack.first?.children.first else {
            throw Malformed(
                description:
                    "not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "")): \(text)")
        }
        return root
    }

    final class Builder: NSObject, XMLParserDelegate {
        var stack = [XMLTree(name: "", attributes: [:], children: [])]

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            stack.append(XMLTree(name: elementName, attributes: attributeDict, children: []))
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            guard stack.count > 1, let done = stack.popLast() else { return }
            stack[stack.count - 1].children.append(done)
        }
    }
}
