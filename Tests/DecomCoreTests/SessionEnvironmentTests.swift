import Testing

@testable import DecomCore

struct SessionEnvironmentTests {
    @Test func localeAndColourVariablesAreAccepted() {
        #expect(SessionEnvironment.accepts(name: "LANG", value: "fr_FR.UTF-8"))
        #expect(SessionEnvironment.accepts(name: "LC_ALL", value: "C.UTF-8"))
        #expect(SessionEnvironment.accepts(name: "LC_CTYPE", value: "de_DE.UTF-8@euro"))
        #expect(SessionEnvironment.accepts(name: "COLORTERM", value: "truecolor"))
        #expect(SessionEnvironment.accepts(name: "NO_COLOR", value: "1"))
    }

    @Test func everythingElseIsRefused() {
        for name in [
            "DECOM_ROLE", "DECOM_DB", "LD_PRELOAD", "PATH", "HOME", "TERM", "LC_", "LC_all",
        ] {
            #expect(!SessionEnvironment.accepts(name: name, value: "admin"), "\(name)")
        }
        #expect(!SessionEnvironment.accepts(name: "LANG", value: ""), "an empty value")
        #expect(!SessionEnvironment.accepts(name: "LANG", value: "C\u{1B}[2J"))
        #expect(!SessionEnvironment.accepts(name: "LANG", value: "../../etc"))
        #expect(
            !SessionEnvironment.accepts(name: "LC_" + String(repeating: "A", count: 30), value: "C")
        )
    }

    @Test func termIsAPlainTerminfoNameElseXterm256color() {
        #expect(SessionEnvironment.terminal(fromRequest: "xterm-ghostty") == "xterm-ghostty")
        #expect(SessionEnvironment.terminal(fromRequest: "rxvt-unicode+x") == "rxvt-unicode+x")
        #expect(SessionEnvironment.terminal(fromRequest: "") == "xterm-256color")
        #expect(SessionEnvironment.terminal(fromRequest: "../../tmp/evil") == "xterm-256color")
        #expect(SessionEnvironment.terminal(fromRequest: "a\u{1B}b") == "xterm-256color")
    }
}
