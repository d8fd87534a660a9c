import Foundation
import Testing

@testable import DecomConsole

/// Theme files from a seeded generator: the parser never crashes or hangs, and it either
/// reads a file or names at least one problem.
@Suite struct ThemeFileFuzzTests {
    static let sample = """
        name: mine
        description: a test
        inherits: default
        assumes: light
        palette:
          accent: "#112233"
        styles:
          header: {fg: bright_white, bg: "#0000ee", attrs: [bold, underline]}
          row: {fg: 196, bg: default, attrs: reverse}
          marked_row: {fg: accent, bg: GREY}
        """

    @Test(.timeLimit(.minutes(1))) func themeFiles() {
        var random = FuzzText(seed: 0x7E3E)
        let fragments = [
            "name: x\n", "styles:\n", "  header: ", "{fg: ", "red", "#fff", "\"#12345\"", "}",
            "[bold, ", "]", "palette:\n", "  a: ", "&anchor ", "*anchor", "!!binary ", "- ",
            "  ", "\n", ": ", "999", "true", "null", "{", "[",
        ]
        let cases = FuzzText.cases(600, stress: 20_000)
        var bytes = 0
        for n in 0..<cases {
            var text =
                n % 2 == 0
                ? random.mutate(Self.sample) : random.compose(fragments, count: 0...60)
            if n % 97 == 0 {
                // Deep nesting, both flow and block.
                let depth = Int.random(in: 50...400, using: &random)
                text =
                    n % 2 == 0
                    ? "styles: " + String(repeating: "[", count: depth)
                    : (0..<depth).map { String(repeating: " ", count: $0) + "a:" }.joined(
                        separator: "\n")
            }
            bytes += text.utf8.count
            switch ThemeFile.parse(text: text, source: "fuzz.yaml") {
            case .success: break
            case .failure(let problems): #expect(!problems.problems.isEmpty)
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
