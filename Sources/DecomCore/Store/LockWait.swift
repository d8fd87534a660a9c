import Foundation

/// The line between a writer waiting for the database's write lock and the front end that
/// shows it: the store reports what it waits for, the front end may cancel the wait.
///
/// A front end makes one and gives it to the store when it opens it; the core's calls do not
/// change. The store calls ``report(_:)`` when a wait begins or its holder changes, and with
/// nil when the wait ends; between retries it asks ``isCancelled``. A cancelled wait changes
/// nothing: the store throws ``StoreBusy/cancelled(_:)``, and writes nothing more until
/// ``reset()`` (a FAILURE record included: cancelling is not a failure). Thread-safe.
public final class LockWait: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var status: LockWaitStatus?
    private var observer: (@Sendable (LockWaitStatus?) -> Void)?
    private let externalCancel: @Sendable () -> Bool

    /// - Parameter externalCancel: a cancel flag kept elsewhere, read at every retry (the
    ///   CLI's SIGINT flag, which a signal handler sets without a lock).
    public init(externalCancel: @escaping @Sendable () -> Bool = { false }) {
        self.externalCancel = externalCancel
    }

    /// Calls `handler` (on the waiting thread) with each new status, and nil when a wait ends.
    public func observe(_ handler: @escaping @Sendable (LockWaitStatus?) -> Void) {
        lock.lock()
        observer = handler
        lock.unlock()
    }

    /// Asks a waiting writer to give up; it changes nothing.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Forgets a cancel, before new work starts.
    public func reset() {
        lock.lock()
        cancelled = false
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        let flag = cancelled
        lock.unlock()
        return flag || externalCancel()
    }

    /// What the writer waits for now, nil when it does not wait.
    public var current: LockWaitStatus? {
        lock.lock()
        defer { lock.unlock() }
        return status
    }

    /// Called by the store: the wait's new status, or nil when the wait ended. Only changes
    /// reach the observer.
    public func report(_ new: LockWaitStatus?) {
        lock.lock()
        let changed = new != status
        status = new
        let handler = observer
        lock.unlock()
        if changed { handler?(new) }
    }
}
