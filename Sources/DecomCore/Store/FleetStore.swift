import Foundation

/// Reads of the fleet database, in one consistent snapshot.
public protocol FleetReader {
    /// The ids of the devices each key names, in id order; keys that name no device are absent
    /// from the result. A key that names more than one device (a serial or HWID shared by
    /// devices written before import refused duplicates) has several: the caller refuses it
    /// as ambiguous.
    func resolve(_ keys: [DeviceKey]) throws -> [DeviceKey: [Int64]]
    /// Policy facts for the devices that exist among `ids`.
    func facts(ids: [Int64]) throws -> [Int64: DeviceFacts]
    /// The devices among `planned` whose facts are no longer exactly these: their current
    /// facts, or nil for a device that is gone. A device absent from the answer still has the
    /// planned facts. The narrower second read of a deletion (issue 16): the database compares,
    /// and only what differs is read and decoded.
    func factsChanged(since planned: [DeviceFacts]) throws -> [Int64: DeviceFacts?]
    /// The devices of the scope as compact rows, ordered by id: all of them, or the first
    /// `limit` (what a console shows before the whole fleet is read).
    func summaries(scope: ListScope, evaluator: ComplianceEvaluator, limit: Int?) throws
        -> [DeviceSummary]
    /// The same rows handed to `body` one at a time as they are read, none kept: a console
    /// builds its columns from them (``DeviceRows``) without an array of every summary first.
    func forEachSummary(
        scope: ListScope, evaluator: ComplianceEvaluator, limit: Int?,
        _ body: (DeviceSummary) throws -> Void) throws
    /// The devices a selection selects, in its order: the database filters, sorts and pages
    /// (from `offset`, at most `limit`), and compliance in the rows is `evaluator`'s, as in
    /// ``summaries(scope:evaluator:limit:)``.
    func summaries(
        _ selection: DeviceSelection, evaluator: ComplianceEvaluator, limit: Int?, offset: Int
    ) throws -> [DeviceSummary]
    /// The ids of the devices a selection selects, in its order (a page's place in it).
    func selectedIDs(_ selection: DeviceSelection, evaluator: ComplianceEvaluator) throws
        -> [Int64]
    func device(id: Int64) throws -> Device?
    /// The id a device has in the MDM it was imported from (its `source`), if it was.
    func externalID(deviceId: Int64) throws -> String?
    /// The MDM's own compliance verdict of a device imported from one that gives it.
    func vendorCompliance(deviceId: Int64) throws -> VendorCompliance?
    /// What was kept of the purged device that had this id, or nil when none was purged.
    func tombstone(deviceId: Int64) throws -> Tombstone?
    func sessions(deviceId: Int64) throws -> [Session]
    func events(deviceId: Int64) throws -> [DeviceEvent]
    /// Transactions, newest first, each with its items.
    func transactions(limit: Int?) throws -> [TransactionRecord]
    func transaction(id: Int64) throws -> TransactionRecord?
    /// Transactions newest first, at most `limit`, with ids below `before` when given, each
    /// without its items but with how many items had each outcome (the API's paged history:
    /// an archive of 10,000 devices is one line, not 10,000 items).
    func transactionHeaders(limit: Int, before: Int64?) throws -> [TransactionHeader]
    /// The status of one transaction, or nil when there is none: read without its items.
    func transactionStatus(id: Int64) throws -> TransactionStatus?
    /// The transactions in any of these statuses, oldest first, each with its items (the
    /// queued ones a start-up finds, ``DeletionQueue/recoverInterrupted()``).
    func transactions(statuses: Set<TransactionStatus>) throws -> [TransactionRecord]
    /// The newest transactions that changed or named this device, newest first, each with
    /// this device's items only.
    func transactions(deviceId: Int64, limit: Int) throws -> [TransactionRecord]
    /// The undo stack of one user (or of everyone, for nil): SUCCESS archives, purges and
    /// unenrolls by that user that applied at least one item and have not been undone,
    /// newest first.
    func undoStack(user: String?, limit: Int?) throws -> [TransactionRecord]
    /// The devices an archive transaction put in the undo buffer.
    func undoEntries(archive: Int64) throws -> [Int64]
    /// For each of these devices that an archive put in the undo buffer (purged ones too),
    /// the newest such archive: for a device that is archived, the one that archived it.
    func archiveOrigins(ids: [Int64]) throws -> [Int64: ArchiveOrigin]
    /// Archived devices whose `archived_at` is before the date, by id.
    func archived(before date: Date) throws -> [Int64]
    func deviceCount(scope: ListScope) throws -> Int
}

extension FleetReader {
    /// Every device a selection selects, in its order.
    public func summaries(_ selection: DeviceSelection, evaluator: ComplianceEvaluator) throws
        -> [DeviceSummary]
    {
        try summaries(selection, evaluator: evaluator, limit: nil, offset: 0)
    }

    /// Every device of the scope as a compact row, ordered by id.
    public func summaries(scope: ListScope, evaluator: ComplianceEvaluator) throws
        -> [DeviceSummary]
    {
        try summaries(scope: scope, evaluator: evaluator, limit: nil)
    }

    /// Every device of the scope (or the first `limit` by id) as the console's columns,
    /// filled as the rows are read.
    public func rows(scope: ListScope, evaluator: ComplianceEvaluator, limit: Int? = nil)
        throws -> DeviceRows
    {
        let count = try limit ?? deviceCount(scope: scope)
        var rows = DeviceRows()
        rows.reserveCapacity(count)
        try forEachSummary(scope: scope, evaluator: evaluator, limit: limit) { row in
            rows.append(row)
            // Room for the arena again, now that its rows' size is known.
            if rows.count == 4_096 { rows.reserveCapacity(count) }
        }
        return rows
    }
}

/// Writes, inside one SQLite transaction: everything a closure given to
/// ``FleetStore/write(_:)`` does is committed together or not at all.
///
/// Each mutation also writes the audit entries (the device's state before the change) of
/// the devices it changes; `archive` writes the undo buffer's rows and `purge` the tombstones.
public protocol FleetWriter: FleetReader {
    /// Records a transaction as COMMITTING and returns its id.
    func begin(_ type: TransactionType, actor: Actor, at: Date, undoes: Int64?) throws -> Int64
    /// Records a transaction that adds devices (IMPORT, SEED) as COMMITTING, with where they
    /// came from, and returns its id.
    func begin(_ type: TransactionType, actor: Actor, at: Date, source: String) throws -> Int64
    /// Records a queued transaction as PENDING with its items as planned (those it will act on
    /// as ``ItemOutcome/pending``) and returns its id. It is not final, so it has no hash
    /// until ``settle(_:status:items:error:at:)``.
    func enqueue(_ type: TransactionType, actor: Actor, at: Date, items: [ItemResult]) throws
        -> Int64
    /// Moves a queued transaction to a state that is not final (PREPARING, COMMITTING).
    func setStatus(_ transaction: Int64, _ status: TransactionStatus, at: Date) throws
    /// Gives a queued transaction its final status, error and per-item results, in place of
    /// the items it was queued with, and seals it.
    func settle(
        _ transaction: Int64, status: TransactionStatus, items: [ItemResult], error: String?,
        at: Date) throws
    /// Adds per-item results before the transaction finishes (an intake, batch by batch).
    func addItems(_ items: [ItemResult], transaction: Int64) throws
    func archive(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws
    func purge(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws
    func unenroll(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws
    /// Brings back devices of an archive as they were before it.
    func restore(ids: [Int64], archive: Int64, transaction: Int64, actor: Actor, at: Date) throws
    /// Sets the final status and the per-item results of a transaction.
    func finish(_ transaction: Int64, status: TransactionStatus, items: [ItemResult], at: Date)
        throws
    func markUndone(_ archive: Int64, by restore: Int64) throws
    /// Adds devices with their sessions and events (import, demo fleet).
    func insert(_ records: [DeviceRecord]) throws
    /// Runs `body`, which adds many devices through ``insert(_:)``, as one bulk load: the
    /// store may prepare for it and tidy up after it (SQLite builds the indexes of an empty
    /// fleet once at the end, rather than row by row), so long as what is stored is the same
    /// as without it. Inside the writer's transaction, like every write.
    func bulkLoad<T>(_ body: () throws -> T) throws -> T
    /// Replaces known devices' own fields, characteristics, enrollment and MACs with these
    /// (a re-import, ``ImportSync``), after an `UPDATE` audit row of each one's state before;
    /// their sessions and events stay.
    func update(_ devices: [Device], transaction: Int64, actor: Actor, at: Date) throws
}

/// The fleet database as the core uses it. Implemented by DecomStore over SQLite.
public protocol FleetStore: Sendable {
    /// Where the database lives, for messages.
    var path: String { get }
    func read<T>(_ body: (any FleetReader) throws -> T) throws -> T
    func write<T>(_ body: (any FleetWriter) throws -> T) throws -> T
    /// Records a FAILURE transaction after the work's own transaction rolled back.
    func recordFailure(
        _ type: TransactionType, actor: Actor, at: Date, error: String, items: [ItemResult]
    ) throws -> Int64
    /// A number that changes whenever another connection commits a change.
    func changeToken() throws -> Int64
}
