import DecomCore
import Foundation

// decom-bench: the console's and the deletions' figures at fleet scale (issue 5).
//
//   decom-bench [--large | --huge] [--json] [--runs N] [--sizes 10000,100000]
//               [--only console,memory,deletions,import,list] [--fleet PATH] [--decom PATH]
//
// Build it in release mode: `swift build -c release --product decom-bench`, or `make bench`;
// build `--product decom-floor` too (the C floor of the filter keys and memory, FloorBench).

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == MemoryProbe.flag, arguments.count == 2 {
    do {
        try MemoryProbe.runChild(path: arguments[1])
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("memory probe: \(error)\n".utf8))
        exit(1)
    }
}

struct Options {
    var sizes = [10_000, 100_000]
    var json = false
    var runs = 5
    /// Which groups of figures to measure: console, memory, deletions, import, list (the
    /// last needs `--decom`).
    var groups: Set<String> = ["console", "memory", "deletions", "import", "list"]
    /// A fleet file kept between runs (for profiling): used when it exists, else generated
    /// there at the first size; only that size is measured.
    var fleet: String?
    /// The `decom` binary, for the whole-process start-up figure (`show 1`).
    var decom: String?
    /// `--huge`: only the 10,000,000-device figures (``HugeBench``), which need `--decom`.
    var huge = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--large": sizes.append(1_000_000)
            case "--huge": huge = true
            case "--json": json = true
            case "--runs":
                guard let value = rest.popFirst().flatMap({ Int($0) }), value >= 1 else {
                    throw BenchError("--runs needs a whole number from 1")
                }
                runs = value
            case "--sizes":
                let values = rest.popFirst()?.split(separator: ",").compactMap { Int($0) } ?? []
                guard !values.isEmpty, values.allSatisfy({ $0 >= 10 }) else {
                    throw BenchError("--sizes needs device counts like 10000,100000")
                }
                sizes = values
            case "--decom":
                guard let path = rest.popFirst() else { throw BenchError("--decom needs a path") }
                decom = path
            case "--fleet":
                guard let path = rest.popFirst() else { throw BenchError("--fleet needs a path") }
                fleet = path
            case "--only":
                let values = Set(rest.popFirst()?.split(separator: ",").map(String.init) ?? [])
                guard !values.isEmpty, values.isSubset(of: groups) else {
                    throw BenchError(
                        "--only takes console, memory, deletions, import or list, comma-separated"
                    )
                }
                groups = values
            case "-h", "--help":
                print(
                    "usage: decom-bench [--large | --huge] [--json] [--runs N] [--sizes N,N...] [--only console,memory,deletions,import,list] [--decom PATH]"
                )
                exit(0)
            default:
                throw BenchError("unknown argument '\(argument)'; see --help")
            }
        }
    }
}

func progress(_ text: String) {
    FileHandle.standardError.write(Data("decom-bench: \(text)\n".utf8))
}

func runBenchmark(_ options: Options) throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("decom-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }

    var results: [SizeResult] = []
    var sizes = options.fleet == nil ? options.sizes : Array(options.sizes.prefix(1))
    if options.huge {
        guard let decom = options.decom else { throw BenchError("--huge needs --decom PATH") }
        sizes = []
        results.append(
            try HugeBench(
                decom: decom, folder: folder, runs: min(options.runs, 3), kept: options.fleet
            )
            .measure())
    }
    for devices in sizes {
        let fleet: (path: String, seconds: Double)
        if let kept = options.fleet, FileManager.default.fileExists(atPath: kept) {
            fleet = (kept, 0)
        } else {
            progress("generating \(Report.count(devices)) devices")
            fleet = try BenchFleet.create(devices: devices, in: folder, path: options.fleet)
        }
        let targets = Targets.forSize(devices)
        var figures: [Figure] = []
        if options.groups.contains("console") {
            progress("console figures")
            figures += try ConsoleBench(path: fleet.path, runs: options.runs)
                .measure(targets: targets)
        }
        if options.groups.contains("console") {
            // The demo generator, in memory: a test once bounded it in wall time, which failed
            // on a busy machine; its figure belongs here.
            var generated = Samples()
            for _ in 0..<options.runs {
                generated.add(
                    milliseconds { _ = DemoFleet.generate(count: devices, seed: 1, now: Date()) })
            }
            figures.append(
                Figure(
                    name: "demo fleet generated", unit: "ms", ours: generated,
                    target: .under(Double(devices) / 50),
                    note: "DemoFleet.generate in memory, every device with its sessions"))
        }
        if options.groups.contains("memory") {
            progress("memory")
            var memory = Samples()
            for _ in 0..<max(3, options.runs / 2) {
                memory.add(try MemoryProbe.measure(path: fleet.path))
            }
            figures.append(
                Figure(
                    name: "memory (peak RSS)", unit: "MB", ours: memory,
                    target: .megabytes(targets.memory), note: "child process, VmHWM"))
        }
        if options.groups.contains("deletions") {
            progress("deletions")
            figures += try DeletionBench(pristine: fleet.path, folder: folder, runs: options.runs)
                .measure()
        }
        if options.groups.contains("import") {
            // At most three runs: a 100,000-host import takes a minute on a busy machine.
            progress("import of a Fleet export")
            figures += try ImportBench(devices: devices, folder: folder, runs: min(options.runs, 3))
                .measure()
        }
        if let decom = options.decom, options.groups.contains("list") {
            progress("decom list against sqlite3")
            figures += try ListBench(decom: decom, path: fleet.path, runs: options.runs).measure()
        }
        if let decom = options.decom {
            progress("start-up")
            figures.append(
                try StartupBench(decom: decom, path: fleet.path, runs: options.runs * 4).measure())
        }
        // The console's filter keys and peak memory against the C floor, after decom's.
        figures = try FloorBench(path: fleet.path, runs: options.runs).attach(to: figures)
        results.append(SizeResult(devices: devices, seedSeconds: fleet.seconds, figures: figures))
        if options.fleet == nil { DeletionBench.remove(fleet.path) }
    }
    let machine = Machine.current
    if options.json {
        print(try Report.json(results, machine: machine, runs: options.runs))
    } else {
        print(Report.table(results, machine: machine, runs: options.runs))
    }
}

do {
    try runBenchmark(try Options(arguments))
} catch {
    FileHandle.standardError.write(Data("decom-bench: \(error)\n".utf8))
    exit(1)
}
