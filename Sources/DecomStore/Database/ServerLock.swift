import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One server's claim on a fleet database's deletion queue: an exclusive `flock` on
/// `<database>-queue.lock`, held for the server's life and released by the system when the
/// process ends, however it ends (kill -9 included).
///
/// A queue's start-up recovery turns what it finds PENDING or PREPARING into FAILURE
/// "interrupted", which is right only when no other live server will run that work: so a
/// second `decom serve-http` on the same database is refused while the first holds the lock,
/// instead of failing the first's accepted (202) work.
public final class ServerLock: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    /// Another process holds the lock: its pid, when it wrote one.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var pid: Int32?
        public var description: String {
            "another decom serve-http\(pid.map { " (pid \($0))" } ?? "") already serves this database's queue (\(path) is locked); stop it first, or serve another database"
        }
    }

    /// Takes the lock beside `database`, or throws ``Held`` at once (it never waits).
    ///
    /// - Throws: ``Held``; ``StoreError/cannotOpen(path:reason:)`` when the lock file cannot
    ///   be made (a read-only folder).
    public init(database: String) throws {
        path = database + "-queue.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(
                path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let text = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
            throw Held(
                path: path,
                pid: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        descriptor = fd
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
