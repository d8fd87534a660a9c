import DecomTestSupport
import Foundation
import Testing

/// The native API's OpenAPI document against the server itself (issue 13): the document
/// parses and names every native route, and schemathesis (installed by `make deps` from
/// PyPI) sends a bounded, deterministic set of generated requests, valid and invalid, with an
/// admin token: no answer may be a 5xx, differ from the document in status, content type or
/// schema, or accept what the document forbids.
@Suite(.serialized) struct HTTPSchemaEndToEndTests {
    @Test func theDocumentNamesEveryNativeRoute() throws {
        let fleet = try HTTPNativeEndToEndTests.Fleet(devices: 20)
        defer { fleet.decom.remove() }
        let reply = try fleet.server.request("GET", "/api/v1/openapi.json")
        #expect(reply.status == 200)
        let document = try reply.object()
        #expect(document["openapi"] as? String == "3.0.3")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let expected: [String: Set<String>] = [
            "/api/v1/devices": ["get"], "/api/v1/devices/{key}": ["get"],
            "/api/v1/deletions": ["post"], "/api/v1/transactions": ["get"],
            "/api/v1/transactions/{id}": ["get", "delete"],
            "/api/v1/transactions/{id}/undo": ["post"],
        ]
        for (path, methods) in expected {
            let documented = Set((paths[path] ?? [:]).keys)
            #expect(methods.isSubset(of: documented), "\(path): \(documented)")
        }
    }

    @Test func schemathesisFindsNoServerErrorAndNoMismatch() throws {
        let fleet = try HTTPNativeEndToEndTests.Fleet(
            devices: 40, serverArguments: ["--rate-limit", "0"])
        defer { fleet.decom.remove() }
        let examples = String(Stress.count(25, long: 200))
        let run = try Spawn.run(
            [
                "schemathesis", "run", fleet.server.url + "/api/v1/openapi.json",
                "-H", "Authorization: Bearer \(fleet.admin)", "-n", examples,
                "--generation-deterministic", "--request-timeout", "30",
                // The query language and key grammar are not JSON Schema: a schema-valid `q` or
                // key that does not parse is rightly a 400.
                "--exclude-checks", "positive_data_acceptance",
            ], environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 })
        #expect(run.exit.status == 0, "schemathesis:\n\(run.stdout.suffix(4000))\(run.stderr)")
        #expect(run.stdout.contains("generated"), "schemathesis ran no test: \(run.stdout)")
        let serverErrors = fleet.server.log.split(separator: "\n").filter {
            $0.contains(" 500 ") || $0.contains(" 502 ") || $0.contains(" 503 ")
        }
        #expect(serverErrors.isEmpty, "\(serverErrors.prefix(5))")
        let audit = try fleet.decom.run(["audit", "verify", "--db", fleet.decom.db], useDB: false)
        #expect(audit.status == 0, "the audit chain holds after the run: \(audit.stderr)")
    }
}
