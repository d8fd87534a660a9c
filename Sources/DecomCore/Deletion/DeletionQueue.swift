import Foundation

/// Asynchronous deletions: each submitted plan is committed as a PENDING transaction first,
/// then executed, in submission order, by one background thread (issue 13; seed 003's
/// asynchronous transactions, seed 002's task answered at once).
///
/// The transaction table is the job record. A submitted transaction goes PENDING →
/// PREPARING → COMMITTING → SUCCESS or FAILURE, and keeps its id throughout: the id
/// ``submit(_:as:bulk:)`` returns is the id of the final record. While PENDING its items are
/// the plan's, those it will act on with the outcome ``ItemOutcome/pending``. The execution
/// is ``DeletionService``'s own (the planned facts checked again inside the write
/// transaction, per-item results, audit, undo buffer); the states are those of
/// ``TransactionStatus``. A PENDING one may be canceled (``cancel(_:as:)``: CANCELED, nothing
/// applied). What a killed process left PENDING or PREPARING becomes FAILURE "interrupted" at
/// the next start (``recoverInterrupted()``): a PREPARING one had not committed anything,
/// since its changes, COMMITTING and its final state commit together.
///
/// The core and SQLite calls are synchronous and a write can wait on the busy timeout, so the
/// executor is a thread of its own, never a Swift concurrency task. One queue per database:
/// a second process's recovery would fail the first's queued work (which then applies
/// nothing, since each transaction must still be PREPARING when its write begins).
public final class DeletionQueue: @unchecked Sendable {
    /// A state change of a queued transaction: PREPARING, COMMITTING (inside the write
    /// transaction, so never seen in the database by another connection) and the final one.
    public typealias Observer = @Sendable (_ id: Int64, _ status: TransactionStatus) -> Void

    public let service: DeletionService
    private let observer: Observer?

    private struct Job {
        var id: Int64
        var createdAt: Date
        var plan: DeletionPlan
        var actor: Actor
    }

    private let condition = NSCondition()
    /// Held from a submission's database write until its job is queued, so that the queue's
    /// order is the order of the ids.
    private let submitting = NSLock()
    // Guarded by `condition`.
    private var jobs: [Job] = []
    private var running: (id: Int64, status: TransactionStatus)?
    private var accepting = true
    private var stopping = false
    private var finished = false
    private var thread: Thread?

    /// Starts the executor thread. `observer` is called on it after each state change, and
    /// must return quickly: COMMITTING is reported while the write lock is held. The thread
    /// holds the queue until ``stop(finishQueued:)``.
    public init(service: DeletionService, observer: Observer? = nil) {
        self.service = service
        self.observer = observer
        let thread = Thread { [weak self] in self?.runLoop() }
        thread.name = "decom deletion queue"
        self.thread = thread
        thread.start()
    }

    // MARK: - Submitting

    /// Checks the plan as ``DeletionService/execute(_:as:bulk:progress:)`` does, commits it as
    /// a PENDING transaction and queues it; returns that transaction at once.
    ///
    /// - Returns: the PENDING transaction, with the plan's items (``ItemOutcome/pending`` for
    ///   those it will act on). For a role that may not perform the mode, nothing is written
    ///   or queued and the record is execute's: id 0, FAILURE, `insufficient_scope` items.
    /// - Throws: ``AuthorityError/actorMismatch(plan:caller:)`` and
    ///   ``DeletionError/bulkRequired(_:)`` as execute does, writing nothing;
    ///   ``DeletionQueueError/stopped`` once ``stop(finishQueued:)`` was called; the store's
    ///   errors.
    public func submit(_ plan: DeletionPlan, as actor: Actor, bulk: Bool) throws
        -> TransactionRecord
    {
        if let refused = try service.authorize(plan, as: actor, bulk: bulk) { return refused }
        submitting.lock()
        defer { submitting.unlock() }
        guard isAccepting else { throw DeletionQueueError.stopped }
        let now = service.clock()
        let items = plan.items.map { item -> ItemResult in
            var result = item.result(of: plan.mode)
            if item.willApply {
                result.outcome = .pending
                result.reason = "queued: will \(plan.mode.verb)"
            }
            return result
        }
        let type = plan.mode.transactionType
        let id = try service.store.write { writer in
            try writer.enqueue(type, actor: actor, at: now, items: items)
        }
        condition.lock()
        jobs.append(Job(id: id, createdAt: now, plan: plan, actor: actor))
        condition.broadcast()
        condition.unlock()
        return TransactionRecord(
            id: id, type: type, status: .pending, user: actor.user, role: actor.role,
            createdAt: now, updatedAt: now, items: items)
    }

    private var isAccepting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return accepting
    }

    // MARK: - Canceling

    /// Cancels a PENDING transaction: it becomes CANCELED, its items `canceled`, and nothing
    /// of it is applied. Who may: ``DeletionPolicy/cancelRefusal(owner:actor:)`` (its own
    /// user, or an admin; never a viewer).
    ///
    /// Decided inside one write transaction, so that a cancel and the executor taking the
    /// transaction cannot both win: once PREPARING it can no longer be canceled.
    ///
    /// - Throws: ``DeletionQueueError/noSuchTransaction(_:)``,
    ///   ``DeletionQueueError/cancelDenied(_:_:)``, ``DeletionQueueError/notCancelable(_:_:)``
    ///   for one already PREPARING, COMMITTING or final; nothing changes then.
    public func cancel(_ id: Int64, as actor: Actor) throws -> TransactionRecord {
        let record = try service.store.write { writer -> TransactionRecord in
            guard let record = try writer.transaction(id: id) else {
                throw DeletionQueueError.noSuchTransaction(id)
            }
            if let refusal = DeletionPolicy.cancelRefusal(owner: record.user, actor: actor) {
                throw DeletionQueueError.cancelDenied(id, refusal)
            }
            guard record.status == .pending else {
                throw DeletionQueueError.notCancelable(id, record.status)
            }
            let now = service.clock()
            var canceled = record
            canceled.status = .canceled
            canceled.updatedAt = now
            canceled.error =
                "canceled by \(SafeText.visible(actor.user)) (\(actor.role.rawValue)) before it ran; nothing was applied"
            canceled.items = record.items.map { item in
                guard item.outcome == .pending else { return item }
                var c = item
                c.outcome = .canceled
                c.reason = "the transaction was canceled before it ran"
                return c
            }
            try writer.settle(
                id, status: .canceled, items: canceled.items, error: canceled.error, at: now)
            return canceled
        }
        condition.lock()
        jobs.removeAll { $0.id == id }
        condition.broadcast()
        condition.unlock()
        observer?(id, .canceled)
        return record
    }

    // MARK: - Start-up

    /// Fails what a killed process left PENDING or PREPARING: each becomes FAILURE with the
    /// error "interrupted", its pending items `failed`. Nothing of them was applied: a
    /// transaction's changes commit only together with its final state. A COMMITTING row
    /// cannot be left behind (it exists only inside the applying SQLite transaction) and is
    /// not touched. This queue's own transactions are left alone, so calling it after
    /// submissions is harmless; call it at start-up, before serving.
    ///
    /// - Returns: the transactions it failed, oldest first.
    public func recoverInterrupted() throws -> [TransactionRecord] {
        condition.lock()
        var own = Set(jobs.map(\.id))
        if let running { own.insert(running.id) }
        condition.unlock()
        return try service.store.write { writer in
            let now = service.clock()
            let left = try writer.transactions(statuses: [.pending, .preparing]).filter {
                !own.contains($0.id)
            }
            return try left.map { record in
                var failed = record
                failed.status = .failure
                failed.updatedAt = now
                failed.error = Self.interrupted
                failed.items = record.items.map { item in
                    guard item.outcome == .pending else { return item }
                    var f = item
                    f.outcome = .failed
                    f.reason = "interrupted before it ran: decom stopped; nothing was applied"
                    return f
                }
                try writer.settle(
                    record.id, status: .failure, items: failed.items, error: Self.interrupted,
                    at: now)
                return failed
            }
        }
    }

    /// The error of a transaction a stopped process left unfinished.
    public static let interrupted = "interrupted"

    // MARK: - Observing, draining, stopping

    /// The state this queue has a transaction in: PENDING while queued, PREPARING or
    /// COMMITTING while it runs; nil when it is not this queue's or is finished (the database
    /// then holds its final state).
    public func liveStatus(of id: Int64) -> TransactionStatus? {
        condition.lock()
        defer { condition.unlock() }
        if let running, running.id == id { return running.status }
        return jobs.contains { $0.id == id } ? .pending : nil
    }

    /// How many transactions are queued or running.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count + (running == nil ? 0 : 1)
    }

    /// Blocks until nothing is queued or running. Not from the observer (it runs on the
    /// executor thread, which this waits for).
    public func waitUntilDrained() {
        condition.lock()
        while !jobs.isEmpty || running != nil { condition.wait() }
        condition.unlock()
    }

    /// Stops accepting submissions, lets the running transaction finish, and blocks until the
    /// executor thread has exited. With `finishQueued` (a SIGTERM's default), every PENDING
    /// transaction is executed first; without, those not started are settled as FAILURE
    /// "interrupted" now, so that none is left PENDING. Later calls return at once.
    public func stop(finishQueued: Bool = true) {
        submitting.lock()
        condition.lock()
        accepting = false
        submitting.unlock()
        let dropped = finishQueued ? [] : jobs
        if !finishQueued { jobs.removeAll() }
        stopping = true
        condition.broadcast()
        condition.unlock()
        if !dropped.isEmpty {
            _ = try? service.store.write { writer in
                let now = service.clock()
                for job in dropped where try writer.transactionStatus(id: job.id) == .pending {
                    let items = job.plan.items.map { item -> ItemResult in
                        var r = item.result(of: job.plan.mode)
                        if item.willApply {
                            r.outcome = .failed
                            r.reason =
                                "interrupted before it ran: decom stopped; nothing was applied"
                        }
                        return r
                    }
                    try writer.settle(
                        job.id, status: .failure, items: items, error: Self.interrupted, at: now)
                }
            }
            for job in dropped { observer?(job.id, .failure) }
        }
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    // MARK: - The executor

    private func runLoop() {
        while let job = next() {
            run(job)
            condition.lock()
            running = nil
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next job, marked running as PREPARING; nil once stopping and nothing is left.
    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopping { condition.wait() }
        guard !jobs.isEmpty else { return nil }
        let job = jobs.removeFirst()
        running = (job.id, .preparing)
        return job
    }

    private func setRunning(_ status: TransactionStatus) {
        condition.lock()
        running?.status = status
        condition.unlock()
    }

    /// PENDING → PREPARING (committed), then the execution, which rechecks the plan inside
    /// its write transaction and settles the same row.
    private func run(_ job: Job) {
        do {
            let taken = try service.store.write { writer -> Bool in
                guard try writer.transactionStatus(id: job.id) == .pending else { return false }
                try writer.setStatus(job.id, .preparing, at: service.clock())
                return true
            }
            // Canceled, or failed by a recovery, since it was queued: nothing to do.
            guard taken else { return }
        } catch {
            settleUnstarted(job, error: "the transaction could not start: \(error)")
            return
        }
        observer?(job.id, .preparing)
        let observer = self.observer
        let queued = DeletionService.Queued(
            id: job.id, createdAt: job.createdAt,
            committing: { [weak self] in
                self?.setRunning(.committing)
                observer?(job.id, .committing)
            })
        let final: TransactionStatus?
        do {
            final = try service.apply(job.plan, actor: job.actor, queued: queued).status
        } catch {
            // Settled as FAILURE by the execution, unless the row was settled elsewhere.
            final = try? service.store.read { try $0.transactionStatus(id: job.id) }
        }
        if let final, final.isFinal { observer?(job.id, final) }
    }

    /// Settles a job that could not be taken (its first write failed) as FAILURE, if it is
    /// still PENDING; if even that fails, the next start-up's recovery does it.
    private func settleUnstarted(_ job: Job, error: String) {
        let done = try? service.store.write { writer -> Bool in
            guard try writer.transactionStatus(id: job.id) == .pending else { return false }
            let items = job.plan.items.map { item -> ItemResult in
                var r = item.result(of: job.plan.mode)
                if item.willApply {
                    r.outcome = .failed
                    r.reason = error
                }
                return r
            }
            try writer.settle(
                job.id, status: .failure, items: items, error: error, at: service.clock())
            return true
        }
        if done == true { observer?(job.id, .failure) }
    }
}

/// Why the deletion queue refused or could not run a transaction.
public enum DeletionQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchTransaction(Int64)
    /// Cancel of a transaction that is no longer PENDING.
    case notCancelable(Int64, TransactionStatus)
    /// Cancel by someone who may not (``DeletionPolicy/cancelRefusal(owner:actor:)``).
    case cancelDenied(Int64, String)
    /// A submission after ``DeletionQueue/stop(finishQueued:)``.
    case stopped
    /// A queued transaction that was no longer PREPARING when its write began (recovered or
    /// settled by another process): nothing was applied.
    case notRunnable(Int64, TransactionStatus?)

    public var description: String {
        switch self {
        case .noSuchTransaction(let id):
            return "no transaction \(id)"
        case .notCancelable(let id, let status):
            let why =
                switch status {
                case .preparing, .committing: "it is already running"
                case .success, .failure: "it has already run"
                case .canceled: "it was already canceled"
                case .pending: "it is pending"
                }
            return
                "transaction \(id) is \(status.rawValue) and cannot be canceled: \(why); only a PENDING transaction can be canceled"
        case .cancelDenied(let id, let reason):
            return "transaction \(id) cannot be canceled: \(reason)"
        case .stopped:
            return "the deletion queue is stopping and accepts no new transaction"
        case .notRunnable(let id, let status):
            return
                "transaction \(id) is \(status?.rawValue ?? "gone") and was not run; nothing was applied"
        }
    }
}
