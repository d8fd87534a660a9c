import DecomConsole
import Foundation

/// The C floor of the console's filter keys and peak memory (issue 16): `decom-floor`, a plain
/// C program over the same SQLite that reads the active devices' searched text into one arena
/// and types the same query, key by key, on one thread (Benchmarks/decom-floor/main.c).
///
/// It runs as a process of its own after decom's figures, types ``ConsoleBench/query`` once
/// per run and reports each key's milliseconds and its peak resident memory; they become the
/// bare column of "filter keystroke", "first filter key" and "memory (peak RSS)", whose
/// targets stay the absolute goals. Its matching rows per key must equal the console's
/// (typed headless on the same fleet), or the benchmark stops: a floor that did less work
/// would flatter nobody but itself.
struct FloorBench {
    static let name = "decom-floor"
    static let keystroke = "filter keystroke"
    static let firstKey = "first filter key"
    static let memory = "memory (peak RSS)"

    let path: String
    let runs: Int

    struct Result {
        var keystroke = Samples()
        var firstKey = Samples()
        var memory = Samples()
        var matches: [Int] = []
    }

    /// `decom-floor` in the folder of this executable (the same build), if it is there.
    static var executable: String? {
        guard let own = Bundle.main.executablePath else { return nil }
        let floor = URL(fileURLWithPath: own).deletingLastPathComponent()
            .appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: floor) ? floor : nil
    }

    /// Gives the floor's figures to decom's as their bare samples; when the floor is missing,
    /// says so in their notes.
    func attach(to figures: [Figure]) throws -> [Figure] {
        let wanted = [Self.keystroke, Self.firstKey, Self.memory]
        guard figures.contains(where: { wanted.contains(Self.key($0)) }) else { return figures }
        guard let floor = Self.executable else {
            return figures.map { figure in
                guard wanted.contains(Self.key(figure)) else { return figure }
                var noted = figure
                noted.note += "; no C floor: build \(Self.name) next to decom-bench"
                return noted
            }
        }
        progress("the C floor (\(Self.name))")
        let result = try run(floor)
        let console = try Self.consoleMatches(path: path)
        guard result.matches == console else {
            throw BenchError(
                "\(Self.name) found \(result.matches) rows for the keys of "
                    + "\"\(ConsoleBench.query)\", the console \(console): the floor must do "
                    + "the same work")
        }
        return figures.map { figure in
            var floored = figure
            switch Self.key(figure) {
            case Self.keystroke: floored.bare = result.keystroke
            case Self.firstKey: floored.bare = result.firstKey
            case Self.memory: floored.bare = result.memory
            default: return figure
            }
            floored.note += "; bare: C floor"
            return floored
        }
    }

    private static func key(_ figure: Figure) -> String {
        figure.name.trimmingCharacters(in: .whitespaces)
    }

    /// Runs the floor once, typing the query `runs` times.
    private func run(_ floor: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: floor)
        process.arguments = ["--runs", String(runs), path, ConsoleBench.query]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let milliseconds = (object["key_ms"] as? [NSNumber])?.map(\.doubleValue),
            let matches = (object["matches"] as? [NSNumber])?.map(\.intValue),
            let peak = (object["vmhwm_kb"] as? NSNumber)?.doubleValue, peak > 0,
            milliseconds.count == runs * matches.count, !matches.isEmpty
        else {
            throw BenchError(
                "\(Self.name) failed: "
                    + String(decoding: problem, as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var result = Result(matches: matches)
        for (index, time) in milliseconds.enumerated() {
            result.keystroke.add(time)
            if index % matches.count == 0 { result.firstKey.add(time) }
        }
        result.memory.add(peak / 1024)
        return result
    }

    /// The console's matching rows after each key of the query, typed headless on the whole
    /// fleet (not timed).
    static func consoleMatches(path: String) throws -> [Int] {
        var (state, _, store) = try ConsoleBench.firstFrame(path: path)
        try ConsoleBench.wholeFleet(&state, store: store)
        ConsoleBench.press(&state, .char("/"))
        return ConsoleBench.query.map { character in
            ConsoleBench.press(&state, .char(character))
            return state.view.count
        }
    }
}
