import Dispatch
import Foundation

extension DeviceQuery {
    /// How many rows a filter takes before it splits the work across the cores.
    static let parallelThreshold = 32_768

    /// The positions among `candidates` (positions in `rows`, each at most once) of the rows
    /// that match, in the candidates' order: the rows ``matches(_:)`` keeps of `rows[i]`,
    /// decided on the columns without making a row.
    ///
    /// The query is compiled once against the rows: a value of a shared column (status, type,
    /// OS, compliance…) is tested once per distinct value, with the same code as
    /// ``matches(_:)``, and a free word is one search of the arena per row over name, serial,
    /// label and HWID (and the MAC list when the word could be in one), ASCII case folded as
    /// ``Needle`` folds it; a row with text past ASCII that the search did not find is tried
    /// again as ``Needle`` would, on its lowercased fields; an ASCII row's character bits
    /// (``DeviceRows``) settle a word that needs a character the row lacks, and a one-letter
    /// word, without reading its text. Terms go one after the other over the rows still in
    /// the running. Candidates in id order, or few of them, are read in their own order;
    /// many in another order are read in the arena's order (id order), then put back in the
    /// candidates' order. Many are split across the cores.
    public func matchingPositions(_ rows: DeviceRows, among candidates: [Int32]) -> [Int32] {
        guard !terms.isEmpty, !candidates.isEmpty else { return candidates }
        let compiled = terms.map { RowTerm(test: RowTest($0.test, rows), keep: !$0.negated) }
        let rowCount = rows.count
        let chunks = candidates.count >= Self.parallelThreshold ? Parallel.width : 1

        // Candidates in id order (the id sort, or a few) are read in their own order, which
        // for ascending positions is the arena's.
        // Each part is written in place into the answer, then moved up behind the one before:
        // no list of a part's own is made and copied.
        if candidates.count * 4 < rowCount || Self.isAscending(candidates) {
            return [Int32](unsafeUninitializedCapacity: candidates.count) { answer, count in
                guard let base = answer.baseAddress else { return }
                let kept = candidates.withUnsafeBufferPointer { source in
                    Parallel.map(chunks) { chunk in
                        let range = Parallel.range(chunk, of: chunks, count: candidates.count)
                        guard let from = source.baseAddress else { return 0 }
                        let part = base + range.lowerBound
                        part.initialize(from: from + range.lowerBound, count: range.count)
                        return rows.withContext { context in
                            context.narrow(
                                UnsafeMutableBufferPointer(start: part, count: range.count),
                                compiled)
                        }
                    }
                }
                var total = 0
                for (chunk, part) in kept.enumerated() {
                    let start = Parallel.range(chunk, of: chunks, count: candidates.count)
                        .lowerBound
                    if start != total {
                        (base + total).moveInitialize(from: base + start, count: part)
                    }
                    total += part
                }
                count = total
            }
        }

        let everyRow = candidates.count == rowCount
        var wanted: [Bool] = []
        if !everyRow {
            wanted = [Bool](repeating: false, count: rowCount)
            for position in candidates { wanted[Int(position)] = true }
        }
        let parts = Parallel.map(chunks) { chunk in
            let range = Parallel.range(chunk, of: chunks, count: rowCount)
            var list: [Int32]
            if everyRow {
                list = range.map { Int32(truncatingIfNeeded: $0) }
            } else {
                list = []
                for position in range where wanted[position] {
                    list.append(Int32(truncatingIfNeeded: position))
                }
            }
            let kept = list.withUnsafeMutableBufferPointer { list in
                rows.withContext { context in context.narrow(list, compiled) }
            }
            list.removeLast(list.count - kept)
            return list
        }
        var matched = [Bool](repeating: false, count: rowCount)
        for part in parts {
            for position in part { matched[Int(position)] = true }
        }
        return candidates.filter { matched[Int($0)] }
    }

    /// The positions of every row that matches, in id order.
    public func matchingPositions(_ rows: DeviceRows) -> [Int32] {
        matchingPositions(rows, among: (0..<rows.count).map { Int32(truncatingIfNeeded: $0) })
    }

    private static func isAscending(_ positions: [Int32]) -> Bool {
        positions.withUnsafeBufferPointer { buffer in
            var i = 1
            while i < buffer.count {
                if buffer[i - 1] >= buffer[i] { return false }
                i += 1
            }
            return true
        }
    }
}

/// Work split into chunks run at once on the cores (`DispatchQueue.concurrentPerform`).
enum Parallel {
    /// The cores to use, at most 8.
    static let width = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))

    /// The part `chunk` of `chunks` of `0..<count`.
    static func range(_ chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
        (chunk * count / chunks)..<((chunk + 1) * count / chunks)
    }

    /// The results of `body` for each chunk, in chunk order.
    static func map<T>(_ chunks: Int, _ body: (Int) -> T) -> [T] {
        if chunks == 1 { return [body(0)] }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: chunks)
        results.initialize(repeating: nil, count: chunks)
        defer {
            results.deinitialize(count: chunks)
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body: body, results: results)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                box.results[chunk] = box.body(chunk)
            }
        }
        return (0..<chunks).compactMap { results[$0] }
    }

    /// What the chunks share: each writes only its own result.
    private struct UnsafeSendable<T>: @unchecked Sendable {
        let body: (Int) -> T
        let results: UnsafeMutablePointer<T?>
    }
}

// MARK: - Terms compiled against the rows

/// A term of a query, compiled against one ``DeviceRows``; `keep` is false for a negated term.
struct RowTerm {
    var test: RowTest
    var keep: Bool
}

/// What a term asks of a row, as reads of the columns.
indirect enum RowTest {
    /// A free word: one search over name to HWID (to the MACs when `macs`), then the MACs'
    /// hex digits when the word is a MAC pattern.
    case word(RowNeedle, macs: Bool, hex: MACPattern?)
    /// A substring of one text field.
    case field(DeviceRows.TextField, RowNeedle)
    /// The hex digits of a MAC address.
    case macHex(MACPattern)
    /// A shared column's code, looked up in a table made once per query.
    case code(CodeColumn, [Bool])
    case rented(Bool)
    case id(Int64)
    case idCompared(QueryComparison.Operator, Int64)
    case date(DateColumn, DateTest)
    case never
    case anyOf([RowTest])

    init(_ test: TermTest, _ rows: DeviceRows) {
        switch test {
        case .word(let needle, let hex):
            self = .word(RowNeedle(needle), macs: needle.couldBeInMAC && hex == nil, hex: hex)
        case .status(let status):
            self = .code(
                .clientStatus, ClientStatus.allCases.map { $0 == status })
        case .mdm(let status):
            self = .code(.mdmStatus, [status == nil] + MDMStatus.allCases.map { $0 == status })
        case .deviceStatus(let status):
            self = .code(.deviceStatus, DeviceStatus.allCases.map { $0 == status })
        case .compliant:
            self = .code(
                .compliance,
                rows.verdicts.map { verdict in
                    withUnsafePointer(to: Self.probe(compliance: verdict)) { test.matches($0) }
                })
        case .rented(let rented): self = .rented(rented)
        case .id(let id): self = .id(id)
        case .idCompared(let op, let id): self = .idCompared(op, id)
        case .os(let needle): self = .code(.osPlatform, Self.table(needle, rows.osPlatform))
        case .type(let needle): self = .code(.type, Self.table(needle, rows.type))
        case .category(let needle): self = .code(.category, Self.table(needle, rows.category))
        case .source(let needle): self = .code(.source, Self.table(needle, rows.source))
        case .label(let needle): self = .field(.label, RowNeedle(needle))
        case .name(let needle): self = .field(.name, RowNeedle(needle))
        case .serial(let needle): self = .field(.serial, RowNeedle(needle))
        case .hwid(let needle): self = .field(.hwid, RowNeedle(needle))
        case .externalID(let needle): self = .field(.externalID, RowNeedle(needle))
        case .mac(let needle, let hex):
            if let hex {
                self = .macHex(hex)
            } else if needle.couldBeInMAC {
                self = .field(.macs, RowNeedle(needle))
            } else {
                self = .never
            }
        case .seen(let date): self = .date(.lastSeen, date)
        case .enrolled(let date): self = .date(.enrolledAt, date)
        case .archived(let date): self = .date(.archivedAt, date)
        case .anyOf(let tests): self = .anyOf(tests.map { RowTest($0, rows) })
        }
    }

    /// Whether each value of an interned column has the needle (code 0, nil, never does).
    private static func table(_ needle: Needle, _ column: InternedColumn) -> [Bool] {
        [false] + column.values.map { needle.isFound(in: $0) }
    }

    /// A row that has only a compliance verdict, for the query's own test of it.
    private static func probe(compliance: ComplianceVerdict) -> DeviceSummary {
        DeviceSummary(
            id: 0, name: nil, serialNumber: nil, type: nil, category: nil, osPlatform: nil,
            clientStatus: .available, mdmStatus: nil, deviceStatus: .active, label: nil,
            hwid: nil, macAddresses: [], lastSeen: nil, rented: false, compliance: compliance)
    }
}

/// The shared columns a term reads as codes.
enum CodeColumn {
    case clientStatus, mdmStatus, deviceStatus, compliance, type, category, osPlatform, source
}

enum DateColumn {
    case lastSeen, enrolledAt, archivedAt
}

/// A needle as the row store searches it.
struct RowNeedle {
    let needle: Needle
    /// Whether one search may cover several fields: a needle with no NUL (the byte between
    /// fields) can only be found inside one of them.
    let spansFields: Bool
    /// The ``DeviceRows`` character bits the needle needs (0 when it has a byte past ASCII:
    /// such a needle is never looked up by bits).
    let characters: UInt32
    /// Whether the needle is one byte with a character bit of its own.
    let isOneCharacter: Bool

    init(_ needle: Needle) {
        self.needle = needle
        spansFields = !needle.bytes.isEmpty && !needle.bytes.contains(0)
        if needle.bytes.allSatisfy({ $0 < 0x80 }) {
            characters = needle.bytes.reduce(0) { $0 | DeviceRows.characterBit($1) }
            isOneCharacter = needle.bytes.count == 1 && DeviceRows.hasOwnBit(needle.bytes[0])
        } else {
            characters = 0
            isOneCharacter = false
        }
    }
}

// MARK: - Reading the columns

extension DeviceRows {
    /// Runs `body` with the arena and its offsets at hand.
    func withContext<R>(_ body: (RowContext) -> R) -> R {
        text.withUnsafeBufferPointer { text in
            textStart.withUnsafeBufferPointer { starts in
                lengths.withUnsafeBufferPointer { lengths in
                    flags.withUnsafeBufferPointer { flags in
                        characters.withUnsafeBufferPointer { characters in
                            body(
                                RowContext(
                                    rows: self, text: text, starts: starts, lengths: lengths,
                                    flags: flags, characters: characters))
                        }
                    }
                }
            }
        }
    }
}

/// The columns a filter reads, the hot ones through pointers.
struct RowContext {
    let rows: DeviceRows
    let text: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<UInt32>
    let lengths: UnsafeBufferPointer<UInt8>
    let flags: UnsafeBufferPointer<UInt8>
    let characters: UnsafeBufferPointer<UInt32>

    /// Keeps, at the front of the list and in order, the rows every term keeps; returns how
    /// many.
    func narrow(_ list: UnsafeMutableBufferPointer<Int32>, _ terms: [RowTerm]) -> Int {
        var count = list.count
        for term in terms where count > 0 {
            count = narrow(UnsafeMutableBufferPointer(rebasing: list[0..<count]), term)
        }
        return count
    }

    /// Keeps, at the front of the list and in order, the rows whose result is the term's
    /// `keep`; returns how many.
    func narrow(_ list: UnsafeMutableBufferPointer<Int32>, _ term: RowTerm) -> Int {
        let keep = term.keep
        switch term.test {
        case .word(let needle, let macs, let hex):
            return needle.needle.bytes.withUnsafeBufferPointer { bytes in
                Self.keep(list) { word(Int($0), needle, bytes, macs: macs, hex: hex) == keep }
            }
        case .field(let field, let needle):
            return needle.needle.bytes.withUnsafeBufferPointer { bytes in
                Self.keep(list) { self.field(Int($0), field, needle, bytes) == keep }
            }
        case .code(let column, let table):
            return table.withUnsafeBufferPointer { table in
                Self.keep(list) { table[code(column, Int($0))] == keep }
            }
        default:
            let test = term.test
            return Self.keep(list) { holds(test, Int($0)) == keep }
        }
    }

    /// Moves the rows that pass to the front, in order, and says how many: `removeAll(where:)`
    /// with the test inlined into the loop (a call per row was a third of a keystroke at a
    /// million rows).
    @inline(__always)
    static func keep(_ list: UnsafeMutableBufferPointer<Int32>, where passes: (Int32) -> Bool)
        -> Int
    {
        var kept = 0
        for i in 0..<list.count {
            let row = list[i]
            if passes(row) {
                list[kept] = row
                kept &+= 1
            }
        }
        return kept
    }

    func holds(_ test: RowTest, _ row: Int) -> Bool {
        switch test {
        case .word(let needle, let macs, let hex):
            return needle.needle.bytes.withUnsafeBufferPointer {
                word(row, needle, $0, macs: macs, hex: hex)
            }
        case .field(let field, let needle):
            return needle.needle.bytes.withUnsafeBufferPointer {
                self.field(row, field, needle, $0)
            }
        case .macHex(let pattern): return macHex(row, pattern)
        case .code(let column, let table): return table[code(column, row)]
        case .rented(let rented): return (flags[row] & DeviceRows.Flag.rented != 0) == rented
        case .id(let id): return rows.ids[row] == id
        case .idCompared(let op, let id): return op.holds(rows.ids[row], id)
        case .date(let column, let test):
            let seconds: Double
            switch column {
            case .lastSeen: seconds = rows.lastSeen[row]
            case .enrolledAt: seconds = rows.enrolledAt[row]
            case .archivedAt: seconds = rows.archivedAt[row]
            }
            return test.matches(DeviceRows.date(seconds))
        case .never: return false
        case .anyOf(let tests): return tests.contains { holds($0, row) }
        }
    }

    @inline(__always)
    func code(_ column: CodeColumn, _ row: Int) -> Int {
        switch column {
        case .clientStatus: Int(rows.clientStatus[row])
        case .mdmStatus: Int(rows.mdmStatus[row])
        case .deviceStatus: Int(rows.deviceStatus[row])
        case .compliance: Int(rows.compliance[row])
        case .type: rows.type.code(row)
        case .category: rows.category.code(row)
        case .osPlatform: rows.osPlatform.code(row)
        case .source: rows.source.code(row)
        }
    }

    @inline(__always)
    func length(_ index: Int) -> Int {
        let short = lengths[index]
        return short == DeviceRows.longLength ? rows.longLengths[index] ?? 0 : Int(short)
    }

    /// Where a field of a row lies in the arena.
    @inline(__always)
    func range(_ row: Int, _ field: DeviceRows.TextField) -> Range<Int> {
        var start = Int(starts[row])
        let base = row &* DeviceRows.fieldCount
        for f in 0..<field.rawValue { start &+= length(base &+ f) &+ 1 }
        return start..<(start &+ length(base &+ field.rawValue))
    }

    @inline(__always)
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[range])
    }

    /// ``TermTest/word``: `Needle.isFound` in name, serial, label and HWID, or the MACs.
    @inline(__always)
    func word(
        _ row: Int, _ needle: RowNeedle, _ needleBytes: UnsafeBufferPointer<UInt8>, macs: Bool,
        hex: MACPattern?
    ) -> Bool {
        let flag = flags[row]
        if needle.spansFields {
            // An ASCII row's character bits tell when the word is not in name to HWID (only
            // the MACs are left to search), and find a one-letter word there.
            if flag & DeviceRows.Flag.nonASCII == 0 && needle.characters != 0 {
                if characters[row] & needle.characters != needle.characters {
                    if macs { return field(row, .macs, needle, needleBytes) }
                    if let hex { return macHex(row, hex) }
                    return false
                }
                if needle.isOneCharacter && !macs { return true }
            }
            let start = Int(starts[row])
            let base = row &* DeviceRows.fieldCount
            var end = start
            for f in 0..<(macs ? 5 : 4) { end &+= length(base &+ f) &+ 1 }
            if let hay = text.baseAddress,
                TextMatch.containsFolded(
                    hay + start, end &- start &- 1, needleBytes, readable: text.count &- start)
            {
                return true
            }
            if flag & DeviceRows.Flag.nonASCII != 0 {
                for field in [DeviceRows.TextField.name, .serial, .label, .hwid]
                where lowercasedContains(row, field, needle.needle) {
                    return true
                }
                if macs && !range(row, .macs).isEmpty
                    && lowercasedContains(row, .macs, needle.needle)
                {
                    return true
                }
            }
        } else {
            for f in [DeviceRows.TextField.name, .serial, .label, .hwid]
            where field(row, f, needle, needleBytes) {
                return true
            }
            if macs && field(row, .macs, needle, needleBytes) { return true }
        }
        if let hex { return macHex(row, hex) }
        return false
    }

    /// `Needle.isFound` in one field (nil finds nothing; an empty MAC list neither, as
    /// ``TermTest`` asks).
    @inline(__always)
    func field(
        _ row: Int, _ field: DeviceRows.TextField, _ needle: RowNeedle,
        _ needleBytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        if flags[row] & DeviceRows.Flag.missing(field) != 0 { return false }
        let range = range(row, field)
        if field == .macs && range.isEmpty { return false }
        guard let hay = text.baseAddress else { return needleBytes.isEmpty }
        if TextMatch.containsFolded(
            hay + range.lowerBound, range.count, needleBytes,
            readable: text.count &- range.lowerBound)
        {
            return true
        }
        return flags[row] & DeviceRows.Flag.nonASCII != 0
            && lowercasedContains(row, field, needle.needle)
    }

    /// The fallback of ``Needle``: a field with text past ASCII, lowercased in full.
    func lowercasedContains(_ row: Int, _ field: DeviceRows.TextField, _ needle: Needle) -> Bool {
        if flags[row] & DeviceRows.Flag.missing(field) != 0 { return false }
        let bytes = bytes(range(row, field))
        guard TextMatch.hasNonASCII(bytes) else { return false }
        return String(decoding: bytes, as: UTF8.self).lowercased().contains(needle.text)
    }

    func macHex(_ row: Int, _ pattern: MACPattern) -> Bool {
        let range = range(row, .macs)
        return !range.isEmpty && TextMatch.macHexContains(bytes(range), pattern)
    }
}
