import Glibc
import NIOConcurrencyHelpers

/// The server's sessions: how many run (for `--max-sessions`) and their children (for the
/// hang-up at shutdown).
final class SessionRegistry: Sendable {
    enum Reservation {
        case granted, full, closing
    }

    private struct State {
        var count = 0
        var children: [pid_t: ConsoleChild] = [:]
        var closing = false
    }

    let maxSessions: Int
    let hangUpGrace: Double
    private let state = NIOLockedValueBox(State())

    init(maxSessions: Int, hangUpGrace: Double) {
        self.maxSessions = maxSessions
        self.hangUpGrace = hangUpGrace
    }

    /// Takes a place for a new session, unless the server is full or stopping.
    func reserve() -> Reservation {
        state.withLockedValue { s in
            if s.closing { return .closing }
            if s.count >= maxSessions { return .full }
            s.count += 1
            return .granted
        }
    }

    /// Records a started child; one that starts while the server is stopping is hung up.
    func started(_ child: ConsoleChild) {
        let closing = state.withLockedValue { s in
            s.children[child.pid] = child
            return s.closing
        }
        if closing { child.hangUp(grace: hangUpGrace) }
    }

    /// Gives back a place: the session's child was reaped and its folder removed, or it never
    /// started.
    func release(_ pid: pid_t?) {
        state.withLockedValue { s in
            if let pid { s.children[pid] = nil }
            s.count -= 1
        }
    }

    /// Stops new sessions and hangs up every child.
    func hangUpAll() {
        let children = state.withLockedValue { s in
            s.closing = true
            return Array(s.children.values)
        }
        for child in children { child.hangUp(grace: hangUpGrace) }
    }

    var count: Int { state.withLockedValue { $0.count } }
}
