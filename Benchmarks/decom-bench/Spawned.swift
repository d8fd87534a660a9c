import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A whole process timed from its start to its exit, with `posix_spawn` and a blocking
/// `waitpid`.
///
/// Foundation's `Process.waitUntilExit` on Linux waits by running the run loop in steps of
/// 50 ms, so every whole-process figure measured with it was a multiple of about 50 ms: a
/// `sqlite3` query of one row "took" 51 ms where it takes 4. Both sides of a ratio were
/// rounded up alike, which hid start-up costs and flattered the ratios of the bulk deletions.
enum Spawned {
    /// What became of a process.
    struct Exit {
        var status: Int32
        var milliseconds: Double
        /// What it wrote to standard error, when asked to keep it.
        var errors: String
    }

    /// Runs `executable` with `arguments`, its standard output to /dev/null and its standard
    /// error to /dev/null or, with `keepErrors`, to a file read back after it exits.
    static func run(_ executable: String, _ arguments: [String], keepErrors: Bool = false) throws
        -> Exit
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let errorsPath =
            keepErrors
            ? FileManager.default.temporaryDirectory
                .appendingPathComponent("decom-bench-stderr-\(getpid())").path
            : "/dev/null"
        posix_spawn_file_actions_addopen(
            &actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { if keepErrors { try? FileManager.default.removeItem(atPath: errorsPath) } }

        let argv: [UnsafeMutablePointer<CChar>?] =
            ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        var status: Int32 = 0
        let elapsed = try milliseconds {
            let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
            guard spawned == 0 else {
                throw BenchError(
                    "cannot start \(executable): \(String(cString: strerror(spawned)))")
            }
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else {
                    throw BenchError("waitpid: \(String(cString: strerror(errno)))")
                }
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import: a signal is 128 + its number.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let errors =
            keepErrors ? (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "" : ""
        return Exit(status: code, milliseconds: elapsed, errors: errors)
    }
}
