import Foundation

/// Tab completion of the filter's last word: a field name (`sta` → `status:`), the value
/// of a field that takes one of a few (`status:in_s` → `status:in_service `), the last of
/// several values (`status:available,in_s`), or a date field's comparison (`seen:` lists
/// `<`, `<=`, `>`, `>=` and `none`).
public struct QueryCompletion: Sendable, Hashable {
    /// The whole query with its last word completed as far as the candidates agree.
    public var text: String
    /// The words the last word can still become, when more than one (after a field name, the
    /// values it takes from a short list).
    public var options: [String]

    /// Completes the last word of `text`, or nil when nothing can follow it (free words,
    /// text values, quotes, or no match).
    public static func complete(_ text: String) -> QueryCompletion? {
        let start = text.lastIndex(of: " ").map(text.index(after:)) ?? text.startIndex
        var word = Substring(text[start...])
        guard !word.isEmpty, !word.contains("\"") else { return nil }
        let negation = word.hasPrefix("-") ? "-" : ""
        word = word.dropFirst(negation.count)
        let candidates: [String]
        if let colon = word.firstIndex(of: ":") {
            let field = word[..<colon]
            guard let known = QueryField(name: String(field)) else { return nil }
            var typed = word[word.index(after: colon)...].lowercased().replacingDashes()
            // Only the last of several values is completed; the ones before it stay as typed.
            var before = String(field) + ":"
            if let comma = word.lastIndex(of: ",") {
                before = String(word[...comma])
                typed = String(word[word.index(after: comma)...]).lowercased().replacingDashes()
            }
            candidates = Self.values(of: known).filter { $0.hasPrefix(typed) }.map {
                before + $0
            }
        } else {
            let typed = word.lowercased().replacingDashes()
            candidates = DeviceQuery.fieldNames.filter { $0.hasPrefix(typed) }.map { $0 + ":" }
        }
        guard let first = candidates.first else { return nil }
        let head = String(text[..<start]) + negation
        if candidates.count == 1 {
            // A value is complete and the next term can follow; a field waits for its value,
            // and lists the values it takes from a short list.
            // An operator waits for its age or date.
            if first.hasSuffix("<") || first.hasSuffix(">") || first.hasSuffix("=") {
                return QueryCompletion(text: head + first, options: [])
            }
            guard first.hasSuffix(":") else {
                return QueryCompletion(text: head + first + " ", options: [])
            }
            let values = complete(head + first)?.options ?? []
            return QueryCompletion(text: head + first, options: values)
        }
        let common = candidates.dropFirst().reduce(first) { $0.commonPrefix(with: $1) }
        let longer = common.count > word.count ? common : String(word)
        return QueryCompletion(text: head + longer, options: candidates)
    }

    /// The values a field takes from a short list, as the query accepts them (lower case).
    static func values(of field: QueryField) -> [String] {
        switch field {
        case .status: ClientStatus.allCases.map { $0.rawValue.lowercased() }
        case .mdm: MDMStatus.allCases.map { $0.rawValue.lowercased() } + ["none"]
        case .deviceStatus: DeviceStatus.allCases.map { $0.rawValue.lowercased() }
        case .compliant: ComplianceWanted.allCases.map(\.rawValue)
        case .rented: ["yes", "no"]
        case .seen, .enrolled, .archived:
            QueryComparison.Operator.allCases.map(\.rawValue).sorted() + ["none"]
        default: []
        }
    }
}
