import DecomCore
import Foundation
import Synchronization

/// Set by SIGINT while a command waits for the write lock: the wait stops, nothing changes.
private let interrupted = Atomic<Bool>(false)
/// Whether a command is waiting for the write lock now (read by the signal handler).
private let waiting = Atomic<Bool>(false)

/// How a CLI command waits for another writer: it says so on standard error, with whom it
/// waits for, and Ctrl-C cancels the wait (exit 130, nothing changed).
///
/// Only a wait catches SIGINT: at any other moment Ctrl-C ends decom as it always did (a write
/// under way is one SQLite transaction and rolls back). The handler only sets flags, or
/// restores the default action and raises the signal again: both are async-signal-safe.
package enum CLIWaiting {
    package static func lockWait() -> LockWait {
        let wait = LockWait(externalCancel: { interrupted.load(ordering: .relaxed) })
        wait.observe { status in
            if let status {
                installHandler()
                waiting.store(true, ordering: .relaxed)
                Output.error("\(status.description); Ctrl-C cancels")
            } else {
                waiting.store(false, ordering: .relaxed)
                if !interrupted.load(ordering: .relaxed) {
                    Output.error("the database is free; going on")
                }
            }
        }
        return wait
    }

    /// Whether a wait was cancelled by Ctrl-C.
    package static var wasInterrupted: Bool { interrupted.load(ordering: .relaxed) }

    private static let installed = Atomic<Bool>(false)

    private static func installHandler() {
        guard !installed.exchange(true, ordering: .relaxed) else { return }
        signal(SIGINT) { _ in
            if waiting.load(ordering: .relaxed) {
                interrupted.store(true, ordering: .relaxed)
            } else {
                signal(SIGINT, SIG_DFL)
                raise(SIGINT)
            }
        }
    }
}
