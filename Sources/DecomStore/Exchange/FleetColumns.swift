import DecomCore

/// The CSV columns of a device: the JSON keys in `Device`'s order, nested ones dotted
/// (`characteristics.ram`, `mdm.status`), then `external_id` (the device's id in the MDM
/// its `source` names, issue 14). Lists are joined with `;`; a `;` or `\` inside an
/// item is written `\;` or `\\`.
enum FleetColumns {
    static let all: [String] =
        Device.CodingKeys.allCases.flatMap { key -> [String] in
            switch key {
            case .characteristics:
                return Characteristics.CodingKeys.allCases.map { "characteristics." + $0.rawValue }
            case .mdm: return MDMEnrollment.CodingKeys.allCases.map { "mdm." + $0.rawValue }
            default: return [key.rawValue]
            }
        } + ["external_id"]

    static let integers: Set<String> = ["id", "mdm.id"]
    static let lists: Set<String> = [
        "characteristics.compliance", "characteristics.connection_type", "mac_addresses",
    ]
    static let booleans: Set<String> = Set(
        all.filter { column in
            guard let last = column.split(separator: ".").last else { return false }
            return DeviceColumns.booleanColumns.contains(String(last))
        })

    /// A CSV cell as the JSON value the record checker reads, its text first read back as
    /// ``CSVText/decode(_:)`` says.
    static func value(_ cell: CSVTable.Cell, column: String) -> JSONValue {
        if cell.isNull { return .null }
        let text = CSVText.decode(cell.text)
        if lists.contains(column) {
            return .array(splitList(text).map { .string($0) })
        }
        if integers.contains(column), let n = Int64(text) { return .integer(n) }
        if booleans.contains(column) {
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
        }
        return .string(text)
    }

    /// One CSV cell for a list: items joined with `;`, each `\` and `;` escaped.
    static func joinList(_ items: [String]) -> String {
        items.map {
            $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: ";", with: "\\;")
        }.joined(separator: ";")
    }

    /// The items of a list cell (an empty cell is an empty list); `\x` stands for `x`.
    static func splitList(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var items: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        items.append(current)
        return items
    }
}
