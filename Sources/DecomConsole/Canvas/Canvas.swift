/// A grid of styled cells: what `render` produces and the terminal adapter copies to the
/// screen. It knows each character's display width: a character (a whole grapheme cluster:
/// an emoji sequence, a letter and its marks) fills its cell and leaves the next ones, as many
/// as it is wide, as continuations (empty text), so columns stay aligned.
public struct Canvas: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        /// One grapheme cluster; empty for the columns after the first of a wide one.
        public var text: String
        public var style: Style

        public init(text: String, style: Style) {
            self.text = text
            self.style = style
        }

        public static let blank = Cell(text: " ", style: .plain)
        public var isContinuation: Bool { text.isEmpty }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should rest (for prompts), or nil to hide it.
    public var cursor: (x: Int, y: Int)? {
        get { cursorPosition.map { ($0.x, $0.y) } }
        set { cursorPosition = newValue.map { Point(x: $0.x, y: $0.y) } }
    }
    private var cursorPosition: Point?

    struct Point: Sendable, Hashable {
        var x: Int
        var y: Int
    }

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(text: " ", style: fill), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills a rectangle with blanks of a style.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) {
                self[col, row] = Cell(text: " ", style: style)
            }
        }
    }

    /// Writes text from (x, y), clipped at `maxWidth` columns (and the canvas edge). Text is
    /// written as it is: callers pass device text through `SafeText.visible` or
    /// ``Canvas/fit(_:width:)`` first. Returns the number of columns written.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol, x: Int, y: Int, style: Style, maxWidth: Int? = nil
    ) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        let marked = Style(
            fg: style.fg, bg: style.bg, attrs: style.attrs.symmetricDifference(.reverse))
        var current = style
        for character in text {
            if character == Self.markStartCharacter || character == Self.markEndCharacter {
                current = character == Self.markStartCharacter ? marked : style
                continue
            }
            let style = current
            let w = DisplayWidth.of(character)
            if w == 0 {
                continue
            }
            if col + w > limit { break }
            if col >= 0 {
                // Writing over part of a wide character blanks the rest of it.
                clearOwner(ofContinuationAt: col, y: y)
                self[col, y] = Cell(text: String(character), style: style)
                for extra in 1..<w { self[col + extra, y] = Cell(text: "", style: style) }
                clearContinuations(from: col + w, y: y)
            }
            col += w
        }
        return col - x
    }

    /// Text between `markStart` and `markEnd` is drawn with reverse video toggled: the
    /// stand-ins of invisible characters in a name (`<U+200B>`). Two noncharacters, which
    /// `SafeText` never lets through from device text.
    public static let markStart = String(markStartCharacter)
    public static let markEnd = String(markEndCharacter)
    // Swift refuses noncharacters in literals.
    static let markStartCharacter = Character(Unicode.Scalar(0xFDD0 as UInt32) ?? "\u{FFFD}")
    static let markEndCharacter = Character(Unicode.Scalar(0xFDD1 as UInt32) ?? "\u{FFFD}")

    /// Blanks the character whose continuation is at (x, y), and the continuations before x.
    private mutating func clearOwner(ofContinuationAt x: Int, y: Int) {
        guard self[x, y].isContinuation else { return }
        var owner = x
        while owner > 0, self[owner, y].isContinuation { owner -= 1 }
        for col in owner..<x { self[col, y] = Cell(text: " ", style: self[col, y].style) }
    }

    /// Blanks the continuations from x on, left without their character.
    private mutating func clearContinuations(from x: Int, y: Int) {
        var col = x
        while col < width, self[col, y].isContinuation {
            self[col, y] = Cell(text: " ", style: self[col, y].style)
            col += 1
        }
    }

    /// Text cut to a display width with an ellipsis, then padded with spaces to exactly that
    /// width.
    public static func fit(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let total = DisplayWidth.of(text)
        if total <= width { return text + String(repeating: " ", count: width - total) }
        let room = width - DisplayWidth.of(ellipsis)
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > room { break }
            out.append(character)
            used += w
        }
        return out + ellipsis + String(repeating: " ", count: max(0, room - used))
    }

    /// The canvas as plain text lines (continuations dropped), for snapshots and tests.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for col in 0..<width {
                let cell = self[col, row]
                if !cell.isContinuation { line += cell.text }
            }
            return line
        }
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
            && a.cursorPosition == b.cursorPosition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(cells)
        hasher.combine(cursorPosition)
    }
}
