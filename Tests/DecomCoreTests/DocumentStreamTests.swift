import DecomCore
import DecomTestSupport
import Foundation
import Testing

/// `decom list --format json` streams its document (``DeviceListDocument/stream(_:into:)``):
/// the bytes must be those of the one encoder (``Documents/text(_:pretty:)``, JSONEncoder
/// then the escaping pass) that every other document still goes through.
/// A noncharacter, which Swift's string literals refuse.
func nonchar(_ value: UInt32) -> String { Unicode.Scalar(value).map { String($0) } ?? "" }

@Suite struct DocumentStreamTests {
    static let now = Date(timeIntervalSince1970: 1_764_892_800)  // 2025-12-05

    static func summaries(_ count: Int, seed: UInt64) -> [DeviceSummary] {
        let evaluator = ComplianceEvaluator(now: now)
        return DemoFleet.generate(count: count, seed: seed, now: now).map {
            DeviceSummary($0.device, compliance: evaluator.verdict($0.device))
        }
    }

    static func encoded(_ rows: [DeviceSummary]) throws -> String {
        try Documents.text(DeviceListDocument(data: rows.map(SummaryDocument.init)))
    }

    static func streamed(_ rows: [DeviceSummary], chunk: Int = 65_536) -> String {
        var chunks: [[UInt8]] = []
        var stream = ByteStream(chunk: chunk) { chunks.append($0) }
        DeviceListDocument.stream(rows, into: &stream)
        stream.flush()
        return String(decoding: chunks.joined(), as: UTF8.self)
    }

    /// Hostile text of every kind the escaping knows: C0 controls, DEL, C1 controls,
    /// bidirectional marks, line separators, noncharacters (of the BMP and beyond), quotes,
    /// backslashes and slashes, combining marks, emoji, and the fuzz generator's mixtures.
    static func hostile() -> [DeviceSummary] {
        var texts = (0..<0x20).map { "c\(Unicode.Scalar(UInt8($0)))x" }
        texts += [
            "\u{7F}", "\u{80}\u{9B}31m\u{9F}", "a\u{202A}b\u{202E}c\u{2066}d\u{2069}",
            "\u{200E}\u{200F}\u{061C}",
            "line\u{2028}para\u{2029}", nonchar(0xFDD0) + nonchar(0xFFFE) + nonchar(0xFFFF),
            "astral" + nonchar(0x1FFFE) + nonchar(0x10FFFF),
            "\"quoted\" \\back\\ /slash/", "e\u{301}", "👩🏽‍💻 dev", "日本語", "\u{200B}zw\u{FEFF}",
            "\u{1B}]0;pwned\u{07}", "", " ", "trailing ", "\u{0600} ",
        ]
        var fuzz = FuzzText(seed: 16)
        for _ in 0..<Stress.count(200, long: 5_000) {
            texts.append(fuzz.compose(["name", "é", "\u{2028}", "/"], count: 1...12))
        }
        let base = summaries(1, seed: 3)[0]
        return texts.enumerated().map { index, text in
            var row = base
            row.id = Int64(index + 1)
            row.name = text
            row.serialNumber = index % 3 == 0 ? nil : text
            row.label = index % 2 == 0 ? text : nil
            row.hwid = text
            row.type = index % 5 == 0 ? nil : text
            row.category = text
            row.osPlatform = text
            row.macList = index % 4 == 0 ? "" : "aa:bb:cc:dd:ee:ff;\(text)"
            row.lastSeen =
                index % 6 == 0 ? nil : Date(timeIntervalSince1970: Double(index) * -86_399.75)
            row.compliance =
                index % 3 == 0
                ? .unknown(unknown: index % 2 == 0 ? [] : [.diskEncryption])
                : index % 3 == 1
                    ? .nonCompliant(failing: [.diskEncryption, .recentCheckIn]) : .compliant
            return row
        }
    }

    @Test func theStreamedListIsTheEncodersBytesOnTheDemoFleet() throws {
        let rows = Self.summaries(3_000, seed: 5)
        #expect(try Self.encoded(rows) == Self.streamed(rows))
    }

    @Test func theStreamedListIsTheEncodersBytesOnHostileText() throws {
        let rows = Self.hostile()
        #expect(try Self.encoded(rows) == Self.streamed(rows))
    }

    @Test func anEmptyListIsTheEncodersToo() throws {
        #expect(try Self.encoded([]) == Self.streamed([]))
    }

    @Test func chunksAddUpToTheSameText() throws {
        let rows = Array(Self.summaries(200, seed: 9))
        #expect(Self.streamed(rows, chunk: 97) == Self.streamed(rows))
        var sizes: [Int] = []
        var stream = ByteStream(chunk: 4_096) { sizes.append($0.count) }
        DeviceListDocument.stream(rows, into: &stream)
        stream.flush()
        #expect(sizes.count > 10, "a long list goes out in several chunks")
    }

    @Test func hostileTextStaysValidJSONThatReadsBackExactly() throws {
        let rows = Self.hostile()
        let text = Self.streamed(rows)
        #expect(
            !text.unicodeScalars.contains { $0.value >= 0x20 && SafeText.needsEscape($0) },
            "nothing a terminal acts on reaches it raw")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let data = try #require(object?["data"] as? [[String: Any]])
        #expect(data.count == rows.count)
        // Foundation's JSON reader drops U+FEFF inside strings (it is in the text, raw, as
        // JSONEncoder left it): compared without it.
        func plain(_ text: String?) -> String? {
            text?.replacingOccurrences(of: "\u{FEFF}", with: "")
        }
        for (row, read) in zip(rows, data) {
            #expect(plain(read["name"] as? String) == plain(row.name))
            #expect(plain(read["hwid"] as? String) == plain(row.hwid))
            #expect((read["mac_addresses"] as? [String])?.map(plain) == row.macAddresses.map(plain))
        }
    }

    /// Before, a noncharacter beyond the BMP was written `\u1fffe`: one `\u` takes four
    /// digits, so a reader got U+1FFF and an `e`.
    @Test func aScalarBeyondTheBMPIsEscapedAsASurrogatePair() throws {
        let name = "a" + nonchar(0x1FFFE) + "b" + nonchar(0x10FFFF)
        #expect(try SafeText.jsonEscape(#require(Unicode.Scalar(0x1FFFE))) == "\\ud83f\\udffe")
        let text = try Documents.text(["name": name])
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        #expect(decoded["name"] == name)
    }

    @Test func isoDatesAreTheEncodersAndTheFormatStyles() throws {
        var random = SeededRandom(seed: 11)
        // Epoch, before it, 2000-02-29, late 2100, 1900, the last second of 9999, 1583-01-01
        // and the half second before it (Foundation's own formatter).
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5),
            Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
            Date(timeIntervalSince1970: 4_107_542_399.999),
            Date(timeIntervalSince1970: -2_208_988_800),
            Date(timeIntervalSince1970: 253_402_300_799),
            Date(timeIntervalSince1970: -12_212_553_600),
            Date(timeIntervalSince1970: -12_212_553_600.5),
        ]
        for _ in 0..<2_000 {
            dates.append(
                Date(timeIntervalSince1970: Double.random(in: -4e9...6e9, using: &random)))
        }
        let encoder = Documents.encoder()
        for date in dates {
            let json = String(decoding: try encoder.encode([date]), as: UTF8.self)
            #expect(json == "[\n  \"\(ISODate.text(date))\"\n]", "\(date.timeIntervalSince1970)")
            #expect(ISODate.text(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func csvRowsAreTheFieldsJoined() {
        let fields: [String?] = [nil, "", "a,b", "=1+1", "\u{1B}x", "plain", "C:\\dir", " sp "]
        #expect(
            CSVText.row(fields) == fields.map { CSVText.field($0) }.joined(separator: ",") + "\n")
    }
}
