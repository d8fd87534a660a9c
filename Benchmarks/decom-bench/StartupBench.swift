import Foundation

/// The whole-process time of `decom show 1` (start, open, read, print, exit) against the
/// `sqlite3` shell reading the same row, in the same run: what a scripted call costs, and what
/// linking the SSH stack (issue 12) did to it.
struct StartupBench {
    let decom: String
    let path: String
    let runs: Int

    func measure() throws -> Figure {
        let shell = try BareSQL.shell()
        var ours = Samples()
        var bare = Samples()
        for _ in 0..<runs {
            ours.add(try Self.time(decom, ["show", "1", "--db", path]))
            bare.add(try Self.time(shell, [path, "SELECT * FROM devices WHERE id = 1;"]))
        }
        return Figure(
            name: "show 1 (whole process)", unit: "ms", ours: ours, bare: bare,
            target: .ratio(3), note: "decom show 1 against sqlite3 reading the row")
    }

    /// Milliseconds from launch to exit (``Spawned``); a device that is not there (exit 1)
    /// still counts.
    static func time(_ executable: String, _ arguments: [String]) throws -> Double {
        let exit = try Spawned.run(executable, arguments)
        guard exit.status <= 1 else {
            throw BenchError(
                "\(executable) \(arguments.joined(separator: " ")) exited \(exit.status)")
        }
        return exit.milliseconds
    }
}
