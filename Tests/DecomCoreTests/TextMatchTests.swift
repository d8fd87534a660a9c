import DecomTestSupport
import Testing

@testable import DecomCore

/// The row store's search (issue 16): sixteen starts at a time, reading past a row's end
/// into the arena, it answers as the byte-by-byte search does.
struct TextMatchTests {
    /// Random texts of a few letters (so that partial matches abound), searched with and
    /// without bytes to read past their end, at every length around the sixteen-byte load.
    @Test func theSixteenByteSearchFindsWhatTheByteSearchFinds() {
        var random = FuzzText(seed: 0x7E47)
        let alphabet = Array("aAbB-:0\u{0}".utf8)
        for _ in 0..<Stress.count(4_000, long: 100_000) {
            let count = Int.random(in: 0...70, using: &random)
            let past = Int.random(in: 0...20, using: &random)
            let arena = (0..<(count + past)).map { _ in
                alphabet.randomElement(using: &random) ?? 0
            }
            let needle = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                TextMatch.fold(alphabet.randomElement(using: &random) ?? 0)
            }
            arena.withUnsafeBufferPointer { arena in
                needle.withUnsafeBufferPointer { needle in
                    guard let base = arena.baseAddress else { return }
                    let hay = UnsafeBufferPointer(rebasing: arena[0..<count])
                    let expected = TextMatch.search(hay, needle).found
                    #expect(
                        TextMatch.containsFolded(base, count, needle, readable: arena.count)
                            == expected, "\(arena) \(count) \(needle)")
                    #expect(
                        TextMatch.containsFolded(base, count, needle, readable: count)
                            == expected, "\(arena) \(count) \(needle)")
                }
            }
        }
    }
}
