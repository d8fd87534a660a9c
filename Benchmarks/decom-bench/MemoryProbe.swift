import DecomCore
import Foundation

/// Peak resident memory of a process holding the fleet as the console does.
///
/// The benchmark starts itself again with `--memory-probe PATH`: that child opens the
/// database, loads the first page and then every active device, reduces the load, renders
/// one frame, types a filter and sorts by name (so the view and sort arrays exist too), then
/// prints its `VmHWM` (the kernel's high-water mark of resident memory) from
/// /proc/self/status. A child of its own keeps the parent's earlier work out of the figure.
enum MemoryProbe {
    static let flag = "--memory-probe"

    /// Runs in the child: prints the peak resident memory in kilobytes.
    static func runChild(path: String) throws {
        var (state, canvas, store) = try ConsoleBench.firstFrame(path: path)
        consume(canvas)
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
        let process = Process()
        guard let executable = Bundle.main.executablePath else {
            throw BenchError("cannot find the benchmark's own executable")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [flag, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let kilobytes = Double(text) else {
            throw BenchError("the memory probe failed: \(text)")
        }
        return kilobytes / 1024
    }
}
