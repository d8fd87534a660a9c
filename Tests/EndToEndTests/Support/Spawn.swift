import Foundation
import Glibc

/// How every end-to-end test starts a program (`decom`, `sqlite3`, `tmux`).
///
/// posix_spawn, with the child's standard streams on files rather than pipes and every other
/// descriptor closed in the child. Tests run in parallel: a tmux server (a daemon) started by
/// one test would otherwise inherit another test's pipe and hold it open for good, and a reader
/// waiting for that pipe's end of file would wait forever. With files, a run ends when its
/// process ends.
enum Spawn {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// How a process ended: its exit status, or the signal that killed it.
    struct Exit: Equatable {
        var status: Int32
        var signal: Int32?

        var wasKilled: Bool { signal != nil }
    }

    /// A started process.
    final class Child: @unchecked Sendable {
        let pid: pid_t
        private var exit: Exit?

        init(pid: pid_t) { self.pid = pid }

        func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

        /// Waits for the process to end (once; later calls give the same answer).
        @discardableResult
        func wait() -> Exit {
            if let exit { return exit }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import as macros.
            let signal = status & 0x7f
            let ended =
                signal != 0 && signal != 0x7f
                ? Exit(status: 128 + signal, signal: signal)
                : Exit(status: (status >> 8) & 0xff, signal: nil)
            exit = ended
            return ended
        }
    }

    /// Starts `argv` (`argv[0]` looked up in PATH unless it holds a slash), its standard input
    /// read from `stdin` and its output written to `stdout` and `stderr` (files created or
    /// emptied; `nil` means /dev/null). `stderr` may equal `stdout`.
    static func start(
        _ argv: [String], environment: [String: String]? = nil, stdin: String? = nil,
        stdout: String? = nil, stderr: String? = nil
    ) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let write = O_WRONLY | O_CREAT | O_TRUNC
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", write, 0o600)
        if let stderr, stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", write, 0o600)
        }
        closeEverythingElse(&actions)
        // Signals as a shell would leave them: none blocked, none ignored. The test runner's
        // threads block some; a tmux server inheriting that would not see its pane exit.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let args = argv.map { strdup($0) } + [nil]
        defer { args.forEach { free($0) } }
        let env = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { env?.forEach { free($0) } }
        var pid: pid_t = 0
        let result: Int32 =
            if let env {
                posix_spawnp(&pid, argv[0], &actions, &attributes, args, env)
            } else {
                posix_spawnp(&pid, argv[0], &actions, &attributes, args, environ)
            }
        guard result == 0 else {
            throw Failed(
                description: "cannot start \(argv[0]): \(String(cString: strerror(result)))")
        }
        return Child(pid: pid)
    }

    /// The first match of `pattern` (a regular expression) in the file at `path`, read again
    /// every 50 ms for at most `timeout` seconds: how a test waits for a server to print the
    /// address it chose.
    static func firstMatch(_ pattern: String, inFile path: String, timeout: TimeInterval = 60)
        -> String?
    {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let range = text.range(of: pattern, options: .regularExpression) {
                return String(text[range])
            }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// What a finished run printed.
    struct Output {
        var exit: Exit
        var stdout: String
        var stderr: String
    }

    /// Runs `argv` to its end; `input` is its standard input.
    static func run(
        _ argv: [String], environment: [String: String]? = nil, input: String? = nil
    ) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "decom-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inPath = folder.appendingPathComponent("in").path
        let outPath = folder.appendingPathComponent("out").path
        let errPath = folder.appendingPathComponent("err").path
        if let input { try Data(input.utf8).write(to: URL(fileURLWithPath: inPath)) }
        let child = try start(
            argv, environment: environment, stdin: input == nil ? nil : inPath,
            stdout: outPath, stderr: errPath)
        let exit = child.wait()
        let read = { (path: String) in
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Output(exit: exit, stdout: read(outPath), stderr: read(errPath))
    }

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does
    /// not declare, found at run time. (Debian 12 has glibc 2.36; on an older one the child
    /// keeps what it inherits, and the files above still end every run with its process.)
    private static func closeEverythingElse(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
