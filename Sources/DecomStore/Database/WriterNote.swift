import DecomCore
import Foundation

/// The note a decom process leaves next to the database while it holds the write lock, so
/// that a writer waiting for the lock can say whose work it waits for.
///
/// SQLite cannot tell: the holder's own rows are not visible until it commits. So the holder
/// writes `<db>-writer-<pid>-<n>` (JSON: process id, when it took the lock, and once its
/// transaction is recorded, user, type and id) right after its transaction began, and
/// removes it once the transaction has ended. Each store has a file of its own: removing it
/// can never remove the note of the next holder. A note whose process is gone (a killed
/// writer) is ignored and removed by the next reader. Writing the note is best effort: a
/// folder that refuses it only makes waiters say "another program".
final class WriterNote: @unchecked Sendable {
    struct Content: Codable, Equatable {
        var pid: Int32
        /// When the process started (Linux: `/proc/PID/stat`'s field 22), so that a stale
        /// note whose process id was reused by another process is known as stale.
        var started: UInt64?
        var since: Double
        var user: String?
        var type: String?
        var transaction: Int64?
    }

    let path: String
    private let lock = NSLock()
    private var content: Content?

    private static let counter = Counter()

    init(databasePath: String) {
        path = "\(databasePath)\(Self.marker)\(getpid())-\(Self.counter.next())"
    }

    /// What every note's file name holds after the database's name.
    static let marker = "-writer-"

    /// Writes the note: this process holds the lock from now on.
    func publish(at date: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        content = Content(
            pid: getpid(), started: Self.ownStart, since: date.timeIntervalSince1970)
        write()
    }

    /// Adds the transaction the holder recorded.
    func describe(user: String, type: TransactionType, transaction: Int64) {
        lock.lock()
        defer { lock.unlock() }
        guard content != nil else { return }
        content?.user = user
        content?.type = type.rawValue
        content?.transaction = transaction
        write()
    }

    /// Removes the note: the transaction has ended.
    func withdraw() {
        lock.lock()
        defer { lock.unlock() }
        guard content != nil else { return }
        content = nil
        unlink(path)
    }

    /// Written to a temporary file and renamed, so that a reader never sees half a note.
    private func write() {
        guard let content, let data = try? JSONEncoder().encode(content) else { return }
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    // MARK: - Reading

    /// The holder the notes next to the database name: the newest note of a live process, or
    /// nil when there is none.
    static func holder(of databasePath: String) -> LockHolder? {
        let url = URL(fileURLWithPath: databasePath)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + marker
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return nil
        }
        var newest: Content?
        for name in names where name.hasPrefix(prefix) && !name.hasSuffix(".tmp") {
            let file = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file),
                let note = try? JSONDecoder().decode(Content.self, from: data)
            else { continue }
            guard isAlive(note.pid, started: note.started) else {
                unlink(file)
                continue
            }
            if newest.map({ note.since > $0.since }) ?? true { newest = note }
        }
        return newest.map { note in
            LockHolder(
                pid: note.pid, user: note.user,
                transactionType: note.type.flatMap(TransactionType.init(rawValue:)),
                transactionId: note.transaction, since: Date(timeIntervalSince1970: note.since))
        }
    }

    /// Whether the process that wrote a note still runs: its id exists (a process of another
    /// user counts) and, where `/proc` says, it started when the note says.
    static func isAlive(_ pid: Int32, started: UInt64?) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let started, let now = startTime(of: pid) else { return true }
        return now == started
    }

    private static let ownStart = startTime(of: getpid())

    /// A process's start time in clock ticks since boot, from `/proc/PID/stat`; nil without
    /// `/proc`.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After the command name, fields start at the third: the start time is the 22nd.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
