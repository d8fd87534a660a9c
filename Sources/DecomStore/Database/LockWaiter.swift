import DecomCore
import Foundation
import GRDB

/// The writer connection's busy handler: how a write waits for another writer's lock.
///
/// SQLite calls it each time the lock is found taken. Inside a write of the store it waits
/// as long as the holder holds the lock, with no time limit (an undo of 73,000 devices holds
/// it for half a minute, and a fixed timeout turned that into "database is locked" for
/// everyone else): after a second it tells the ``LockWait`` whom it waits for (from the
/// holder's ``WriterNote``) and looks again every half second; it gives up only when the
/// front end cancels. Outside a write (a checkpoint, say) it waits at most ten seconds, as
/// SQLite's busy timeout did, so that nothing else can hang behind a long write.
final class LockWaiter: @unchecked Sendable {
    let lockWait: LockWait
    let databasePath: String

    /// How long a wait stays silent: most waits end within a few milliseconds.
    static let quietPeriod: TimeInterval = 1
    /// How often the holder's note is read again while waiting.
    static let lookInterval: TimeInterval = 0.5
    /// How long anything but a write of the store waits.
    static let otherWaitLimit: TimeInterval = 10

    private let lock = NSLock()
    /// Writes of the store under way (they are serialized on the writer connection, but
    /// several threads may be queued for it).
    private var writes = 0
    private var waitStart: Date?
    private var lastLook: Date?
    private var holder: LockHolder?

    init(lockWait: LockWait, databasePath: String) {
        self.lockWait = lockWait
        self.databasePath = databasePath
    }

    var busyMode: Database.BusyMode {
        .callback { [self] tries in retry(tries) }
    }

    /// Runs `body` as a write of the store: a busy lock makes it wait and report.
    func whileWriting<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        writes += 1
        lock.unlock()
        defer {
            lock.lock()
            writes -= 1
            lock.unlock()
            ended()
        }
        return try body()
    }

    /// What a busy error that ended a wait means: a cancel, or a lock decom could not wait
    /// for.
    func failure(_ error: DatabaseError) -> StoreBusy {
        let holder = lastHolder()
        if lockWait.isCancelled { return .cancelled(holder) }
        return .locked(holder, detail: error.message ?? "\(error.resultCode)")
    }

    /// The lock was taken, or the wait given up: a reported wait is over.
    func ended() {
        lock.lock()
        waitStart = nil
        lastLook = nil
        lock.unlock()
        lockWait.report(nil)
    }

    /// The holder last seen while waiting, else whoever holds the lock now.
    func lastHolder() -> LockHolder {
        lock.lock()
        let seen = holder
        lock.unlock()
        return seen ?? WriterNote.holder(of: databasePath) ?? .otherProgram
    }

    /// Whether SQLite should try again; sleeps a little first.
    private func retry(_ tries: Int) -> Bool {
        let now = Date()
        lock.lock()
        if tries == 0 || waitStart == nil {
            waitStart = now
            lastLook = nil
            holder = nil
        }
        let started = waitStart ?? now
        let writing = writes > 0
        var look = false
        if writing, now.timeIntervalSince(started) >= Self.quietPeriod,
            lastLook.map({ now.timeIntervalSince($0) >= Self.lookInterval }) ?? true
        {
            lastLook = now
            look = true
        }
        lock.unlock()

        if !writing {
            guard now.timeIntervalSince(started) < Self.otherWaitLimit else { return false }
        } else {
            if lockWait.isCancelled { return false }
            if look {
                let found = WriterNote.holder(of: databasePath) ?? .otherProgram
                lock.lock()
                holder = found
                lock.unlock()
                lockWait.report(LockWaitStatus(holder: found, waitingSince: started))
            }
        }
        // SQLite's own busy timeout sleeps 1, 2, 5, 10, 15, 20, 25 ms, then longer: short
        // waits end fast, and a long one wakes ten times a second to see a cancel.
        let delays: [Double] = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05]
        Thread.sleep(forTimeInterval: tries < delays.count ? delays[tries] : 0.1)
        return true
    }
}
