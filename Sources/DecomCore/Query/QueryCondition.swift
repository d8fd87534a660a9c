import Foundation

/// A field of a device that a ``QueryCondition`` reads: the columns of ``DeviceSummary`` and
/// the MDM posture that compliance is computed from. A store maps each to its own column.
public enum DeviceField: String, CaseIterable, Sendable, Hashable {
    case id, name, serialNumber, type, category, osPlatform, clientStatus, deviceStatus
    case label, hwid, lastSeen, archivedAt, source, externalID
    /// Whether the device is rented (`rent` is set): a boolean.
    case rented
    /// `mdm.status`; missing when the device has no MDM row.
    case mdmStatus
    case enrolledAt
    // The MDM posture (booleans and a date), missing without an MDM row.
    case isEncrypted, firewallEnabled, screenlockEnabled, osUpdatesEnabled, osUpdatesAvailable
    case isCompromised
    case mdmLastSeen
}

/// What a query asks of one device, with no SQL in it: the filter language compiled
/// (``DeviceQuery/condition(evaluator:)``) for a store to turn into its own language, so that
/// a database selects the devices rather than every device being read and filtered.
///
/// Every condition is true or false for every device, never unknown: a missing value matches
/// no comparison, no text and no flag (as ``DeviceQuery`` matches in memory), so `not` is
/// plain negation. A store must keep that (SQL's NULL must not leak through).
public indirect enum QueryCondition: Sendable, Hashable {
    case always(Bool)
    case all([QueryCondition])
    case any([QueryCondition])
    case not(QueryCondition)
    /// The field holds exactly this text (an enum's raw value, as stored).
    case equals(DeviceField, String)
    /// The field has no value (no MDM row for the MDM fields).
    case missing(DeviceField)
    /// A boolean field is set and holds this value.
    case flag(DeviceField, Bool)
    /// A number field compared with a number.
    case number(DeviceField, Comparison, Int64)
    /// A date field is set and compares with an instant as said.
    case date(DeviceField, Comparison, Date)
    /// A text field is set and contains the text, ignoring case as ``QueryText/contains(_:lowercasedNeedle:)``
    /// does; the text is already lowercased.
    case contains(DeviceField, String)
    /// One of the device's MAC addresses contains the (lowercased) text, as above.
    case macContains(String)
    /// The hex digits of one of the device's MAC addresses contain these hex digits
    /// (``QueryText/macHexContains(_:digits:)``).
    case macHexDigits(String)

    /// How a field compares with a value: `field op value`.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// The devices a scope holds.
    public static func scope(_ scope: ListScope) -> QueryCondition {
        switch scope {
        case .active: .not(.equals(.clientStatus, ClientStatus.archived.rawValue))
        case .archived: .equals(.clientStatus, ClientStatus.archived.rawValue)
        case .all: .always(true)
        }
    }
}

/// One key of an order for a store: ascending as written, and an order is reversed whole for
/// descending (ties, missing values and all).
public enum QueryOrderKey: Sendable, Hashable {
    /// A text field ignoring ASCII case, byte by byte on UTF-8 (``TextMatch``'s folding),
    /// shorter before longer on a common start, missing values last.
    case text(DeviceField)
    /// A stored enum's raw value, byte by byte; missing values last.
    case raw(DeviceField)
    /// A date field from the oldest, missing values first.
    case date(DeviceField)
    /// False before true.
    case condition(QueryCondition)
    /// How many of the conditions hold, fewest first.
    case count([QueryCondition])
    /// The device id, the tie-breaker of every order.
    case id
}

/// What a list asks a store for: the devices of a scope that a query selects, in an order.
///
/// A store selects them in its own language from ``condition(evaluator:)`` and
/// ``order(evaluator:)``; ``DeviceSort`` and ``DeviceQuery`` give the same answer in memory
/// (the console's path). The two are checked against each other on the demo fleet and on
/// fuzzed queries (`QuerySQLTests`).
public struct DeviceSelection: Sendable, Hashable {
    public var query: DeviceQuery
    public var scope: ListScope
    public var sort: DeviceSort
    /// Whether the rows carry their MAC addresses: a list that prints none (a table, CSV)
    /// need not read them (at 100,000 devices that is a fifth of a second). Without them a
    /// row's ``DeviceSummary/macList`` is empty; the query still matches on them.
    public var macAddresses = true

    public init(query: DeviceQuery = .all, scope: ListScope = .active, sort: DeviceSort = .init()) {
        self.query = query
        self.scope = scope
        self.sort = sort
    }

    /// The scope and every term of the query; compliance as `evaluator` judges it.
    public func condition(evaluator: ComplianceEvaluator) -> QueryCondition {
        .all([.scope(scope), query.condition(evaluator: evaluator)])
    }

    /// The order's keys, ascending; ``DeviceSort/ascending`` says whether to reverse them.
    public func order(evaluator: ComplianceEvaluator) -> [QueryOrderKey] {
        sort.orderKeys(evaluator: evaluator)
    }

    /// The rows this selection selects, in its order, from rows read whole: the in-memory
    /// path the database's must agree with.
    public func apply(_ rows: [DeviceSummary]) -> [DeviceSummary] {
        sort.sorted(query.filter(rows.filter { scope.includes($0.clientStatus) }))
    }
}

extension DeviceSort {
    /// This order as keys for a store, ascending (the same order as ``sortedIndices(_:)``).
    ///
    /// Compliance from best to worst is severity (compliant 0, unknown 1, non-compliant 1 and
    /// the number of failing checks): the same order as "not compliant" first, then the count
    /// of failing checks (an unknown device fails none).
    public func orderKeys(evaluator: ComplianceEvaluator) -> [QueryOrderKey] {
        switch column {
        case .id: [.id]
        case .name: [.text(.name), .id]
        case .serial: [.text(.serialNumber), .id]
        case .type: [.text(.type), .id]
        case .os: [.text(.osPlatform), .id]
        case .status: [.raw(.clientStatus), .id]
        case .mdm: [.raw(.mdmStatus), .id]
        case .lastSeen: [.date(.lastSeen), .id]
        case .compliance:
            [
                .condition(.not(evaluator.condition(.compliant))),
                .count(evaluator.failingConditions), .id,
            ]
        }
    }
}

extension DeviceQuery {
    /// Every term of the query as one condition; `compliant:` as `evaluator` judges (the
    /// evaluator the rows' verdicts come from in memory).
    ///
    /// Every term compiles: a store never falls back to filtering in memory.
    public func condition(evaluator: ComplianceEvaluator) -> QueryCondition {
        .all(
            terms.map { term in
                let test = term.test.condition(evaluator: evaluator)
                return term.negated ? .not(test) : test
            })
    }
}

extension TermTest {
    /// The condition of one term, as ``matches(_:)`` decides in memory.
    func condition(evaluator: ComplianceEvaluator) -> QueryCondition {
        switch self {
        case .word(let needle, let hex):
            var any: [QueryCondition] = [
                .contains(.name, needle.text), .contains(.serialNumber, needle.text),
                .contains(.label, needle.text), .contains(.hwid, needle.text),
            ]
            if let mac = Self.macCondition(needle, hex) { any.append(mac) }
            return .any(any)
        case .mac(let needle, let hex):
            return Self.macCondition(needle, hex) ?? .always(false)
        case .status(let status): return .equals(.clientStatus, status.rawValue)
        case .mdm(nil): return .missing(.mdmStatus)
        case .mdm(let status?): return .equals(.mdmStatus, status.rawValue)
        case .deviceStatus(let status): return .equals(.deviceStatus, status.rawValue)
        case .compliant(.yes): return evaluator.condition(.compliant)
        case .compliant(.no): return evaluator.condition(.nonCompliant)
        case .compliant(.unknown): return evaluator.condition(.unknown)
        case .rented(let rented): return .flag(.rented, rented)
        case .id(let id): return .number(.id, .equal, id)
        case .idCompared(let op, let id): return .number(.id, op.comparison, id)
        case .os(let needle): return .contains(.osPlatform, needle.text)
        case .type(let needle): return .contains(.type, needle.text)
        case .category(let needle): return .contains(.category, needle.text)
        case .label(let needle): return .contains(.label, needle.text)
        case .name(let needle): return .contains(.name, needle.text)
        case .serial(let needle): return .contains(.serialNumber, needle.text)
        case .hwid(let needle): return .contains(.hwid, needle.text)
        case .source(let needle): return .contains(.source, needle.text)
        case .externalID(let needle): return .contains(.externalID, needle.text)
        case .seen(let test): return test.condition(.lastSeen)
        case .enrolled(let test): return test.condition(.enrolledAt)
        case .archived(let test): return test.condition(.archivedAt)
        case .anyOf(let tests): return .any(tests.map { $0.condition(evaluator: evaluator) })
        }
    }

    /// ``macMatches``: a hex word among the digits only, else a text that could be in a MAC
    /// address as text, else nothing.
    private static func macCondition(_ needle: Needle, _ hex: MACPattern?) -> QueryCondition? {
        if let hex { return .macHexDigits(hex.hexDigits) }
        if needle.couldBeInMAC { return .macContains(needle.text) }
        return nil
    }
}

extension DateTest {
    func condition(_ field: DeviceField) -> QueryCondition {
        switch self {
        case .missing: .missing(field)
        case .before(let bound, let inclusive):
            .date(field, inclusive ? .lessOrEqual : .less, bound)
        case .after(let bound, let inclusive):
            .date(field, inclusive ? .greaterOrEqual : .greater, bound)
        case .within(let start, let end):
            .all([.date(field, .greaterOrEqual, start), .date(field, .less, end)])
        }
    }
}

extension QueryComparison.Operator {
    var comparison: QueryCondition.Comparison {
        switch self {
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        }
    }
}

extension MACPattern {
    /// The pattern's digits in lower case, `digits` of them (leading zeros kept).
    var hexDigits: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
