import Foundation
import Glibc
import Testing

/// A real terminal for end-to-end tests: a tmux session on a private server, driven with
/// `send-keys` and read with `capture-pane`. Waits poll the screen until the expected text
/// appears or a timeout passes; there are no fixed sleeps.
final class Tmux {
    let socket: String
    let session = "decom"

    /// Starts `command` (run by /bin/sh) in a detached session of the given size.
    ///
    /// The pane's shell then sleeps rather than exit: tmux drops what a program printed just
    /// before its pane died, so a test reads the last screen (`decom exited 0`) from a pane that
    /// is still alive. `kill-server` ends it with the test.
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:])
        throws
    {
        socket = "decom-e2e-\(UUID().uuidString.prefix(8))"
        var env = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        if !env.isEmpty { env = "env " + env + " " }
        try run(
            capture: false,
            [
                "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                env + command + "; exec sleep 86400",
            ])
    }

    /// Ends the server and removes its socket file, which tmux leaves behind.
    deinit {
        try? run(["kill-server"])
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `tmux -L SOCKET ARGS` and returns what it printed. The first call starts the tmux
    /// server, a daemon that outlives the client: `Spawn` gives it nothing of ours to hold.
    @discardableResult
    func run(capture: Bool = true, _ arguments: [String]) throws -> String {
        let argv = ["tmux", "-L", socket] + arguments
        guard capture else {
            let exit = try Spawn.start(argv).wait()
            guard exit.status == 0 else { throw Spawn.Failed(description: "\(argv): \(exit)") }
            return ""
        }
        return try Spawn.run(argv).stdout
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Space`, `C-c`, `PageDown`) or literal text.
    func send(_ keys: String..., literal: Bool = false) throws {
        try run(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws { try send(text, literal: true) }

    /// The screen as text; with `escapes`, including the SGR sequences (`capture-pane -e`).
    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    /// Waits until the screen satisfies the condition; fails the test with the screen if it
    /// never does.
    @discardableResult
    func waitFor(
        _ description: String, timeout: TimeInterval = 15, escapes: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record(
            "timed out waiting for \(description); screen was:\n\(last)",
            sourceLocation: sourceLocation)
        throw WaitTimeout()
    }

    @discardableResult
    func waitFor(
        text: String, timeout: TimeInterval = 15, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try waitFor("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) {
            $0.contains(text)
        }
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// The pid of the program in the pane.
    func panePID() throws -> Int32? {
        Int32(
            try run(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(
                in: .whitespacesAndNewlines))
    }

    struct WaitTimeout: Error {}
}
