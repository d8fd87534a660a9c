import DecomCore

/// The body of `POST /api/v1/deletions`, checked field by field:
/// `{"keys": [...], "mode": "archive|purge|unenroll|archive-unenroll", "dry_run": bool, "bulk": bool,
/// "async": bool}`. Keys are strings in any key form (`42`, `~label`, `mac:…`, `hwid:…`,
/// `serial:…`) or `{"id": …}` objects (seed 002's body). Any other field is refused by name:
/// who is acting comes from the token, so a body's `user` or `role` is an error, never a
/// claim (issue 13, "Authority first").
public struct DeletionRequest: Sendable, Hashable {
    public var keys: [KeyInput]
    public var mode: DeletionMode
    public var dryRun: Bool
    public var bulk: Bool
    public var async: Bool

    static let fields: Set<String> = ["keys", "mode", "dry_run", "bulk", "async"]

    /// - Throws: ``APIError`` 400 naming the field that is missing, of the wrong type, out of
    ///   range, or unknown.
    public static func parse(_ body: JSONValue, limits: ServerLimits) throws -> DeletionRequest {
        guard case .object(let object) = body else {
            throw APIError.badRequest("the body must be a JSON object", field: "body")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw APIError.badRequest(
                "unknown field '\(SafeText.visible(unknown))': the fields are \(fields.sorted().joined(separator: ", ")); who acts comes from the token",
                field: unknown)
        }
        guard case .array(let rawKeys)? = object["keys"] else {
            throw APIError.badRequest(
                object["keys"] == nil ? "\"keys\" is required" : "\"keys\" must be an array",
                field: "keys")
        }
        if rawKeys.isEmpty {
            throw APIError.badRequest("\"keys\" is empty: name at least one device", field: "keys")
        }
        if rawKeys.count > limits.keysPerRequest {
            throw APIError.badRequest(
                "\"keys\" has \(rawKeys.count) keys; at most \(limits.keysPerRequest) are accepted in one request",
                field: "keys")
        }
        for (index, key) in rawKeys.enumerated() where !isKeyShape(key) {
            throw APIError.badRequest(
                "keys[\(index)] is \(key.typeName == "object" ? "an object other than {\"id\": …}" : key.typeName == "integer" || key.typeName == "array" ? "an \(key.typeName)" : "a \(key.typeName)"): a key is a string (\"42\", \"~label\", \"mac:…\") or {\"id\": 42}",
                field: "keys")
        }
        guard case .string(let modeText)? = object["mode"] else {
            throw APIError.badRequest(
                "\"mode\" is required: archive, purge, unenroll or archive-unenroll", field: "mode")
        }
        guard let mode = DeletionMode(rawValue: modeText) else {
            throw APIError.badRequest(
                "unknown mode '\(SafeText.visible(modeText))': use archive, purge, unenroll or archive-unenroll",
                field: "mode")
        }
        return DeletionRequest(
            keys: rawKeys.map(KeyList.element), mode: mode,
            dryRun: try flag(object, "dry_run"), bulk: try flag(object, "bulk"),
            async: try flag(object, "async"))
    }

    /// A string, or an object whose only field is `id`, a whole number or a string (seed
    /// 002's body). What the string or id says is checked per item, as `invalid_key`.
    static func isKeyShape(_ key: JSONValue) -> Bool {
        switch key {
        case .string: return true
        case .object(let fields):
            guard fields.count == 1, let id = fields["id"] else { return false }
            switch id {
            case .integer, .string: return true
            default: return false
            }
        default: return false
        }
    }

    static func flag(_ object: [String: JSONValue], _ name: String) throws -> Bool {
        switch object[name] {
        case nil: return false
        case .bool(let value)?: return value
        case let other?:
            throw APIError.badRequest(
                "\"\(name)\" must be true or false, not a \(other.typeName)", field: name)
        }
    }
}
