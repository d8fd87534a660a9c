import DecomCore

/// RFC 4180 CSV as import and export use it: comma-separated, `"` quotes a field and `""` is
/// a quote inside one, records end with LF or CRLF.
///
/// An unquoted empty cell is `null`; a quoted empty cell (`""`) is an empty string. That
/// difference is what lets an export that writes both read back exactly.
enum CSVTable {
    struct Cell: Hashable {
        var text: String
        var quoted: Bool

        var isNull: Bool { text.isEmpty && !quoted }
    }

    struct Malformed: Error {
        var line: Int
        var message: String
    }

    /// The records of a CSV text, each with the line it starts on.
    static func parse(_ bytes: [UInt8]) throws(Malformed) -> [(line: Int, cells: [Cell])] {
        var records: [(line: Int, cells: [Cell])] = []
        var cells: [Cell] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var index = 0
        func endField() {
            cells.append(Cell(text: String(decoding: field, as: UTF8.self), quoted: quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRecord() {
            endField()
            if !(cells.count == 1 && cells[0].isNull) { records.append((recordLine, cells)) }
            cells = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case 0x22:
                    guard field.isEmpty, !quoted else {
                        throw Malformed(line: line, message: "a quote inside an unquoted field")
                    }
                    inQuotes = true
                    quoted = true
                case 0x2C:
                    endField()
                case 0x0A:
                    endRecord()
                    line += 1
                    recordLine = line
                case 0x0D where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
                    break
                default:
                    guard !quoted else {
                        throw Malformed(line: line, message: "text after a closing quote")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw Malformed(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || quoted || !cells.isEmpty { endRecord() }
        return records
    }

    /// One field as CSV text: `nil` is an empty cell, an empty string is `""`; text is
    /// written as ``CSVText`` says (controls escaped, formulas neutralised).
    static func field(_ text: String?) -> String { CSVText.field(text) }
}
