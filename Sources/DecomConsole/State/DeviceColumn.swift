import DecomCore
import Foundation

/// A column the device table can show: one for every field of ``DeviceSummary`` an admin
/// reads in a list (issue 15, "See what matters"). `:columns` and the config file's `columns:`
/// name them by their raw value.
public enum DeviceColumn: String, CaseIterable, Sendable, Hashable {
    case id, name, serial, type, category, os, status, mdm
    case deviceStatus = "device_status"
    case rental, label, source
    case externalID = "external_id"
    case hwid, compliance, seen
    case seenDate = "seen_date"
    case enrolled, archived

    /// What the table shows when nothing was chosen: the columns, then the ones that
    /// show only where the width allows (they are the first to go, ``keepRank``).
    public static let standard: [DeviceColumn] = [
        .id, .name, .label, .serial, .type, .os, .category, .status, .deviceStatus, .mdm,
        .compliance, .seen, .rental, .hwid,
    ]

    /// The header text.
    var title: String {
        switch self {
        case .id: "ID"
        case .name: "NAME"
        case .serial: "SERIAL"
        case .type: "TYPE"
        case .category: "CATEGORY"
        case .os: "OS"
        case .status: "STATUS"
        case .mdm: "MDM"
        case .deviceStatus: "DEVICE"
        case .rental: "RENT"
        case .label: "LABEL"
        case .source: "SOURCE"
        case .externalID: "EXT ID"
        case .hwid: "HWID"
        case .compliance: "COMP"
        case .seen: "SEEN"
        case .seenDate: "LAST SEEN"
        case .enrolled: "ENROLLED"
        case .archived: "ARCHIVED"
        }
    }

    /// How long the column's shown text may get before it is cut: a value longer than this
    /// is shortened with an ellipsis. Nil: no bound (identifiers and fixed vocabularies).
    var widest: Int? {
        switch self {
        case .name: 48
        case .type, .category, .source: 14
        case .os: 20
        case .label, .externalID: 24
        case .hwid: 40
        default: nil
        }
    }

    /// How long the table keeps the column when the width runs short: the lowest goes
    /// first. Identifiers (id, then name, then serial) go last, after what decides a
    /// deletion (compliance, client status); the columns the standard set adds on a wide
    /// terminal go first (issue 15: "identifiers are the last thing cut").
    var keepRank: Int {
        switch self {
        case .hwid: 1
        case .rental: 2
        case .category: 3
        case .label: 4
        case .source: 5
        case .externalID: 6
        case .archived: 7
        case .enrolled: 8
        case .seenDate: 9
        case .deviceStatus: 10
        case .type: 11
        case .os: 12
        case .mdm: 13
        case .seen: 14
        case .status: 15
        case .compliance: 16
        case .serial: 90
        case .name: 95
        case .id: 100
        }
    }

    /// The sort key of the column, where the sort has one.
    var sortColumn: SortColumn? {
        switch self {
        case .id: .id
        case .name: .name
        case .serial: .serial
        case .type: .type
        case .os: .os
        case .status: .status
        case .mdm: .mdm
        case .compliance: .compliance
        case .seen, .seenDate: .lastSeen
        default: nil
        }
    }

    /// Reads a column name as an admin types it: any case, `-` or `_` alike, and the field
    /// names of seed 001 and the query language (`client_status`, `mdm_status`,
    /// `serial_number`, `last_seen`, `rented`, `ext`).
    public init?(name: String) {
        let folded = name.lowercased().replacingOccurrences(of: "-", with: "_")
        if let column = DeviceColumn(rawValue: folded) {
            self = column
            return
        }
        switch folded {
        case "client_status": self = .status
        case "mdm_status": self = .mdm
        case "serial_number", "sn": self = .serial
        case "last_seen": self = .seen
        case "last_seen_date": self = .seenDate
        case "rented", "rent": self = .rental
        case "ext", "ext_id": self = .externalID
        case "os_platform", "platform": self = .os
        case "compliant": self = .compliance
        case "enrollment_date", "enrolled_at": self = .enrolled
        case "archived_at": self = .archived
        default: return nil
        }
    }

    /// Reads a list of column names separated by commas or spaces (`id,name` or `id name`, as
    /// Tab lists them), in the order given. Fails on the first unknown name, or a name given
    /// twice, with a message naming it; an empty list is refused too.
    public static func parseList(_ text: String) -> Result<[DeviceColumn], ColumnListError> {
        let separated = text.contains(",") ? text : text.replacingOccurrences(of: " ", with: ",")
        let names = separated.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return parseList(names)
    }

    /// Reads a list of column names (a YAML list's items).
    public static func parseList(_ names: [String]) -> Result<[DeviceColumn], ColumnListError> {
        var columns: [DeviceColumn] = []
        for name in names {
            guard !name.isEmpty else { continue }
            guard let column = DeviceColumn(name: name) else {
                return .failure(.unknown(name))
            }
            guard !columns.contains(column) else { return .failure(.repeated(name)) }
            columns.append(column)
        }
        guard !columns.isEmpty else { return .failure(.empty) }
        return .success(columns)
    }

    /// The list as `:columns` takes it and the state file keeps it: `id,name,serial`.
    public static func text(_ columns: [DeviceColumn]) -> String {
        columns.map(\.rawValue).joined(separator: ",")
    }
}

/// Why a column list was refused; the message names the column (passed through `SafeText`,
/// since it is typed text).
public enum ColumnListError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(String)
    case repeated(String)
    case empty

    public var description: String {
        switch self {
        case .unknown(let name): "unknown column '\(SafeText.visible(name))'"
        case .repeated(let name): "column '\(SafeText.visible(name))' is named twice"
        case .empty: "no column named"
        }
    }
}
