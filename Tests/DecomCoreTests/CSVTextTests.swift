import DecomCore
import Testing

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
