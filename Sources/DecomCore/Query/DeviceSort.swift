/// The columns a device list sorts by, and the order.
public enum SortColumn: String, CaseIterable, Sendable, Hashable {
    case id, name, serial, type, os, status, mdm, compliance
    case lastSeen = "last_seen"
}

public struct DeviceSort: Sendable, Hashable {
    public var column: SortColumn
    public var ascending: Bool

    public init(column: SortColumn = .id, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }

    /// Sorts rows by the column, ties broken by id. CONTRACT STUB: refined on the `core` branch.
    public func sorted(_ rows: [DeviceSummary]) -> [DeviceSummary] {
        rows.sorted { ascending ? $0.id < $1.id : $0.id > $1.id }
    }
}
