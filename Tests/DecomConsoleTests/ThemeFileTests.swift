import Testing

@testable import DecomConsole

@Suite struct ThemeFileTests {
    @Test func parsesEveryKindOfColourAndAttributes() throws {
        let text = """
            name: mine
            description: test
            assumes: light
            palette:
              accent: "#112233"
            styles:
              header: {fg: bright_white, bg: "#0000ee", attrs: [bold, underline]}
              row: {fg: 196, bg: default, attrs: reverse}
              marked_row: {fg: accent, bg: GREY}
              unknown: {fg: grey}
              border:
            """
        let file = try ThemeFile.parse(text: text, source: "mine.yaml").get()
        #expect(file.name == "mine")
        #expect(file.description == "test")
        #expect(file.assumes == .light)
        #expect(
            file.styles[.header]
                == Style(fg: .ansi(15), bg: .rgb(0, 0, 0xee), attrs: [.bold, .underline]))
        #expect(file.styles[.row] == Style(fg: .indexed(196), attrs: [.reverse]))
        #expect(file.styles[.markedRow] == Style(fg: .rgb(0x11, 0x22, 0x33), bg: .ansi(8)))
        #expect(file.styles[.unknown] == Style(fg: .ansi(8)))
        #expect(file.styles[.border] == Style())
        #expect(file.styles[.cursorRow] == nil)
    }

    @Test func colourNames() {
        #expect(ColorName.parse("default") == .default)
        #expect(ColorName.parse("black") == .ansi(0))
        #expect(ColorName.parse("bright_white") == .ansi(15))
        #expect(ColorName.parse("gray") == .ansi(8))
        #expect(ColorName.parse("0") == .indexed(0))
        #expect(ColorName.parse("255") == .indexed(255))
        #expect(ColorName.parse("256") == nil)
        #expect(ColorName.parse("-1") == nil)
        #expect(ColorName.parse("#FFa500") == .rgb(255, 165, 0))
        #expect(ColorName.parse("#ffa50") == nil)
        #expect(ColorName.parse("#gggggg") == nil)
        #expect(ColorName.parse("orange") == nil)
        #expect(ColorName.text(.rgb(255, 165, 0)) == "#ffa500")
    }

    @Test func notYAMLNamesTheLine() {
        let problems = ThemeFixtures.problems("name: x\nstyles:\n  row: {fg: red\n  bad: [\n")
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix("not YAML") == true)
        #expect((problems.first?.line ?? 0) >= 3)
        #expect(problems.first?.description.hasPrefix("t.yaml:") == true)
    }

    @Test func everyProblemIsReportedWithItsLine() {
        let text = """
            name: x
            colour: blue
            styles:
              header: {fg: red}
              rowz: {fg: red}
              row: {fg: orange}
              cursor_row: {attrs: [bold, blink]}
              marked_row: {fg: red, weight: bold}
              archived_row: [red]
            """
        let problems = ThemeFixtures.problems(text)
        let byLine = Dictionary(grouping: problems, by: \.line)
        #expect(problems.count == 6)
        #expect(byLine[2]?.first?.message.contains("unknown key 'colour'") == true)
        #expect(byLine[5]?.first?.message.contains("unknown role 'rowz'") == true)
        #expect(byLine[6]?.first?.message.contains("unknown colour 'orange'") == true)
        #expect(byLine[7]?.first?.message.contains("unknown attribute 'blink'") == true)
        #expect(byLine[8]?.first?.message.contains("unknown key 'weight'") == true)
        #expect(byLine[9]?.first?.message.contains("must be a mapping") == true)
    }

    @Test func wrongTypes() {
        let problems = ThemeFixtures.problems("name: [a, b]\npalette: 3\nstyles: nope\n")
        #expect(problems.map(\.line) == [1, 2, 3])
        #expect(
            ThemeFixtures.problems("- a\n- b\n").first?.message.contains("expected a mapping")
                == true)
        #expect(ThemeFixtures.problems("").first?.message == "the file is empty")
        #expect(
            ThemeFixtures.problems("assumes: dim\n").first?.message.contains("dark or light")
                == true)
    }

    @Test func unquotedHashColourGetsAHint() {
        let problems = ThemeFixtures.problems("styles:\n  row:\n    fg: #ff0000\n")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 3)
        #expect(problems.first?.message.contains("must be quoted") == true)
    }

    @Test func roleSuggestion() {
        let problems = ThemeFixtures.problems("styles:\n  cursor-row: {}\n")
        #expect(problems.first?.message.contains("did you mean cursor_row?") == true)
    }

    @Test func paletteNamesCannotShadowColours() {
        let problems = ThemeFixtures.problems("palette:\n  red: \"#ff0000\"\n")
        #expect(problems.first?.line == 2)
        #expect(problems.first?.message.contains("already a colour") == true)
    }

    @Test func deepNestingIsRefusedWithoutCrashing() {
        let flow =
            "styles: " + String(repeating: "[", count: 100_000)
            + String(repeating: "]", count: 100_000)
        #expect(ThemeFixtures.problems(flow).first?.message.contains("nesting deeper") == true)
        var block = ""
        for depth in 0..<200 { block += String(repeating: " ", count: depth) + "k\(depth):\n" }
        let problem = ThemeFixtures.problems(block).first
        #expect(problem?.message.contains("nesting deeper") == true)
        #expect(problem?.line ?? 0 > 1)
        let dashes = "styles:\n  row:\n    " + String(repeating: "- ", count: 500) + "x\n"
        #expect(ThemeFixtures.problems(dashes).first?.message.contains("nesting deeper") == true)
    }

    @Test func aliasesAreRefused() {
        let text = "palette:\n  a: &x \"#000000\"\nstyles:\n  row: {fg: *x}\n"
        let problems = ThemeFixtures.problems(text)
        #expect(problems.first?.line == 2)
        #expect(problems.first?.message.contains("aliases") == true)
    }

    @Test func hugeFilesAreRefused() {
        let text = "description: " + String(repeating: "x", count: 300_000) + "\n"
        #expect(ThemeFixtures.problems(text).first?.message.contains("the limit is") == true)
    }

    @Test func duplicateKeysAreProblems() {
        let problems = ThemeFixtures.problems("styles:\n  row: {}\n  row: {}\n")
        #expect(problems.first?.message.contains("duplicate key") == true)
    }

    @Test func colonsInsideValuesAreNotNesting() throws {
        let description = String(repeating: "a:b", count: 100)
        let file = try ThemeFile.parse(text: "description: \(description)\n", source: "t").get()
        #expect(file.description == description)
    }

    @Test func tabsAndBadBytesAreProblemsNotCrashes() {
        #expect(ThemeFixtures.problems("styles:\n\trow: {}\n").first?.line == 2)
        #expect(!ThemeFixtures.problems("\u{0}\u{1}: [}").isEmpty)
    }

    @Test func plainTextWithAmpersandIsFine() throws {
        let file = try ThemeFile.parse(text: "description: fish & chips * 2\n", source: "t").get()
        #expect(file.description == "fish & chips * 2")
    }
}
