/// The filter language shared by `decom list` and the console's `/` prompt.
///
/// CONTRACT STUB: the full language (field:value terms, negation, quotes, errors) replaces
/// this on the `core` branch; only the signatures here are fixed.
public struct DeviceQuery: Sendable, Hashable {
    public let text: String
    private let words: [String]

    public static func parse(_ text: String) throws(QueryError) -> DeviceQuery {
        DeviceQuery(text: text, words: text.lowercased().split(separator: " ").map(String.init))
    }

    public var isEmpty: Bool { words.isEmpty }

    public func matches(_ device: DeviceSummary) -> Bool {
        words.allSatisfy { (device.name ?? "").lowercased().contains($0) }
    }
}

/// A query that does not parse, with the position and the problem in words.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Character offset in the query where the problem starts.
    public var position: Int
    public init(_ message: String, position: Int) {
        self.message = message
        self.position = position
    }
    public var description: String { message }
}
