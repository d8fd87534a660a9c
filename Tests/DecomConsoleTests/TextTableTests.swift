import DecomConsole
import DecomCore
import DecomTestSupport
import Foundation
import Testing

/// The CLI's tables (`decom list`, `history`, results) are written line by line into a
/// ``ByteStream``, with ASCII cells measured and padded as bytes: the text must be what the
/// table rendered before, byte for byte.
@Suite struct TextTableTests {
    /// The table as it was rendered until it streamed (each line built from `Canvas.fit`ted
    /// cells, trimmed as characters).
    static func reference(_ columns: [TextTable.Column], _ rows: [[String]]) -> String {
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = min(max(widths[i], DisplayWidth.of(cell)), columns[i].maxWidth)
            }
        }
        var out = ""
        func line(_ cells: [String]) {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() where i < widths.count {
                let fitted = Canvas.fit(cell, width: widths[i])
                if columns[i].rightAligned {
                    let trimmed = String(fitted.reversed().drop(while: { $0 == " " }).reversed())
                    let pad = widths[i] - DisplayWidth.of(trimmed)
                    parts.append(String(repeating: " ", count: max(0, pad)) + trimmed)
                } else {
                    parts.append(fitted)
                }
            }
            let text = parts.joined(separator: "  ")
            out += String(text.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }
        line(columns.map(\.title))
        for row in rows { line(row) }
        return out
    }

    static let listColumns: [TextTable.Column] = [
        .init(title: "ID", maxWidth: 10, rightAligned: true),
        .init(title: "NAME", maxWidth: 28),
        .init(title: "SERIAL", maxWidth: 16), .init(title: "TYPE", maxWidth: 10),
        .init(title: "OS", maxWidth: 12), .init(title: "STATUS", maxWidth: 18),
        .init(title: "MDM", maxWidth: 22), .init(title: "COMPLIANCE", maxWidth: 16),
        .init(title: "SEEN", maxWidth: 6),
    ]

    static func check(_ columns: [TextTable.Column], _ rows: [[String]]) {
        var table = TextTable(columns)
        for row in rows { table.append(row) }
        var chunks: [[UInt8]] = []
        var stream = ByteStream(chunk: 1_000) { chunks.append($0) }
        table.write(into: &stream)
        stream.flush()
        let expected = reference(columns, rows.map { $0.map { SafeText.visible($0) } })
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == expected)
        #expect(table.render() == expected)
    }

    @Test func aListingOfTheDemoFleetIsTheSameText() {
        let now = Date(timeIntervalSince1970: 1_764_892_800)
        let evaluator = ComplianceEvaluator(now: now)
        let rows = DemoFleet.generate(count: 3_000, seed: 4, now: now).map { record in
            let d = record.device
            let verdict = evaluator.verdict(d)
            return [
                String(d.id), d.name ?? "", d.serialNumber ?? "", d.type ?? "",
                d.characteristics.osPlatform ?? "", d.clientStatus.rawValue,
                d.mdm?.status.rawValue ?? "none", verdict.name,
                d.lastSeen.map { String(Int(now.timeIntervalSince($0) / 86_400)) + "d" } ?? "never",
            ]
        }
        Self.check(Self.listColumns, rows)
    }

    @Test func hostileAndWideCellsAreTheSameText() {
        var cells = [
            "", " ", "  lead", "trail  ", "\u{0600} ", "\u{0600}  x", "a\u{301} ", "日本語の名前",
            "👩🏽‍💻 dev laptop", "e\u{301}\u{301}", "\u{1B}[31mred", "tab\there", "\u{202E}rtl",
            "\u{200B}", String(repeating: "long name ", count: 5),
            "é" + String(repeating: " ", count: 40),
            "ＷＩＤＥ ＬＥＴＴＥＲＳ ＡＲＥ ＴＷＯ", "\u{FE0F}", "x\u{0600}",
        ]
        var fuzz = FuzzText(seed: 61)
        for _ in 0..<Stress.count(300, long: 5_000) {
            cells.append(fuzz.compose(["name", " ", "日本", "é", "\u{0600}"], count: 1...10))
        }
        var rows: [[String]] = []
        for (index, cell) in cells.enumerated() {
            var row = (0..<9).map { cells[(index + $0 * 7) % cells.count] }
            row[0] = index % 3 == 0 ? cell : String(index)
            if index % 11 == 0 { row.removeLast(3) }  // fewer cells than columns
            if index % 13 == 0 { row.append("beyond the last column") }
            rows.append(row)
        }
        Self.check(Self.listColumns, rows)
        Self.check(
            [.init(title: "A", maxWidth: 0), .init(title: "B", maxWidth: 1, rightAligned: true)],
            rows.map { Array($0.prefix(2)) })
        Self.check(Self.listColumns, [])
    }
}
