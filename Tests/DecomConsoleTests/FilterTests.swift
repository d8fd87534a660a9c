import DecomCore
import Foundation
import Testing

@testable import DecomConsole

@Suite struct FilterTests {
    @Test func theTableNarrowsAtEachKeystroke() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "b")
        let afterB = state.view.count
        Fixture.type(&state, "eta-1")
        #expect(afterB >= 5)
        #expect(state.view.map { state.rows[$0].id } == [10])
        Fixture.press(&state, .backspace)
        #expect(state.view.count == 5)
    }

    /// Typed key by key, every query shows what it shows typed at once: narrowing from the
    /// previous keystroke's rows never loses one.
    @Test(arguments: [
        "os:ios status:in_service", "type:phone mdm:enrolled", "alpha os:macos", "beta -os:ios",
        "name:alpha-1", "compliant:no status:in_service",
    ])
    func typingKeyByKeyGivesWhatTheWholeQueryGives(_ query: String) throws {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, query)
        let expected = try DeviceQuery.parse(query).filter(Array(state.rows)).map(\.id)
        #expect(!expected.isEmpty, "the fixture has rows for \(query)")
        #expect(state.view.map { state.rows[$0].id } == expected)
    }

    @Test func enterAppliesTheFilterAndEscapeCancelsOnlyTheEdit() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha")
        Fixture.press(&state, .enter)
        #expect(state.mode == .normal)
        #expect(state.filter.appliedText == "alpha")
        #expect(state.view.count == 5)
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "-3")
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
        #expect(state.filter.appliedText == "alpha", "Esc restores the filter applied before")
        #expect(state.filter.text == "alpha")
        #expect(state.view.count == 5)
        Fixture.press(&state, .char("/"), .ctrl("u"), .enter)
        #expect(!state.filter.isActive, "Ctrl-U then Enter clears it")
        #expect(state.view.count == 10)
    }

    @Test func narrowingIsUsedOnlyWhenNoRowCanComeBack() {
        #expect(ConsoleState.narrows(from: "alp", to: "alpha"))
        #expect(ConsoleState.narrows(from: "alpha", to: "alpha os:ios"))
        #expect(!ConsoleState.narrows(from: "-a", to: "-ab"))
        #expect(!ConsoleState.narrows(from: "status:a", to: "status:archived"))
        #expect(!ConsoleState.narrows(from: "alpha", to: "alp"))
        #expect(!ConsoleState.narrows(from: "\"a b\"", to: "\"a b\" c"))
        #expect(!ConsoleState.narrows(from: "", to: "a"))
        // A free word typed on into a field term widens: `status` matched no name.
        #expect(!ConsoleState.narrows(from: "os:ios status", to: "os:ios status:a"))
    }

    /// The demo fleet sorted by name, each query typed key by key (narrowing, then on the
    /// columns): the view is the rows `DeviceQuery` keeps of the summaries, in `DeviceSort`'s
    /// order.
    @Test(arguments: [
        "lt-par", "zoë", "00:0c:29", "a4:83:e7 -status:in_service", "os:windows compliant:no",
        "mac:000c", "label:gw- rented:yes", "type:phone mdm:none", "seen:>30d", "ph-ber-0",
    ])
    func theDemoFleetShowsWhatTheQueryAndSortSay(_ query: String) throws {
        let evaluator = ComplianceEvaluator(now: Fixture.now)
        let rows = DemoFleet.generate(count: 3_000, seed: 16, now: Fixture.now).map {
            DeviceSummary($0.device, compliance: evaluator.verdict($0.device))
        }
        var state = Fixture.state(rows)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "sort name")
        Fixture.press(&state, .enter, .char("/"))
        Fixture.type(&state, query)
        let parsed = try DeviceQuery.parse(query, now: Fixture.now)
        let expected = DeviceSort(column: .name).sorted(rows.filter(parsed.matches)).map(\.id)
        #expect(!expected.isEmpty, "the demo fleet has rows for \(query)")
        #expect(state.view.map { state.rows.id(at: $0) } == expected)
    }

    /// A keystroke that extends the query filters only the rows shown (``ConsoleState/narrows``),
    /// in id order or another: typed key by key, each character deleted and typed again, the
    /// view is at every step what the query keeps of every row, in the sort's order.
    @Test(arguments: [
        "lt-par", "-lt-par", "lt,ph", "os:mac,win", "lt -ph 0", "zoë", "00:0c:29", "a -b",
    ])
    func everyKeystrokeShowsWhatTheWholeQueryShows(_ query: String) throws {
        let evaluator = ComplianceEvaluator(now: Fixture.now)
        let rows = DemoFleet.generate(count: 3_000, seed: 16, now: Fixture.now).map {
            DeviceSummary($0.device, compliance: evaluator.verdict($0.device))
        }
        for sortedByName in [false, true] {
            var state = Fixture.state(rows)
            if sortedByName {
                Fixture.press(&state, .char(":"))
                Fixture.type(&state, "sort name")
                Fixture.press(&state, .enter)
            }
            Fixture.press(&state, .char("/"))
            func check(_ step: String) {
                let text = state.filter.text.trimmingCharacters(in: .whitespaces)
                guard let parsed = try? DeviceQuery.parse(text, now: Fixture.now) else { return }
                let expected = state.sort.sorted(rows.filter(parsed.matches)).map(\.id)
                #expect(
                    state.view.map { state.rows.id(at: $0) } == expected,
                    "\(step) '\(text)', sorted by name: \(sortedByName)")
            }
            for character in query {
                Fixture.type(&state, String(character))
                check("typed")
                Fixture.press(&state, .backspace)
                check("deleted")
                Fixture.type(&state, String(character))
                check("typed again")
            }
        }
    }

    @Test func filteringAHundredThousandRowsFindsTheRightRows() {
        let rows = (1...100_000).map { i in
            Fixture.row(Int64(i), "device-\(i)", compliance: .compliant)
        }
        var state = Fixture.state(rows)
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "device-99")
        // device-99, device-990…999, device-9900…9999, device-99000…99999.
        #expect(state.view.count == 1_111)
        #expect(state.view.allSatisfy { state.rows[$0].name?.hasPrefix("device-99") == true })
        Fixture.press(&state, .backspace)
        #expect(state.view.count == 11_111, "deleting a character widens the filter again")
    }

    @Test func commandLineCompletesCommandsAndArguments() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "th")
        Fixture.press(&state, .tab)
        guard case .command(let line) = state.mode else {
            Issue.record("not in command mode")
            return
        }
        #expect(line.text == "theme ")
        Fixture.type(&state, "da")
        Fixture.press(&state, .tab)
        guard case .command(let second) = state.mode else { return }
        #expect(second.candidates == ["dark", "daylight"])
        #expect(second.text == "theme dark")
        Fixture.press(&state, .tab)
        guard case .command(let third) = state.mode else { return }
        #expect(third.text == "theme daylight")
        #expect(
            Fixture.press(&state, .enter) == [
                .setTheme("daylight"), .saveHistory(.command, ["theme daylight"]),
            ])
    }

    @Test func commandsSortFilterMarkAllAndQuit() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "sort name desc")
        Fixture.press(&state, .enter)
        #expect(state.sort == DeviceSort(column: .name, ascending: false))
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "filter beta")
        Fixture.press(&state, .enter)
        #expect(state.view.count == 5)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "mark-all")
        Fixture.press(&state, .enter)
        #expect(state.marks.count == 5)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "quit")
        #expect(Fixture.press(&state, .enter).first == .quit)
    }

    @Test func anUnknownCommandSaysSo() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "frobnicate")
        #expect(
            Fixture.press(&state, .enter) == [.saveHistory(.command, ["frobnicate"])],
            "nothing but the history, which keeps a mistyped line for editing")
        #expect(state.flash?.level == .error)
    }
}

@Suite struct FilterCompletionTests {
    @Test func tabCompletesAFieldThenItsValueAndTheViewFollows() {
        var rows = Fixture.fleet
        rows[2].clientStatus = .available
        rows[6].clientStatus = .available
        var state = Fixture.state(rows)
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "sta")
        Fixture.press(&state, .tab)
        #expect(state.filter.text == "status:")
        Fixture.type(&state, "ava")
        Fixture.press(&state, .tab)
        #expect(state.filter.text == "status:available ")
        #expect(state.view.map { state.rows[$0].id } == [3, 7])
    }

    @Test func severalAnswersAreShownOnThePromptLine() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "status:in")
        Fixture.press(&state, .tab)
        #expect(state.filter.text == "status:in_")
        let canvas = render(
            state, theme: .builtinDefault, size: (120, 30),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        let prompt = canvas.lines[28]
        #expect(prompt.contains("status:in_service"), "\(prompt)")
        Fixture.type(&state, "s")
        #expect(state.filter.options.isEmpty, "a key clears them")
    }
}
