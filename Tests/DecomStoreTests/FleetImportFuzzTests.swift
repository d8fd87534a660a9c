import DecomCore
import DecomTestSupport
import Foundation
import Testing

@testable import DecomStore

/// Import files from a seeded generator: the checker never crashes or hangs, and an import
/// into a real store adds all of a file's devices or none.
@Suite struct FleetImportFuzzTests {
    static let json = """
        [{"id": 7, "client_status": "IN_SERVICE", "name": "PHONE-7", "serial_number": "S7",
          "mac_addresses": ["00-0C-29-CD-C7-B2"], "mdm": {"id": 70, "status": "ENROLLED"},
          "sessions": [{"token_id": "t1", "user": "ann", "created_at": "2026-11-01T08:00:00Z"}]},
         {"id": 8, "client_status": "AVAILABLE", "label": "desk-8", "mdm": null,
          "characteristics": {"ram": "8GB", "has_webcam": true}}]
        """
    static let csv = """
        id,client_status,name,serial_number,mdm.id,mdm.status,mac_addresses
        7,IN_SERVICE,PHONE-7,S7,70,ENROLLED,00:0c:29:cd:c7:b2;00:0c:29:cd:c7:b3
        8,AVAILABLE,"DESK, 8",S8,,,
        """

    @Test(.timeLimit(.minutes(2))) func importFiles() throws {
        var random = FuzzText(seed: 0x1A1A)
        let store = try makeStore([])
        var expected = 0
        let cases = Stress.count(400, long: 10_000)
        var bytes = 0
        var imported = 0
        for n in 0..<cases {
            let text = random.mutate(n % 3 == 2 ? Self.csv : Self.json)
            var data = Data(text.utf8)
            if n % 11 == 0 {
                // Bytes that are not UTF-8, somewhere.
                let at = Int.random(in: 0...data.count, using: &random)
                data.insert(contentsOf: [0xFF, 0xC3, 0x28], at: at)
            }
            bytes += data.count
            let checked = try? FleetImport.records(from: data)
            // Every fifth file also goes into the store; ids are shifted so that the good
            // files do not all collide with the first one imported.
            guard n % 5 == 0 else { continue }
            let shifted = String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: "\"id\": 7", with: "\"id\": \(1000 + n)")
                .replacingOccurrences(of: "\"id\": 8", with: "\"id\": \(2000 + n)")
            do {
                let count = try FleetImport.run(
                    Data(shifted.utf8), into: store, source: "fleet.json", actor: admin)
                expected += count
                imported += 1
            } catch is FleetImport.Failure {
                // Refused: nothing may have been written.
            }
            let now = try store.read { try $0.deviceCount(scope: .all) }
            #expect(now == expected, "case \(n): a partial import (or a lost one)")
            _ = checked
        }
        Stress.record("fuzz_cases", cases)
        Stress.record("fuzz_bytes", bytes)
        #expect(imported > 0 || !Stress.isOn, "the generator should let some files through")
    }
}
