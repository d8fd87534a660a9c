import DecomConsole
import DecomCore
import DecomStore
import Foundation

/// `--huge`: whether 10,000,000 devices are usable (issue 16). The fleet is made once, in
/// process, by `Seeder` (the code of `decom seed`), then: `decom list` with a selective
/// query (`id:` and `serial:`, whole processes, against `sqlite3` giving the same rows), the
/// console's first frame, the whole fleet read and its peak memory, and a filter keystroke,
/// headless as ``ConsoleBench`` measures them.
/// Not part of `make test`; needs `--decom` and room for the file (about 13 GB, and as much
/// again for the write-ahead log while the seed runs).
struct HugeBench {
    static let devices = 10_000_000

    let decom: String
    let folder: URL
    let runs: Int
    /// A fleet of this size kept from an earlier run (`--fleet`), else made in `folder`.
    let kept: String?

    func measure() throws -> SizeResult {
        var figures: [Figure] = []
        let path: String
        var seedSeconds = 0.0
        if let kept, FileManager.default.fileExists(atPath: kept) {
            path = kept
        } else {
            // In process, as every size of the benchmark is made: `Seeder`, the code of
            // `decom seed`, one transaction in chunks of 10,000.
            progress("seeding \(Report.count(Self.devices)) devices (many minutes)")
            let fleet = try BenchFleet.create(devices: Self.devices, in: folder, path: kept)
            path = fleet.path
            seedSeconds = fleet.seconds
            var seed = Samples()
            seed.add(fleet.seconds * 1_000)
            var peak = Samples()
            peak.add(Self.peakMemory())
            figures.append(
                Figure(
                    name: "seed (decom seed's Seeder)", unit: "ms", ours: seed, target: .none,
                    note: "in process, once, then checkpointed"))
            figures.append(
                Figure(
                    name: "  peak memory so far", unit: "MB", ours: peak, target: .none,
                    note: "this process's VmHWM after the seed"))
        }

        progress("decom list, selective")
        let middle = Int64(Self.devices / 2)
        let serial = try ListBench.serial(of: middle, in: path)
        let active = "r.client_status <> 'ARCHIVED'"
        figures.append(
            try listFigure(
                "list id:N --format csv", ["list", "id:\(middle)", "--format", "csv"],
                peer: ListBench.csv(where: "\(active) AND r.id = \(middle)"), path: path,
                note: "whole processes; sqlite3 the same row, CSV"))
        figures.append(
            try listFigure(
                "list serial:X --format csv", ["list", "serial:\(serial)", "--format", "csv"],
                peer: ListBench.csv(where: "\(active) AND r.serial_number LIKE '%\(serial)%'"),
                path: path, note: "a substring of serials; sqlite3 LIKE, CSV"))

        progress("console first frame")
        var first = Samples()
        for _ in 0..<runs {
            first.add(try milliseconds { consume(try ConsoleBench.firstFrame(path: path).1) })
        }
        figures.append(
            Figure(
                name: "first frame", unit: "ms", ours: first, target: .under(1_000),
                note: "open, first page, reduce, render 120x40 (the count follows)"))

        progress("console: the whole fleet, then the filter")
        var (state, _, store) = try ConsoleBench.firstFrame(path: path)
        var whole = Samples()
        whole.add(try milliseconds { try ConsoleBench.wholeFleet(&state, store: store) })
        figures.append(
            Figure(
                name: "  then the whole fleet", unit: "ms", ours: whole, target: .none,
                note: "read in the background, applied, rendered; once"))
        var memory = Samples()
        memory.add(Self.peakMemory())
        figures.append(
            Figure(
                name: "  peak memory with it", unit: "MB", ours: memory, target: .none,
                note: kept == nil ? "VmHWM, the seed's included" : "this process's VmHWM"))
        var keystroke = Samples()
        var firstKey = Samples()
        for _ in 0..<max(1, min(runs, 2)) {
            var typing = state
            ConsoleBench.press(&typing, .char("/"))
            for (n, character) in ConsoleBench.query.enumerated() {
                let time = milliseconds { ConsoleBench.press(&typing, .char(character)) }
                keystroke.add(time)
                if n == 0 { firstKey.add(time) }
            }
        }
        figures.append(
            Figure(
                name: "filter keystroke", unit: "ms", ours: keystroke, target: .under(150),
                note: "typing \"\(ConsoleBench.query)\", per key"))
        figures.append(
            Figure(
                name: "  first filter key", unit: "ms", ours: firstKey, target: .under(150),
                note: "\"l\": every row searched"))
        if kept == nil { DeletionBench.remove(path) }
        return SizeResult(devices: Self.devices, seedSeconds: seedSeconds, figures: figures)
    }

    /// `decom` and the `sqlite3` shell in turn, as whole processes, `runs` times each; the
    /// goal is the 1,000,000-device one (3x the peer).
    func listFigure(
        _ name: String, _ arguments: [String], peer: [String], path: String, note: String
    ) throws -> Figure {
        let shell = try BareSQL.shell()
        var ours = Samples()
        var bare = Samples()
        for _ in 0..<runs {
            ours.add(try Self.timed(decom, arguments + ["--db", path]))
            bare.add(try Self.timed(shell, peer.dropLast() + [path] + peer.suffix(1)))
        }
        return Figure(
            name: name, unit: "ms", ours: ours, bare: bare, target: .ratio(3), note: note)
    }

    /// This process's peak resident memory in MB (`VmHWM`).
    static func peakMemory() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kilobytes / 1_024
    }

    /// A whole process: milliseconds from launch to exit (``Spawned``).
    static func timed(_ executable: String, _ arguments: [String]) throws -> Double {
        let exit = try Spawned.run(executable, arguments)
        guard exit.status == 0 else {
            throw BenchError(
                "\(executable) \(arguments.joined(separator: " ")) exited \(exit.status)")
        }
        return exit.milliseconds
    }
}
