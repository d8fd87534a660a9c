import DecomCore
import Foundation

/// What every route needs: the fleet, the token authority, the threads the core runs on, and
/// the limits. Routes only parse, ask the core and show (issue 13): every rule is in
/// DecomCore.
public struct ServerContext: Sendable {
    public let store: any FleetStore
    public let tokens: TokenAuthority
    public let blocking: Blocking
    public let limits: ServerLimits
    public let clock: @Sendable () -> Date
    /// The one executor of asynchronous deletions (`"async": true`, seed 002's task, seed
    /// 003's `?async=true`); without one they run at once.
    public let queue: DeletionQueue?

    public init(
        store: any FleetStore, tokens: TokenAuthority, blocking: Blocking,
        limits: ServerLimits = ServerLimits(), clock: @escaping @Sendable () -> Date = { Date() },
        queue: DeletionQueue? = nil
    ) {
        self.store = store
        self.tokens = tokens
        self.blocking = blocking
        self.limits = limits
        self.clock = clock
        self.queue = queue
    }

    /// The deletion service every route uses.
    public var deletions: DeletionService { DeletionService(store: store, clock: clock) }

    /// `body` on a pool thread (``Blocking``).
    public func core<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await blocking.run(body)
    }
}
