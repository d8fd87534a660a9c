import DecomCore

extension ServerContext {
    /// Plans a deletion of `keys` and executes it: now, or queued when `async` and the server
    /// has a queue (``DeletionQueue/submit(_:as:bulk:)``: the transaction is committed PENDING
    /// and answered at once, then runs on the queue's one executor). Every
    /// route that deletes goes through here, so the native API and the seeds' adapters run
    /// the same path: ``DeletionService/plan(_:mode:actor:)``, then its execution with the
    /// caller's actor and bulk confirmation.
    ///
    /// - Throws: the core's errors (``AuthorityError``, ``DeletionError``,
    ///   ``DeletionQueueError/stopped`` while the server stops) and the store's.
    func delete(
        _ keys: [KeyInput], mode: DeletionMode, actor: Actor, bulk: Bool, async: Bool
    ) async throws -> TransactionRecord {
        let service = deletions
        let queue = async ? self.queue : nil
        return try await core {
            let plan = try service.plan(keys, mode: mode, actor: actor)
            if let queue { return try queue.submit(plan, as: actor, bulk: bulk) }
            return try service.execute(plan, as: actor, bulk: bulk)
        }
    }
}
