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

    init(_ raw: String) {
        text = raw.lowercased()
        bytes = Array(text.utf8)
    }

    /// Whether `haystack` contains this needle, ignoring case.
    @inline(__always)
    func isFound(in haystack: String) -> Bool {
        if bytes.isEmpty { return true }
        let result = haystack.utf8.withContiguousStorageIfAvailable { hay in
            bytes.withUnsafeBufferPointer { TextMatch.search(hay, $0) }
        }
        let (found, hasNonASCII) =
            result
            ?? Array(haystack.utf8).withUnsafeBufferPointer { hay in
                bytes.withUnsafeBufferPointer { TextMatch.search(hay, $0) }
            }
        if found { return true }
        guard hasNonASCII else { return false }
        return haystack.lowercased().contains(text)
    }

    @inline(__always)
    func isFound(in haystack: String?) -> Bool {
        guard let haystack else { return false }
        return isFound(in: haystack)
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
        let hayCount = hay.count
        let needleCount = needle.count
        guard needleCount > 0 else { return (true, false) }
        let first = needle[0]
        var nonASCII = false
        var i = 0
        while i < hayCount {
            let byte = hay[i]
            if byte >= 0x80 { nonASCII = true }
            if fold(byte) == first && hayCount - i >= needleCount {
                var k = 1
                while k < needleCount && fold(hay[i + k]) == needle[k] { k += 1 }
                if k == needleCount { return (true, nonASCII) }
            }
            i += 1
        }
        return (false, nonASCII)
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

    /// Whether the lowercased hex digits `needle` occur in a MAC address's hex digits (the
    /// address without its separators), so `000c29` finds `00:0c:29:cd:c7:b2`.
    static func macHexContains(_ mac: String, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        // Pack at most 16 hex digits as nibbles: a MAC has 12.
        var packed: UInt64 = 0
        var count = 0
        for byte in mac.utf8 {
            guard let nibble = hexValue(fold(byte)) else { continue }
            guard count < 16 else { return false }
            packed = packed << 4 | UInt64(nibble)
            count += 1
        }
        let needleCount = needle.count
        guard needleCount <= count else { return false }
        var wanted: UInt64 = 0
        for byte in needle {
            guard let nibble = hexValue(byte) else { return false }
            wanted = wanted << 4 | UInt64(nibble)
        }
        let mask: UInt64 = needleCount >= 16 ? ~0 : (1 << UInt64(needleCount * 4)) - 1
        for shift in 0...(count - needleCount) {
            if (packed >> UInt64(shift * 4)) & mask == wanted { return true }
        }
        return false
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
