import DecomConsole
import Testing

@testable import CursesTerminal

@Suite struct EmojiProbeTests {
    @Test func theRequestAsksForTheCursorAfterEachSampleAndErasesTheLine() {
        let text = String(decoding: EmojiProbe.request([.zwj, .modifier]), as: UTF8.self)
        #expect(
            text == "\r\u{1F469}\u{200D}\u{1F4BB}\u{1B}[6n\r\u{1F44D}\u{1F3FD}\u{1B}[6n\r\u{1B}[K")
    }

    @Test func repliesGiveColumnsInOrderSkippingOtherBytes() {
        let replies = Array("\u{1B}[12;3Rx\u{1B}[A\u{1B}[12;5R\u{1B}[1;2".utf8)
        #expect(EmojiProbe.columns(in: replies) == [3, 5])
        let split = EmojiProbe.split(replies)
        #expect(String(decoding: split.rest, as: UTF8.self) == "x\u{1B}[A\u{1B}[1;2")
    }
}
