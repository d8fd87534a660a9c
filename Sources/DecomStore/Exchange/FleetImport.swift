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

        /// How many records were refused: those a problem names (a problem of the whole
        /// file refuses them all, and counts none here).
        public var refused: Int { Set(problems.compactMap(\.record)).count }

        /// The message a line at a time: the summary, then each problem indented, each passed
        /// through `escape` (a terminal's escaping of the file's text, which must not turn the
        /// message's own line breaks into `^J`). Past `limit` problems, one line counts the
        /// rest by field (a whole export imported again would otherwise print a line per
        /// device: "… and 9,980 more: id 9,980").
        public func lines(escape: (String) -> String = { $0 }, limit: Int = .max) -> [String] {
            var lines =
                ["nothing was imported; \(NumberText.grouped(problems.count)) problem(s):"]
                + problems.prefix(limit).map { "  " + escape($0.description) }
            let rest = problems.dropFirst(limit)
            guard !rest.isEmpty else { return lines }
            var byField: [String: Int] = [:]
            for problem in rest { byField[problem.field ?? "file", default: 0] += 1 }
            let counts = byField.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(escape($0.key)) \(NumberText.grouped($0.value))" }
            lines.append(
                "  … and \(NumberText.grouped(rest.count)) more: " + counts.joined(separator: ", "))
            return lines
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

    /// ``run(_:into:source:actor:at:)``, with the IMPORT transaction's id and its counts.
    ///
    /// `format` is the file's shape (nil: ``ImportFormat/detect(_:)``). A vendor's export
    /// is a sync (``ImportSync``): a record of a device already known is updated in place,
    /// the others are added. Added devices get new ids in the import's transaction: the next
    /// ones after the largest id of a device or a tombstone (a purged device's id is never
    /// given again), and their enrollments the next ones after the largest enrollment id.
    /// Their `client_status` is `clientStatus`; a known device keeps its own.
    ///
    /// A record to be added whose serial, HWID, MAC or external id is a purged device's (its
    /// tombstone) is refused, naming the device, unless `allowPurged` (issue 14: an import
    /// never brings back a purged device silently). `reportMissing` lists the source's
    /// devices that the file did not name; none is ever deleted.
    public static func runRecorded(
        _ data: Data, into store: SQLiteFleetStore, source: String, actor: Actor,
        format: ImportFormat? = nil, clientStatus: ClientStatus = .inService,
        allowPurged: Bool = false, reportMissing: Bool = false, at: Date = Date(),
        progress: ((_ checked: Int, _ total: Int) -> Void)? = nil
    ) throws -> DeviceIntake.Result {
        let intake = DeviceIntake(source: .file(source), actor: actor)
        if let refusal = intake.refusal { throw refusal }
        let read = try check(
            data, format: format, clientStatus: clientStatus, progress: progress)
        return try store.writeDatabase { db, note in
            let writer = SQLiteFleetWriter(
                db: db, note: note, chained: !store.withoutAuditChain.isSet)
            let origin = read.format.source
            var problems = read.problems
            var known: [Int: Int64] = [:]
            if let origin {
                let found = try matches(
                    read.records, externalIDs: read.externalIDs, source: origin, db: db)
                known = found.known
                problems += found.problems
            }
            var adds = read.records.filter { known[$0.number] == nil }
            let mdmBase =
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM mdm_enrollments")
                ?? 0
            if read.format != .decom {
                let deviceBase =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT MAX(COALESCE((SELECT MAX(id) FROM devices), 0),
                                       COALESCE((SELECT MAX(device_id) FROM tombstones), 0))
                            """) ?? 0
                for index in adds.indices {
                    adds[index].record.device.id += deviceBase
                    adds[index].record.device.mdm?.id += mdmBase
                }
            }
            let sync = try updates(
                read, known: known, mdmBase: mdmBase, source: origin, db: db)
            problems += try conflicts(adds, db: db)
            problems += try conflicts(sync.checked, db: db, owners: known)
            if !allowPurged {
                problems += try tombstoneMatches(
                    adds, externalIDs: read.externalIDs, source: origin, db: db)
            }
            if origin == nil {
                problems += try ownExternalIDs(read, db: db)
            }
            guard problems.isEmpty else {
                throw Failure(problems: problems.sorted { ($0.record ?? 0) < ($1.record ?? 0) })
            }
            var result = try intake.sync(
                writer: writer, at: at, adding: adds.map(\.record), updating: sync.updates,
                unchanged: sync.unchanged)
            if origin != nil || !read.externalIDs.isEmpty {
                let upsert = try db.makeStatement(
                    sql: """
                        INSERT INTO device_sources (device_id, source, external_id, compliance_state)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (device_id) DO UPDATE SET source = excluded.source,
                            external_id = excluded.external_id,
                            compliance_state = excluded.compliance_state
                        """)
                let owners = adds.map { ($0.number, $0.record.device.id) } + known.map { ($0, $1) }
                let sources = Dictionary(
                    read.records.map { ($0.number, $0.record.device.source) },
                    uniquingKeysWith: { first, _ in first })
                for (number, device) in owners {
                    guard let external = read.externalIDs[number],
                        let source = origin ?? sources[number] ?? nil
                    else { continue }
                    try upsert.execute(arguments: [
                        device, source, external, read.complianceStates[number],
                    ])
                }
                if let origin, reportMissing {
                    result.missing = try missing(
                        source: origin, named: Array(read.externalIDs.values), db: db)
                }
            }
            return result
        }
    }

    /// The known devices' updates (``ImportSync``), the records as they would be written
    /// (for the conflict checks), and how many are unchanged.
    private static func updates(
        _ read: Checked, known: [Int: Int64], mdmBase: Int64, source: String?, db: Database
    ) throws -> (
        updates: [ImportSync.Update], checked: [(number: Int, record: DeviceRecord)],
        unchanged: Int
    ) {
        guard !known.isEmpty, let source else { return ([], [], 0) }
        let ids = Array(Set(known.values))
        var byID: [Int64: Device] = [:]
        for device in try SQLiteFleetReader(db: db).devices(ids: ids) { byID[device.id] = device }
        var rows: [Int64: (externalID: String, compliance: String?)] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT device_id, external_id, compliance_state FROM device_sources
                WHERE source = ? AND device_id IN (SELECT value FROM json_each(?))
                """, arguments: [source, StoreValue.idsText(ids)])
        {
            rows[row[0]] = (row[1], row[2])
        }
        var updates: [ImportSync.Update] = []
        var checked: [(number: Int, record: DeviceRecord)] = []
        var unchanged = 0
        for (number, record) in read.records {
            guard let id = known[number], let old = byID[id] else { continue }
            var new = ImportSync.merged(old, with: record.device)
            if old.mdm == nil, new.mdm != nil { new.mdm?.id = mdmBase + Int64(number) }
            var changes = ImportSync.changes(from: old, to: new)
            let kept = rows[id]
            if let external = read.externalIDs[number], kept?.externalID != external {
                changes.append(
                    ImportSync.Change(
                        field: "external_id", before: kept?.externalID, after: external))
            }
            if let state = read.complianceStates[number], kept?.compliance != state {
                changes.append(
                    ImportSync.Change(
                        field: "\(source) compliance", before: kept?.compliance, after: state))
            }
            checked.append((number, DeviceRecord(device: new)))
            if changes.isEmpty {
                unchanged += 1
            } else {
                updates.append(ImportSync.Update(device: new, changes: changes))
            }
        }
        return (updates, checked, unchanged)
    }

    /// The checked records of a file, without looking at any database.
    public static func records(from data: Data) throws(Failure) -> [DeviceRecord] {
        let read = try check(data, format: .decom, clientStatus: .inService)
        guard read.problems.isEmpty else { throw Failure(problems: read.problems) }
        return read.records.map(\.record)
    }

    /// A file read and checked: its format, the records that read well (each with its number
    /// in the file), the problems of the others, and each vendor record's id and compliance
    /// verdict there, by number.
    struct Checked {
        var format: ImportFormat
        var records: [(number: Int, record: DeviceRecord)]
        var problems: [Problem]
        var externalIDs: [Int: String]
        var complianceStates: [Int: String] = [:]
    }

    /// The records that read well, each with its number in the file, and the problems of the
    /// others. A file that cannot be read at all throws.
    /// `progress` hears how many records are checked, every 1,000 and at the end.
    static func check(
        _ data: Data, format: ImportFormat?, clientStatus: ClientStatus,
        progress: ((_ checked: Int, _ total: Int) -> Void)? = nil
    ) throws(Failure) -> Checked {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let first = bytes.first(where: { !VendorRecords.isSpace($0) }) else {
            throw fileProblem("the file is empty: expected a JSON array of devices or a CSV file")
        }
        let chosen = format ?? ImportFormat.detect(bytes) ?? .decom
        var values: [(line: Int?, value: JSONValue)]
        var externalIDs: [Int: String] = [:]
        var complianceStates: [Int: String] = [:]
        if chosen != .decom {
            try checkUTF8(bytes)
            let mapped = try vendorValues(bytes, format: chosen, clientStatus: clientStatus)
            values = mapped.map { (line: nil, value: $0.device) }
            for (index, entry) in mapped.enumerated() {
                if let id = entry.externalID { externalIDs[index + 1] = id }
                if let state = entry.complianceState { complianceStates[index + 1] = state }
            }
        } else {
            values = try decomValues(bytes, first: first)
        }
        var problems: [Problem] = []
        var numbered: [(number: Int, record: DeviceRecord)] = []
        for (index, entry) in values.enumerated() {
            // decom's own export carries each device's id in the MDM its source names.
            if chosen == .decom, case .object(let o) = entry.value,
                let external = o["external_id"]
            {
                switch external {
                case .string(let id) where DeviceKey.identifierProblem(id) == nil:
                    externalIDs[index + 1] = id
                case .null: break
                default:
                    problems.append(
                        Problem(
                            record: index + 1, field: "external_id",
                            message: "expected text an ext: key can name, or null"))
                }
            }
            if index % 1_000 == 0 { progress?(index, values.count) }
            var checker = RecordChecker(record: index + 1)
            if let record = checker.device(entry.value) {
                numbered.append((number: index + 1, record: record))
            }
            problems += checker.problems
        }
        progress?(values.count, values.count)
        problems += duplicates(numbered)
        // An MDM's id names one device of that MDM: two MDMs may both number from 1, so in
        // decom's own file (which holds several sources) ids are compared within a source.
        var recordSources: [Int: String] = [:]
        if chosen == .decom {
            for (index, entry) in values.enumerated() {
                if case .object(let o) = entry.value, case .string(let source)? = o["source"] {
                    recordSources[index + 1] = source
                }
            }
        }
        var firstOf: [String: Int] = [:]
        for number in externalIDs.keys.sorted() {
            guard let external = externalIDs[number] else { continue }
            let id = external
            let key = (recordSources[number] ?? chosen.source ?? "") + "\u{0}" + external
            if let first = firstOf[key] {
                problems.append(
                    Problem(
                        record: number, field: "id",
                        message: "'\(id)' is also the \(chosen.title) id of record \(first)"))
            } else {
                firstOf[key] = number
            }
        }
        return Checked(
            format: chosen, records: numbered, problems: problems, externalIDs: externalIDs,
            complianceStates: complianceStates)
    }

    /// The records of a vendor's export mapped to decom's shape (``VendorMapping``); any
    /// record's problem throws, naming the record and the vendor's field.
    private static func vendorValues(
        _ bytes: [UInt8], format: ImportFormat, clientStatus: ClientStatus
    ) throws(Failure) -> [(device: JSONValue, externalID: String?, complianceState: String?)] {
        let mapping = VendorMapping(format: format, clientStatus: clientStatus)
        var devices: [(device: JSONValue, externalID: String?, complianceState: String?)] = []
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
                    devices.append((device, mapped.externalID, mapped.complianceState))
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

    /// The known device of each record of a vendor's export (``ImportSync``): by the
    /// source's external id, else by serial among devices from no source or the same one.
    /// A serial that names several such devices, or a device two records name, is a problem.
    private static func matches(
        _ records: [(number: Int, record: DeviceRecord)], externalIDs: [Int: String],
        source: String, db: Database
    ) throws -> (known: [Int: Int64], problems: [Problem]) {
        var known: [Int: Int64] = [:]
        var problems: [Problem] = []
        var recordOf: [String: Int] = [:]
        for (number, id) in externalIDs { recordOf[id] = number }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT external_id, device_id FROM device_sources
                WHERE source = ? AND external_id IN (SELECT value FROM json_each(?))
                """, arguments: [source, StoreValue.listText(Array(recordOf.keys))])
        {
            let external: String = row[0]
            if let number = recordOf[external] { known[number] = row[1] }
        }
        var claimed: [Int64: Int] = [:]
        for (number, id) in known { claimed[id] = number }
        var bySerial: [String: Int] = [:]
        for (number, record) in records where known[number] == nil {
            if let serial = record.device.serialNumber { bySerial[serial.lowercased()] = number }
        }
        guard !bySerial.isEmpty else { return (known, problems) }
        var owners: [String: [Int64]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT lower(d.serial_number), d.id FROM devices d
                LEFT JOIN device_sources s ON s.device_id = d.id
                WHERE (s.source IS NULL OR s.source = ?)
                  AND lower(d.serial_number) IN (SELECT value FROM json_each(?))
                ORDER BY d.id
                """, arguments: [source, StoreValue.listText(Array(bySerial.keys))])
        {
            owners[row[0], default: []].append(row[1])
        }
        for (serial, ids) in owners {
            guard let number = bySerial[serial] else { continue }
            if ids.count > 1 {
                problems.append(
                    Problem(
                        record: number, field: "serial_number",
                        message:
                            "'\(serial)' is the serial of devices \(ids.map { "#\($0)" }.joined(separator: ", ")): cannot tell which one to update"
                    ))
            } else if let id = ids.first, claimed[id] == nil {
                known[number] = id
                claimed[id] = number
            }
        }
        return (known, problems)
    }

    /// Records to be added that a tombstone names: a purged device's serial, HWID, MAC
    /// address, or its external id in the same source.
    private static func tombstoneMatches(
        _ records: [(number: Int, record: DeviceRecord)], externalIDs: [Int: String],
        source: String?, db: Database
    ) throws -> [Problem] {
        var recordOf: [String: Int] = [:]
        var written: [String: String] = [:]
        var serials: [String] = []
        var hwids: [String] = []
        var macs: [String] = []
        var externals: [String] = []
        for (number, record) in records {
            let d = record.device
            if let serial = d.serialNumber {
                serials.append(serial.lowercased())
                recordOf["serial_number\u{0}" + serial.lowercased()] = number
                written["serial_number\u{0}" + serial.lowercased()] = serial
            }
            if let hwid = d.hwid {
                hwids.append(hwid.lowercased())
                recordOf["hwid\u{0}" + hwid.lowercased()] = number
                written["hwid\u{0}" + hwid.lowercased()] = hwid
            }
            for mac in d.macAddresses {
                let normalized = DeviceKey.normalizeMAC(mac) ?? mac
                macs.append(normalized)
                recordOf["mac_addresses\u{0}" + normalized] = number
            }
            if let external = externalIDs[number] {
                externals.append(external)
                recordOf["id\u{0}" + external] = number
            }
        }
        var problems: [Problem] = []
        func check(_ field: String, _ match: String, _ values: [String], extra: String? = nil)
            throws
        {
            guard !values.isEmpty else { return }
            var arguments: [(any DatabaseValueConvertible)?] = [StoreValue.listText(values)]
            if let extra { arguments.append(extra) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT found, t.device_id, t.name, t.purged_at, t.purged_by
                    FROM (\(match)) JOIN tombstones t ON t.device_id = owner
                    ORDER BY t.device_id
                    """, arguments: StatementArguments(arguments))
            for row in rows {
                let value: String = row[0]
                let device: Int64 = row[1]
                let name: String? = row[2]
                let when = String((row[3] as String).prefix(19)) + "Z"
                let by: String = row[4]
                let key = field + "\u{0}" + value
                let what = field == "id" ? "\(source ?? "MDM") id" : field
                problems.append(
                    Problem(
                        record: recordOf[key], field: field,
                        message:
                            "'\(written[key] ?? value)' is the \(what) of device \(device)\(name.map { " (\($0))" } ?? ""), purged at \(when) by \(by): an import does not bring back a purged device (--allow-purged imports it anyway)"
                    ))
            }
        }
        try check(
            "serial_number",
            """
            SELECT lower(serial_number) AS found, device_id AS owner FROM tombstones
            WHERE lower(serial_number) IN (SELECT value FROM json_each(?1))
            """, serials)
        try check(
            "hwid",
            """
            SELECT lower(hwid) AS found, device_id AS owner FROM tombstones
            WHERE lower(hwid) IN (SELECT value FROM json_each(?1))
            """, hwids)
        try check(
            "mac_addresses",
            """
            SELECT m.value AS found, x.device_id AS owner
            FROM tombstones x, json_each(x.mac_addresses) m
            WHERE m.value IN (SELECT value FROM json_each(?1))
            """, macs)
        if let source {
            try check(
                "id",
                """
                SELECT external_id AS found, device_id AS owner FROM tombstones
                WHERE source = ?2 AND external_id IN (SELECT value FROM json_each(?1))
                """, externals, extra: source)
        }
        return problems
    }

    /// decom's own records' external ids (an export's `external_id`): each needs the
    /// device's `source`, and must not be another device's in that source already.
    private static func ownExternalIDs(_ read: Checked, db: Database) throws -> [Problem] {
        var problems: [Problem] = []
        for (number, record) in read.records {
            guard let external = read.externalIDs[number] else { continue }
            guard let source = record.device.source else {
                problems.append(
                    Problem(
                        record: number, field: "external_id",
                        message: "an external id needs the device's source (the MDM it names)"))
                continue
            }
            if try Int64.fetchOne(
                db,
                sql: "SELECT device_id FROM device_sources WHERE source = ? AND external_id = ?",
                arguments: [source, external]) != nil
            {
                problems.append(
                    Problem(
                        record: number, field: "external_id",
                        message: "'\(external)' is already in the database (\(source))"))
            }
        }
        return problems
    }

    /// The devices of `source` whose external id is not among `named`, by id.
    private static func missing(source: String, named: [String], db: Database) throws
        -> [ImportSync.Missing]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT s.device_id, d.name, s.external_id, d.client_status = 'ARCHIVED'
                FROM device_sources s JOIN devices d ON d.id = s.device_id
                WHERE s.source = ? AND s.external_id NOT IN (SELECT value FROM json_each(?))
                ORDER BY s.device_id
                """, arguments: [source, StoreValue.listText(named)]
        ).map { row in
            ImportSync.Missing(
                deviceId: row[0], name: row[1], externalID: row[2], isArchived: row[3])
        }
    }

    /// What the file's devices would collide with in the database. `owners` gives the
    /// known device a record updates (a re-import): its own values are no collision, and
    /// its id and enrollment id are its own.
    private static func conflicts(
        _ records: [(number: Int, record: DeviceRecord)], db: Database,
        owners: [Int: Int64] = [:]
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
            let known = owners[number] != nil
            if !known {
                ids.append(d.id)
                recordOf["id\u{0}\(d.id)"] = number
            }
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
                let normalized = DeviceKey.normalizeMAC(mac) ?? mac
                macs.append(normalized)
                recordOf["mac_addresses\u{0}\(normalized)"] = number
            }
            if let m = d.mdm, !known {
                mdmIDs.append(m.id)
                recordOf["mdm.id\u{0}\(m.id)"] = number
            }
            for s in record.sessions {
                tokens.append(s.tokenId)
                recordOf["sessions.token_id\u{0}\(s.tokenId)"] = number
            }
        }
        var problems: [Problem] = []
        var reported: Set<String> = []
        /// `sql` selects the value found and the device that holds it.
        func check(_ field: String, _ sql: String, _ values: String, fold: Bool = false) throws {
            for row in try Row.fetchAll(db, sql: sql, arguments: [values]) {
                let value: String = row[0]
                let holder: Int64? = row[1]
                let key = field + "\u{0}" + (fold ? value.lowercased() : value)
                let record = recordOf[key]
                if let record, let holder, owners[record] == holder { continue }
                guard reported.insert(key).inserted else { continue }
                problems.append(
                    Problem(
                        record: record, field: field,
                        message: "'\(value)' is already in the database"))
            }
        }
        if !ids.isEmpty {
            try check(
                "id",
                "SELECT CAST(id AS TEXT), id FROM devices WHERE id IN (SELECT value FROM json_each(?))",
                StoreValue.idsText(ids))
        }
        try check(
            "serial_number",
            """
            SELECT k.value, d.id FROM json_each(?) k
            JOIN devices d ON d.serial_number COLLATE NOCASE = k.value
            """, StoreValue.listText(serials), fold: true)
        try check(
            "hwid",
            """
            SELECT k.value, d.id FROM json_each(?) k
            JOIN devices d ON d.hwid COLLATE NOCASE = k.value
            """, StoreValue.listText(hwids), fold: true)
        try check(
            "label",
            "SELECT label, id FROM devices WHERE label IN (SELECT value FROM json_each(?))",
            StoreValue.listText(labels))
        try check(
            "mac_addresses",
            "SELECT mac, device_id FROM device_macs WHERE mac IN (SELECT value FROM json_each(?))",
            StoreValue.listText(macs))
        if !mdmIDs.isEmpty {
            try check(
                "mdm.id",
                "SELECT CAST(id AS TEXT), device_id FROM mdm_enrollments WHERE id IN (SELECT value FROM json_each(?))",
                StoreValue.idsText(mdmIDs))
        }
        try check(
            "sessions.token_id",
            "SELECT token_id, device_id FROM sessions WHERE token_id IN (SELECT value FROM json_each(?))",
            StoreValue.listText(tokens))
        return problems.sorted { ($0.record ?? 0) < ($1.record ?? 0) }
    }
}
