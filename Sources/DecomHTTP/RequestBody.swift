import DecomCore
import Foundation
import Hummingbird

/// The server's limits on what one request may carry (issue 13, "Limits"). A request over a
/// limit is refused before anything is planned: 413 for the body, 400 naming the limit for
/// the rest.
public struct ServerLimits: Sendable, Hashable {
    /// The largest body read, in bytes.
    public var bodyBytes: Int
    /// The deepest nesting of JSON arrays and objects in a body.
    public var jsonDepth: Int
    /// The most device keys one deletion may name.
    public var keysPerRequest: Int

    public static let defaultBodyBytes = 4 << 20

    public init(
        bodyBytes: Int = ServerLimits.defaultBodyBytes, jsonDepth: Int = 16,
        keysPerRequest: Int = 50_000
    ) {
        self.bodyBytes = bodyBytes
        self.jsonDepth = jsonDepth
        self.keysPerRequest = keysPerRequest
    }
}

/// Reading a request's body within ``ServerLimits``.
public enum RequestBody {
    /// The body's bytes, at most `limits.bodyBytes` of them.
    ///
    /// - Throws: ``APIError`` 413 when the body is larger.
    public static func bytes(_ request: Request, limits: ServerLimits) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limits.bodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw APIError(
                .contentTooLarge, code: "too_large",
                message: "the body is larger than \(limits.bodyBytes) bytes")
        }
    }

    /// The body as one JSON value, its nesting checked before it is decoded.
    ///
    /// - Throws: ``APIError`` 400 for an empty body, one nested deeper than
    ///   `limits.jsonDepth`, or one that is not JSON; 413 for a body over the size limit.
    public static func json(_ request: Request, limits: ServerLimits) async throws -> JSONValue {
        let bytes = try await bytes(request, limits: limits)
        return try parse(bytes, limits: limits)
    }

    /// `bytes` as one JSON value, within `limits.jsonDepth`.
    public static func parse(_ bytes: [UInt8], limits: ServerLimits) throws -> JSONValue {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw APIError.badRequest(
                "the body is empty: a JSON document is expected", field: "body")
        }
        let shape = scan(bytes)
        let depth = shape.depth
        if depth > limits.jsonDepth {
            throw APIError.badRequest(
                "the body nests \(depth) levels deep; at most \(limits.jsonDepth) are accepted",
                field: "body")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError.badRequest("the body is not valid JSON", field: "body")
        }
        if let repeated = shape.repeatedName {
            throw APIError.badRequest(
                "the field '\(SafeText.visible(repeated))' is given twice: name each field once",
                field: repeated)
        }
        return value
    }

    /// The first object member name that appears twice in one object, if any (``scan(_:)``).
    static func repeatedKey(_ bytes: [UInt8]) -> String? { scan(bytes).repeatedName }

    /// One pass over a body's bytes, before it is decoded: how deep its arrays and objects
    /// nest (so that a hostile body is measured without building it), and the first member
    /// name that appears twice in one object.
    ///
    /// JSON leaves repeated names undefined: Foundation keeps the first, most clients (Python,
    /// JavaScript, Go) the last, so a proxy that checked `"dry_run": true` or `"opt": 0` could
    /// pass a request that decom would read as a real deletion or a purge. A body with a
    /// repeated name is therefore refused. Names are compared after their escapes are decoded
    /// (`"opt"` and `"\u006fpt"` are one name).
    static func scan(_ bytes: [UInt8]) -> (depth: Int, repeatedName: String?) {
        // One entry per open container: the names seen so far (nil for an array), and
        // whether the next string is a name.
        var stack: [(names: Set<String>?, expectingName: Bool)] = []
        var deepest = 0
        var repeated: String?
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                stack.append((names: [], expectingName: true))
                deepest = max(deepest, stack.count)
            case UInt8(ascii: "["):
                stack.append((names: nil, expectingName: false))
                deepest = max(deepest, stack.count)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if let last = stack.indices.last, stack[last].names != nil {
                    stack[last].expectingName = true
                }
            case UInt8(ascii: "\""):
                var end = i + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                if repeated == nil, let last = stack.indices.last, stack[last].names != nil,
                    stack[last].expectingName
                {
                    let token = Array(bytes[i...min(end, bytes.count - 1)])
                    let name =
                        (try? JSONDecoder().decode(String.self, from: Data(token)))
                        ?? String(decoding: token, as: UTF8.self)
                    if stack[last].names?.insert(name).inserted == false { repeated = name }
                    stack[last].expectingName = false
                }
                i = end
            default:
                break
            }
            i += 1
        }
        return (deepest, repeated)
    }
}
