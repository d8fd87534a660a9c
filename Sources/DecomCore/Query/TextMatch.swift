/// Case-insensitive text comparison for filtering and sorting, without allocating per row.
///
/// A needle is lowercased once, when the query is parsed. Haystacks are compared byte by byte
/// on their UTF-8 view with ASCII case folding; only a haystack that holds non-ASCII text (an
/// accented or CJK name) and did not match on bytes is lowercased in full, so `É` finds `é`.
struct Needle: Sendable, Hashable {
    /// The lowercased text.
    let text: String
    /// Its UTF-8 bytes.
    let bytes: [UInt8]
    /// Whether it could occur in a normalized MAC address (hex digits and colons only).
    let couldBeInMAC: Bool

    init(_ raw: String) {
        self.init(lowercased: raw.lowercased())
    }

    /// A needle from text already lowercased.
    init(lowercased: String) {
        text = lowercased
        bytes = Array(text.utf8)
        couldBeInMAC = bytes.allSatisfy { TextMatch.hexValue($0) != nil || $0 == UInt8(ascii: ":") }
    }

    /// Whether `haystack` contains this needle, ignoring case.
    func isFound(in haystack: String?) -> Bool {
        bytes.withUnsafeBufferPointer { Self.isFound($0, text, in: haystack) }
    }

    /// The same, with the needle's bytes already at hand: a filter takes them out once for
    /// all rows.
    @inline(__always)
    static func isFound(
        _ needle: UnsafeBufferPointer<UInt8>, _ text: String, in haystack: String?
    ) -> Bool {
        guard let haystack else { return false }
        if needle.isEmpty { return true }
        let (found, hasNonASCII) =
            haystack.utf8.withContiguousStorageIfAvailable { TextMatch.search($0, needle) }
            ?? Array(haystack.utf8).withUnsafeBufferPointer { TextMatch.search($0, needle) }
        if found { return true }
        guard hasNonASCII else { return false }
        return haystack.lowercased().contains(text)
    }
}

/// The text matching of the filter language, for a store that selects in its own language
/// and must answer exactly as ``DeviceQuery`` does in memory (SQLite calls these as functions
/// where its own `LIKE` would differ: on non-ASCII text).
public enum QueryText {
    /// Whether `haystack` contains `lowercasedNeedle` ignoring case: ASCII letters fold byte by
    /// byte, and a haystack with non-ASCII text that did not match so is lowercased whole (so
    /// `É` finds `é`).
    public static func contains(_ haystack: String, lowercasedNeedle: String) -> Bool {
        Needle(lowercased: lowercasedNeedle).isFound(in: haystack)
    }

    /// Whether the hex digits `digits` (2 to 12, lower case) occur among the hex digits of a
    /// MAC address (or of one of a `;`-joined list), whatever separates them.
    public static func macHexContains(_ mac: String, digits: String) -> Bool {
        guard let pattern = MACPattern(digits) else { return false }
        return TextMatch.macHexContains(mac, pattern)
    }
}

enum TextMatch {
    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Naive substring search with ASCII folding of the haystack (the needle is lower case);
    /// also tells whether the haystack holds any non-ASCII byte.
    static func search(
        _ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>
    ) -> (found: Bool, hasNonASCII: Bool) {
        let needleCount = needle.count
        guard needleCount > 0 else { return (true, false) }
        let first = needle[0]
        // A lower-case letter matches both cases by setting the 0x20 bit; anything else as is.
        let caseBit: UInt8 = first &- 0x61 < 26 ? 0x20 : 0
        if hay.count >= needleCount {
            for i in 0...(hay.count - needleCount) where hay[i] | caseBit == first {
                var k = 1
                while k < needleCount && fold(hay[i + k]) == needle[k] { k += 1 }
                if k == needleCount { return (true, false) }
            }
        }
        var bits: UInt8 = 0
        for byte in hay { bits |= byte }
        return (false, bits >= 0x80)
    }

    /// The same search as ``search(_:_:)`` (the needle lower case, the haystack folded to
    /// ASCII lower case as it is read), sixteen starts at a time: a row store looks for a word
    /// in a million rows' texts per keystroke. Says only whether it is found.
    ///
    /// `readable` bytes from `hay` may be read (at least `count`): a row's text lies inside an
    /// arena, so the last sixteen bytes of a row are read as one load that runs past its end
    /// (its lanes past the row are ignored) rather than one byte at a time. A start is a
    /// candidate when its first two bytes are the needle's (one for a one-byte needle); only
    /// candidates are compared in full.
    static func containsFolded(
        _ hay: UnsafePointer<UInt8>, _ count: Int, _ needle: UnsafeBufferPointer<UInt8>,
        readable: Int
    ) -> Bool {
        let needleCount = needle.count
        guard needleCount > 0 else { return true }
        guard count >= needleCount, let needleBase = needle.baseAddress else { return false }
        // A lower-case letter matches both cases by setting the 0x20 bit; anything else as is.
        @inline(__always) func caseBit(_ byte: UInt8) -> UInt8 { byte &- 0x61 < 26 ? 0x20 : 0 }
        let first = needleBase[0]
        let firstCase = caseBit(first)
        let secondOffset = needleCount > 1 ? 1 : 0
        let second = needleBase[secondOffset]
        let secondCase = caseBit(second)
        let starts = count - needleCount + 1
        @inline(__always) func matches(at i: Int) -> Bool {
            var k = 1
            while k < needleCount && fold(hay[i &+ k]) == needleBase[k] { k &+= 1 }
            return k == needleCount
        }
        let firstVector = SIMD16<UInt8>(repeating: first)
        let firstCaseVector = SIMD16<UInt8>(repeating: firstCase)
        let secondVector = SIMD16<UInt8>(repeating: second)
        let secondCaseVector = SIMD16<UInt8>(repeating: secondCase)
        let raw = UnsafeRawPointer(hay)
        var i = 0
        // Each load covers sixteen starts; the second byte's load ends one byte further.
        while i < starts && i &+ 16 &+ secondOffset <= readable {
            let a = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let b = raw.loadUnaligned(fromByteOffset: i &+ secondOffset, as: SIMD16<UInt8>.self)
            let hits =
                (a | firstCaseVector) .== firstVector .& ((b | secondCaseVector) .== secondVector)
            var bits = laneBits(hits)
            let left = starts &- i
            if left < 16 { bits &= (1 << UInt32(left)) &- 1 }
            while bits != 0 {
                if matches(at: i &+ bits.trailingZeroBitCount) { return true }
                bits &= bits &- 1
            }
            i &+= 16
        }
        while i < starts {
            if hay[i] | firstCase == first && matches(at: i) { return true }
            i &+= 1
        }
        return false
    }

    /// The lanes of a mask as the low sixteen bits of a number, lane 0 the lowest: each half
    /// of the lanes (0 or 1 a byte) is gathered into one byte by a multiplication.
    @inline(__always)
    static func laneBits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        let ones = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: mask)
        let words = unsafeBitCast(ones, to: SIMD2<UInt64>.self)
        let gather: UInt64 = 0x0102_0408_1020_4080
        let low = (words[0] &* gather) >> 56
        let high = (words[1] &* gather) >> 56
        return UInt32(truncatingIfNeeded: low | high << 8)
    }

    /// Whether any byte is past ASCII.
    static func hasNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var bits: UInt8 = 0
        for byte in bytes { bits |= byte }
        return bits >= 0x80
    }

    /// ``compareIgnoringCase(_:_:)`` on UTF-8 bytes.
    static func compareIgnoringCase(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
    ) -> Int {
        let count = min(a.count, b.count)
        var i = 0
        while i < count {
            let fx = fold(a[i])
            let fy = fold(b[i])
            if fx != fy { return fx < fy ? -1 : 1 }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Compares two strings ignoring ASCII case, byte by byte on UTF-8 (non-ASCII bytes
    /// compare by value): a total order that allocates nothing.
    static func compareIgnoringCase(_ a: String, _ b: String) -> Int {
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                let fx = fold(x)
                let fy = fold(y)
                if fx != fy { return fx < fy ? -1 : 1 }
            }
        }
    }

    /// Whether the hex digits of `pattern` occur among the hex digits of one of the MAC
    /// addresses of a `;`-joined list (each address without its separators), so `000c29`
    /// finds `00:0c:29:cd:c7:b2`.
    static func macHexContains(_ macs: String, _ pattern: MACPattern) -> Bool {
        macs.utf8.withContiguousStorageIfAvailable { macHexContains($0, pattern) }
            ?? Array(macs.utf8).withUnsafeBufferPointer { macHexContains($0, pattern) }
    }

    /// The same on the list's UTF-8 bytes.
    static func macHexContains(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: MACPattern)
        -> Bool
    {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
            if let (value, count) = packHex(bytes[start..<end]), pattern.digits <= count {
                let mask: UInt64 = (1 << UInt64(pattern.digits * 4)) - 1
                for shift in 0...(count - pattern.digits)
                where (value >> UInt64(shift * 4)) & mask == pattern.value {
                    return true
                }
            }
            start = end + 1
        }
        return false
    }

    /// The hex digits of a text as nibbles, skipping other bytes; nil past 15 digits.
    private static func packHex(_ bytes: some Collection<UInt8>) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var count = 0
        for byte in bytes {
            guard let nibble = hexValue(fold(byte)) else { continue }
            guard count < 15 else { return nil }
            value = value << 4 | UInt64(nibble)
            count += 1
        }
        return (value, count)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

/// A run of 2 to 12 hex digits looked for inside MAC addresses, packed as nibbles.
struct MACPattern: Sendable, Hashable {
    var value: UInt64
    var digits: Int

    /// The pattern of a word of hex digits, optionally separated by `:`, `-` or `.` (the
    /// forms ``DeviceKey/normalizeMAC(_:)`` reads), or nil.
    init?(_ word: String) {
        var value: UInt64 = 0
        var digits = 0
        for byte in word.utf8 {
            if let nibble = TextMatch.hexValue(TextMatch.fold(byte)) {
                guard digits < 12 else { return nil }
                value = value << 4 | UInt64(nibble)
                digits += 1
            } else if byte != UInt8(ascii: ":") && byte != UInt8(ascii: "-")
                && byte != UInt8(ascii: ".")
            {
                return nil
            }
        }
        guard digits >= 2 else { return nil }
        self.value = value
        self.digits = digits
    }
}
