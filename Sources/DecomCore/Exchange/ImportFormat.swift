import Foundation

/// The shape of a file that `decom import` reads: decom's own JSON or CSV (issue 10), or an
/// MDM's export (issue 14).
///
/// Vendor shapes from the vendors' public API documentation: Fleet's `fleetctl get hosts
/// --json` (one `{"kind": "host", "spec": {…}}` a line) and `GET /api/v1/fleet/hosts`
/// (`{"hosts": […]}`); Microsoft Graph's `managedDevice` lists (`{"value": […]}`, pages
/// concatenated) and the Intune portal's device list CSV; Jamf Pro's
/// `GET /api/v1/computers-inventory` (`{"totalCount": n, "results": […]}`).
public enum ImportFormat: String, CaseIterable, Sendable, Hashable {
    case decom
    case fleet
    case intune
    case intuneCSV = "intune-csv"
    case jamf

    /// The value of a device's `source` for devices read from this format; nil for decom's
    /// own, whose records carry their own `source`.
    public var source: String? {
        switch self {
        case .decom: nil
        case .fleet: "fleet"
        case .intune, .intuneCSV: "intune"
        case .jamf: "jamf"
        }
    }

    /// How the format is named to an admin.
    public var title: String {
        switch self {
        case .decom: "decom"
        case .fleet: "Fleet hosts"
        case .intune: "Intune managedDevice (Microsoft Graph)"
        case .intuneCSV: "Intune portal device list CSV"
        case .jamf: "Jamf Pro computers-inventory"
        }
    }

    /// The format of a file, from its first value (JSON) or its header row (CSV); nil when
    /// it is none that decom knows. Decom's own shapes win: a JSON array, or a CSV header
    /// with an `id` column. A UTF-8 byte order mark (the Intune portal's CSV has one) is
    /// skipped.
    public static func detect(_ file: [UInt8]) -> ImportFormat? {
        let bytes = file.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.dropFirst(3)) : file
        guard let first = bytes.first(where: { !VendorRecords.isSpace($0) }) else { return nil }
        if first == UInt8(ascii: "[") { return .decom }
        if first == UInt8(ascii: "{") {
            guard let value = try? VendorRecords.values(bytes, limit: 1).first?.value,
                case .object(let o) = value
            else { return nil }
            if case .string("host")? = o["kind"] { return .fleet }
            if case .array? = o["hosts"] { return .fleet }
            if case .array? = o["value"] { return .intune }
            if case .array? = o["results"] { return .jamf }
            return nil
        }
        let names = Set(
            VendorRecords.headerLine(bytes).map { IntuneCSVColumns.normalized($0) })
        if names.contains("id") { return .decom }
        if names.contains(IntuneCSVColumns.normalized("Device ID"))
            || names.contains(IntuneCSVColumns.normalized("Device name"))
        {
            return .intuneCSV
        }
        return nil
    }
}

/// One thing wrong with an import file or one of its records, whatever its format (decom's
/// own or a vendor's): the record (from 1; nil for the file as a whole), the field (dotted
/// for nested ones, `mdm.status`, or the vendor's own name), and what is wrong.
public struct ImportProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var record: Int?
    public var field: String?
    public var message: String

    public init(record: Int?, field: String?, message: String) {
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let record { place.append("record \(record)") }
        if let field { place.append("field \(field)") }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}

/// Splitting a file of vendor JSON into its top-level values and their records.
public enum VendorRecords {
    /// JSON's and CSV's white space between values.
    public static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The CSV header's names (first line, split on commas, quotes and spaces trimmed).
    static func headerLine(_ bytes: [UInt8]) -> [String] {
        let limit = min(bytes.count, 64 * 1024)
        let end = bytes[0..<limit].firstIndex(of: 0x0A) ?? limit
        let line = String(decoding: bytes[0..<end], as: UTF8.self)
        return line.split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r "))
        }
    }

    /// The top-level JSON values of a file, one after another (NDJSON, or pages concatenated),
    /// each with the line it starts on, or only the first `limit` of them. A value that does
    /// not parse throws naming its line.
    public static func values(_ bytes: [UInt8], limit: Int = .max) throws(ImportProblem) -> [(
        line: Int, value: JSONValue
    )] {
        var result: [(line: Int, value: JSONValue)] = []
        var index = 0
        var line = 1
        while index < bytes.count, result.count < limit {
            let byte = bytes[index]
            if isSpace(byte) {
                if byte == 0x0A { line += 1 }
                index += 1
                continue
            }
            let start = index
            let startLine = line
            var depth = 0
            var inString = false
            var escaped = false
            scan: while index < bytes.count {
                let b = bytes[index]
                if b == 0x0A { line += 1 }
                index += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch b {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth <= 0 { break scan }
                case _ where depth == 0 && isSpace(b): break scan
                default: break
                }
            }
            let slice = Data(bytes[start..<index])
            do {
                result.append(
                    (line: startLine, value: try JSONDecoder().decode(JSONValue.self, from: slice))
                )
            } catch {
                throw ImportProblem(
                    record: nil, field: nil,
                    message: "line \(startLine) is not valid JSON (\(describe(error)))")
            }
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo["NSDebugDescription"]
            return (underlying as? String) ?? context.debugDescription
        }
        return "\(error)"
    }

    /// The vendor records of a JSON file in `format` (fleet, intune or jamf), in order.
    public static func records(_ bytes: [UInt8], format: ImportFormat) throws(ImportProblem)
        -> [JSONValue]
    {
        var records: [JSONValue] = []
        for (line, value) in try values(bytes) {
            guard case .object(let o) = value else {
                throw ImportProblem(
                    record: nil, field: nil,
                    message: "line \(line): expected \(expected(format)), found \(value.typeName)")
            }
            switch format {
            case .fleet:
                if case .string("host")? = o["kind"] {
                    records.append(o["spec"] ?? .null)
                    continue
                }
                if case .array(let hosts)? = o["hosts"] {
                    records += hosts
                    continue
                }
            case .intune:
                if case .array(let devices)? = o["value"] {
                    records += devices
                    continue
                }
            case .jamf:
                if case .array(let results)? = o["results"] {
                    records += results
                    continue
                }
            case .decom, .intuneCSV: break
            }
            throw ImportProblem(
                record: nil, field: nil,
                message: "line \(line): expected \(expected(format)), found another JSON object")
        }
        return records
    }

    static func expected(_ format: ImportFormat) -> String {
        switch format {
        case .fleet:
            "Fleet hosts: {\"kind\": \"host\", \"spec\": {…}} lines or {\"hosts\": […]}"
        case .intune: "a Microsoft Graph managedDevice list: {\"value\": […]}"
        case .jamf: "a Jamf Pro computers-inventory answer: {\"totalCount\": n, \"results\": […]}"
        case .decom: "a JSON array of devices"
        case .intuneCSV: "an Intune device list CSV"
        }
    }
}
