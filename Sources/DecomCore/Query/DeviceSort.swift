/// The columns a device list sorts by, and the order.
public enum SortColumn: String, CaseIterable, Sendable, Hashable {
    case id, name, serial, type, os, status, mdm, compliance
    case lastSeen = "last_seen"

    /// Whether the column sorts text (case-insensitively, missing values last).
    var isText: Bool {
        switch self {
        case .name, .serial, .type, .os: true
        default: false
        }
    }

    /// The column's header text.
    public var title: String {
        switch self {
        case .id: "ID"
        case .name: "Name"
        case .serial: "Serial"
        case .type: "Type"
        case .os: "OS"
        case .status: "Status"
        case .mdm: "MDM"
        case .compliance: "Compliance"
        case .lastSeen: "Last seen"
        }
    }

    /// Reads a column from a name as an admin types it: any case, with or without `_`, `-`
    /// or spaces (`last_seen`, `lastseen`, `Last-Seen`), and a few other names for the same
    /// column (`seen`, `serial_number`, `client_status`, `platform`, `compliant`).
    public init?(name: String) {
        let folded = String(
            name.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
        switch folded {
        case "id": self = .id
        case "name": self = .name
        case "serial", "serialnumber", "sn": self = .serial
        case "type": self = .type
        case "os", "osplatform", "platform": self = .os
        case "status", "clientstatus": self = .status
        case "mdm", "mdmstatus": self = .mdm
        case "compliance", "compliant", "verdict": self = .compliance
        case "lastseen", "seen", "lastseendate": self = .lastSeen
        default: return nil
        }
    }
}

/// An order for device lists.
///
/// Ascending: text columns (name, serial, type, os) case-insensitively with missing values
/// last; status by its raw value; mdm by its status's raw value with no MDM row last;
/// compliance from best to worst (``ComplianceVerdict/severity``); last seen from oldest to
/// newest, never seen first. Ties go by id. Descending is the exact reverse.
public struct DeviceSort: Sendable, Hashable {
    public var column: SortColumn
    public var ascending: Bool

    public init(column: SortColumn = .id, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }

    /// Sorts rows by the column, ties broken by id.
    public func sorted(_ rows: [DeviceSummary]) -> [DeviceSummary] {
        sortedIndices(rows).map { rows[$0] }
    }

    /// The positions of `rows` in this order, for a list that keeps its rows in place.
    ///
    /// Numeric columns are turned into one number per row first, and rows are compared
    /// through pointers: 100,000 rows sort in tens of milliseconds.
    public func sortedIndices(_ rows: [DeviceSummary]) -> [Int] {
        var order = Array(rows.indices)
        rows.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let column = self.column
            let ascending = self.ascending
            let keys = column.isText ? [] : buffer.map { Self.numericKey(column, $0) }
            let prefixes = column.isText ? buffer.map { Self.textPrefix(column, $0) } : []
            order.sort { i, j in
                var result: Int
                if column.isText {
                    // Most pairs differ in their first 16 folded bytes: whole strings are
                    // compared only when those are equal and one of them is longer.
                    let a = prefixes[i]
                    let b = prefixes[j]
                    result =
                        a < b
                        ? -1
                        : b < a
                            ? 1
                            : a.isWhole && b.isWhole
                                ? (a.length < b.length ? -1 : (a.length > b.length ? 1 : 0))
                                : Self.compare(column, base + i, base + j)
                } else {
                    result = keys[i] < keys[j] ? -1 : (keys[i] > keys[j] ? 1 : 0)
                }
                if result == 0 {
                    let a = base[i].id
                    let b = base[j].id
                    result = a < b ? -1 : (a > b ? 1 : 0)
                }
                return ascending ? result < 0 : result > 0
            }
        }
        return order
    }

    /// Whether `a` comes before `b` in this order.
    public func areInIncreasingOrder(_ a: DeviceSummary, _ b: DeviceSummary) -> Bool {
        var order: Int
        if column.isText {
            order = withUnsafePointer(to: a) { pa in
                withUnsafePointer(to: b) { pb in Self.compare(column, pa, pb) }
            }
        } else {
            let x = Self.numericKey(column, a)
            let y = Self.numericKey(column, b)
            order = x < y ? -1 : (x > y ? 1 : 0)
        }
        if order == 0 { order = a.id < b.id ? -1 : (a.id > b.id ? 1 : 0) }
        return ascending ? order < 0 : order > 0
    }

    /// The ascending comparison of a text column: negative, zero or positive.
    static func compare(
        _ column: SortColumn, _ a: UnsafePointer<DeviceSummary>, _ b: UnsafePointer<DeviceSummary>
    ) -> Int {
        switch column {
        case .name: compareText(a.pointee.name, b.pointee.name)
        case .serial: compareText(a.pointee.serialNumber, b.pointee.serialNumber)
        case .type: compareText(a.pointee.type, b.pointee.type)
        case .os: compareText(a.pointee.osPlatform, b.pointee.osPlatform)
        default: 0
        }
    }

    /// The first 16 bytes of a text column, ASCII-folded as ``TextMatch/compareIgnoringCase``
    /// folds them, packed big-endian and padded with zeros; a missing value sorts last. Two
    /// rows whose prefixes differ are in the prefixes' order; equal prefixes say nothing.
    static func textPrefix(_ column: SortColumn, _ row: DeviceSummary) -> TextPrefix {
        let text: String? =
            switch column {
            case .name: row.name
            case .serial: row.serialNumber
            case .type: row.type
            case .os: row.osPlatform
            default: nil
            }
        guard let text else { return TextPrefix(high: 0, low: 0, missing: 1, length: 0) }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in text.utf8 {
            if count == 16 { break }
            let folded = UInt64(TextMatch.fold(byte))
            if count < 8 {
                high |= folded << UInt64(56 - 8 * count)
            } else {
                low |= folded << UInt64(56 - 8 * (count - 8))
            }
            count += 1
        }
        let length = text.utf8.count
        return TextPrefix(
            high: high, low: low, missing: 0, length: UInt8(min(length, Int(UInt8.max))))
    }

    /// A sort key made of a text's first bytes; compares as a tuple (length aside).
    struct TextPrefix {
        // The bytes first: 24 bytes a row rather than 32 (a million rows sort with one
        // of these each).
        var high: UInt64
        var low: UInt64
        var missing: UInt8
        /// The text's length in bytes (255 stands for more), not part of `<`.
        var length: UInt8

        /// Whether the prefix is the whole text: equal whole prefixes order by length alone.
        var isWhole: Bool { missing == 0 && length <= 16 }

        static func < (a: TextPrefix, b: TextPrefix) -> Bool {
            (a.missing, a.high, a.low) < (b.missing, b.high, b.low)
        }
    }

    /// One number per row for the other columns, smallest first when ascending.
    static func numericKey(_ column: SortColumn, _ row: DeviceSummary) -> Double {
        switch column {
        case .status: Double(statusRank[row.clientStatus] ?? 0)
        case .mdm: row.mdmStatus.map { Double(mdmRank[$0] ?? 0) } ?? .infinity
        case .compliance: Double(row.compliance.severity)
        case .lastSeen: row.lastSeen?.timeIntervalSinceReferenceDate ?? -.infinity
        default: 0
        }
    }

    /// Statuses ranked by their raw value, the text the list shows.
    static let statusRank: [ClientStatus: Int] = rank(ClientStatus.allCases)
    static let mdmRank: [MDMStatus: Int] = rank(MDMStatus.allCases)

    private static func rank<E: RawRepresentable & Hashable>(_ cases: [E]) -> [E: Int]
    where E.RawValue == String {
        let sorted = cases.sorted { $0.rawValue < $1.rawValue }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    }

    private static func compareText(_ a: String?, _ b: String?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?): return TextMatch.compareIgnoringCase(x, y)
        }
    }

    private static func compareRaw(_ a: String, _ b: String) -> Int {
        a < b ? -1 : (a > b ? 1 : 0)
    }
}
