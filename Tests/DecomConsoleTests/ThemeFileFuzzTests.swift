import DecomTestSupport
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
        let cases = Stress.count(600, long: 20_000)
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
        Stress.record("fuzz_cases", cases)
        Stress.record("fuzz_bytes", bytes)
    }
}
