import CPTY
import Foundation
import NIOConcurrencyHelpers

/// One console: the `decom` binary started on a new pseudo-terminal as the leader of its own
/// session, so the terminal is its controlling terminal and it gets SIGWINCH and SIGHUP.
///
/// Never `fork()` (the server has threads): `posix_spawn` with `POSIX_SPAWN_SETSID`, the pty
/// slave opened by path as a file action (CPTY). The child is reaped by `waitpid` on its pid
/// only; until then its pid cannot be reused, and signals are sent only while it is not
/// reaped (a lock orders the two).
final class ConsoleChild: Sendable {
    struct SpawnFailed: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// The pty master; the relay channel owns it once started.
    let master: CInt
    private let reaped = NIOLockedValueBox(false)

    private init(pid: pid_t, master: CInt) {
        self.pid = pid
        self.master = master
    }

    /// Opens a pty of the given size and starts `argv` on it with exactly `environment`.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String],
        workingDirectory: String, rows: Int, columns: Int
    ) throws -> ConsoleChild {
        var slave = [CChar](repeating: 0, count: 256)
        let master = decom_pty_open(&slave, slave.count)
        guard master >= 0 else {
            throw SpawnFailed(
                description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        _ = decom_pty_set_size(master, clamp(rows), clamp(columns))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = decom_spawn_on_pty(executable, argv, envp, slave, workingDirectory, &pid)
        guard result == 0 else {
            close(master)
            throw SpawnFailed(
                description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ConsoleChild(pid: pid, master: master)
    }

    /// Runs `argv` without a terminal (standard streams on /dev/null) and waits for it:
    /// its status as a shell reports it. Blocks: call it from a thread of its own or a pool's.
    static func run(
        executable: String, arguments: [String], environment: [String: String],
        workingDirectory: String
    ) throws -> Int32 {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = decom_spawn_on_pty(executable, argv, envp, "/dev/null", workingDirectory, &pid)
        guard result == 0 else {
            throw SpawnFailed(
                description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        guard decom_wait_exit(pid) == 0 else { return 255 }
        let status = decom_reap(pid)
        return status < 0 ? 255 : status
    }

    static func clamp(_ value: Int) -> UInt16 { UInt16(max(1, min(value, 4_000))) }

    /// Sends `signal` to the child's process group, unless the child has been reaped.
    func signal(_ signal: Int32) {
        reaped.withLockedValue { done in
            if !done { _ = kill(-pid, signal) }
        }
    }

    /// SIGHUP now, as a terminal that went away would; SIGKILL after `grace` seconds if it
    /// has not ended by then.
    func hangUp(grace: Double) {
        signal(SIGHUP)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            self.signal(SIGKILL)
        }
    }

    /// Waits on a thread of its own for the child to end, reaps it, and calls `ended` with
    /// its status as a shell reports it (128 + N for signal N).
    func whenEnded(_ ended: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread { [self] in
            _ = decom_wait_exit(self.pid)
            let status = self.reaped.withLockedValue { done -> Int32 in
                done = true
                return decom_reap(self.pid)
            }
            ended(status < 0 ? 255 : status)
        }
        thread.name = "decom-ssh reaper \(pid)"
        thread.start()
    }
}
