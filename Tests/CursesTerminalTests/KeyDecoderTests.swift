import Testing

@testable import CursesTerminal

@Suite struct KeyDecoderTests {
    @Test func controlCodesBecomeKeys() {
        #expect(KeyDecoder.key(character: 3) == .ctrl("c"))
        #expect(KeyDecoder.key(character: 9) == .tab)
        #expect(KeyDecoder.key(character: 13) == .enter)
        #expect(KeyDecoder.key(character: 27) == .escape)
        #expect(KeyDecoder.key(character: 127) == .backspace)
        #expect(KeyDecoder.key(character: UInt32(("界" as Unicode.Scalar).value)) == .char("界"))
    }
}
