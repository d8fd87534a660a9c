/// A write that did not happen because another writer held the database: nothing changed.
///
/// The store waits for the write lock as long as the holder works (``LockWait``); this is
/// what a front end shows when the wait was cancelled, or when SQLite reported the database
/// busy in a way that cannot be waited out. Never a bare SQLite error.
public enum StoreBusy: Error, Sendable, Hashable, CustomStringConvertible {
    /// The admin cancelled the wait (Esc in the console, Ctrl-C in the CLI).
    case cancelled(LockHolder)
    /// SQLite reported the database busy or locked and decom could not wait.
    case locked(LockHolder, detail: String)

    /// Why nothing changed, without saying so: "cancelled while waiting for alice's archive
    /// (transaction 12)".
    public var reason: String {
        switch self {
        case .cancelled(let holder):
            return "cancelled while waiting for \(holder.words) to finish"
        case .locked(let holder, let detail):
            return
                "the database is busy: \(holder.words) holds it and decom could not wait for it (\(detail))"
        }
    }

    public var description: String {
        switch self {
        case .cancelled: return reason + "; nothing changed"
        case .locked: return reason + "; nothing changed, try again"
        }
    }
}
