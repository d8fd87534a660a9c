import DecomCore
import DecomTestSupport
import Foundation
import Testing

@testable import DecomStore

/// The MDM exports (issue 14) through the same generator as decom's own files: Fleet NDJSON,
/// Intune Graph pages and portal CSV, Jamf Pro inventory, mutated byte by byte. The checker
/// never crashes or hangs, and an import into a real store (a sync: adds and updates) adds all
/// of a file's new devices or none.
@Suite struct VendorImportFuzzTests {
    static let cases: [(ImportFormat, String)] = [
        (.fleet, VendorImportTests.fleetLines), (.intune, VendorImportTests.intunePages),
        (.intuneCSV, VendorImportTests.intuneCSV), (.jamf, VendorImportTests.jamf),
    ]

    @Test(.timeLimit(.minutes(3))) func mutatedExportsAreImportedWholeOrNotAtAll() throws {
        var random = FuzzText(seed: 0x14F0)
        let store = try makeStore([])
        var expected = 0
        let count = Stress.count(400, long: 8_000)
        var bytes = 0
        var imported = 0
        var refused = 0
        for n in 0..<count {
            let (format, base) = Self.cases[n % Self.cases.count]
            var data = Data(random.mutate(base).utf8)
            if n % 13 == 0 {
                let at = Int.random(in: 0...data.count, using: &random)
                data.insert(contentsOf: [0xFF, 0xC3, 0x28], at: at)
            }
            bytes += data.count
            // Half the files say their format, half are recognised (or refused as unknown).
            let given: ImportFormat? = n % 2 == 0 ? format : nil
            do {
                let result = try FleetImport.runRecorded(
                    data, into: store, source: "export-\(n)", actor: admin, format: given,
                    allowPurged: true)
                expected += result.count
                imported += 1
            } catch is FleetImport.Failure {
                refused += 1
            }
            let now = try store.read { try $0.deviceCount(scope: .all) }
            #expect(now == expected, "case \(n) (\(format.rawValue)): a partial import")
            if now != expected { break }
        }
        Stress.record("fuzz_cases", count)
        Stress.record("fuzz_bytes", bytes)
        #expect(imported > 0, "the generator should let some files through")
        #expect(refused > 0, "the generator should break some files")
    }
}
