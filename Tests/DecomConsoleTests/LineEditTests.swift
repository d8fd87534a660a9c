import DecomConsole
import Foundation
import Testing

/// The readline keys on one line, character by character (grapheme clusters).
@Suite struct LineEditTests {
    func edited(_ text: String, cursor: Int? = nil, _ keys: Key...) -> (String, Int) {
        var line = LineEdit(text)
        if let cursor {
            _ = line.apply(.home)
            for _ in 0..<cursor { _ = line.apply(.right) }
        }
        for key in keys { _ = line.apply(key) }
        return (line.text, line.cursor)
    }

    @Test func movesByCharacterAndToTheEnds() {
        #expect(edited("abc", .left, .left) == ("abc", 1))
        #expect(edited("abc", .home, .right) == ("abc", 1))
        #expect(edited("abc", .ctrl("a")) == ("abc", 0))
        #expect(edited("abc", cursor: 1, .ctrl("e")) == ("abc", 3))
        #expect(edited("abc", .right) == ("abc", 3), "not past the end")
        #expect(edited("abc", .home, .left) == ("abc", 0), "not before the start")
    }

    @Test func insertsAndDeletesAtTheCursor() {
        #expect(edited("ac", cursor: 1, .char("b")) == ("abc", 2))
        #expect(edited("abc", cursor: 1, .backspace) == ("bc", 0))
        #expect(edited("abc", cursor: 1, .delete) == ("ac", 1))
        #expect(edited("abc", .home, .backspace) == ("abc", 0))
    }

    @Test func killsToTheEndsAndTheWordBefore() {
        #expect(edited("status:x os:ios", cursor: 9, .ctrl("k")) == ("status:x ", 9))
        #expect(edited("status:x os:ios", cursor: 9, .ctrl("u")) == ("os:ios", 0))
        #expect(edited("status:x os:ios  ", .ctrl("w")) == ("status:x ", 9))
        #expect(edited("a b", cursor: 2, .ctrl("w")) == ("b", 0))
    }

    @Test func altMovesByWordsOfLettersAndDigits() {
        #expect(edited("status:in_service os", .alt("b")) == ("status:in_service os", 18))
        #expect(
            edited("status:in_service os", .alt("b"), .alt("b")) == ("status:in_service os", 10))
        #expect(edited("status:in_service os", .home, .alt("f")) == ("status:in_service os", 6))
    }

    @Test func graphemesAreNeverSplit() {
        // e + combining acute, a flag (two scalars), a family emoji (ZWJ sequence), CJK.
        let text = "Zoe\u{301} 🇫🇷 👩‍👩‍👧 会議"
        #expect(text.count == 10)
        #expect(edited(text, .left, .left, .left) == (text, 7))
        var line = LineEdit(text)
        for _ in 0..<3 { _ = line.apply(.left) }
        _ = line.apply(.backspace)
        #expect(line.text == "Zoe\u{301} 🇫🇷  会議", "one Backspace takes the whole family")
        _ = line.apply(.left)
        _ = line.apply(.left)
        _ = line.apply(.delete)
        #expect(line.text == "Zoe\u{301}   会議", "one Delete takes the whole flag")
        var accent = LineEdit("Zo")
        _ = accent.apply(.char("e"))
        _ = accent.apply(.char("\u{301}"))
        #expect(accent.text == "Zoé" && accent.cursor == 3)
    }

    @Test func otherKeysAreThePromptsToHandle() {
        var line = LineEdit("x")
        let outcomes = [Key.enter, .escape, .tab, .up, .down, .left, .char("y")].map {
            line.apply($0)
        }
        #expect(outcomes == [.ignored, .ignored, .ignored, .ignored, .ignored, .moved, .edited])
    }
}

/// The prompts' histories on disk: kept across runs, bounded, written whole, safe to read
/// whatever the file holds.
@Suite struct PromptHistoryFileTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("decom-history-\(UUID().uuidString)").path
        return path + "/state/decom"
    }

    @Test func theFolderFollowsXDGStateHome() {
        #expect(
            PromptHistoryFile.directory(environment: ["XDG_STATE_HOME": "/x/", "HOME": "/h"])
                == "/x/decom")
        #expect(
            PromptHistoryFile.directory(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])
                == "/h/.local/state/decom", "a relative XDG_STATE_HOME is ignored")
        #expect(PromptHistoryFile.directory(environment: ["HOME": "/h"]) == "/h/.local/state/decom")
        #expect(PromptHistoryFile.directory(environment: [:]) == nil)
    }

    @Test func aHistoryComesBackAsItWasWritten() throws {
        let dir = try folder()
        let entries = ["status:in_service", "name:\"a\\b\"", "two\nlines", "cr\rhere", "会議 🇫🇷"]
        try PromptHistoryFile.save(PromptHistory(entries), .filter, directory: dir)
        #expect(PromptHistoryFile.load(.filter, directory: dir).entries == entries)
        #expect(PromptHistoryFile.load(.command, directory: dir).entries.isEmpty)
        let mode = try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o700)
    }

    @Test func theHistoryIsBounded() throws {
        var history = PromptHistory()
        for i in 0..<1_000 { history.record("q\(i)") }
        #expect(history.entries.count == PromptHistory.limit)
        #expect(history.entries.last == "q999")
        let long = history.record(String(repeating: "x", count: PromptHistory.longestLine + 1))
        let blank = history.record("   ")
        #expect(!long && !blank)
    }

    @Test func aHostileFileGivesAtMostTheLimitOfPlainLines() throws {
        let dir = try folder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes = Data()
        for i in 0..<5_000 { bytes += Data("line \(i)\r\n".utf8) }
        bytes += Data([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a])
        bytes += Data(String(repeating: "y", count: 10_000).utf8)
        try bytes.write(to: URL(fileURLWithPath: PromptHistoryFile.path(.filter, directory: dir)))
        let history = PromptHistoryFile.load(.filter, directory: dir)
        #expect(history.entries.count <= PromptHistory.limit)
        #expect(history.entries.allSatisfy { $0.count <= PromptHistory.longestLine })
        #expect(history.entries.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
        #expect(history.entries.contains("line 4999"))
    }
}
