extension DeviceSort {
    /// The positions of `rows` in this order: the order of ``sortedIndices(_:)``, ties by id,
    /// read from the columns.
    ///
    /// Rows are in id order, so a tie broken by id is a tie broken by position. A column
    /// whose values are few (status, MDM, compliance, type, OS) is ranked once per distinct
    /// value, and each row sorts as one 64-bit number, its rank above its position; last seen
    /// sorts as the date's order-keeping bits beside the position; name and serial as their
    /// first 16 folded bytes, with the whole texts compared only when those are equal.
    /// Descending is the exact reverse of ascending.
    public func sortedPositions(_ rows: DeviceRows) -> [Int32] {
        var order: [Int32]
        switch column {
        case .id:
            order = (0..<rows.count).map { Int32(truncatingIfNeeded: $0) }
        case .status:
            let ranks = ClientStatus.allCases.map { Self.statusRank[$0] ?? 0 }
            order = Self.byRank(rows.count) { ranks[Int(rows.clientStatus[$0])] }
        case .mdm:
            // No MDM row sorts after every status.
            let ranks =
                [MDMStatus.allCases.count] + MDMStatus.allCases.map { Self.mdmRank[$0] ?? 0 }
            order = Self.byRank(rows.count) { ranks[Int(rows.mdmStatus[$0])] }
        case .compliance:
            let ranks = rows.verdicts.map(\.severity)
            order = Self.byRank(rows.count) { ranks[Int(rows.compliance[$0])] }
        case .type:
            let ranks = Self.textRanks(rows.type)
            order = Self.byRank(rows.count) { ranks[rows.type.code($0)] }
        case .os:
            let ranks = Self.textRanks(rows.osPlatform)
            order = Self.byRank(rows.count) { ranks[rows.osPlatform.code($0)] }
        case .lastSeen:
            order = Self.byDate(rows.lastSeen)
        case .name:
            order = Self.byText(rows, .name)
        case .serial:
            order = Self.byText(rows, .serial)
        }
        if !ascending { order.reverse() }
        return order
    }

    /// Sorts by a small rank (at most 32 bits), then position.
    private static func byRank(_ count: Int, _ rank: (Int) -> Int) -> [Int32] {
        var keys = (0..<count).map {
            UInt64(UInt32(truncatingIfNeeded: rank($0))) << 32 | UInt64($0)
        }
        keys.sort()
        return keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }

    /// The rank of each code of an interned text column (code 0, nil, last): values in the
    /// order of ``TextMatch/compareIgnoringCase(_:_:)``, equal ones sharing a rank.
    private static func textRanks(_ column: InternedColumn) -> [Int] {
        let values = column.values
        let order = values.indices.sorted {
            TextMatch.compareIgnoringCase(values[$0], values[$1]) < 0
        }
        var ranks = [Int](repeating: 0, count: values.count + 1)
        var rank = 0
        for (i, index) in order.enumerated() {
            if i > 0 && TextMatch.compareIgnoringCase(values[order[i - 1]], values[index]) != 0 {
                rank += 1
            }
            ranks[index + 1] = rank
        }
        ranks[0] = rank + 1
        return ranks
    }

    /// Sorts by a date, never seen (NaN) first, then position.
    private static func byDate(_ dates: [Double]) -> [Int32] {
        struct Key: Comparable {
            var bits: UInt64
            var position: Int32
            static func < (a: Key, b: Key) -> Bool {
                a.bits != b.bits ? a.bits < b.bits : a.position < b.position
            }
        }
        var keys = dates.enumerated().map { position, seconds in
            Key(bits: orderedBits(seconds), position: Int32(truncatingIfNeeded: position))
        }
        keys.sort()
        return keys.map(\.position)
    }

    /// A date's seconds as bits that sort as the numbers do; none (NaN) as minus infinity,
    /// and -0 as 0 (they compare equal).
    private static func orderedBits(_ seconds: Double) -> UInt64 {
        let value = seconds.isNaN ? -Double.infinity : (seconds == 0 ? 0 : seconds)
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Sorts by a text field of the arena as ``compareText`` orders it (missing last).
    private static func byText(_ rows: DeviceRows, _ field: DeviceRows.TextField) -> [Int32] {
        struct Key {
            var high: UInt64
            var low: UInt64
            var position: Int32
            var missing: UInt8
            /// The text's length in bytes (255 stands for more).
            var length: UInt8
        }
        return rows.withContext { context in
            var keys: [Key] = []
            keys.reserveCapacity(rows.count)
            for row in 0..<rows.count {
                var key = Key(
                    high: 0, low: 0, position: Int32(truncatingIfNeeded: row), missing: 0,
                    length: 0)
                if context.flags[row] & DeviceRows.Flag.missing(field) != 0 {
                    key.missing = 1
                } else {
                    let bytes = context.bytes(context.range(row, field))
                    for (i, byte) in bytes.prefix(16).enumerated() {
                        let folded = UInt64(TextMatch.fold(byte))
                        if i < 8 {
                            key.high |= folded << UInt64(56 - 8 * i)
                        } else {
                            key.low |= folded << UInt64(56 - 8 * (i - 8))
                        }
                    }
                    key.length = UInt8(min(bytes.count, Int(UInt8.max)))
                }
                keys.append(key)
            }
            keys.sort { a, b in
                if a.missing != b.missing { return a.missing < b.missing }
                if a.high != b.high { return a.high < b.high }
                if a.low != b.low { return a.low < b.low }
                var result = 0
                if a.missing == 0 {
                    if a.length <= 16 && b.length <= 16 {
                        result = a.length < b.length ? -1 : (a.length > b.length ? 1 : 0)
                    } else {
                        result = TextMatch.compareIgnoringCase(
                            context.bytes(context.range(Int(a.position), field)),
                            context.bytes(context.range(Int(b.position), field)))
                    }
                }
                return result != 0 ? result < 0 : a.position < b.position
            }
            return keys.map(\.position)
        }
    }
}
