import DecomCore

/// A plain text table for the terminal (the CLI's `list`, `history`, `token list` and
/// results): columns padded by display width, every cell made safe with `SafeText.visible`
/// (device text never reaches the terminal raw), long cells cut with an ellipsis, no spaces
/// at the end of a line.
///
/// The widths need every row, so the rows are kept; the text is not: ``write(into:)`` writes
/// it line by line into a ``ByteStream``. Cells of printable ASCII, nearly all of a fleet,
/// are measured and padded as bytes; any other goes through `DisplayWidth` and `Canvas.fit`.
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var maxWidth: Int
        public var rightAligned = false

        public init(title: String, maxWidth: Int, rightAligned: Bool = false) {
            self.title = title
            self.maxWidth = maxWidth
            self.rightAligned = rightAligned
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func append(_ cells: [String]) {
        rows.append(cells.map { SafeText.visible($0) })
    }

    /// The whole table as one string (short tables).
    public func render() -> String {
        var stream = ByteStream.collecting()
        write(into: &stream)
        return stream.text
    }

    /// The title line and every row, each ending in a line feed.
    public func write(into stream: inout ByteStream) {
        var widths = columns.map { Self.width($0.title) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = min(max(widths[i], Self.width(cell)), columns[i].maxWidth)
            }
        }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        func write(_ cells: [String]) {
            line.removeAll(keepingCapacity: true)
            for (i, cell) in cells.enumerated() where i < widths.count {
                if i > 0 { line.append(contentsOf: [0x20, 0x20]) }
                append(cell, width: widths[i], rightAligned: columns[i].rightAligned, to: &line)
            }
            Self.trimSpaces(&line)
            line.append(0x0A)
            stream.write(bytes: line)
        }
        write(columns.map(\.title))
        for row in rows { write(row) }
    }

    /// One cell fitted to `width` (cut with an ellipsis, padded with spaces): right-aligned,
    /// its own trailing spaces go too and the padding comes first.
    private func append(_ cell: String, width: Int, rightAligned: Bool, to line: inout [UInt8]) {
        var fitted: [UInt8] = []
        let cellWidth = Self.width(cell)
        if width > 0 && cellWidth <= width {
            fitted.append(contentsOf: cell.utf8)
            fitted.append(contentsOf: repeatElement(0x20, count: width - cellWidth))
        } else {
            fitted.append(contentsOf: Canvas.fit(cell, width: width).utf8)
        }
        guard rightAligned else { return line.append(contentsOf: fitted) }
        Self.trimSpaces(&fitted)
        let trimmedWidth = Self.width(String(decoding: fitted, as: UTF8.self))
        line.append(contentsOf: repeatElement(0x20, count: max(0, width - trimmedWidth)))
        line.append(contentsOf: fitted)
    }

    /// Columns taken by `text`: its byte count when every byte is printable ASCII (one
    /// column each), else `DisplayWidth.of`.
    static func width(_ text: String) -> Int {
        var text = text
        let ascii = text.withUTF8 { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
        return ascii ? text.utf8.count : DisplayWidth.of(text)
    }

    /// Drops the spaces at the end, as whole characters: a space right after a non-ASCII
    /// scalar may belong to its grapheme cluster (after a prepended concatenation mark such as
    /// U+0600), so that case is decided by `Character`s.
    static func trimSpaces(_ bytes: inout [UInt8]) {
        var end = bytes.count
        while end > 0 && bytes[end - 1] == 0x20 { end -= 1 }
        guard end < bytes.count else { return }
        if end > 0 && bytes[end - 1] >= 0x80 {
            let text = String(decoding: bytes, as: UTF8.self)
            let kept = String(text.reversed().drop(while: { $0 == " " }).reversed())
            bytes = Array(kept.utf8)
            return
        }
        bytes.removeSubrange(end...)
    }
}
