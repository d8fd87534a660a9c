import NIOPosix

/// Runs the core's synchronous calls (SQLite reads and writes, which may wait on another
/// writer's lock) on threads of their own, never on Swift concurrency's cooperative pool
/// (issue 13: "run them on a thread pool").
public final class Blocking: Sendable {
    let pool: NIOThreadPool

    /// - Parameter threads: how many calls run at once; SQLite serialises writes, so more
    ///   threads than a handful only queue on its lock.
    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// `body` on a pool thread; its result or error comes back to the caller.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Lets running calls finish, then stops the threads.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
