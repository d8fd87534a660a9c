import DecomTestSupport
import Foundation
import Testing

@testable import DecomCore

/// The key and query parsers on hostile text from a seeded generator: no crash, no hang, and
/// what they accept behaves (a key names one thing; a query matches or not, every row).
@Suite struct ParserFuzzTests {
    static let keySamples = [
        "42", "~front-desk", "mac:00:0c:29:cd:c7:b2", "mac:000C29CDC7B2", "hwid:12ds44f5gacd52234",
        "serial:C02XK1ZZJGH5", "007", "-5", "mac:00:11:22:33:44", "~a b",
    ]

    @Test(.timeLimit(.minutes(1))) func keysAndKeyLists() throws {
        var random = FuzzText(seed: 0xC0DE)
        let cases = Stress.count(3_000, long: 100_000)
        var bytes = 0
        for _ in 0..<cases {
            let text = random.mutate(Self.keySamples.randomElement(using: &random) ?? "")
            bytes += text.utf8.count
            if case .success(let key) = DeviceKey.parse(text) {
                // An accepted key never carries a control character into a lookup.
                #expect(!key.valueText.unicodeScalars.contains { $0.value < 0x20 }, "\(key)")
            }
            let list = random.compose(
                ["[", "]", "{\"id\": 7}", "\"42\"", ",", "\n", "{\"id\": true}", "null", "~x"],
                count: 0...30)
            bytes += list.utf8.count
            if let inputs = try? KeyList.parse(list) {
                for input in inputs {
                    if case .success = input.parsed { #expect(!input.raw.isEmpty) }
                }
            }
        }
        Stress.record("fuzz_cases", cases * 2)
        Stress.record("fuzz_bytes", bytes)
    }

    @Test(.timeLimit(.minutes(1))) func queries() throws {
        var random = FuzzText(seed: 0x0E11)
        let rows = QueryFixture.rows
        let fragments = [
            "status:", "in_service", "mdm:", "none", "os:", "windows", "compliant:", "no", "yes",
            "-", "\"", "\"a b\"", "name:", "label:", "id:", "42", "mac:", "type:", " ", "  ",
            "colour:red", "last_seen:", "<", ">", "30d", "*",
        ]
        let cases = Stress.count(3_000, long: 100_000)
        var bytes = 0
        for n in 0..<cases {
            let text =
                n % 2 == 0
                ? random.compose(fragments, count: 0...12)
                : random.mutate("status:in_service -os:windows \"LT PAR\" compliant:no")
            bytes += text.utf8.count
            guard let query = try? DeviceQuery.parse(text) else { continue }
            let matched = Set(query.matchingIndices(rows))
            for (index, row) in rows.enumerated() {
                #expect(query.matches(row) == matched.contains(index), "\(text)")
            }
        }
        Stress.record("fuzz_cases", cases)
        Stress.record("fuzz_bytes", bytes)
    }
}
