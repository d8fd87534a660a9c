import Foundation
import Testing

/// `make bench` itself, run small: the benchmark must print every figure of issue 5 with its
/// target, and the deletions with their bare SQL baseline and ratio. Timings are never
/// asserted here (they belong to the benchmark); the bytes a key makes the console write are
/// not timings, and are checked.
@Suite struct BenchmarkEndToEndTests {
    static var bench: String {
        DecomProcess.packageRoot.appendingPathComponent(".build/debug/decom-bench").path
    }

    @Test func theBenchmarkPrintsEveryFigureWithItsTargetAndTheBareBaselines() throws {
        let run = try Spawn.run([
            Self.bench, "--sizes", "1000", "--runs", "1", "--json", "--decom", DecomProcess.binary,
        ])
        #expect(run.exit.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let size = try #require((report["sizes"] as? [[String: Any]])?.first)
        let figures = try #require(size["figures"] as? [[String: Any]])
        let byName = Dictionary(
            figures.map { ($0["name"] as? String ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        let targeted = [
            "first frame", "first frame, new process", "filter keystroke", "first filter key",
            "sort change", "scroll (PgDn)",
            "memory (peak RSS)", "archive 10k", "undo 10k", "purge 10k", "show 1 (whole process)",
        ]
        for name in targeted {
            let figure = try #require(byName[name], "no figure \(name)")
            #expect((figure["median"] as? Double ?? 0) > 0, "\(name) has a median")
            #expect(figure["worst"] is Double, "\(name) has a worst")
            #expect(figure["target"] is String && figure["met"] is Bool, "\(name) has a target")
        }
        for name in ["archive 10k", "undo 10k", "purge 10k", "show 1 (whole process)"] {
            let figure = try #require(byName[name])
            #expect((figure["bare_median"] as? Double ?? 0) > 0, "\(name) has a bare baseline")
            #expect((figure["ratio"] as? Double ?? 0) > 0, "\(name) has a ratio")
            #expect(
                (figure["note"] as? String)?.hasPrefix("0 ") == false, "\(name) changed devices")
        }
        // The console's filter keys and peak memory beside the C floor (issue 16), with the
        // ratio; the benchmark stops with an error unless the floor matched the console's rows.
        for name in ["filter keystroke", "first filter key", "memory (peak RSS)"] {
            let figure = try #require(byName[name])
            #expect((figure["bare_median"] as? Double ?? 0) > 0, "\(name) has the C floor")
            #expect((figure["ratio"] as? Double ?? 0) > 0, "\(name) has a ratio")
            #expect((figure["note"] as? String)?.contains("bare: C floor") == true, "\(name)")
        }
        // What the audit's hash chain costs: the same archive without it, and the ratio.
        let unchained = try #require(byName["archive 10k, chain off"], "no figure for the chain")
        #expect((unchained["median"] as? Double ?? 0) > 0)
        #expect((unchained["note"] as? String)?.contains("the chain costs") == true)
    }

    /// The C floor does the console's work, not less: after each key of a word it has as many
    /// matching devices as `decom list WORD` lists, on a demo fleet (accents, emoji and CJK
    /// names included), for words of letters, digits and MAC fragments in any case.
    @Test func theCFloorMatchesTheDevicesDecomListsForEachKey() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let seeded = try decom.run(["seed", "--devices", "600", "--seed", "21"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let floor = DecomProcess.packageRoot.appendingPathComponent(".build/debug/decom-floor")
        for word in ["lt-par", "LT-Pa", "000c29", "0c-29", "Caf", "zzq", "é"] {
            let run = try Spawn.run([floor.path, "--runs", "2", decom.db, word])
            if word == "é" {
                #expect(run.exit.status == 2, "a word past ASCII is refused")
                #expect(run.stderr.contains("not a free word"), "\(run.stderr)")
                continue
            }
            #expect(run.exit.status == 0, "\(word): \(run.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let matches = try #require(report["matches"] as? [Int], "\(word): \(run.stdout)")
            let listed = try (1...word.count).map { length in
                let listing = try decom.run([
                    "list", String(word.prefix(length)), "--format", "json",
                ])
                #expect(listing.status == 0, "\(listing.stderr)")
                return try #require(listing.json()["data"] as? [Any]).count
            }
            #expect(matches == listed, "\(word)")
        }
    }

    /// `make bench`'s start-to-rows figure works from a fresh clone: the real console shows
    /// its first device's row on a pseudo-terminal (the script fails when no row comes), and
    /// so does its `sqlite3` peer. No time is asserted.
    @Test func theFirstFrameScriptSeesTheConsolesRows() throws {
        let script = DecomProcess.packageRoot.appendingPathComponent("Benchmarks/first-frame.py")
        let run = try Spawn.run([
            "python3", script.path, "--decom", DecomProcess.binary, "--devices", "1000",
            "--runs", "2", "--json",
        ])
        #expect(run.exit.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["devices"] as? Int == 1_000)
        #expect((report["median_ms"] as? Double ?? 0) > 0)
        #expect((report["sqlite3_median_ms"] as? Double ?? 0) > 0)
    }

    @Test func aCursorMoveWritesFewerThan200BytesWithTheArrowCursor() throws {
        let script = DecomProcess.packageRoot.appendingPathComponent("Benchmarks/tty-bytes.py")
        let run = try Spawn.run([
            "python3", script.path, "--decom", DecomProcess.binary, "--devices", "1000", "--json",
        ])
        #expect(run.exit.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let bytes = try #require(report["bytes"] as? [String: [String: Int]])
        let bar = try #require(bytes["bar"])
        let arrow = try #require(bytes["arrow"])
        #expect((arrow["cursor move"] ?? .max) < 200)
        #expect((bar["cursor move"] ?? 0) > (arrow["cursor move"] ?? .max), "the bar sends more")
        #expect((bar["one-line scroll"] ?? .max) < 1_000)
        #expect((arrow["one-line scroll"] ?? .max) < 1_000)
        // A PgDn repaints the table, not the whole screen: less than the first frame.
        #expect((bar["PgDn"] ?? .max) < (bar["first frame"] ?? 0))
    }
}
