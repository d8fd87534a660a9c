import Foundation

/// JSON written straight into a ``ByteStream``, byte for byte as ``Documents/text(_:pretty:)``
/// writes it (pretty printing: two spaces a level, `"key" : value`, an empty array as `[`,
/// an empty line and `]`), so that a listing streams without JSONEncoder and without a
/// second escaping pass.
extension ByteStream {
    /// A JSON string: what JSONEncoder escapes (`"`, `\`, the C0 controls, as `\n` or
    /// `\u001b`; `/` as it is) and, in the same pass, every other scalar a terminal could act
    /// on (``SafeText/escapingJSON(_:)``: DEL, C1 controls, bidirectional marks, line
    /// separators, noncharacters).
    public mutating func jsonString(_ text: String) {
        pending.append(UInt8(ascii: "\""))
        var text = text
        let plain = text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F || byte == 0x22 || byte == 0x5C {
                return false
            }
            pending.append(contentsOf: bytes)
            return true
        }
        if !plain {
            for scalar in text.unicodeScalars { jsonScalar(scalar) }
        }
        pending.append(UInt8(ascii: "\""))
    }

    /// A JSON string, or `null`.
    public mutating func jsonString(_ text: String?) {
        guard let text else { return write("null") }
        jsonString(text)
    }

    private mutating func jsonScalar(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "\"": write(bytes: [0x5C, 0x22])
        case "\\": write(bytes: [0x5C, 0x5C])
        case "\u{08}": write(bytes: [0x5C, UInt8(ascii: "b")])
        case "\u{0C}": write(bytes: [0x5C, UInt8(ascii: "f")])
        case "\n": write(bytes: [0x5C, UInt8(ascii: "n")])
        case "\r": write(bytes: [0x5C, UInt8(ascii: "r")])
        case "\t": write(bytes: [0x5C, UInt8(ascii: "t")])
        default:
            if SafeText.needsEscape(scalar) {
                write(SafeText.jsonEscape(scalar))
            } else {
                if let encoded = UTF8.encode(scalar) { pending.append(contentsOf: encoded) }
            }
        }
    }

    /// A date as JSONEncoder's `.iso8601` writes it (``ISODate``), or `null`.
    public mutating func jsonDate(_ date: Date?) {
        guard let date else { return write("null") }
        pending.append(UInt8(ascii: "\""))
        ISODate.write(date, into: &self)
        pending.append(UInt8(ascii: "\""))
    }

    /// `"key" : ` after the indentation of `level`.
    public mutating func jsonKey(_ key: StaticString, level: Int) {
        spaces(level * 2)
        pending.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { pending.append(contentsOf: $0) }
        write(bytes: [UInt8(ascii: "\""), 0x20, UInt8(ascii: ":"), 0x20])
    }

    /// An array of strings at `level` (the level of its key): `[`, one string a line, `]`.
    public mutating func jsonStrings(_ values: [String], level: Int) {
        pending.append(UInt8(ascii: "["))
        pending.append(0x0A)
        if values.isEmpty { pending.append(0x0A) }
        for (index, value) in values.enumerated() {
            spaces((level + 1) * 2)
            jsonString(value)
            if index < values.count - 1 { pending.append(UInt8(ascii: ",")) }
            pending.append(0x0A)
        }
        spaces(level * 2)
        pending.append(UInt8(ascii: "]"))
    }
}
