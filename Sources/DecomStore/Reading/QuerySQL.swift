import DecomCore
import Foundation
import GRDB

/// The core's ``QueryCondition`` and ``QueryOrderKey`` as SQL over the list's joins (`devices
/// d`, `characteristics c`, `mdm_enrollments m`, `device_sources s`), every value bound as an
/// argument.
///
/// Each condition is 0 or 1 for every row, never NULL (a missing value matches nothing, as in
/// memory), so `NOT` is plain negation. Text is matched with `LIKE` (SQLite folds ASCII case
/// only, as ``QueryText`` does byte by byte); a value with non-ASCII text that `LIKE` did not
/// match goes to `decom_contains`, which is ``QueryText/contains(_:lowercasedNeedle:)`` itself,
/// so both paths fold `É` to `é` alike. Dates are stored as canonical ISO 8601 text
/// (``StoreDate``): without the final `Z` they compare as text in time order (`…:30` before
/// `…:30.25`).
struct QuerySQL {
    private(set) var sql = ""
    private(set) var arguments: [(any DatabaseValueConvertible)?] = []

    var statementArguments: StatementArguments { StatementArguments(arguments) }

    /// The SQL of a condition.
    static func condition(_ condition: QueryCondition) -> QuerySQL {
        var out = QuerySQL()
        out.append(condition)
        return out
    }

    /// The `ORDER BY` list of an order (without the words `ORDER BY`).
    static func order(_ keys: [QueryOrderKey], ascending: Bool) -> QuerySQL {
        var out = QuerySQL()
        let direction = ascending ? " ASC" : " DESC"
        var first = true
        func key(_ body: (inout QuerySQL) -> Void) {
            if !first { out.sql += ", " }
            first = false
            body(&out)
            out.sql += direction
        }
        for orderKey in keys {
            switch orderKey {
            case .id: key { $0.sql += "d.id" }
            case .text(let field):
                let column = Self.column(field)
                key { $0.sql += "\(column) IS NULL" }
                key { $0.sql += "\(column) COLLATE NOCASE" }
            case .raw(let field):
                let column = Self.column(field)
                key { $0.sql += "\(column) IS NULL" }
                key { $0.sql += column }
            case .date(let field):
                let column = Self.column(field)
                key { $0.sql += "\(column) IS NOT NULL" }
                key { $0.sql += "rtrim(\(column), 'Z')" }
            case .condition(let condition): key { $0.append(condition) }
            case .count(let conditions):
                key { out in
                    out.sql += "("
                    for (index, condition) in conditions.enumerated() {
                        if index > 0 { out.sql += " + " }
                        out.append(condition)
                    }
                    if conditions.isEmpty { out.sql += "0" }
                    out.sql += ")"
                }
            }
        }
        return out
    }

    /// The column (or expression) of a field in the list's joins.
    static func column(_ field: DeviceField) -> String {
        switch field {
        case .id: "d.id"
        case .name: "d.name"
        case .serialNumber: "d.serial_number"
        case .type: "d.type"
        case .category: "d.category"
        case .osPlatform: "c.os_platform"
        case .clientStatus: "d.client_status"
        case .deviceStatus: "d.device_status"
        case .label: "d.label"
        case .hwid: "d.hwid"
        case .lastSeen: "d.last_seen"
        case .archivedAt: "d.archived_at"
        case .source: "d.source"
        case .externalID: "s.external_id"
        case .rented: "(d.rent IS NOT NULL)"
        case .mdmStatus: "m.status"
        case .enrolledAt: "m.enrollment_date"
        case .isEncrypted: "m.is_encrypted"
        case .firewallEnabled: "m.firewall_enabled"
        case .screenlockEnabled: "m.screenlock_enabled"
        case .osUpdatesEnabled: "m.os_updates_enabled"
        case .osUpdatesAvailable: "m.os_updates_available"
        case .isCompromised: "m.is_compromised"
        case .mdmLastSeen: "m.last_seen_date"
        }
    }

    private mutating func append(_ condition: QueryCondition) {
        switch condition {
        case .always(let value): sql += value ? "1" : "0"
        case .all(let parts): join(parts, "AND", empty: "1")
        case .any(let parts): join(parts, "OR", empty: "0")
        case .not(let inner):
            sql += "NOT ("
            append(inner)
            sql += ")"
        case .equals(let field, let value):
            sql += "\(Self.column(field)) IS ?"
            arguments.append(value)
        case .missing(let field):
            sql += "\(Self.column(field)) IS NULL"
        case .flag(let field, let value):
            // GRDB reads any non-zero number as true.
            sql += "ifnull(\(Self.column(field)) \(value ? "<>" : "=") 0, 0)"
        case .number(let field, let op, let value):
            sql += "\(Self.column(field)) \(op.rawValue) ?"
            arguments.append(value)
        case .date(let field, let op, let date):
            let column = Self.column(field)
            sql += "(\(column) IS NOT NULL AND rtrim(\(column), 'Z') \(op.rawValue) ?)"
            arguments.append(String(StoreDate.text(date).dropLast()))
        case .contains(let field, let needle):
            contains(Self.column(field), needle)
        case .macContains(let needle):
            sql += "EXISTS (SELECT 1 FROM device_macs x WHERE x.device_id = d.id AND "
            contains("x.mac", needle)
            sql += ")"
        case .macHexDigits(let digits):
            sql +=
                "EXISTS (SELECT 1 FROM device_macs x WHERE x.device_id = d.id AND decom_mac_hex(x.mac, ?))"
            arguments.append(digits)
        }
    }

    /// The parts joined by `word`, nested in halves past eight: SQLite refuses an expression
    /// deeper than 1,000 (SQLITE_MAX_EXPR_DEPTH), and a chain of a thousand terms is that deep.
    private mutating func join(_ parts: [QueryCondition], _ word: String, empty: String) {
        guard !parts.isEmpty else {
            sql += empty
            return
        }
        if parts.count > 8 {
            let half = parts.count / 2
            sql += "("
            join(Array(parts[..<half]), word, empty: empty)
            sql += " \(word) "
            join(Array(parts[half...]), word, empty: empty)
            sql += ")"
            return
        }
        sql += "("
        for (index, part) in parts.enumerated() {
            if index > 0 { sql += " \(word) " }
            append(part)
        }
        sql += ")"
    }

    /// `column` contains `needle` (lowercased), ignoring case as ``QueryText`` does.
    private mutating func contains(_ column: String, _ needle: String) {
        let pattern = "%" + Self.likeEscaped(needle) + "%"
        // SQLite refuses a LIKE pattern over 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH);
        // such a needle is left to the function alone.
        guard pattern.utf8.count <= 40_000 else {
            sql += "(\(column) IS NOT NULL AND decom_contains(\(column), ?))"
            arguments.append(needle)
            return
        }
        sql += """
            (\(column) IS NOT NULL AND (\(column) LIKE ? ESCAPE '\\' OR \
            (length(CAST(\(column) AS BLOB)) <> length(\(column)) AND decom_contains(\(column), ?))))
            """
        arguments.append(pattern)
        arguments.append(needle)
    }

    /// Text for a `LIKE … ESCAPE '\'` pattern that matches it literally.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            if character == "%" || character == "_" || character == "\\" { out += "\\" }
            out.unicodeScalars.append(character)
        }
        return out
    }

    // MARK: - Functions

    /// Adds the SQL functions the conditions call to a connection.
    static func register(_ db: Database) {
        db.add(function: containsFunction)
        db.add(function: macHexFunction)
    }

    private static let containsFunction = DatabaseFunction(
        "decom_contains", argumentCount: 2, pure: true
    ) { values in
        guard let haystack = String.fromDatabaseValue(values[0]),
            let needle = String.fromDatabaseValue(values[1])
        else { return false }
        return QueryText.contains(haystack, lowercasedNeedle: needle)
    }

    private static let macHexFunction = DatabaseFunction(
        "decom_mac_hex", argumentCount: 2, pure: true
    ) { values in
        guard let mac = String.fromDatabaseValue(values[0]),
            let digits = String.fromDatabaseValue(values[1])
        else { return false }
        return QueryText.macHexContains(mac, digits: digits)
    }
}
