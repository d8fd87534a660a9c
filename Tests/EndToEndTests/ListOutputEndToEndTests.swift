import Foundation
import Testing

/// `decom list` writes its rows as they are formatted, in 64 KiB chunks: a listing of many
/// chunks arrives whole, in every format, and the three formats list the same devices.
@Suite struct ListOutputEndToEndTests {
    @Test func aListingOfManyChunksArrivesWholeInEveryFormat() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let seeded = try decom.run(["seed", "--devices", "3000", "--seed", "16"])
        #expect(seeded.status == 0, "\(seeded.stderr)")

        let json = try decom.run(["list", "--all", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.utf8.count > 4 * 65_536, "the document spans several chunks")
        #expect(json.stdout.hasSuffix("\n  ]\n}\n"))
        let rows = try #require(try json.json()["data"] as? [[String: Any]])
        let jsonIDs = rows.compactMap { $0["id"] as? Int }
        #expect(jsonIDs == Array(1...3000))

        let csv = try decom.run(["list", "--all", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("id,name,serial_number,") == true)
        #expect(lines.last == "", "the last line ends with a line feed")
        #expect(lines.dropFirst().dropLast().compactMap { Int($0.prefix { $0 != "," }) } == jsonIDs)

        let table = try decom.run(["list", "--all"])
        #expect(table.status == 0, "\(table.stderr)")
        let tableLines = table.stdout.split(separator: "\n")
        #expect(tableLines.count == 3002, "title, 3000 rows, count")
        #expect(tableLines.last == "3000 devices")
        #expect(!tableLines.contains { $0.hasSuffix(" ") }, "no line ends in a space")
        let tableIDs = tableLines.dropFirst().dropLast().compactMap {
            Int($0.split(separator: " ").first ?? "")
        }
        #expect(tableIDs == jsonIDs)
        for (row, line) in zip(rows, tableLines.dropFirst()) where (row["name"] as? String) != nil {
            let name = try #require(row["name"] as? String)
            let ascii = name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            if ascii && name.count <= 28 { #expect(line.contains(name)) }
        }
    }
}
