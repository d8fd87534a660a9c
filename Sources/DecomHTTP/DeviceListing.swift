import DecomCore
import Foundation

/// One page of `GET /api/v1/devices`: the query language of `decom list`, a scope, a sort,
/// and a cursor, so that a fleet of 100,000 devices is never sent whole.
///
/// A cursor is opaque to clients: it carries a fingerprint of the query, scope and sort it was
/// made for (a cursor used with another query is refused, 400 on `cursor`), the id of the
/// page's last device and how many devices came before the next page. The next page starts
/// right after that device where it is in the current order, so devices archived or added
/// meanwhile do not shift it; if that device has left the view, the next page starts at the
/// same count.
public struct DeviceListing: Sendable {
    public var query: DeviceQuery
    public var scope: ListScope
    public var sort: DeviceSort
    public var limit: Int

    /// The most devices one page holds.
    public static let maxLimit = 1_000
    public static let defaultLimit = 100

    /// Parses the query parameters `q`, `scope`, `sort`, `desc` and `limit`.
    ///
    /// - Throws: ``APIError`` 400 naming the parameter.
    public static func parse(_ parameter: (String) -> String?) throws -> DeviceListing {
        let text = parameter("q") ?? ""
        let query: DeviceQuery
        do {
            query = try DeviceQuery.parse(text)
        } catch {
            throw APIError.badRequest(
                "bad query at character \(error.position + 1): \(error.message)", field: "q")
        }
        let scope: ListScope
        if let raw = parameter("scope") {
            guard let s = ListScope(rawValue: raw) else {
                throw APIError.badRequest(
                    "unknown scope '\(SafeText.visible(raw))': use active, archived or all",
                    field: "scope")
            }
            scope = s
        } else {
            scope = .active
        }
        let column: SortColumn
        if let raw = parameter("sort") {
            guard let c = SortColumn(name: raw) else {
                throw APIError.badRequest(
                    "unknown sort column '\(SafeText.visible(raw))': use \(SortColumn.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "sort")
            }
            column = c
        } else {
            column = .id
        }
        let descending: Bool
        switch parameter("desc") {
        case nil, "0", "false": descending = false
        case "1", "true": descending = true
        case let other?:
            throw APIError.badRequest(
                "\"desc\" must be 1, 0, true or false, not '\(SafeText.visible(other))'",
                field: "desc")
        }
        var limit = defaultLimit
        if let raw = parameter("limit") {
            guard let n = Int(raw), (1...maxLimit).contains(n) else {
                throw APIError.badRequest(
                    "\"limit\" must be a whole number from 1 to \(maxLimit), not '\(SafeText.visible(raw))'",
                    field: "limit")
            }
            limit = n
        }
        return DeviceListing(
            query: query, scope: scope, sort: DeviceSort(column: column, ascending: !descending),
            limit: limit)
    }

    /// The fingerprint a cursor carries: FNV-1a of the query text, scope and sort.
    var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte
            in "\(query.text)\u{0}\(scope.rawValue)\u{0}\(sort.column.rawValue)\u{0}\(sort.ascending)"
            .utf8
        {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The page after `cursor` (the first page without one): the database selects, sorts and
    /// pages (``FleetReader/summaries(_:evaluator:limit:offset:)``); only the page's devices are
    /// read whole, and the ids of the others in order, to find the page's place.
    ///
    /// - Returns: the page's devices, the cursor of the next page (nil on the last), and how
    ///   many devices the query selects in all.
    /// - Throws: ``APIError`` 400 on `cursor` for a cursor that is not one, or that was made
    ///   for another query, scope or sort.
    public func page(
        from reader: any FleetReader, evaluator: ComplianceEvaluator, cursor: String?
    ) throws -> ([DeviceSummary], String?, Int) {
        let selection = DeviceSelection(query: query, scope: scope, sort: sort)
        let ids = try reader.selectedIDs(selection, evaluator: evaluator)
        let start = try self.start(after: cursor, in: ids)
        let end = min(ids.count, start + limit)
        let page =
            end > start
            ? try reader.summaries(
                selection, evaluator: evaluator, limit: end - start, offset: start) : []
        let next = end < ids.count ? Self.encode(fingerprint, page.last?.id ?? 0, end) : nil
        return (page, next, ids.count)
    }

    /// The same page from every device of the scope read whole (the in-memory path).
    public func page(_ rows: [DeviceSummary], cursor: String?) throws -> (
        [DeviceSummary], String?, Int
    ) {
        let selected = sort.sorted(query.filter(rows))
        let start = try self.start(after: cursor, in: selected.map(\.id))
        let end = min(selected.count, start + limit)
        let page = Array(selected[start..<end])
        let next = end < selected.count ? Self.encode(fingerprint, page.last?.id ?? 0, end) : nil
        return (page, next, selected.count)
    }

    /// Where the page after `cursor` starts among the selected ids, in order.
    private func start(after cursor: String?, in ids: [Int64]) throws -> Int {
        guard let cursor else { return 0 }
        let (print, lastID, count) = try Self.decode(cursor)
        guard print == fingerprint else {
            throw APIError.badRequest(
                "this cursor belongs to another query, scope or sort; start again without it",
                field: "cursor")
        }
        if let at = ids.firstIndex(of: lastID) { return at + 1 }
        return min(count, ids.count)
    }

    static func encode(_ print: String, _ lastID: Int64, _ count: Int) -> String {
        Data("\(print):\(lastID):\(count)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws -> (String, Int64, Int) {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard cursor.count <= 200, let data = Data(base64Encoded: text),
            let plain = String(data: data, encoding: .utf8)
        else { throw invalidCursor }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let id = Int64(parts[1]), let count = Int(parts[2]), count >= 0
        else { throw invalidCursor }
        return (String(parts[0]), id, count)
    }

    static let invalidCursor = APIError.badRequest(
        "\"cursor\" is not a cursor this server gave; start again without it", field: "cursor")
}
