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
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:])
        throws
    {
        socket = "decom-e2e-\(UUID().uuidString.prefix(8))"
        var env = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        if !env.isEmpty { env = "env " + env + " " }
        // The tmux server this starts would inherit a pipe and keep it open: no output capture.
        try run(
            capture: false,
            [
                "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                env + command,
            ])
        // Keep the pane after the program exits so its last screen and status can be read.
        try run(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    deinit { try? run(["kill-server"]) }

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `tmux -L SOCKET ARGS` and returns what it printed.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: the first call starts the
    /// tmux server, a daemon that outlives the client, and Process on Linux can wait forever
    /// for a client whose server inherited its plumbing.
    @discardableResult
    func run(capture: Bool = true, _ arguments: [String]) throws -> String {
        let argv = ["tmux", "-L", socket] + arguments
        var pipe: [Int32] = [-1, -1]
        if capture { guard Glibc.pipe(&pipe) == 0 else { throw SpawnError(errno: errno) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, cArgs, environ)
        if capture { close(pipe[1]) }
        guard spawned == 0 else {
            if capture { close(pipe[0]) }
            throw SpawnError(errno: spawned)
        }
        var output = [UInt8]()
        if capture {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = read(pipe[0], &buffer, buffer.count)
                if n <= 0 { break }
                output += buffer[0..<n]
            }
            close(pipe[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }

    struct SpawnError: Error { var errno: Int32 }

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

    /// Whether the program in the pane has exited, and its status.
    func exitStatus() throws -> Int? {
        let text = try run([
            "display-message", "-p", "-t", session, "#{pane_dead} #{pane_dead_status}",
        ])
        let parts = text.split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard parts.first == "1", parts.count > 1 else { return nil }
        return Int(parts[1])
    }

    func waitForExit(timeout: TimeInterval = 10) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try exitStatus() { return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the program did not exit; screen was:\n\(try screen())")
        throw WaitTimeout()
    }

    /// The pid of the program in the pane.
    func panePID() throws -> Int32? {
        Int32(
            try run(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(
                in: .whitespacesAndNewlines))
    }

    struct WaitTimeout: Error {}
}
