import DecomCore
import Foundation
import GRDB

/// A database connection that the fleet's reads run on: a read snapshot or a write
/// transaction. The reads are written once, here, for both.
protocol FleetConnection {
    var db: Database { get }
}

/// The reads of ``SQLiteFleetStore/read(_:)``.
struct SQLiteFleetReader: FleetReader, FleetConnection {
    let db: Database
}

extension FleetConnection {
    // MARK: - Keys and facts

    func resolve(_ keys: [DeviceKey]) throws -> [DeviceKey: [Int64]] {
        var ids: [Int64] = []
        var labels: [String] = []
        var macs: [String: [DeviceKey]] = [:]
        var hwids: [String] = []
        var serials: [String] = []
        var externals: [DeviceKey] = []
        for key in keys {
            switch key {
            case .id(let id): ids.append(id)
            case .label(let label): labels.append(label)
            case .mac(let mac): macs[DeviceKey.normalizeMAC(mac) ?? mac, default: []].append(key)
            case .hwid(let hwid): hwids.append(hwid)
            case .serial(let serial): serials.append(serial)
            case .external: externals.append(key)
            }
        }
        var found: [DeviceKey: [Int64]] = [:]
        if !ids.isEmpty {
            let rows = try Int64.fetchAll(
                db, sql: "SELECT id FROM devices WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [StoreValue.idsText(ids)])
            for id in rows { found[.id(id)] = [id] }
        }
        // Each query names the key value it matched, so the key's own spelling comes back.
        for (key, id) in try pairs(
            labels,
            sql: """
                SELECT k.value, d.id FROM json_each(?) k JOIN devices d ON d.label = k.value
                """)
        {
            found[.label(key), default: []].append(id)
        }
        for (mac, id) in try pairs(
            Array(macs.keys),
            sql: """
                SELECT k.value, m.device_id FROM json_each(?) k
                JOIN device_macs m ON m.mac = k.value
                """)
        {
            for key in macs[mac] ?? [] { found[key, default: []].append(id) }
        }
        for (key, id) in try pairs(
            hwids,
            sql: """
                SELECT k.value, d.id FROM json_each(?) k
                JOIN devices d ON d.hwid COLLATE NOCASE = k.value ORDER BY d.id
                """)
        {
            found[.hwid(key), default: []].append(id)
        }
        for (key, id) in try pairs(
            serials,
            sql: """
                SELECT k.value, d.id FROM json_each(?) k
                JOIN devices d ON d.serial_number COLLATE NOCASE = k.value ORDER BY d.id
                """)
        {
            found[.serial(key), default: []].append(id)
        }
        for key in externals {
            guard case .external(let source, let external) = key else { continue }
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT device_id FROM device_sources
                    WHERE external_id = ?1 AND (?2 IS NULL OR source = ?2) ORDER BY device_id
                    """,
                arguments: [external, source])
            if !ids.isEmpty { found[key] = ids }
        }
        return found
    }

    private func pairs(_ values: [String], sql: String) throws -> [(String, Int64)] {
        guard !values.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: sql, arguments: [StoreValue.listText(values)])
        return rows.compactMap { row in
            guard let key: String = row[0], let id: Int64 = row[1] else { return nil }
            return (key, id)
        }
    }

    func facts(ids: [Int64]) throws -> [Int64: DeviceFacts] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT d.id, d.name, d.serial_number, d.client_status, d.rent IS NOT NULL,
                       m.status,
                       (SELECT count(*) FROM sessions s
                        WHERE s.device_id = d.id AND s.suspended_by IS NULL),
                       d.archived_at
                FROM devices d LEFT JOIN mdm_enrollments m ON m.device_id = d.id
                WHERE d.id IN (SELECT value FROM json_each(?))
                """,
            arguments: [StoreValue.idsText(ids)])
        var facts: [Int64: DeviceFacts] = [:]
        while let row = try rows.next() {
            let id: Int64 = row[0]
            let mdm: String? = row[5]
            facts[id] = DeviceFacts(
                id: id, name: row[1], serialNumber: row[2],
                clientStatus: try StoreValue.enumValue(row[3], ClientStatus.self),
                rented: row[4],
                mdmStatus: try mdm.map { try StoreValue.enumValue($0, MDMStatus.self) },
                activeSessions: row[6], archivedAt: try StoreValue.date(row[7]))
        }
        return facts
    }

    /// See ``FleetReader/factsChanged(since:)``. The planned facts go in as one JSON array
    /// and SQLite compares them column by column with what is stored: a device whose stored
    /// values are the ones its facts were read from is left out without being read into
    /// Swift. A value that compares unequal only in its spelling (a date stored in another
    /// form) makes the device read again and compared as facts: slower, never wrong.
    func factsChanged(since planned: [DeviceFacts]) throws -> [Int64: DeviceFacts?] {
        guard !planned.isEmpty else { return [:] }
        var stream = ByteStream.collecting()
        stream.write("[")
        for (index, f) in planned.enumerated() {
            if index > 0 { stream.write(",") }
            stream.write("[\(f.id),")
            stream.jsonString(f.clientStatus.rawValue)
            stream.write(",")
            stream.jsonString(f.mdmStatus?.rawValue)
            stream.write(f.rented ? ",1," : ",0,")
            stream.jsonString(f.archivedAt.map(StoreDate.text))
            stream.write(",")
            stream.jsonString(f.name)
            stream.write(",")
            stream.jsonString(f.serialNumber)
            stream.write(",\(f.activeSessions)]")
        }
        stream.write("]")
        let differing = try Int64.fetchAll(
            db,
            sql: """
                SELECT p.value ->> 0 FROM json_each(?) p
                LEFT JOIN devices d ON d.id = p.value ->> 0
                LEFT JOIN mdm_enrollments m ON m.device_id = d.id
                WHERE d.id IS NULL OR d.client_status IS NOT p.value ->> 1
                   OR m.status IS NOT p.value ->> 2
                   OR (d.rent IS NOT NULL) IS NOT p.value ->> 3
                   OR d.archived_at IS NOT p.value ->> 4
                   OR d.name IS NOT p.value ->> 5
                   OR d.serial_number IS NOT p.value ->> 6
                   OR (SELECT count(*) FROM sessions s
                       WHERE s.device_id = d.id AND s.suspended_by IS NULL) IS NOT p.value ->> 7
                """,
            arguments: [stream.text])
        guard !differing.isEmpty else { return [:] }
        let current = try facts(ids: differing)
        var changed: [Int64: DeviceFacts?] = [:]
        for id in differing { changed[id] = current[id] }
        return changed
    }

    // MARK: - Lists

    func summaries(scope: ListScope, evaluator: ComplianceEvaluator, limit: Int?) throws
        -> [DeviceSummary]
    {
        // Room for every row at once: growing by doubling would hold the old and the new
        // buffer together, half again the rows' memory at the peak.
        var result: [DeviceSummary] = []
        result.reserveCapacity(try limit ?? deviceCount(scope: scope))
        try forEachSummary(scope: scope, evaluator: evaluator, limit: limit) { result.append($0) }
        return result
    }

    func forEachSummary(
        scope: ListScope, evaluator: ComplianceEvaluator, limit: Int?,
        _ body: (DeviceSummary) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: Self.summarySelect(macs: false) + """
                WHERE \(Self.scopeCondition(scope))
                ORDER BY d.id
                LIMIT ?
                """, arguments: [limit ?? -1])
        // The MAC addresses come from a second cursor in the same order, merged as the rows
        // go by: no table of every device's addresses is built first.
        let macRows = try Row.fetchCursor(
            db, sql: "SELECT device_id, mac FROM device_macs ORDER BY device_id, position")
        var nextMAC: (owner: Int64, mac: String)? = try macRows.next().map { ($0[0], $0[1]) }
        func macList(of id: Int64) throws -> String {
            var list = ""
            while let (owner, mac) = nextMAC, owner <= id {
                if owner == id { list += list.isEmpty ? mac : ";" + mac }
                nextMAC = try macRows.next().map { ($0[0], $0[1]) }
            }
            return list
        }
        let decoder = SummaryDecoder(evaluator: evaluator)
        while let row = try rows.next() {
            var summary = try decoder.summary(row)
            summary.macList = try macList(of: summary.id)
            try body(summary)
        }
    }

    func summaries(
        _ selection: DeviceSelection, evaluator: ComplianceEvaluator, limit: Int?, offset: Int
    ) throws -> [DeviceSummary] {
        let (whereSQL, orderSQL) = Self.selectionSQL(selection, evaluator: evaluator)
        let rows = try Row.fetchCursor(
            db,
            sql: Self.summarySelect(macs: selection.macAddresses)
                + " WHERE \(whereSQL.sql) ORDER BY \(orderSQL.sql) LIMIT ? OFFSET ?",
            arguments: whereSQL.statementArguments + orderSQL.statementArguments
                + [limit ?? -1, offset])
        var result: [DeviceSummary] = []
        let decoder = SummaryDecoder(evaluator: evaluator)
        while let row = try rows.next() {
            var summary = try decoder.summary(row)
            if selection.macAddresses { summary.macList = row[24] ?? "" }
            result.append(summary)
        }
        return result
    }

    func selectedIDs(_ selection: DeviceSelection, evaluator: ComplianceEvaluator) throws
        -> [Int64]
    {
        let (whereSQL, orderSQL) = Self.selectionSQL(selection, evaluator: evaluator)
        return try Int64.fetchAll(
            db,
            sql: Self.summaryJoins + " WHERE \(whereSQL.sql) ORDER BY \(orderSQL.sql)",
            arguments: whereSQL.statementArguments + orderSQL.statementArguments)
    }

    private static func selectionSQL(_ selection: DeviceSelection, evaluator: ComplianceEvaluator)
        -> (QuerySQL, QuerySQL)
    {
        (
            QuerySQL.condition(selection.condition(evaluator: evaluator)),
            QuerySQL.order(
                selection.order(evaluator: evaluator), ascending: selection.sort.ascending)
        )
    }

    /// The joins a list reads, selecting only the id (for ``selectedIDs``).
    private static var summaryJoins: String {
        """
        SELECT d.id
        FROM devices d
        LEFT JOIN characteristics c ON c.device_id = d.id
        LEFT JOIN mdm_enrollments m ON m.device_id = d.id
        LEFT JOIN device_sources s ON s.device_id = d.id
        """
    }

    /// The columns ``SummaryDecoder`` reads, and the device's MAC addresses joined by `;`
    /// as column 24 when `macs`.
    private static func summarySelect(macs: Bool) -> String {
        let macList = """
            ,
                   (SELECT group_concat(mac, ';') FROM (
                        SELECT mac FROM device_macs WHERE device_id = d.id ORDER BY position))
            """
        return """
            SELECT d.id, d.name, d.serial_number, d.type, d.category, c.os_platform,
                   d.client_status, m.status, d.device_status, d.label, d.hwid, d.last_seen,
                   d.rent IS NOT NULL, m.is_encrypted, m.firewall_enabled,
                   m.screenlock_enabled, m.os_updates_enabled, m.os_updates_available,
                   m.is_compromised, m.last_seen_date, m.enrollment_date, d.archived_at,
                   d.source, s.external_id\(macs ? macList : "")
            FROM devices d
            LEFT JOIN characteristics c ON c.device_id = d.id
            LEFT JOIN mdm_enrollments m ON m.device_id = d.id
            LEFT JOIN device_sources s ON s.device_id = d.id

            """
    }

    /// The active devices are counted as all of them less the archived ones: SQLite counts a
    /// whole table from its smallest B-tree without decoding a row, and the archived ones
    /// through `devices_client_status`, where `client_status <> 'ARCHIVED'` decoded every
    /// entry of that index (what a console's first frame waited for at 10,000,000 devices).
    func deviceCount(scope: ListScope) throws -> Int {
        let sql =
            switch scope {
            case .active:
                """
                SELECT (SELECT count(*) FROM devices)
                     - (SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED')
                """
            case .archived, .all:
                "SELECT count(*) FROM devices d WHERE \(Self.scopeCondition(scope))"
            }
        return try Int.fetchOne(db, sql: sql) ?? 0
    }

    /// A fixed SQL condition on `devices d` for a scope (no value of the data in it).
    static func scopeCondition(_ scope: ListScope) -> String {
        switch scope {
        case .active: "d.client_status <> 'ARCHIVED'"
        case .archived: "d.client_status = 'ARCHIVED'"
        case .all: "1"
        }
    }

    func archived(before date: Date) throws -> [Int64] {
        // Stored dates compare as text only to the second (a fraction sorts after 'Z'), so
        // SQL narrows to the second and the exact comparison is made on the parsed dates.
        let cutoff = String(StoreDate.text(date).prefix(19))
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, archived_at FROM devices
                WHERE client_status = 'ARCHIVED' AND substr(archived_at, 1, 19) <= ?
                ORDER BY id
                """,
            arguments: [cutoff])
        return try rows.compactMap { row in
            guard let at = try StoreValue.date(row[1]), at < date else { return nil }
            return row[0]
        }
    }

    // MARK: - One device

    func externalID(deviceId: Int64) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT external_id FROM device_sources WHERE device_id = ?",
            arguments: [deviceId])
    }

    func vendorCompliance(deviceId: Int64) throws -> VendorCompliance? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT source, compliance_state FROM device_sources
                WHERE device_id = ? AND compliance_state IS NOT NULL
                """,
            arguments: [deviceId]
        ).map { VendorCompliance(source: $0[0], state: $0[1]) }
    }

    func tombstone(deviceId: Int64) throws -> Tombstone? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT name, purged_at, purged_by, transaction_id FROM tombstones
                    WHERE device_id = ?
                    """, arguments: [deviceId]),
            let at = try StoreValue.date(row[1])
        else { return nil }
        return Tombstone(
            deviceId: deviceId, name: row[0], purgedAt: at, purgedBy: row[2], transaction: row[3])
    }

    func device(id: Int64) throws -> Device? {
        try devices(ids: [id]).first
    }

    /// Whole devices, by id; all of them when `ids` is nil.
    func devices(ids: [Int64]?) throws -> [Device] {
        let macs = try macAddresses(ids: ids)
        let rows: RowCursor
        if let ids {
            rows = try Row.fetchCursor(
                db,
                sql: DeviceColumns.selectWhole
                    + " WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id",
                arguments: [StoreValue.idsText(ids)])
        } else {
            rows = try Row.fetchCursor(db, sql: DeviceColumns.selectWhole + " ORDER BY d.id")
        }
        var devices: [Device] = []
        while let row = try rows.next() {
            var device = try DeviceColumns.device(row)
            device.macAddresses = macs[device.id] ?? []
            devices.append(device)
        }
        return devices
    }

    private func macAddresses(ids: [Int64]?) throws -> [Int64: [String]] {
        let rows: RowCursor
        if let ids {
            rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT device_id, mac FROM device_macs
                    WHERE device_id IN (SELECT value FROM json_each(?))
                    ORDER BY device_id, position
                    """,
                arguments: [StoreValue.idsText(ids)])
        } else {
            rows = try Row.fetchCursor(
                db, sql: "SELECT device_id, mac FROM device_macs ORDER BY device_id, position")
        }
        var macs: [Int64: [String]] = [:]
        while let row = try rows.next() {
            macs[row[0], default: []].append(row[1])
        }
        return macs
    }

    func sessions(deviceId: Int64) throws -> [Session] {
        try sessions(ids: [deviceId])[deviceId] ?? []
    }

    /// Sessions by device, each device's in the order they were added.
    func sessions(ids: [Int64]?) throws -> [Int64: [Session]] {
        let sql = """
            SELECT device_id, token_id, user, created_at, last_used_at, suspended_by
            FROM sessions
            """
        let rows: RowCursor
        if let ids {
            rows = try Row.fetchCursor(
                db,
                sql: sql
                    + " WHERE device_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
                arguments: [StoreValue.idsText(ids)])
        } else {
            rows = try Row.fetchCursor(db, sql: sql + " ORDER BY rowid")
        }
        var result: [Int64: [Session]] = [:]
        while let row = try rows.next() {
            guard let created = try StoreValue.date(row[3]) else {
                throw StoreError.corruptData("a session without created_at")
            }
            result[row[0], default: []].append(
                Session(
                    tokenId: row[1], user: row[2], createdAt: created,
                    lastUsedAt: try StoreValue.date(row[4]), suspendedBy: row[5]))
        }
        return result
    }

    func events(deviceId: Int64) throws -> [DeviceEvent] {
        try events(ids: [deviceId])[deviceId] ?? []
    }

    /// Events by device, each device's in the order they were added.
    func events(ids: [Int64]?) throws -> [Int64: [DeviceEvent]] {
        let sql = "SELECT device_id, at, kind, detail FROM device_events"
        let rows: RowCursor
        if let ids {
            rows = try Row.fetchCursor(
                db,
                sql: sql + " WHERE device_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                arguments: [StoreValue.idsText(ids)])
        } else {
            rows = try Row.fetchCursor(db, sql: sql + " ORDER BY id")
        }
        var result: [Int64: [DeviceEvent]] = [:]
        while let row = try rows.next() {
            guard let at = try StoreValue.date(row[1]) else {
                throw StoreError.corruptData("a device event without a date")
            }
            result[row[0], default: []].append(DeviceEvent(at: at, kind: row[2], detail: row[3]))
        }
        return result
    }

    // MARK: - Transactions

    func transactions(limit: Int?) throws -> [TransactionRecord] {
        try loadTransactions(
            sql: "SELECT * FROM transactions ORDER BY id DESC LIMIT ?", arguments: [limit ?? -1])
    }

    func transactionHeaders(limit: Int, before: Int64?) throws -> [TransactionHeader] {
        let records = try loadTransactions(
            sql: "SELECT * FROM transactions WHERE id < ? ORDER BY id DESC LIMIT ?",
            arguments: [before ?? Int64.max, limit], withItems: false)
        guard !records.isEmpty else { return [] }
        var counts: [Int64: [ItemOutcome: Int]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT transaction_id, outcome, count(*) FROM transaction_items
                WHERE transaction_id IN (SELECT value FROM json_each(?))
                GROUP BY transaction_id, outcome
                """,
            arguments: [StoreValue.idsText(records.map(\.id))])
        while let row = try rows.next() {
            counts[row[0], default: [:]][try StoreValue.enumValue(row[1], ItemOutcome.self)] =
                row[2]
        }
        return records.map { TransactionHeader(record: $0, counts: counts[$0.id] ?? [:]) }
    }

    func transaction(id: Int64) throws -> TransactionRecord? {
        try loadTransactions(sql: "SELECT * FROM transactions WHERE id = ?", arguments: [id]).first
    }

    func transactionStatus(id: Int64) throws -> TransactionStatus? {
        try String.fetchOne(
            db, sql: "SELECT status FROM transactions WHERE id = ?", arguments: [id]
        )
        .map { try StoreValue.enumValue($0, TransactionStatus.self) }
    }

    func transactions(statuses: Set<TransactionStatus>) throws -> [TransactionRecord] {
        try loadTransactions(
            sql: """
                SELECT * FROM transactions
                WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id
                """,
            arguments: [StoreValue.listText(statuses.map(\.rawValue).sorted())])
    }

    func transactions(deviceId: Int64, limit: Int) throws -> [TransactionRecord] {
        try loadTransactions(
            sql: """
                SELECT * FROM transactions WHERE id IN (
                    SELECT transaction_id FROM transaction_items WHERE device_id = ?)
                ORDER BY id DESC LIMIT ?
                """,
            arguments: [deviceId, limit], itemsOf: deviceId)
    }

    func undoStack(user: String?, limit: Int?) throws -> [TransactionRecord] {
        try loadTransactions(
            sql: """
                SELECT * FROM transactions t
                WHERE t.status = 'SUCCESS' AND t.type IN ('ARCHIVE', 'PURGE', 'UNENROLL', 'ARCHIVE_UNENROLL')
                  AND t.undone_by IS NULL AND (?1 IS NULL OR t.user = ?1)
                  AND EXISTS (
                    SELECT 1 FROM transaction_items i
                    WHERE i.transaction_id = t.id
                      AND i.outcome IN (
                        'archived', 'purged', 'unenrolled', 'archived_unenrolled', 'restored'))
                ORDER BY t.id DESC LIMIT ?2
                """,
            arguments: [user, limit ?? -1])
    }

    func undoEntries(archive: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db,
            sql: "SELECT device_id FROM undo_entries WHERE transaction_id = ? ORDER BY device_id",
            arguments: [archive])
    }

    /// One statement for any number of ids: the newest undo row of each device (an archive
    /// writes rows only for devices it changed, so for an archived device that is the archive
    /// that archived it), joined with its transaction.
    func archiveOrigins(ids: [Int64]) throws -> [Int64: ArchiveOrigin] {
        guard !ids.isEmpty else { return [:] }
        var origins: [Int64: ArchiveOrigin] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT u.device_id, t.id, t.type, t.user, t.created_at
                FROM (SELECT device_id, max(transaction_id) AS newest FROM undo_entries
                      WHERE device_id IN (SELECT value FROM json_each(?))
                      GROUP BY device_id) u
                JOIN transactions t ON t.id = u.newest
                """,
            arguments: [StoreValue.idsText(ids)])
        while let row = try rows.next() {
            origins[row[0]] = ArchiveOrigin(
                transaction: row[1], type: try StoreValue.enumValue(row[2], TransactionType.self),
                user: row[3],
                at: try StoreValue.date(row[4]) ?? Date(timeIntervalSince1970: 0))
        }
        return origins
    }

    /// The transactions the query selects, each with its items, or only the items of
    /// `itemsOf` (a device's history needs no other: a SEED holds one item a device).
    private func loadTransactions(
        sql: String, arguments: StatementArguments, itemsOf device: Int64? = nil,
        withItems: Bool = true
    ) throws -> [TransactionRecord] {
        var records = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            TransactionRecord(
                id: row["id"],
                type: try StoreValue.enumValue(row["type"], TransactionType.self),
                status: try StoreValue.enumValue(row["status"], TransactionStatus.self),
                user: row["user"], role: try StoreValue.enumValue(row["role"], Role.self),
                createdAt: try StoreValue.date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                updatedAt: try StoreValue.date(row["updated_at"]) ?? Date(timeIntervalSince1970: 0),
                undoes: row["undoes"], undoneBy: row["undone_by"], error: row["error"],
                source: row["source"])
        }
        guard !records.isEmpty, withItems else { return records }
        let items = try Row.fetchCursor(
            db,
            sql: """
                SELECT transaction_id, key, device_id, device_name, outcome, reason
                FROM transaction_items
                WHERE transaction_id IN (SELECT value FROM json_each(?))
                  \(device == nil ? "" : "AND device_id = ?")
                ORDER BY transaction_id, seq
                """,
            arguments: [StoreValue.idsText(records.map(\.id))] + (device.map { [$0] } ?? []))
        var byTransaction: [Int64: [ItemResult]] = [:]
        while let row = try items.next() {
            byTransaction[row[0], default: []].append(
                ItemResult(
                    key: row[1], deviceId: row[2], deviceName: row[3],
                    outcome: try StoreValue.enumValue(row[4], ItemOutcome.self), reason: row[5]))
        }
        for index in records.indices {
            records[index].items = byTransaction[records[index].id] ?? []
        }
        return records
    }
}

/// A ``DeviceSummary`` from a row of the list's columns, with compliance from the posture.
private struct SummaryDecoder {
    let evaluator: ComplianceEvaluator
    private var statuses: [String: MDMStatus] = [:]

    init(evaluator: ComplianceEvaluator) {
        self.evaluator = evaluator
        for status in MDMStatus.allCases { statuses[status.rawValue] = status }
    }

    func summary(_ row: Row) throws -> DeviceSummary {
        var posture: MDMPosture?
        var mdmStatus: MDMStatus?
        if let raw: String = row[7] {
            guard let status = statuses[raw] else {
                throw StoreError.corruptData("'\(raw)' is not an MDMStatus")
            }
            mdmStatus = status
            posture = MDMPosture(
                status: status, isEncrypted: row[13], firewallEnabled: row[14],
                screenlockEnabled: row[15], osUpdatesEnabled: row[16],
                osUpdatesAvailable: row[17], isCompromised: row[18],
                lastSeenDate: try StoreValue.date(row[19]))
        }
        var summary = DeviceSummary(
            id: row[0], name: row[1], serialNumber: row[2], type: row[3], category: row[4],
            osPlatform: row[5],
            clientStatus: try StoreValue.enumValue(row[6], ClientStatus.self),
            mdmStatus: mdmStatus,
            deviceStatus: try StoreValue.enumValue(row[8], DeviceStatus.self),
            label: row[9], hwid: row[10], macAddresses: [],
            lastSeen: try StoreValue.date(row[11]), rented: row[12],
            compliance: evaluator.verdict(posture),
            enrolledAt: try StoreValue.date(row[20]), archivedAt: try StoreValue.date(row[21]))
        summary.source = row[22]
        summary.externalID = row[23]
        return summary
    }
}
