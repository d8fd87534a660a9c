import Foundation

/// What decom keeps of a purged device: its id (never given to another device), the names it
/// was known by, and who purged it when, in which transaction. An import naming one of its
/// identifiers is refused (issue 14), and `decom show` of its id says it was purged.
public struct Tombstone: Sendable, Hashable {
    public var deviceId: Int64
    public var name: String?
    public var purgedAt: Date
    public var purgedBy: String
    /// The PURGE transaction (`decom history ID` shows it).
    public var transaction: Int64

    public init(
        deviceId: Int64, name: String?, purgedAt: Date, purgedBy: String, transaction: Int64
    ) {
        self.deviceId = deviceId
        self.name = name
        self.purgedAt = purgedAt
        self.purgedBy = purgedBy
        self.transaction = transaction
    }
}
