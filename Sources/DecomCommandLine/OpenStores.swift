import DecomStore
import Foundation

/// Every store this process opened, closed (and their WAL folded into the main file) before
/// the process exits, on every path: a command's end, `Foundation.exit` in `CommandMain.run`, or
/// any other `exit` (an `atexit` handler).
package enum OpenStores {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var stores: [SQLiteFleetStore] = []
    nonisolated(unsafe) private static var registered = false
    /// Closed stores, kept to the end: releasing one disposes its GRDB dispatch queue, which
    /// starts a Dispatch worker thread as the process ends (a thread made only to be killed,
    /// about 0.1 ms of every command). Its SQLite connection is closed either way.
    nonisolated(unsafe) private static var closed: [SQLiteFleetStore] = []

    package static func add(_ store: SQLiteFleetStore) {
        lock.lock()
        defer { lock.unlock() }
        stores.append(store)
        if !registered {
            registered = true
            atexit { OpenStores.closeAll() }
        }
    }

    package static func closeAll() {
        lock.lock()
        let open = stores
        stores = []
        closed += open
        lock.unlock()
        for store in open { store.close() }
    }
}
