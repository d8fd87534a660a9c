import Testing

@testable import DecomCore

@Suite struct CSVTextTests {
    static let tricky = [
        "=HYPERLINK(\"https://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3",
        "@SUM(A1)", "\tTAB", "\rCR", "'quoted", "'=x", "''", "'", "-", "=", "-5", "+12", "-0.25",
        "1-2", "C:\\Users\\jdoe", "\\\\server\\share", "DOMAIN\\", "\\u{41}", "\\u{1B}[31m",
        "\\u{", "\\u{110000}", "\\\\u{41}", "a\u{1B}]0;pwned\u{07}b", "line\nbreak", "cr\r\nlf",
        "del\u{7F}", "\u{9B}31m", "bidi\u{202E}txt", "sep\u{2028}", "\\\u{1B}", "\\u{4\u{1B}}",
        "👩‍💻 dev laptop", "plain", " spaced ", "semi;colon\\;", "=\u{301}1+1", "'=\u{301}",
    ]

    @Test func everyTextReadsBackExactly() {
        for text in Self.tricky {
            #expect(CSVText.decode(CSVText.encode(text)) == text, "\(text.debugDescription)")
        }
    }

    /// The one-pass field for printable ASCII gives the cell the scalar-by-scalar rules give,
    /// on the tricky cells and on random ones made of the characters the rules look at.
    @Test func theASCIIFieldIsTheScalarField() {
        var texts = Self.tricky.filter { !$0.isEmpty }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("=+-@'\" ,.0123456789aZ;:")
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var text = ""
            for shift in stride(from: 0, to: 6 * Int(state >> 61 + 1), by: 6) {
                text.append(alphabet[Int((state >> UInt64(shift % 60)) & 0x3F) % alphabet.count])
            }
            texts.append(text)
        }
        var fast = 0
        for text in texts {
            if let ascii = CSVText.asciiField(text) {
                fast += 1
                #expect(ascii == CSVText.scalarField(text), "\(text.debugDescription)")
            }
            #expect(CSVText.field(text) == CSVText.scalarField(text), "\(text.debugDescription)")
        }
        #expect(fast > 10_000, "most random cells take the one-pass path")
        #expect(CSVText.asciiField("café") == nil)
        #expect(CSVText.asciiField("C:\\Users") == nil)
        #expect(CSVText.asciiField("a\tb") == nil)
    }

    @Test func noCellCarriesAControlCharacter() {
        for text in Self.tricky {
            let cell = CSVText.encode(text)
            #expect(!cell.unicodeScalars.contains(where: SafeText.needsEscape), "\(cell)")
        }
        #expect(CSVText.encode("a\u{1B}b\nc") == "a\\u{1B}b\\u{A}c")
    }

    @Test func formulasGetAQuoteAndPlainNumbersDoNot() {
        #expect(CSVText.field("=1+2") == "\"'=1+2\"")
        #expect(CSVText.field("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSVText.field("-2+3") == "\"'-2+3\"")
        #expect(CSVText.field("-5") == "-5")
        #expect(CSVText.field("+1.5") == "+1.5")
        #expect(CSVText.field("'abc") == "'abc", "a quote before ordinary text is left alone")
        #expect(CSVText.field("'=x") == "\"''=x\"")
        #expect(CSVText.field("=\u{301}1") == "\"'=\u{301}1\"", "a mark on the = changes nothing")
    }

    @Test func backslashesStayUnlessTheyWouldReadAsAnEscape() {
        #expect(CSVText.encode("C:\\Users\\jdoe") == "C:\\Users\\jdoe")
        #expect(CSVText.encode("\\u{41}") == "\\u{5C}u{41}")
    }

    @Test func handWrittenTextIsLeftAloneButForTheEscapeForms() {
        #expect(CSVText.decode("'abc") == "'abc")
        #expect(CSVText.decode("\\\\server\\share") == "\\\\server\\share")
        #expect(CSVText.decode("x\\u{e9}") == "xé")
    }
}
