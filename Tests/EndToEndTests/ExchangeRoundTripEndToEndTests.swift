import DecomTestSupport
import Foundation
import Testing

/// What `decom export` then `decom import` keeps (issue 10): JSON keeps everything; CSV keeps
/// every field of every device and leaves out exactly its sessions and events, as
/// `decom export --help` and the README say.
@Suite struct ExchangeRoundTripEndToEndTests {
    /// The demo fleet exported, imported into an empty database, and exported again as JSON:
    /// the devices' objects, each without the keys in `dropping`.
    private func roundTrip(_ format: String, dropping: Set<String>) throws -> (
        before: [[String: Any]], after: [[String: Any]]
    ) {
        let source = try DecomProcess()
        defer { source.remove() }
        #expect(try source.run(["seed", "--devices", "300", "--seed", "8"]).status == 0)
        let file = source.home.appendingPathComponent("fleet.\(format)").path
        #expect(try source.run(["export", "--format", format, "--output", file]).status == 0)
        let target = try DecomProcess()
        defer { target.remove() }
        let imported = try target.run(["import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        func devices(_ decom: DecomProcess) throws -> [[String: Any]] {
            let text = try decom.run(["export", "--format", "json"]).stdout
            let array = try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            return array.map { $0.filter { !dropping.contains($0.key) } }
        }
        return (try devices(source), try devices(target))
    }

    private func same(_ a: [[String: Any]], _ b: [[String: Any]]) -> Bool {
        NSArray(array: a).isEqual(to: b)
    }

    @Test func jsonKeepsEverything() throws {
        let (before, after) = try roundTrip("json", dropping: [])
        #expect(before.count == 300)
        #expect(before.contains { ($0["sessions"] as? [Any])?.isEmpty == false })
        #expect(before.contains { ($0["events"] as? [Any])?.isEmpty == false })
        #expect(same(before, after))
    }

    @Test func csvKeepsEveryDeviceFieldAndLeavesOutSessionsAndEvents() throws {
        let (before, after) = try roundTrip("csv", dropping: ["sessions", "events"])
        #expect(before.count == 300)
        #expect(same(before, after), "CSV lost more than sessions and events")
        let (_, withLists) = try roundTrip("csv", dropping: [])
        #expect(
            withLists.allSatisfy {
                ($0["sessions"] as? [Any])?.isEmpty != false
                    && ($0["events"] as? [Any])?.isEmpty != false
            }, "CSV now carries sessions or events: say so in the help and README")
    }

    @Test func theHelpSaysWhatCSVLeavesOut() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let help = try decom.run(["export", "--help"], useDB: false).stdout
        #expect(help.contains("sessions and events"))
        #expect(!help.contains("The output imports back into an empty database unchanged."))
    }
}
