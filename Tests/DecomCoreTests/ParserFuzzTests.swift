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
        let cases = FuzzText.cases(3_000, stress: 100_000)
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
        FuzzText.record("fuzz_cases", cases * 2)
        FuzzText.record("fuzz_bytes", bytes)
    }

    @Test(.timeLimit(.minutes(1))) func queries() throws {
        var random = FuzzText(seed: 0x0E11)
        let rows = QueryFixture.rows
        let fragments = [
            "status:", "in_service", "mdm:", "none", "os:", "windows", "compliant:", "no", "yes",
            "-", "\"", "\"a b\"", "name:", "label:", "id:", "42", "mac:", "type:", " ", "  ",
            "colour:red", "last_seen:", "<", ">", "30d", "*",
        ]
        let cases = FuzzText.cases(3_000, stress: 100_000)
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
        FuzzText.record("fuzz_cases", cases)
        FuzzText.record("fuzz_bytes", bytes)
    }
}

/// A seeded generator of hostile text for the parser fuzz tests: valid samples mutated byte
/// by byte, and fragments of the grammar shuffled, with control characters, quotes, long
/// runs and non-ASCII mixed in. Bounded in `make test`; `DECOM_STRESS=1` runs many more.
struct FuzzText: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state =
            ProcessInfo.processInfo.environment["DECOM_STRESS_SEED"].flatMap(UInt64.init) ?? seed
    }

    static var isStress: Bool { ProcessInfo.processInfo.environment["DECOM_STRESS"] == "1" }

    static func cases(_ bounded: Int, stress: Int) -> Int { isStress ? stress : bounded }

    /// Adds to `make stress`'s summary (see `Tests/EndToEndTests/Support/Stress.swift`).
    static func record(_ name: String, _ value: Int) {
        guard let path = ProcessInfo.processInfo.environment["DECOM_STRESS_SUMMARY"],
            let handle = FileHandle(forWritingAtPath: path)
                ?? (FileManager.default.createFile(atPath: path, contents: nil)
                    ? FileHandle(forWritingAtPath: path) : nil)
        else { return }
        handle.seekToEndOfFile()
        handle.write(Data("\(name) \(value)\n".utf8))
        try? handle.close()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let hostile: [String] = [
        "\u{1B}", "\u{1B}[31m", "\u{1B}]0;t\u{07}", "\u{9B}", "\u{7F}", "\u{08}", "\r", "\n",
        "\t", "\0", "\u{202E}", "\"", "'", "\\", ":", "-", "~", "{", "}", "[", "]", ",", " ",
        "é", "😀", "\u{FEFF}", "0", "9", "99999999999999999999999999999", "-1", "+1", "%",
    ]

    /// `sample` with a few random edits: a byte-level mutation or a hostile fragment.
    mutating func mutate(_ sample: String) -> String {
        var scalars = Array(sample.unicodeScalars)
        for _ in 0...Int.random(in: 0...4, using: &self) {
            let at = Int.random(in: 0...scalars.count, using: &self)
            switch Int.random(in: 0...4, using: &self) {
            case 0 where !scalars.isEmpty:
                scalars.remove(at: min(at, scalars.count - 1))
            case 1:
                let fragment = Self.hostile.randomElement(using: &self) ?? ""
                scalars.insert(contentsOf: fragment.unicodeScalars, at: at)
            case 2:
                let value = UInt32.random(in: 0...0x2FF, using: &self)
                scalars.insert(Unicode.Scalar(value) ?? "?", at: at)
            case 3 where !scalars.isEmpty:
                let from = Int.random(in: 0..<scalars.count, using: &self)
                scalars.insert(contentsOf: scalars[from...], at: at)
            default:
                scalars.insert(contentsOf: sample.unicodeScalars, at: at)
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(4_000))
        return String(out)
    }

    /// Fragments joined at random.
    mutating func compose(_ fragments: [String], count: ClosedRange<Int>) -> String {
        (0..<Int.random(in: count, using: &self)).map { _ in
            Bool.random(using: &self)
                ? fragments.randomElement(using: &self) ?? ""
                : Self.hostile.randomElement(using: &self) ?? ""
        }.joined()
    }
}
