import Foundation

/// The devices of a list held as columns: what the console keeps of every device of its scope.
///
/// A `DeviceSummary` a device cost the console 380 MB at a million devices (issue 16): ten
/// strings a row, each past 15 bytes an allocation of its own. Here each field is a column,
/// about 135 bytes a device in all:
///
/// - client status, MDM status and device status as one byte each (their `allCases` index),
///   the compliance verdict as a 16-bit code into the few verdicts the fleet has;
/// - type, category, OS and source, which devices share, interned as 16-bit codes;
/// - dates as `Double`s (`Date`'s own seconds since 2001, NaN for none), so they compare
///   exactly as the `Date`s they were;
/// - the texts of the device's own (name, serial, label, HWID, the `;`-joined MAC addresses,
///   the MDM's external id) in one UTF-8 arena: one record a row, found by a 32-bit offset,
///   each field followed by a NUL, so that a free word is one search over name to HWID (or to
///   the MACs) rather than five;
/// - a 32-bit set of the characters name to HWID hold, so that a word skips a row that lacks
///   one of its characters without reading its text.
///
/// It is a collection of ``DeviceSummary``, each made on access: code that reads `rows[i]`
/// (the table, the details pane, marks) sees the rows it always saw. Filters and sorts read
/// the columns (``DeviceQuery/matchingPositions(_:among:)``,
/// ``DeviceSort/sortedPositions(_:)``). Rows are appended in id order, as the store reads them.
public struct DeviceRows: Sendable {
    /// The text fields of the arena, in the order of a row's record.
    enum TextField: Int, CaseIterable {
        case name, serial, label, hwid, macs, externalID
    }

    static let fieldCount = TextField.allCases.count
    /// A length byte that says "look in `longLengths`".
    static let longLength: UInt8 = 255

    // MARK: - Columns

    private(set) var ids: [Int64] = []
    /// `ClientStatus.allCases` index.
    private(set) var clientStatus: [UInt8] = []
    /// 0 for no MDM row, else `MDMStatus.allCases` index + 1.
    private(set) var mdmStatus: [UInt8] = []
    /// `DeviceStatus.allCases` index.
    private(set) var deviceStatus: [UInt8] = []
    /// Index into `verdicts`.
    private(set) var compliance: [UInt16] = []
    private(set) var verdicts: [ComplianceVerdict] = []
    private var verdictCodes: [ComplianceVerdict: UInt16] = [:]
    /// ``Flag`` bits.
    private(set) var flags: [UInt8] = []
    /// Which characters the row's name, serial, label and HWID hold, ASCII case folded
    /// (``characterBit(_:)``): a free word whose characters are not all there is not in them,
    /// and a one-letter word is found or not without reading the text (issue 16: the first
    /// key of a filter at a million devices). Meaningful only for rows without ``Flag/nonASCII``.
    private(set) var characters: [UInt32] = []
    /// Seconds since 2001 (`timeIntervalSinceReferenceDate`); NaN when there is no date.
    private(set) var lastSeen: [Double] = []
    private(set) var enrolledAt: [Double] = []
    private(set) var archivedAt: [Double] = []
    private(set) var type = InternedColumn()
    private(set) var category = InternedColumn()
    private(set) var osPlatform = InternedColumn()
    private(set) var source = InternedColumn()
    /// Where each row's record starts in `text`.
    private(set) var textStart: [UInt32] = []
    /// Each row's field lengths in bytes, `fieldCount` a row; ``longLength`` for 255 or more,
    /// then the length is in `longLengths` under the same index.
    private(set) var lengths: [UInt8] = []
    private(set) var longLengths: [Int: Int] = [:]
    /// The arena: every row's record, each field followed by a NUL.
    private(set) var text: [UInt8] = []

    /// Bits of `flags`.
    enum Flag {
        static let rented: UInt8 = 1
        /// A byte of the row's text is not ASCII: its searches fall back to full lowercasing.
        static let nonASCII: UInt8 = 1 << 1
        /// The field is nil (`1 << (2 + field)`; the MAC list is never nil).
        static func missing(_ field: TextField) -> UInt8 { 1 << UInt8(2 + field.rawValue) }
    }

    public init() {}

    public init<S: Sequence>(_ rows: S) where S.Element == DeviceSummary {
        reserveCapacity(rows.underestimatedCount)
        for row in rows { append(row) }
    }

    /// Room for `count` rows. The arena gets room for twice what the rows so far hold on
    /// average (or 128 bytes a row): capacity that is never written is never resident, and
    /// growing by copying would hold two arenas at the peak.
    public mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        clientStatus.reserveCapacity(count)
        mdmStatus.reserveCapacity(count)
        deviceStatus.reserveCapacity(count)
        compliance.reserveCapacity(count)
        flags.reserveCapacity(count)
        characters.reserveCapacity(count)
        lastSeen.reserveCapacity(count)
        enrolledAt.reserveCapacity(count)
        archivedAt.reserveCapacity(count)
        type.reserveCapacity(count)
        category.reserveCapacity(count)
        osPlatform.reserveCapacity(count)
        source.reserveCapacity(count)
        textStart.reserveCapacity(count)
        lengths.reserveCapacity(count * Self.fieldCount)
        let perRow = ids.isEmpty ? 64 : text.count / ids.count
        text.reserveCapacity(Swift.max(text.count, count * Swift.max(2 * perRow, 128)))
    }

    // MARK: - Building

    /// Adds a row at the end (rows come in id order).
    public mutating func append(_ row: DeviceSummary) {
        ids.append(row.id)
        clientStatus.append(Self.clientCodes[row.clientStatus] ?? 0)
        mdmStatus.append(row.mdmStatus.map { (Self.mdmCodes[$0] ?? 0) + 1 } ?? 0)
        deviceStatus.append(Self.deviceCodes[row.deviceStatus] ?? 0)
        compliance.append(verdictCode(row.compliance))
        lastSeen.append(row.lastSeen?.timeIntervalSinceReferenceDate ?? .nan)
        enrolledAt.append(row.enrolledAt?.timeIntervalSinceReferenceDate ?? .nan)
        archivedAt.append(row.archivedAt?.timeIntervalSinceReferenceDate ?? .nan)
        type.append(row.type)
        category.append(row.category)
        osPlatform.append(row.osPlatform)
        source.append(row.source)

        precondition(text.count < Int(UInt32.max), "a device list's text outgrew 4 GiB")
        textStart.append(UInt32(text.count))
        var flag: UInt8 = row.rented ? Flag.rented : 0
        var bits: UInt8 = 0
        appendText(row.name, .name, &flag, &bits)
        appendText(row.serialNumber, .serial, &flag, &bits)
        appendText(row.label, .label, &flag, &bits)
        appendText(row.hwid, .hwid, &flag, &bits)
        var present: UInt32 = 0
        text.withUnsafeBufferPointer { buffer in
            for byte in buffer[Int(textStart[textStart.count - 1])...] {
                present |= Self.characterBit(byte)
            }
        }
        characters.append(present)
        appendText(row.macList, .macs, &flag, &bits)
        appendText(row.externalID, .externalID, &flag, &bits)
        if bits >= 0x80 { flag |= Flag.nonASCII }
        flags.append(flag)
    }

    /// Adds a field to the arena and its length; `bits` gathers its bytes (ORed) to tell
    /// whether any is past ASCII.
    private mutating func appendText(
        _ value: String?, _ field: TextField, _ flag: inout UInt8, _ bits: inout UInt8
    ) {
        guard let value else {
            flag |= Flag.missing(field)
            lengths.append(0)
            text.append(0)
            return
        }
        let before = text.count
        text.append(contentsOf: value.utf8)
        let count = text.count - before
        text.withUnsafeBufferPointer { buffer in
            for byte in buffer[before...] { bits |= byte }
        }
        text.append(0)
        if count >= Int(Self.longLength) {
            longLengths[lengths.count] = count
            lengths.append(Self.longLength)
        } else {
            lengths.append(UInt8(count))
        }
    }

    /// The bit of ``characters`` a byte sets, ASCII case folded: a letter and `-` have one
    /// of their own; digits share four bits (`0`, `4` and `8` one of them); every other byte
    /// sets the last bit, except NUL, which sets none (it only ends a field).
    @inline(__always)
    static func characterBit(_ byte: UInt8) -> UInt32 {
        let folded = TextMatch.fold(byte)
        if folded &- 0x61 < 26 { return 1 << UInt32(folded &- 0x61) }
        if folded &- 0x30 < 10 { return 1 << (26 + UInt32(folded &- 0x30) % 4) }
        if folded == UInt8(ascii: "-") { return 1 << 30 }
        return folded == 0 ? 0 : 1 << 31
    }

    /// Whether a byte's bit is its own: a one-byte word is then found exactly when the bit is
    /// set.
    static func hasOwnBit(_ byte: UInt8) -> Bool {
        let folded = TextMatch.fold(byte)
        return folded &- 0x61 < 26 || folded == UInt8(ascii: "-")
    }

    private mutating func verdictCode(_ verdict: ComplianceVerdict) -> UInt16 {
        if let code = verdictCodes[verdict] { return code }
        precondition(verdicts.count < Int(UInt16.max), "more compliance verdicts than codes")
        let code = UInt16(verdicts.count)
        verdicts.append(verdict)
        verdictCodes[verdict] = code
        return code
    }

    static let clientCodes = codes(ClientStatus.allCases)
    static let mdmCodes = codes(MDMStatus.allCases)
    static let deviceCodes = codes(DeviceStatus.allCases)

    private static func codes<E: Hashable>(_ cases: [E]) -> [E: UInt8] {
        Dictionary(uniqueKeysWithValues: cases.enumerated().map { ($1, UInt8($0)) })
    }

    // MARK: - Reading

    /// The id of the device at a position: no row is made.
    public func id(at position: Int) -> Int64 { ids[position] }
    public func id(at position: Int32) -> Int64 { ids[Int(position)] }

    /// The position of a device, found by binary search over the ids (rows are in id order).
    public func position(of id: Int64) -> Int? {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// Where a field of a row lies in the arena.
    @inline(__always)
    func fieldRange(_ row: Int, _ field: TextField) -> Range<Int> {
        var start = Int(textStart[row])
        let base = row &* Self.fieldCount
        for f in 0..<field.rawValue { start &+= length(base &+ f) &+ 1 }
        return start..<(start &+ length(base &+ field.rawValue))
    }

    @inline(__always)
    func length(_ index: Int) -> Int {
        let short = lengths[index]
        return short == Self.longLength ? longLengths[index] ?? 0 : Int(short)
    }

    func string(_ row: Int, _ field: TextField) -> String? {
        if flags[row] & Flag.missing(field) != 0 { return nil }
        return String(decoding: text[fieldRange(row, field)], as: UTF8.self)
    }

    static func date(_ seconds: Double) -> Date? {
        seconds.isNaN ? nil : Date(timeIntervalSinceReferenceDate: seconds)
    }

    /// The row at a position of the view (positions are kept as 32-bit numbers).
    public subscript(position: Int32) -> DeviceSummary { self[Int(position)] }
}

extension DeviceRows: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    public subscript(position: Int) -> DeviceSummary {
        let mdm = mdmStatus[position]
        var row = DeviceSummary(
            id: ids[position], name: string(position, .name),
            serialNumber: string(position, .serial), type: type[position],
            category: category[position], osPlatform: osPlatform[position],
            clientStatus: ClientStatus.allCases[Int(clientStatus[position])],
            mdmStatus: mdm == 0 ? nil : MDMStatus.allCases[Int(mdm) - 1],
            deviceStatus: DeviceStatus.allCases[Int(deviceStatus[position])],
            label: string(position, .label), hwid: string(position, .hwid), macAddresses: [],
            lastSeen: Self.date(lastSeen[position]), rented: flags[position] & Flag.rented != 0,
            compliance: verdicts[Int(compliance[position])],
            enrolledAt: Self.date(enrolledAt[position]),
            archivedAt: Self.date(archivedAt[position]))
        row.macList = string(position, .macs) ?? ""
        row.source = source[position]
        row.externalID = string(position, .externalID)
        return row
    }
}

extension DeviceRows: ExpressibleByArrayLiteral {
    public init(arrayLiteral rows: DeviceSummary...) { self.init(rows) }
}

/// A text column whose values devices share (type, category, OS, source): each distinct
/// value once, a 16-bit code a row (0 for nil), or 32 bits once a fleet has more than
/// 65,534 distinct values.
struct InternedColumn: Sendable {
    private(set) var values: [String] = []
    private var lookup: [String: Int] = [:]
    private var narrow: [UInt16] = []
    private var wide: [UInt32] = []

    mutating func reserveCapacity(_ count: Int) {
        if wide.isEmpty { narrow.reserveCapacity(count) } else { wide.reserveCapacity(count) }
    }

    mutating func append(_ value: String?) {
        var code = 0
        if let value {
            if let known = lookup[value] {
                code = known
            } else {
                values.append(value)
                code = values.count
                lookup[value] = code
            }
        }
        if wide.isEmpty && code <= Int(UInt16.max) {
            narrow.append(UInt16(code))
            return
        }
        if wide.isEmpty {
            wide = narrow.map(UInt32.init)
            narrow = []
        }
        precondition(code <= Int(UInt32.max), "more distinct values than codes")
        wide.append(UInt32(code))
    }

    /// The code of a row: 0 for nil, else the value's index in `values` + 1.
    @inline(__always)
    func code(_ row: Int) -> Int { wide.isEmpty ? Int(narrow[row]) : Int(wide[row]) }

    subscript(row: Int) -> String? {
        let code = code(row)
        return code == 0 ? nil : values[code - 1]
    }
}
