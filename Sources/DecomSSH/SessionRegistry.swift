import Glibc
import NIOConcurrencyHelpers

/// The server's sessions: how many run, in all and per remote address (for the limits), and
/// their children (for the hang-up at shutdown).
final class SessionRegistry: Sendable {
    enum Reservation: Equatable {
        case granted, full, addressFull, closing
    }

    private struct State {
        var count = 0
        var perAddress: [String: Int] = [:]
        var children: [pid_t: ConsoleChild] = [:]
        var closing = false
    }

    let limits: SessionLimits
    private let state = NIOLockedValueBox(State())

    init(limits: SessionLimits) { self.limits = limits }

    /// Takes a place for a new session from `address`, unless the server or that address is
    /// full, or the server is stopping.
    func reserve(address: String) -> Reservation {
        state.withLockedValue { s in
            if s.closing { return .closing }
            if s.count >= limits.maxSessions { return .full }
            if s.perAddress[address, default: 0] >= limits.maxSessionsPerAddress {
                return .addressFull
            }
            s.count += 1
            s.perAddress[address, default: 0] += 1
            return .granted
        }
    }

    /// Records a started child; one that starts while the server is stopping is hung up.
    func started(_ child: ConsoleChild) {
        let closing = state.withLockedValue { s in
            s.children[child.pid] = child
            return s.closing
        }
        if closing { child.hangUp(grace: limits.hangUpGrace) }
    }

    /// Gives back the place of a session from `address`: its child was reaped and its folder
    /// removed, or it never started.
    func release(_ pid: pid_t?, address: String) {
        state.withLockedValue { s in
            if let pid { s.children[pid] = nil }
            s.count -= 1
            let left = s.perAddress[address, default: 1] - 1
            s.perAddress[address] = left > 0 ? left : nil
        }
    }

    /// Stops new sessions and hangs up every child.
    func hangUpAll() {
        let children = state.withLockedValue { s in
            s.closing = true
            return Array(s.children.values)
        }
        for child in children { child.hangUp(grace: limits.hangUpGrace) }
    }

    var count: Int { state.withLockedValue { $0.count } }
}

/// The server's limits, each with a flag of `decom serve-ssh`.
public struct SessionLimits: Sendable {
    /// Sessions at once (`--max-sessions`).
    public var maxSessions = 8
    /// Sessions at once from one remote address (`--max-sessions-per-address`).
    public var maxSessionsPerAddress = 4
    /// Seconds without a keystroke of the visitor before the console is hung up
    /// (`--idle-timeout`); the console's own output does not count.
    public var idleTimeout = 1_800
    /// Seconds a session may last (`--max-session-length`).
    public var maxSessionLength = 14_400
    /// Seconds a connection has to log in (`--login-timeout`).
    public var loginTimeout = 30
    /// Authentication requests one connection may make.
    public var maxAuthAttempts = 12
    /// Demo fleets kept ready ahead of visitors (`--spare-fleets`, by default as many as
    /// `maxSessions`; demo mode only).
    public var spareFleets = 8
    /// Seconds between SIGHUP and SIGKILL when a console must end.
    public var hangUpGrace = 3.0

    public init() {}
}
