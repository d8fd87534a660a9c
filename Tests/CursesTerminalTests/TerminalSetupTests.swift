import CNCursesW
import DecomConsole
import Testing

@testable import CursesTerminal

@Suite struct TerminalSetupTests {
    // MARK: TERM fallbacks

    @Test func unknownTermIsTriedFirstThenTheFallbacks() {
        #expect(
            TerminalSetup.terminalCandidates(environment: ["TERM": "xterm-kitty"])
                == ["xterm-kitty", "xterm-256color", "vt100"])
    }

    @Test func missingOrEmptyTermUsesTheFallbacks() {
        #expect(TerminalSetup.terminalCandidates(environment: [:]) == ["xterm-256color", "vt100"])
        #expect(
            TerminalSetup.terminalCandidates(environment: ["TERM": ""])
                == ["xterm-256color", "vt100"])
    }

    @Test func aFallbackAsTermIsNotTriedTwice() {
        #expect(
            TerminalSetup.terminalCandidates(environment: ["TERM": "xterm-256color"])
                == ["xterm-256color", "vt100"])
        #expect(
            TerminalSetup.terminalCandidates(environment: ["TERM": "vt100"])
                == ["vt100", "xterm-256color"])
    }

    // MARK: Colour depth

    static let direct = TerminalSetup.directColorCount

    @Test(arguments: ["", "1", "0", "false", "yes"])
    func noColorWithAnyValueMeansAttributesAlone(value: String) {
        for (colorTerm, colors) in [("truecolor", Self.direct), ("", 256), ("", 16), ("", 8)] {
            let environment = ["NO_COLOR": value, "COLORTERM": colorTerm]
            #expect(
                TerminalSetup.colorDepth(environment: environment, hasColors: true, colors: colors)
                    == .none, "NO_COLOR=\(value) COLORS=\(colors)")
        }
    }

    @Test(arguments: ["truecolor", "24bit", "TrueColor", "24BIT"])
    func trueColorNeedsColortermAndADirectColourEntry(colorTerm: String) {
        #expect(
            TerminalSetup.colorDepth(
                environment: ["COLORTERM": colorTerm], hasColors: true, colors: Self.direct)
                == .trueColor)
        #expect(
            TerminalSetup.colorDepth(
                environment: ["COLORTERM": colorTerm], hasColors: true, colors: 256)
                == .colors256, "COLORTERM alone is not enough: ncurses must take RGB")
    }

    @Test func aDirectColourEntryWithoutColortermDrawsIn256() {
        #expect(
            TerminalSetup.colorDepth(environment: [:], hasColors: true, colors: Self.direct)
                == .colors256)
        #expect(
            TerminalSetup.colorDepth(
                environment: ["COLORTERM": "yes"], hasColors: true, colors: Self.direct)
                == .colors256)
    }

    @Test func countsBelowDirectColour() {
        let depth = { TerminalSetup.colorDepth(environment: [:], hasColors: true, colors: $0) }
        #expect(depth(256) == .colors256)
        #expect(depth(88) == .colors16)
        #expect(depth(16) == .colors16)
        #expect(depth(8) == .colors16, "8 colours draw the bright half with the dark half")
        #expect(depth(2) == .none)
        #expect(depth(0) == .none)
    }

    @Test func noColoursAtAllMeansAttributesAlone() {
        #expect(
            TerminalSetup.colorDepth(
                environment: ["COLORTERM": "truecolor"], hasColors: false, colors: 0) == .none)
    }
}

@Suite struct SupportedAttributesTests {
    @Test func readsTheAttributeBitsNcursesReports() {
        let vt100 = decom_attributes(
            UInt32(TextAttributes([.bold, .underline, .reverse]).rawValue))
        #expect(
            TerminalSetup.supportedAttributes(terminal: vt100) == [.bold, .underline, .reverse])
        #expect(TerminalSetup.supportedAttributes(terminal: 0) == [])
        let all = decom_attributes(UInt32(TextAttributes.every.rawValue))
        #expect(TerminalSetup.supportedAttributes(terminal: all) == .every)
    }
}
