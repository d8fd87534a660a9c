import Foundation

/// The JSON vocabulary every front end speaks: the device, list, transaction and per-item
/// result documents that `decom show`, `decom list`, `decom delete`, `decom history` print
/// with `--format json` and that `decom serve-http` answers with (issue 13, "One JSON
/// vocabulary"). One module, so the CLI and the server cannot drift.
///
/// Field names are seed 001's where the seed has the field (`serial_number`,
/// `client_status`, `mdm`…), snake_case for ours. Dates are ISO 8601 in UTC.
public enum Documents {
    /// The encoder of every document: pretty, keys sorted (stable output for diffs and
    /// tests), dates as ISO 8601, slashes as they are.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// `value` as JSON text, with every character a terminal could act on escaped:
    /// JSONEncoder escapes only the C0 controls; DEL, the C1 controls, the bidirectional marks
    /// and the line separators are escaped too (``SafeText/escapingJSON(_:)``).
    ///
    /// - Throws: the encoder's error for a value that cannot be encoded (a NaN).
    public static func text(_ value: some Encodable, pretty: Bool = true) throws -> String {
        let data = try encoder(pretty: pretty).encode(value)
        return SafeText.escapingJSON(String(decoding: data, as: UTF8.self))
    }
}

/// `{"data": {...}}`: one device (`decom show --format json`, `GET /api/v1/devices/{key}`).
public struct DeviceEnvelope: Encodable, Sendable {
    public var data: DeviceDocument
    public init(data: DeviceDocument) { self.data = data }
}

/// A device in full: seed 001's fields and ours, plus its compliance verdict, its sessions
/// and, for an imported device, its id in the MDM it came from.
public struct DeviceDocument: Encodable, Sendable {
    public var device: Device
    public var compliance: ComplianceVerdict
    public var sessions: [Session]
    /// The device's id in the MDM it was imported from; written only when there is one.
    public var externalID: String?
    /// The MDM's own compliance verdict (Intune's `complianceState`), beside `compliance`;
    /// written only when the MDM gave one (issue 14).
    public var vendorCompliance: String?

    public init(
        device: Device, compliance: ComplianceVerdict, sessions: [Session],
        externalID: String? = nil, vendorCompliance: String? = nil
    ) {
        self.device = device
        self.compliance = compliance
        self.sessions = sessions
        self.externalID = externalID
        self.vendorCompliance = vendorCompliance
    }

    enum CodingKeys: String, CodingKey {
        case compliance, sessions
        case externalID = "external_id"
        case vendorCompliance = "vendor_compliance"
    }

    public func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(compliance, forKey: .compliance)
        try c.encode(sessions, forKey: .sessions)
        try c.encodeIfPresent(externalID, forKey: .externalID)
        try c.encodeIfPresent(vendorCompliance, forKey: .vendorCompliance)
    }
}

/// `{"data": [...]}`: a list of devices (`decom list --format json`), and, with `next_cursor`,
/// one page of the API's listing (`GET /api/v1/devices`).
public struct DeviceListDocument: Encodable, Sendable {
    public var data: [SummaryDocument]
    /// The cursor of the next page; absent on the last page and in the CLI's listing.
    public var nextCursor: String?
    /// How many devices the query selects in all; absent in the CLI's listing.
    public var total: Int?

    public init(data: [SummaryDocument], nextCursor: String? = nil, total: Int? = nil) {
        self.data = data
        self.nextCursor = nextCursor
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case data, total
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data)
        try c.encodeIfPresent(total, forKey: .total)
        if total != nil { try c.encode(nextCursor, forKey: .nextCursor) }
    }
}

/// One device of a list, with seed 001's field names.
public struct SummaryDocument: Encodable, Sendable {
    public var summary: DeviceSummary
    public init(_ summary: DeviceSummary) { self.summary = summary }

    enum CodingKeys: String, CodingKey {
        case id, name, type, category, label, hwid, compliance
        case serialNumber = "serial_number"
        case osPlatform = "os_platform"
        case clientStatus = "client_status"
        case mdmStatus = "mdm_status"
        case deviceStatus = "device_status"
        case macAddresses = "mac_addresses"
        case lastSeen = "last_seen"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let s = summary
        try c.encode(s.id, forKey: .id)
        try c.encode(s.name, forKey: .name)
        try c.encode(s.serialNumber, forKey: .serialNumber)
        try c.encode(s.type, forKey: .type)
        try c.encode(s.category, forKey: .category)
        try c.encode(s.osPlatform, forKey: .osPlatform)
        try c.encode(s.clientStatus, forKey: .clientStatus)
        try c.encode(s.mdmStatus, forKey: .mdmStatus)
        try c.encode(s.deviceStatus, forKey: .deviceStatus)
        try c.encode(s.label, forKey: .label)
        try c.encode(s.hwid, forKey: .hwid)
        try c.encode(s.macAddresses, forKey: .macAddresses)
        try c.encode(s.lastSeen, forKey: .lastSeen)
        try c.encode(s.compliance, forKey: .compliance)
    }
}

/// `{"transaction": {...} | null, "dry_run": bool, "result": [...]}`: what a deletion or an
/// undo did, item by item (`decom delete --format json`, `POST /api/v1/deletions`). A dry run
/// has no transaction; its results say what would happen.
public struct DeletionDocument: Encodable, Sendable {
    public var transaction: TransactionDocument?
    public var dryRun: Bool
    public var result: [ItemResult]

    public init(transaction: TransactionDocument?, dryRun: Bool, result: [ItemResult]) {
        self.transaction = transaction
        self.dryRun = dryRun
        self.result = result
    }

    /// The document of a dry run of `plan`.
    public init(dryRun plan: DeletionPlan) {
        self.init(transaction: nil, dryRun: true, result: plan.previewResults)
    }

    /// The document of an executed transaction.
    public init(executed record: TransactionRecord) {
        self.init(
            transaction: TransactionDocument(record: record), dryRun: false, result: record.items)
    }

    enum CodingKeys: String, CodingKey {
        case transaction, result
        case dryRun = "dry_run"
    }
}

/// A transaction's header (id, type, status, user, role, times, undo links, error). A
/// transaction that was never recorded (a refusal that changed nothing) has `"id": null`.
public struct TransactionDocument: Encodable, Sendable {
    public var record: TransactionRecord
    public init(record: TransactionRecord) { self.record = record }

    enum CodingKeys: String, CodingKey { case id }

    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        if record.id == 0 {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeNil(forKey: .id)
        }
    }
}

/// A transaction with its items under `result` (`decom history ID --format json`,
/// `GET /api/v1/transactions/{id}`).
public struct TransactionEntry: Encodable, Sendable {
    public var record: TransactionRecord
    public init(record: TransactionRecord) { self.record = record }

    enum CodingKeys: String, CodingKey { case result }

    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.items, forKey: .result)
    }
}

/// `{"transactions": [...]}`: newest first (`decom history --format json`,
/// `GET /api/v1/transactions`).
public struct TransactionListDocument: Encodable, Sendable {
    public var transactions: [TransactionEntry]
    public init(_ records: [TransactionRecord]) {
        transactions = records.map(TransactionEntry.init)
    }
}

/// `{"transactions": [...], "next_before": ID | null}`: one page of history without items,
/// each transaction with `counts`, how many items had each outcome
/// (`GET /api/v1/transactions?limit=&before=`); a transaction's items are
/// `GET /api/v1/transactions/{id}`.
public struct TransactionPageDocument: Encodable, Sendable {
    public var transactions: [Entry]
    /// The `before` of the next page: the last transaction's id, nil on the last page.
    public var nextBefore: Int64?

    /// A page of at most `limit` of `headers`, read with one more than `limit` so that the
    /// last page is known: a next page exists only when that one more was there.
    public init(_ headers: [TransactionHeader], limit: Int) {
        let page = headers.prefix(limit)
        transactions = page.map(Entry.init)
        nextBefore = headers.count > limit ? page.last?.record.id : nil
    }

    enum CodingKeys: String, CodingKey {
        case transactions
        case nextBefore = "next_before"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(transactions, forKey: .transactions)
        try c.encode(nextBefore, forKey: .nextBefore)
    }

    /// A transaction's header and its counts by outcome.
    public struct Entry: Encodable, Sendable {
        public var header: TransactionHeader
        public init(_ header: TransactionHeader) { self.header = header }

        enum CodingKeys: String, CodingKey { case counts }

        public func encode(to encoder: any Encoder) throws {
            try header.record.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            var counts: [String: Int] = [:]
            for (outcome, n) in header.counts { counts[outcome.rawValue] = n }
            try c.encode(counts, forKey: .counts)
        }
    }
}
