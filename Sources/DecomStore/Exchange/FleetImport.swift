import DecomCore
import Foundation
import GRDB

/// Imports devices from a JSON array (the shape of `Device`'s JSON, with optional `sessions`
/// and `events`) or a CSV file (a header row of the same keys, nested ones dotted).
///
/// Every record is checked before anything is written, and every problem is reported with
/// the record (1-based) and the field. With any problem nothing is imported; otherwise all
/// devices are inserted in one transaction.
public enum FleetImport {
    /// One thing wrong with the file or one of its records (the core's, for every format).
    public typealias Problem = ImportProblem

    /// Why nothing was imported.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]

        public var description: String { lines().joined(separator: "\n") }

        /// The message a line at a time: the summary, then each problem indented, each passed
        /// through `escape` (a terminal's escaping of the file's text, which must not turn the
        /// message's own line breaks into `^J`).
        public func lines(escape: (String) -> String = { $0 }) -> [String] {
            ["nothing was imported; \(problems.count) problem(s):"]
                + problems.map { "  " + escape($0.description) }
        }
    }

    /// Checks and imports a file's devices as `actor`, recorded as an IMPORT transaction
    /// whose source is `source` (the file's name, ``DeviceIntake``); returns how many were
    /// imported.
    @discardableResult
    public static func run(
        _ data: Data, into store: SQLiteFleetStore, source: String, actor: Actor,
        at: Date = Date()
    ) throws -> Int {
        try runRecorded(data, into: store, source: source, actor: actor, at: at).count
    }

    /// ``run(_:into:source:actor:at:)``, with the IMPORT transaction's id.
    ///
    /// `format` is the file's shape (nil: ``ImportFormat/detect(_:)``). Devices of a vendor's
    /// export get new ids in the import's transaction: the next ones after the largest id of
    /// a device or a tombstone (a purged device's id is never given again), and their
    /// enrollments the next ones after the largest enrollment id. Their `client_status` is
    /// `clientStatus`.
    public static func runRecorded(
        _ data: Data, into store: SQLiteFleetStore, source: String, actor: Actor,
        format: ImportFormat? = nil, clientStatus: ClientStatus = .inService,
        at: Date = Date()
    ) throws -> DeviceIntake.Result {
        let intake = DeviceIntake(source: .file(source), actor: actor)
        if let refusal = intake.refusal { throw refusal }
        let read = try check(data, format: format, clientStatus: clientStatus)
        let fileProblems = read.problems
        var numbered = read.records
        return try store.writeDatabase { db, note in
            let writer = SQLiteFleetWriter(
                db: db, note: note, chained: !store.withoutAuditChain.isSet)
            if read.format != .decom {
                let deviceBase =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT MAX(COALESCE((SELECT MAX(id) FROM devices), 0),
                                       COALESCE((SELECT MAX(device_id) FROM tombstones), 0))
                            """) ?? 0
                let mdmBase =
                    try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM mdm_enrollments")
                    ?? 0
                for index in numbered.indices {
                    numbered[index].record.device.id += deviceBase
                    numbered[index].record.device.mdm?.id += mdmBase
                }
            }
            var problems = fileProblems + (try conflicts(numbered, db: db))
            let origin = read.format.source
            if let origin {
                problems += try knownExternalIDs(read.externalIDs, source: origin, db: db)
            }
            guard problems.isEmpty else {
                throw Failure(problems: problems.sorted { ($0.record ?? 0) < ($1.record ?? 0) })
            }
            let result = try intake.run(writer: writer, at: at) { add in
                try add(numbered.map(\.record))
            }
            if let origin {
                for (number, record) in numbered {
                    guard let external = read.externalIDs[number] else { continue }
                    try db.execute(
                        sql: """
                            INSERT INTO device_sources (device_id, source, external_id)
                            VALUES (?, ?, ?)
                            """, arguments: [record.device.id, origin, external])
                }
            }
            return result
        }
    }

    /// The checked records of a file, without looking at any database.
    public static func records(from data: Data) throws(Failure) -> [DeviceRecord] {
        let (_, numbered, problems, _) = try check(data, format: .decom, clientStatus: .inService)
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return numbered.map(\.record)
    }

    /// The records that read well, each with its number in the file, and the problems of the
    /// others. A file that cannot be read at all throws.
    static func check(_ data: Data, format: ImportFormat?, clientStatus: ClientStatus)
        throws(Failure) -> (
            format: ImportFormat, records: [(number: Int, record: DeviceRecord)],
            problems: [Problem], externalIDs: [Int: String]
        )
    {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let first = bytes.first(where: { !VendorRecords.isSpace($0) }) else {
            throw fileProblem("the file is empty: expected a JSON array of devices or a CSV file")
        }
        let chosen = format ?? ImportFormat.detect(bytes) ?? .decom
        var values: [(line: Int?, value: JSONValue)]
        var externalIDs: [Int: String] = [:]
        if chosen != .decom {
            try checkUTF8(bytes)
            let mapped = try vendorValues(bytes, format: chosen, clientStatus: clientStatus)
            values = mapped.map { (line: nil, value: $0.device) }
            for (index, entry) in mapped.enumerated() {
                if let id = entry.externalID { externalIDs[index + 1] = id }
            }
        } else {
            values = try decomValues(bytes, first: first)
        }
        var problems: [Problem] = []
        var numbered: [(number: Int, record: DeviceRecord)] = []
        for (index, entry) in values.enumerated() {
            var checker = RecordChecker(record: index + 1)
            if let record = checker.device(entry.value) {
                numbered.append((number: index + 1, record: record))
            }
            problems += checker.problems
        }
        problems += duplicates(numbered)
        var firstOf: [String: Int] = [:]
        for number in externalIDs.keys.sorted() {
            guard let id = externalIDs[number] else { continue }
            if let first = firstOf[id] {
                problems.append(
                    Problem(
                        record: number, field: "id",
                        message: "'\(id)' is also the \(chosen.title) id of record \(first)"))
            } else {
                firstOf[id] = number
            }
        }
        return (chosen, numbered, problems, externalIDs)
    }

    /// The records of a vendor's export mapped to decom's shape (``VendorMapping``); any
    /// record's problem throws, naming the record and the vendor's field.
    private static func vendorValues(
        _ bytes: [UInt8], format: ImportFormat, clientStatus: ClientStatus
    ) throws(Failure) -> [(device: JSONValue, externalID: String?)] {
        let mapping = VendorMapping(format: format, clientStatus: clientStatus)
        var devices: [(device: JSONValue, externalID: String?)] = []
        var problems: [ImportProblem] = []
        if format == .intuneCSV {
            let rows: [(line: Int, cells: [CSVTable.Cell])]
            do {
                rows = try CSVTable.parse(bytes)
            } catch {
                throw fileProblem("line \(error.line) is not valid CSV: \(error.message)")
            }
            let header = rows.first?.cells.map(\.text) ?? []
            (devices, problems) = mapping.devices(
                csvHeader: header,
                rows: rows.dropFirst().map { row in
                    (line: row.line, cells: row.cells.map { $0.isNull ? nil : $0.text })
                })
        } else {
            let records: [JSONValue]
            do {
                records = try VendorRecords.records(bytes, format: format)
            } catch {
                throw Failure(problems: [error])
            }
            for (index, record) in records.enumerated() {
                let mapped = mapping.device(record, number: index + 1)
                if let device = mapped.device {
                    devices.append((device, mapped.externalID))
                }
                problems += mapped.problems
            }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return devices
    }

    /// Decom's own JSON array or CSV (issue 10).
    private static func decomValues(_ bytes: [UInt8], first: UInt8) throws(Failure) -> [(
        line: Int?, value: JSONValue
    )] {
        let values: [(line: Int?, value: JSONValue)]
        switch first {
        case UInt8(ascii: "["):
            try checkUTF8(bytes)
            values = try parseJSON(bytes).map { (line: nil, value: $0) }
        case UInt8(ascii: "{"):
            throw fileProblem(
                "expected a JSON array of devices ([{...}, ...]) or an MDM export that decom knows (--from fleet, intune or jamf), found one object of another shape"
            )
        default:
            try checkCSVHeader(bytes)
            try checkUTF8(bytes)
            values = try parseCSV(bytes)
        }
        return values
    }

    // MARK: - The file

    private static func fileProblem(_ message: String) -> Failure {
        Failure(problems: [Problem(record: nil, field: nil, message: message)])
    }

    private static func checkUTF8(_ bytes: [UInt8]) throws(Failure) {
        if String(validating: bytes, as: UTF8.self) != nil { return }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        throw fileProblem("the file is not valid UTF-8 (first bad byte on line \(line))")
    }

    private static func parseJSON(_ bytes: [UInt8]) throws(Failure) -> [JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw fileProblem("the file is not valid JSON: \(jsonReason(error))")
        }
        guard case .array(let elements) = value else {
            throw fileProblem("expected a JSON array of devices, found \(value.typeName)")
        }
        return elements
    }

    private static func jsonReason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo["NSDebugDescription"]
            return (underlying as? String) ?? context.debugDescription
        }
        return "\(error)"
    }

    /// Refuses quickly what is not CSV: the first line must be a header naming known columns.
    private static func checkCSVHeader(_ bytes: [UInt8]) throws(Failure) {
        let limit = min(bytes.count, 64 * 1024)
        let end = bytes[0..<limit].firstIndex(of: 0x0A) ?? limit
        let line = String(decoding: bytes[0..<end], as: UTF8.self)
        let names = line.split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r "))
        }
        guard names.contains("id"), names.contains(where: { FleetColumns.all.contains($0) }) else {
            throw fileProblem(
                "the file is neither a JSON array of devices nor a CSV file whose header row names the columns (id, client_status, …)"
            )
        }
    }

    private static func parseCSV(_ bytes: [UInt8]) throws(Failure) -> [(
        line: Int?, value: JSONValue
    )] {
        let rows: [(line: Int, cells: [CSVTable.Cell])]
        do {
            rows = try CSVTable.parse(bytes)
        } catch {
            throw fileProblem("line \(error.line) is not valid CSV: \(error.message)")
        }
        guard let header = rows.first?.cells.map(\.text) else { return [] }
        var problems: [Problem] = []
        for name in header where !FleetColumns.all.contains(name) {
            problems.append(Problem(record: nil, field: name, message: "unknown CSV column"))
        }
        if Set(header).count != header.count {
            problems.append(Problem(record: nil, field: nil, message: "a column appears twice"))
        }
        var values: [(line: Int?, value: JSONValue)] = []
        for (index, row) in rows.dropFirst().enumerated() {
            guard row.cells.count == header.count else {
                problems.append(
                    Problem(
                        record: index + 1, field: nil,
                        message:
                            "line \(row.line) has \(row.cells.count) cells, the header \(header.count)"
                    ))
                continue
            }
            var device: [String: JSONValue] = [:]
            var characteristics: [String: JSONValue] = [:]
            var mdm: [String: JSONValue] = [:]
            for (column, cell) in zip(header, row.cells) {
                let value = FleetColumns.value(cell, column: column)
                if column.hasPrefix("characteristics.") {
                    characteristics[String(column.dropFirst("characteristics.".count))] = value
                } else if column.hasPrefix("mdm.") {
                    mdm[String(column.dropFirst("mdm.".count))] = value
                } else {
                    device[column] = value
                }
            }
            device["characteristics"] = .object(characteristics)
            device["mdm"] = mdm.values.allSatisfy { $0 == .null } ? .null : .object(mdm)
            values.append((line: row.line, value: .object(device)))
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return values
    }

    // MARK: - Duplicates

    /// Ids, serials, HWIDs, labels, MACs, MDM ids and session tokens that appear twice in the
    /// file. Every identifier that works as a key is unique across the fleet.
    private static func duplicates(_ records: [(number: Int, record: DeviceRecord)]) -> [Problem] {
        var problems: [Problem] = []
        var seen: [String: Int] = [:]
        func once(_ kind: String, _ field: String, _ value: String?, record: Int) {
            guard let value else { return }
            if let first = seen[kind + "\u{0}" + value] {
                problems.append(
                    Problem(
                        record: record, field: field,
                        message: "'\(value)' is also the \(field) of record \(first) in this file"))
            } else {
                seen[kind + "\u{0}" + value] = record
            }
        }
        for (number, record) in records {
            let d = record.device
            once("id", "id", String(d.id), record: number)
            once("serial", "serial_number", d.serialNumber?.lowercased(), record: number)
            once("hwid", "hwid", d.hwid?.lowercased(), record: number)
            once("label", "label", d.label, record: number)
            for mac in d.macAddresses { once("mac", "mac_addresses", mac, record: number) }
            once("mdm", "mdm.id", d.mdm.map { String($0.id) }, record: number)
            for s in record.sessions {
                once("token", "sessions.token_id", s.tokenId, record: number)
            }
        }
        return problems
    }

    /// Vendor ids already imported from the same source: a re-import as a sync is not built
    /// yet (issue 14), so a device already known is refused, named, rather than doubled.
    private static func knownExternalIDs(
        _ externalIDs: [Int: String], source: String, db: Database
    ) throws -> [Problem] {
        var recordOf: [String: Int] = [:]
        for (number, id) in externalIDs { recordOf[id] = number }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT external_id, device_id FROM device_sources
                WHERE source = ? AND external_id IN (SELECT value FROM json_each(?))
                """, arguments: [source, StoreValue.listText(Array(recordOf.keys))])
        return rows.map { row in
            let id: String = row["external_id"]
            let device: Int64 = row["device_id"]
            return Problem(
                record: recordOf[id], field: "id",
                message:
                    "\(source) device '\(id)' was already imported as device \(device) (re-import is not supported yet)"
            )
        }
    }

    /// What the file's devices would collide with in the database.
    private static func conflicts(
        _ records: [(number: Int, record: DeviceRecord)], db: Database
    ) throws -> [Problem] {
        var recordOf: [String: Int] = [:]
        var ids: [Int64] = []
        var serials: [String] = []
        var hwids: [String] = []
        var labels: [String] = []
        var macs: [String] = []
        var mdmIDs: [Int64] = []
        var tokens: [String] = []
        for (number, record) in records {
            let d = record.device
            ids.append(d.id)
            recordOf["id\u{0}\(d.id)"] = number
            if let serial = d.serialNumber {
                serials.append(serial)
                recordOf["serial_number\u{0}\(serial.lowercased())"] = number
            }
            if let hwid = d.hwid {
                hwids.append(hwid)
                recordOf["hwid\u{0}\(hwid.lowercased())"] = number
            }
            if let label = d.label {
                labels.append(label)
                recordOf["label\u{0}\(label)"] = number
            }
            for mac in d.macAddresses {
                macs.append(mac)
                recordOf["mac_addresses\u{0}\(mac)"] = number
            }
            if let m = d.mdm {
                mdmIDs.append(m.id)
                recordOf["mdm.id\u{0}\(m.id)"] = number
            }
            for s in record.sessions {
                tokens.append(s.tokenId)
                recordOf["sessions.token_id\u{0}\(s.tokenId)"] = number
            }
        }
        var problems: [Problem] = []
        func check(_ field: String, _ sql: String, _ values: String, fold: Bool = false) throws {
            let found = try String.fetchAll(db, sql: sql, arguments: [values])
            for value in found {
                let key = field + "\u{0}" + (fold ? value.lowercased() : value)
                problems.append(
                    Problem(
                        record: recordOf[key], field: field,
                        message: "'\(value)' is already in the database"))
            }
        }
        try check(
            "id",
            "SELECT CAST(id AS TEXT) FROM devices WHERE id IN (SELECT value FROM json_each(?))",
            StoreValue.idsText(ids))
        try check(
            "serial_number",
            """
            SELECT DISTINCT k.value FROM json_each(?) k
            JOIN devices d ON d.serial_number COLLATE NOCASE = k.value
            """, StoreValue.listText(serials), fold: true)
        try check(
            "hwid",
            """
            SELECT DISTINCT k.value FROM json_each(?) k
            JOIN devices d ON d.hwid COLLATE NOCASE = k.value
            """, StoreValue.listText(hwids), fold: true)
        try check(
            "label", "SELECT label FROM devices WHERE label IN (SELECT value FROM json_each(?))",
            StoreValue.listText(labels))
        try check(
            "mac_addresses",
            "SELECT mac FROM device_macs WHERE mac IN (SELECT value FROM json_each(?))",
            StoreValue.listText(macs))
        try check(
            "mdm.id",
            "SELECT CAST(id AS TEXT) FROM mdm_enrollments WHERE id IN (SELECT value FROM json_each(?))",
            StoreValue.idsText(mdmIDs))
        try check(
            "sessions.token_id",
            "SELECT token_id FROM sessions WHERE token_id IN (SELECT value FROM json_each(?))",
            StoreValue.listText(tokens))
        return problems.sorted { ($0.record ?? 0) < ($1.record ?? 0) }
    }
}
