import Foundation

/// A seeded generator of hostile text for the parser fuzz tests: valid samples mutated byte
/// by byte, and fragments of the grammar shuffled, with control characters, quotes, long
/// runs and non-ASCII mixed in. How many cases is `Stress.count`'s to say.
public struct FuzzText: RandomNumberGenerator {
    var random: SeededRandom

    /// `DECOM_STRESS_SEED` when set repeats a run, else `seed`.
    public init(seed: UInt64) { random = SeededRandom(seed: SeededRandom.seed(seed)) }

    public mutating func next() -> UInt64 { random.next() }

    public static let hostile: [String] = [
        "\u{1B}", "\u{1B}[31m", "\u{1B}]0;t\u{07}", "\u{9B}", "\u{7F}", "\u{08}", "\r", "\n",
        "\t", "\0", "\u{202E}", "\"", "'", "\\", ":", "-", "~", "{", "}", "[", "]", ",", " ",
        "é", "😀", "\u{FEFF}", "0", "9", "99999999999999999999999999999", "-1", "+1", "%",
    ]

    /// `sample` with a few random edits: a byte-level mutation or a hostile fragment.
    public mutating func mutate(_ sample: String) -> String {
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
    public mutating func compose(_ fragments: [String], count: ClosedRange<Int>) -> String {
        (0..<Int.random(in: count, using: &self)).map { _ in
            Bool.random(using: &self)
                ? fragments.randomElement(using: &self) ?? ""
                : Self.hostile.randomElement(using: &self) ?? ""
        }.joined()
    }
}
