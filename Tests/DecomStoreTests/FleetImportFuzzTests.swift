import DecomCore
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
        let cases = FuzzText.cases(400, stress: 10_000)
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
                let count = try FleetImport.run(Data(shifted.utf8), into: store)
                expected += count
                imported += 1
            } catch is FleetImport.Failure {
                // Refused: nothing may have been written.
            }
            let now = try store.read { try $0.deviceCount(scope: .all) }
            #expect(now == expected, "case \(n): a partial import (or a lost one)")
            _ = checked
        }
        FuzzText.record("fuzz_cases", cases)
        FuzzText.record("fuzz_bytes", bytes)
        #expect(imported > 0 || !FuzzText.isStress, "the generator should let some files through")
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
