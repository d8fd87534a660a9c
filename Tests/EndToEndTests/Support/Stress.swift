import DecomTestSupport
import Foundation
import Glibc

/// The `sqlite3` shell on a database file: the tests look at the database through SQLite
/// itself, not through decom.
enum SQLiteShell {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `sql` and returns what sqlite3 printed (`|`-separated columns, one row a line).
    @discardableResult
    static func run(_ db: String, _ sql: String, allowFailure: Bool = false) throws -> String {
        let output = try Spawn.run(["sqlite3", "-batch", "-cmd", ".timeout 10000", db, sql])
        if output.exit.status != 0 && !allowFailure {
            throw Failed(description: "sqlite3 failed on \(sql): " + output.stderr)
        }
        return allowFailure ? output.stdout + output.stderr : output.stdout
    }

    /// The one integer a query returns.
    static func int(_ db: String, _ sql: String) throws -> Int {
        let text = try run(db, sql).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(text) else {
            throw Failed(description: "sqlite3 gave '\(text)' for \(sql)")
        }
        return value
    }
}

/// Text that must never reach a terminal raw: ESC, the other C0 controls but tab and newline,
/// DEL, the C1 controls, and the bidirectional overrides and isolates.
enum RawControl {
    static func isRaw(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The first raw control in `text`, described, or nil.
    static func first(in text: String) -> String? {
        for scalar in text.unicodeScalars where isRaw(scalar) {
            return String(format: "U+%04X", scalar.value)
        }
        return nil
    }

    /// What stays of a `capture-pane -e` screen once decom's own SGR sequences are taken
    /// out: it must hold no raw control either.
    static func withoutSGR(_ screen: String) -> String {
        screen.replacingOccurrences(
            of: "\u{1B}\\[[0-9;:]*m", with: "", options: .regularExpression)
    }
}

extension Tmux {
    /// The first child of a process, from /proc.
    static func childPID(of parent: Int32) -> Int32? {
        guard
            let text = try? String(
                contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)
        else { return nil }
        return text.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// The pid of the decom process in the pane: the pane's program, or its first child when
    /// that is a shell.
    func decomPID() throws -> Int32? {
        guard var pid = try panePID() else { return nil }
        for _ in 0..<3 {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if comm.hasPrefix("decom") { return pid }
            guard let child = Self.childPID(of: pid) else { return nil }
            pid = child
        }
        return nil
    }
}

extension Tmux {
    /// Runs a decom command in a shell that prints `decom exited STATUS` when it ends, which
    /// tests wait for. With `stty`, the shell also saves `stty -g` to `STTY-before` and
    /// `STTY-after`, both written before that line shows.
    convenience init(
        console arguments: [String], width: Int = 120, height: Int = 40,
        environment: [String: String], stty: String? = nil
    ) throws {
        var script = arguments.map(Tmux.quote).joined(separator: " ") + "; status=$?; "
        if let stty {
            script = "stty -g > \(Tmux.quote(stty + "-before")); " + script
            script += "stty -g > \(Tmux.quote(stty + "-after")); "
        }
        script += "echo \"decom exited $status\""
        try self.init(
            command: "sh -c \(Tmux.quote(script))", width: width, height: height,
            environment: environment)
    }

    /// Whether the screen satisfies the condition within the time, without failing the test.
    func poll(seconds: TimeInterval, _ condition: (String) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(try screen()) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
