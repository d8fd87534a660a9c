import DecomCore
import Foundation

/// Peak resident memory of a process holding the fleet as the console does.
///
/// The benchmark starts itself again with `--memory-probe PATH`: that child opens the
/// database, loads the first page and then every active device, reduces the load, renders
/// one frame, types a filter and sorts by name (so the view and sort arrays exist too), then
/// prints its `VmHWM` (the kernel's high-water mark of resident memory) from
/// /proc/self/status. A child of its own keeps the parent's earlier work out of the figure.
///
/// The same child times the first frame of a new process (issue 16: under 20 ms at 100,000
/// devices): given `DECOM_BENCH_STARTED_NS`, the parent's monotonic clock just before it
/// started the child, it prints the milliseconds from there to its first frame and stops.
enum MemoryProbe {
    static let flag = "--memory-probe"
    static let startedVariable = "DECOM_BENCH_STARTED_NS"

    /// Runs in the child: prints the peak resident memory in kilobytes, or the first frame's
    /// time from the process's start.
    static func runChild(path: String) throws {
        var (state, canvas, store) = try ConsoleBench.firstFrame(path: path)
        consume(canvas)
        if let started = ProcessInfo.processInfo.environment[startedVariable].flatMap(UInt64.init) {
            print(Double(monotonicNanoseconds() - started) / 1e6)
            return
        }
        try ConsoleBench.wholeFleet(&state, store: store)
        ConsoleBench.press(&state, .char("/"))
        for character in ConsoleBench.query { ConsoleBench.press(&state, .char(character)) }
        ConsoleBench.press(&state, .enter)
        ConsoleBench.press(&state, .char("s"))
        consume(state)
        print(try peakKilobytes())
    }

    static func peakKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            if let value = Int(digits) { return value }
        }
        throw BenchError("no VmHWM in /proc/self/status")
    }

    /// Runs the child and returns its peak in megabytes (MiB).
    static func measure(path: String) throws -> Double {
        try runProbe(path: path, started: nil) / 1024
    }

    /// Starts a child and returns the milliseconds from just before its start to its first
    /// frame with rows.
    static func firstFrameFromStart(path: String) throws -> Double {
        try runProbe(path: path, started: monotonicNanoseconds())
    }

    /// CLOCK_MONOTONIC, the same clock in every process of the machine.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Runs the child and returns the number it prints.
    private static func runProbe(path: String, started: UInt64?) throws -> Double {
        let process = Process()
        guard let executable = Bundle.main.executablePath else {
            throw BenchError("cannot find the benchmark's own executable")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [flag, path]
        if let started {
            var environment = ProcessInfo.processInfo.environment
            environment[startedVariable] = String(started)
            process.environment = environment
        }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let value = Double(text) else {
            throw BenchError("the memory probe failed: \(text)")
        }
        return value
    }
}
