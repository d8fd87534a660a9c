import DecomConsole
import DecomCore
import DecomStore
import Foundation

/// `--huge`: whether 10,000,000 devices are usable (issue 16). The fleet is made once, in
/// process, by `Seeder` (the code of `decom seed`; it takes many minutes), then: `decom list` with a selective query (`id:` and `serial:`, whole processes), the
/// console's first frame and a filter keystroke, headless as ``ConsoleBench`` measures them.
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
        let middle = Self.devices / 2
        var byID = Samples()
        var bySerial = Samples()
        let serial = try Self.serial(of: Int64(middle), path: path)
        for _ in 0..<runs {
            byID.add(
                try Self.timed(decom, ["list", "id:\(middle)", "--format", "csv", "--db", path]))
            bySerial.add(
                try Self.timed(
                    decom, ["list", "serial:\(serial)", "--format", "csv", "--db", path]))
        }
        figures.append(
            Figure(
                name: "list id:N --format csv", unit: "ms", ours: byID, target: .none,
                note: "whole process"))
        figures.append(
            Figure(
                name: "list serial:X --format csv", unit: "ms", ours: bySerial, target: .none,
                note: "whole process"))

        progress("console first frame")
        var first = Samples()
        for _ in 0..<runs {
            first.add(try milliseconds { consume(try ConsoleBench.firstFrame(path: path).1) })
        }
        figures.append(
            Figure(
                name: "first frame", unit: "ms", ours: first, target: .under(1_000),
                note: "open, first page and count, reduce, render 120x40"))

        progress("console: the whole fleet, then the filter")
        var (state, _, store) = try ConsoleBench.firstFrame(path: path)
        var whole = Samples()
        whole.add(try milliseconds { try ConsoleBench.wholeFleet(&state, store: store) })
        figures.append(
            Figure(
                name: "  then the whole fleet", unit: "ms", ours: whole, target: .none,
                note: "read in the background, applied, rendered; once"))
        var keystroke = Samples()
        for _ in 0..<max(1, min(runs, 2)) {
            var typing = state
            ConsoleBench.press(&typing, .char("/"))
            for character in ConsoleBench.query {
                keystroke.add(milliseconds { ConsoleBench.press(&typing, .char(character)) })
            }
        }
        figures.append(
            Figure(
                name: "filter keystroke", unit: "ms", ours: keystroke, target: .under(150),
                note: "typing \"\(ConsoleBench.query)\", per key"))
        if kept == nil { DeletionBench.remove(path) }
        return SizeResult(devices: Self.devices, seedSeconds: seedSeconds, figures: figures)
    }

    /// The serial number of device `id`, for a selective query on a text column.
    static func serial(of id: Int64, path: String) throws -> String {
        let store = try SQLiteFleetStore(path: path)
        let facts = try store.read { try $0.facts(ids: [id]) }
        guard let serial = facts[id]?.serialNumber else {
            throw BenchError("device \(id) has no serial number")
        }
        return serial
    }

    /// This process's peak resident memory in MB (`VmHWM`).
    static func peakMemory() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kilobytes / 1_024
    }

    /// A whole process: milliseconds from launch to exit.
    static func timed(_ executable: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let elapsed = try milliseconds {
            try process.run()
            process.waitUntilExit()
        }
        guard process.terminationStatus == 0 else {
            throw BenchError(
                "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)"
            )
        }
        return elapsed
    }
}
