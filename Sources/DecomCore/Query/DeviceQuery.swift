import Foundation

/// The filter language shared by `decom list` and the console's `/` prompt.
///
/// A query is a list of terms separated by spaces; a device matches when every term does.
///
/// - A free word matches name, serial, label, any MAC address or the HWID, as a
///   case-insensitive substring. A word of hex digits (with or without `:` or `-`, like
///   `00:0C:29` or `000c29`) also matches the hex digits of a MAC address.
/// - `field:value` asks one field: `status` (client_status: `IN_SERVICE`, `in_service` and
///   `in-service` are the same), `mdm` (mdm.status, or `none` for no MDM row), `os`, `type`,
///   `category`, `label`, `name`, `serial`, `mac`, `hwid` (substrings), `compliant`
///   (`yes`, `no`, `unknown`), `device_status`, `rented` (`yes`, `no`) and `id` (exact, or
///   compared: `id:>=1000`); `source` (where the device came from: `fleet`, `intune`,
///   `jamf`, …) and `external_id` (its id in that MDM), substrings (issue 14).
/// - Dates: `seen` (last seen), `enrolled` (the MDM enrollment date) and `archived` (when the
///   device was archived) take an age or a UTC date after `>`, `<`, `>=`, `<=`, or `none`:
///   `seen:>90d` is last seen more than 90 days ago. ``QueryComparison`` has the rules.
/// - Commas give a field several values, any of which may match:
///   `status:available,in_service`, `os:windows,macos`. Quote a comma that is text:
///   `label:"a,b"`. A free word is never split.
/// - `-` before a term negates it: `-status:archived`, `-lab`.
/// - Double quotes hold spaces: `name:"front desk"`, `"front desk"`; inside them `\"` is a
///   quote and `\\` a backslash.
///
/// Parsing lowercases every value once, so matching 100,000 rows allocates nothing for ASCII
/// text (see ``Needle``).
public struct DeviceQuery: Sendable, Hashable {
    /// The query as the admin typed it.
    public let text: String
    let terms: [Term]

    /// The field names `field:value` accepts, in the order error messages list them.
    public static let fieldNames: [String] = QueryField.allCases.map(\.rawValue)

    /// Parses a query; ages (`seen:>90d`) count back from `now`, the clock unless given (the
    /// console gives its own clock, so that `reduce` stays pure).
    public static func parse(_ text: String, now: Date = Date()) throws(QueryError)
        -> DeviceQuery
    {
        var terms: [Term] = []
        for token in try QueryTokenizer.tokens(text) {
            terms.append(try Term(token, now: now))
        }
        return DeviceQuery(text: text, terms: terms)
    }

    /// The query that matches every device.
    public static let all = DeviceQuery(text: "", terms: [])

    public var isEmpty: Bool { terms.isEmpty }

    public func matches(_ device: DeviceSummary) -> Bool {
        withUnsafePointer(to: device) { matches(at: $0) }
    }

    /// Matching reads the row's fields through a pointer: handing the row itself to the
    /// tests made the optimizer retain all of its strings for every row and term.
    func matches(at device: UnsafePointer<DeviceSummary>) -> Bool {
        for i in terms.indices where terms[i].test.matches(device) == terms[i].negated {
            return false
        }
        return true
    }

    /// The rows that match, in their order. Faster than `rows.filter(matches)`: rows are
    /// read in place, and only the matching ones copied.
    public func filter(_ rows: [DeviceSummary]) -> [DeviceSummary] {
        if terms.isEmpty { return rows }
        return matchingIndices(rows).map { rows[$0] }
    }

    /// The positions in `rows` of the rows that match, for a list that keeps its rows and
    /// shows a filtered view of them.
    ///
    /// Goes term by term over the rows still in the running, so each term's needle is taken
    /// out once per filter rather than once per row.
    public func matchingIndices(_ rows: [DeviceSummary]) -> [Int] {
        matchingIndices(rows, among: Array(rows.indices))
    }

    /// The positions among `candidates` (positions in `rows`) of the rows that match, in the
    /// candidates' order: a console narrows its sorted view this way without copying rows.
    public func matchingIndices(_ rows: [DeviceSummary], among candidates: [Int]) -> [Int] {
        var candidates = candidates
        rows.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for term in terms where !candidates.isEmpty {
                term.test.narrow(&candidates, base, keep: !term.negated)
            }
        }
        return candidates
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

// MARK: - Fields

enum QueryField: String, CaseIterable, Sendable {
    case status, mdm, os, type, category, compliant
    case deviceStatus = "device_status"
    case label, id, name, serial, mac, hwid, rented
    case seen, enrolled, archived
    case source
    case externalID = "external_id"

    /// Reads a field name: any case, `-` for `_`.
    init?(name: String) {
        let normalized = name.lowercased().replacingDashes()
        self.init(rawValue: normalized)
    }
}

enum ComplianceWanted: String, CaseIterable, Sendable {
    case yes, no, unknown
}

// MARK: - Terms

struct Term: Sendable, Hashable {
    var negated: Bool
    var test: TermTest

    init(_ token: QueryToken, now: Date) throws(QueryError) {
        negated = token.negated
        guard let field = token.field else {
            // A free word with dots (a version, a host name) is no MAC pattern; `mac:` takes
            // the Cisco form.
            test = .word(
                Needle(token.value),
                macHex: token.value.contains(".") ? nil : MACPattern(token.value))
            return
        }
        guard let known = QueryField(name: field) else {
            throw QueryError(
                "unknown field '\(field)'; known fields: "
                    + DeviceQuery.fieldNames.joined(separator: ", "),
                position: token.fieldPosition)
        }
        if token.value.isEmpty {
            throw QueryError(
                "'\(field):' needs a value, like \(Self.example(known))",
                position: token.valuePosition)
        }
        var tests: [TermTest] = []
        for part in token.parts {
            if part.text.isEmpty {
                throw QueryError(
                    "'\(field):\(token.value)' has an empty value between commas; remove the "
                        + "extra comma",
                    position: part.position)
            }
            tests.append(try Self.test(known, part.text, now: now, position: part.position))
        }
        test = tests.count == 1 ? tests[0] : .anyOf(tests)
    }

    private static func test(
        _ field: QueryField, _ value: String, now: Date, position: Int
    ) throws(QueryError) -> TermTest {
        switch field {
        case .seen, .enrolled, .archived:
            let date = try QueryComparison.dateTest(
                value, field: field.rawValue, now: now, position: position)
            switch field {
            case .enrolled: return .enrolled(date)
            case .archived: return .archived(date)
            default: return .seen(date)
            }
        case .status:
            return .status(try enumValue(ClientStatus.self, value, field, position))
        case .mdm:
            if value.lowercased() == "none" { return .mdm(nil) }
            return .mdm(try enumValue(MDMStatus.self, value, field, position, extra: ["none"]))
        case .deviceStatus:
            return .deviceStatus(try enumValue(DeviceStatus.self, value, field, position))
        case .compliant:
            guard let c = ComplianceWanted(rawValue: value.lowercased()) else {
                throw unknownValue(
                    value, field, ComplianceWanted.allCases.map(\.rawValue), position)
            }
            return .compliant(c)
        case .rented:
            switch value.lowercased() {
            case "yes": return .rented(true)
            case "no": return .rented(false)
            default: throw unknownValue(value, field, ["yes", "no"], position)
            }
        case .id:
            let (op, number) = QueryComparison.split(value)
            guard case .success(.id(let id)) = DeviceKey.parseID(String(number)) else {
                throw QueryError(
                    "id '\(value)' is not a device id; ids are whole numbers from 1, alone or "
                        + "after >, <, >= or <= (id:>=1000)",
                    position: position)
            }
            guard let op else { return .id(id) }
            return .idCompared(op, id)
        case .os: return .os(Needle(value))
        case .type: return .type(Needle(value))
        case .category: return .category(Needle(value))
        case .label: return .label(Needle(value))
        case .name: return .name(Needle(value))
        case .serial: return .serial(Needle(value))
        case .hwid: return .hwid(Needle(value))
        case .source: return .source(Needle(value))
        case .externalID: return .externalID(Needle(value))
        case .mac:
            // The MAC parser's forms, or a part of one: never an empty result for a typo.
            guard let pattern = MACPattern(value) else {
                throw QueryError(
                    "mac '\(value)' is not a MAC address or part of one: hex digits, with ':', '-' or '.' between groups (00:0c:29, 001a.2b3c)",
                    position: position)
            }
            return .mac(Needle(value), macHex: pattern)
        }
    }

    /// Reads an enum value: any case, `-` or `_` between words.
    private static func enumValue<E: RawRepresentable & CaseIterable>(
        _ type: E.Type, _ value: String, _ field: QueryField, _ position: Int,
        extra: [String] = []
    ) throws(QueryError) -> E where E.RawValue == String {
        let normalized = value.uppercased().replacingDashes()
        if let found = E(rawValue: normalized) { return found }
        let allowed = E.allCases.map { $0.rawValue.lowercased() } + extra
        throw unknownValue(value, field, allowed, position)
    }

    private static func unknownValue(
        _ value: String, _ field: QueryField, _ allowed: [String], _ position: Int
    ) -> QueryError {
        QueryError(
            "unknown value '\(value)' for \(field.rawValue); allowed: "
                + allowed.joined(separator: ", "),
            position: position)
    }

    private static func example(_ field: QueryField) -> String {
        switch field {
        case .status: "status:in_service"
        case .mdm: "mdm:enrolled"
        case .deviceStatus: "device_status:lost"
        case .compliant: "compliant:no"
        case .rented: "rented:yes"
        case .id: "id:42"
        case .os: "os:windows"
        case .mac: "mac:00:0c:29"
        case .seen: "seen:>90d"
        case .enrolled: "enrolled:<2024-01-01"
        case .archived: "archived:>30d"
        default: "\(field.rawValue):\"some text\""
        }
    }
}

enum TermTest: Sendable, Hashable {
    case word(Needle, macHex: MACPattern?)
    case status(ClientStatus)
    case mdm(MDMStatus?)
    case deviceStatus(DeviceStatus)
    case compliant(ComplianceWanted)
    case rented(Bool)
    case id(Int64)
    case os(Needle)
    case type(Needle)
    case category(Needle)
    case label(Needle)
    case name(Needle)
    case serial(Needle)
    case hwid(Needle)
    case source(Needle)
    case externalID(Needle)
    case mac(Needle, macHex: MACPattern?)
    case idCompared(QueryComparison.Operator, Int64)
    case seen(DateTest)
    case enrolled(DateTest)
    case archived(DateTest)
    /// Several values of one field (`status:available,in_service`): any may match.
    case anyOf([TermTest])

    func matches(_ row: UnsafePointer<DeviceSummary>) -> Bool {
        switch self {
        case .word(let needle, let hex):
            return needle.isFound(in: row.pointee.name)
                || needle.isFound(in: row.pointee.serialNumber)
                || needle.isFound(in: row.pointee.label) || needle.isFound(in: row.pointee.hwid)
                || Self.macMatches(row.pointee.macList, needle, hex)
        case .status(let status): return row.pointee.clientStatus == status
        case .mdm(let status): return row.pointee.mdmStatus == status
        case .deviceStatus(let status): return row.pointee.deviceStatus == status
        case .compliant(let wanted):
            switch (row.pointee.compliance, wanted) {
            case (.compliant, .yes), (.nonCompliant, .no), (.unknown, .unknown): return true
            default: return false
            }
        case .rented(let rented): return row.pointee.rented == rented
        case .id(let id): return row.pointee.id == id
        case .os(let needle): return needle.isFound(in: row.pointee.osPlatform)
        case .type(let needle): return needle.isFound(in: row.pointee.type)
        case .category(let needle): return needle.isFound(in: row.pointee.category)
        case .label(let needle): return needle.isFound(in: row.pointee.label)
        case .name(let needle): return needle.isFound(in: row.pointee.name)
        case .serial(let needle): return needle.isFound(in: row.pointee.serialNumber)
        case .hwid(let needle): return needle.isFound(in: row.pointee.hwid)
        case .source(let needle): return needle.isFound(in: row.pointee.source)
        case .externalID(let needle): return needle.isFound(in: row.pointee.externalID)
        case .mac(let needle, let hex):
            return Self.macMatches(row.pointee.macList, needle, hex)
        case .idCompared(let op, let id): return op.holds(row.pointee.id, id)
        case .seen(let test): return test.matches(row.pointee.lastSeen)
        case .enrolled(let test): return test.matches(row.pointee.enrolledAt)
        case .archived(let test): return test.matches(row.pointee.archivedAt)
        case .anyOf(let tests): return tests.contains { $0.matches(row) }
        }
    }

    /// Keeps the candidate rows whose result is `keep`.
    func narrow(_ candidates: inout [Int], _ base: UnsafePointer<DeviceSummary>, keep: Bool) {
        switch self {
        case .word(let needle, let hex):
            let checkMACs = needle.couldBeInMAC || hex != nil
            needle.bytes.withUnsafeBufferPointer { bytes in
                let text = needle.text
                candidates.removeAll { i in
                    let row = base + i
                    let found =
                        Needle.isFound(bytes, text, in: row.pointee.name)
                        || Needle.isFound(bytes, text, in: row.pointee.serialNumber)
                        || Needle.isFound(bytes, text, in: row.pointee.label)
                        || Needle.isFound(bytes, text, in: row.pointee.hwid)
                        || (checkMACs && Self.macMatches(row.pointee.macList, needle, hex))
                    return found != keep
                }
            }
        case .os(let needle): narrow(&candidates, base, keep, needle) { $0.pointee.osPlatform }
        case .type(let needle): narrow(&candidates, base, keep, needle) { $0.pointee.type }
        case .category(let needle):
            narrow(&candidates, base, keep, needle) { $0.pointee.category }
        case .label(let needle): narrow(&candidates, base, keep, needle) { $0.pointee.label }
        case .name(let needle): narrow(&candidates, base, keep, needle) { $0.pointee.name }
        case .serial(let needle):
            narrow(&candidates, base, keep, needle) { $0.pointee.serialNumber }
        case .hwid(let needle): narrow(&candidates, base, keep, needle) { $0.pointee.hwid }
        default:
            candidates.removeAll { matches(base + $0) != keep }
        }
    }

    private func narrow(
        _ candidates: inout [Int], _ base: UnsafePointer<DeviceSummary>, _ keep: Bool,
        _ needle: Needle, _ field: (UnsafePointer<DeviceSummary>) -> String?
    ) {
        needle.bytes.withUnsafeBufferPointer { bytes in
            let text = needle.text
            candidates.removeAll { Needle.isFound(bytes, text, in: field(base + $0)) != keep }
        }
    }

    /// Whether the needle is in one of the MAC addresses of a `;`-joined list. A needle holds
    /// only hex digits and colons, so a plain search never spans two addresses. A hex word is
    /// looked for among the digits only (wherever it occurs with colons, it occurs there too),
    /// address by address.
    private static func macMatches(_ macs: String, _ needle: Needle, _ hex: MACPattern?)
        -> Bool
    {
        guard needle.couldBeInMAC || hex != nil, !macs.isEmpty else { return false }
        if let hex { return TextMatch.macHexContains(macs, hex) }
        return needle.isFound(in: macs)
    }
}

// MARK: - Tokens

/// One term as written: optional `-`, optional `field:`, and the value with quotes removed.
struct QueryToken: Sendable, Hashable {
    var negated: Bool
    var field: String?
    var value: String
    /// A field's value cut at the commas outside quotes (the whole value for a free word).
    var parts: [Part]
    /// Character offsets of the term, its field and its value, for error messages.
    var position: Int
    var fieldPosition: Int
    var valuePosition: Int

    /// One of a field's comma-separated values, and where it starts.
    struct Part: Sendable, Hashable {
        var text: String
        var position: Int
    }
}

enum QueryTokenizer {
    static func tokens(_ text: String) throws(QueryError) -> [QueryToken] {
        let chars = Array(text)
        var tokens: [QueryToken] = []
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace {
                i += 1
                continue
            }
            tokens.append(try token(chars, &i))
        }
        return tokens
    }

    /// Reads one term starting at `i` (not whitespace), leaving `i` after it.
    private static func token(_ chars: [Character], _ i: inout Int) throws(QueryError)
        -> QueryToken
    {
        let start = i
        var negated = false
        if chars[i] == "-" {
            negated = true
            i += 1
            if i == chars.count || chars[i].isWhitespace {
                throw QueryError(
                    "'-' must be followed by a term to leave out, like -status:archived",
                    position: start)
            }
        }
        let bodyStart = i
        var field: String?
        var value = ""
        var valuePosition = bodyStart
        var quotedAnything = false
        var parts: [QueryToken.Part] = []
        var part = QueryToken.Part(text: "", position: bodyStart)
        while i < chars.count && !chars[i].isWhitespace {
            let c = chars[i]
            if c == "\"" {
                quotedAnything = true
                let text = try quoted(chars, &i)
                value.append(contentsOf: text)
                part.text.append(contentsOf: text)
                continue
            }
            if c == "," && field != nil {
                parts.append(part)
                part = QueryToken.Part(text: "", position: i + 1)
                value.append(c)
                i += 1
                continue
            }
            if c == ":" && field == nil && !quotedAnything && isFieldName(value)
                && !looksLikeMAC(chars, from: bodyStart)
            {
                field = value
                value = ""
                valuePosition = i + 1
                part = QueryToken.Part(text: "", position: i + 1)
                i += 1
                continue
            }
            value.append(c)
            part.text.append(c)
            i += 1
        }
        parts.append(part)
        if field == nil && value.isEmpty {
            throw QueryError(
                "empty term: \"\" matches nothing; remove it or put text between the quotes",
                position: bodyStart)
        }
        return QueryToken(
            negated: negated, field: field, value: value, parts: parts, position: start,
            fieldPosition: bodyStart, valuePosition: valuePosition)
    }

    /// Reads a quoted part starting at the opening quote, leaving `i` after the closing one.
    private static func quoted(_ chars: [Character], _ i: inout Int) throws(QueryError)
        -> String
    {
        let open = i
        i += 1
        var out = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                i += 1
                return out
            }
            if c == "\\" && i + 1 < chars.count && (chars[i + 1] == "\"" || chars[i + 1] == "\\") {
                out.append(chars[i + 1])
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw QueryError(
            "unbalanced quote: the quote at position \(open + 1) is never closed",
            position: open)
    }

    /// A field name is letters, `_` and `-`, starting with a letter.
    private static func isFieldName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isASCIILetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { isASCIILetter($0) || $0 == "_" || $0 == "-" }
    }

    /// Whether the word from `start` is a MAC fragment like `ab:cd:ef` (groups of one or two
    /// hex digits joined by `:`), which must stay a free word rather than a field.
    private static func looksLikeMAC(_ chars: [Character], from start: Int) -> Bool {
        var groups = 0
        var groupLength = 0
        var i = start
        while i < chars.count && !chars[i].isWhitespace {
            let c = chars[i]
            if c == ":" {
                guard groupLength > 0 else { return false }
                groups += 1
                groupLength = 0
            } else if c.isHexDigit && c.isASCII {
                groupLength += 1
                if groupLength > 2 { return false }
            } else {
                return false
            }
            i += 1
        }
        return groups >= 1
    }

    private static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }
}

extension String {
    /// The text with every `-` turned into `_`.
    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
