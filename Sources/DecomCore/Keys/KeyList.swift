import Foundation

/// One key as it was given, with what it parsed to.
public struct KeyInput: Sendable, Hashable {
    /// The key as the admin wrote it (JSON keys in their compact JSON form).
    public var raw: String
    public var parsed: Result<DeviceKey, KeyError>

    public init(raw: String, parsed: Result<DeviceKey, KeyError>) {
        self.raw = raw
        self.parsed = parsed
    }

    public init(_ raw: String) {
        self.init(raw: raw, parsed: DeviceKey.parse(raw))
    }

    public init(_ key: DeviceKey) {
        self.init(raw: key.description, parsed: .success(key))
    }
}

/// Reads a list of keys from a file or standard input: either one key a line (blank lines and
/// lines starting with `#` skipped), or one JSON array in seed 002's body format, whose
/// elements are key strings or `{"id": …}` objects.
public enum KeyList {
    /// A list that cannot be read at all (not an item-level problem).
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws(FormatError) -> [KeyInput] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("[") { return try parseJSON(trimmed) }
        return
            text
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { KeyInput($0) }
    }

    static func parseJSON(_ text: String) throws(FormatError) -> [KeyInput] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw FormatError(message: "the key list is not valid JSON")
        }
        guard case .array(let elements) = value else {
            throw FormatError(message: "a JSON key list must be one array of keys")
        }
        return elements.map(element)
    }

    /// One element of seed 002's body: `"42"`, `"~label"`, or `{"id": 42}` / `{"id": "42"}`.
    public static func element(_ value: JSONValue) -> KeyInput {
        if case .string(let string) = value { return KeyInput(string) }
        let raw = value.compactText
        guard case .object(let object) = value else {
            return KeyInput(
                raw: raw, parsed: .failure(KeyError("a key must be a string or {\"id\": …}")))
        }
        guard object.count == 1, let id = object["id"] else {
            return KeyInput(
                raw: raw,
                parsed: .failure(KeyError("a JSON key must have exactly one field, \"id\"")))
        }
        switch id {
        case .string(let digits): return KeyInput(raw: raw, parsed: DeviceKey.parseID(digits))
        case .integer(let number):
            return KeyInput(raw: raw, parsed: DeviceKey.parseID(String(number)))
        default:
            return KeyInput(
                raw: raw,
                parsed: .failure(KeyError("\"id\" must be a whole number or a string of digits")))
        }
    }
}
