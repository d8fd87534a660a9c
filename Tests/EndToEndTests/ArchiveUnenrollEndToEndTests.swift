import Foundation
import Testing

/// `decom delete --archive-unenroll` (seed 004's opt 2) with the built binary: one transaction
/// that archives and unenrolls, an undo that brings the record back and leaves the agent
/// unenrolled, the database checked with `sqlite3`.
@Suite struct ArchiveUnenrollEndToEndTests {
    @Test func archiveUnenrollThenUndoLeavesTheAgentUnenrolled() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let seeded = try decom.run(["seed", "--devices", "200", "--seed", "7"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let ids = try SQLiteShell.run(
            decom.db,
            """
            SELECT d.id FROM devices d JOIN mdm_enrollments m ON m.device_id = d.id
            WHERE d.client_status = 'AVAILABLE' AND d.rent IS NULL AND m.status = 'ENROLLED'
            ORDER BY d.id LIMIT 2;
            """
        ).split(separator: "\n").map(String.init)
        try #require(ids.count == 2)
        func state(_ id: String) throws -> String {
            try SQLiteShell.run(
                decom.db,
                """
                SELECT d.client_status || ' ' || m.status FROM devices d
                JOIN mdm_enrollments m ON m.device_id = d.id WHERE d.id = \(Int(id) ?? 0);
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        let viewer = try decom.run(
            ["delete", "--archive-unenroll", "--yes", "--role", "viewer"] + ids)
        #expect(viewer.status == 1)
        #expect(try state(ids[0]) == "AVAILABLE ENROLLED")

        let deleted = try decom.run(
            ["delete", "--archive-unenroll", "--yes", "--format", "json"] + ids)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let transaction = try #require(try deleted.json()["transaction"] as? [String: Any])
        #expect(transaction["type"] as? String == "ARCHIVE_UNENROLL")
        let items = try #require(try deleted.json()["result"] as? [[String: Any]])
        #expect(
            items.map { $0["outcome"] as? String } == [
                "archived_unenrolled", "archived_unenrolled",
            ])
        #expect(try state(ids[0]) == "ARCHIVED UNENROLLED")

        let undone = try decom.run(["undo", "--format", "json"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try state(ids[0]) == "AVAILABLE UNENROLLED")
        #expect(try state(ids[1]) == "AVAILABLE UNENROLLED")
        let verified = try decom.run(["audit", "verify", "--db", decom.db], useDB: false)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
