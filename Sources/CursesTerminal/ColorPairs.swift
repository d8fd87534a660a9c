import CNCursesW
import DecomConsole

/// The colour pairs given to ncurses: a cache from a style's (foreground, background), mapped
/// to the terminal's depth, to a pair number. Pair 0 is the terminal's own colours.
struct ColorPairs {
    /// A pair as ncurses numbers its colours: -1 is the terminal's default, and on a
    /// direct-colour terminal a number of 8 or more is packed RGB.
    struct Colors: Hashable {
        var fg: Int32
        var bg: Int32
    }

    let depth: ColorDepth
    /// `COLORS`: 8, 16, 256, or 2^24 for direct colour.
    let colorCount: Int
    /// Whether `use_default_colors()` worked, so that -1 means the terminal's own colour.
    let hasDefaultColors: Bool
    private let capacity: Int
    private var pairs: [Colors: Int32] = [:]
    private var nextPair: Int32 = 1

    init(depth: ColorDepth, colorCount: Int, pairCount: Int, hasDefaultColors: Bool) {
        self.depth = depth
        self.colorCount = colorCount
        self.hasDefaultColors = hasDefaultColors
        capacity = depth == .none ? 0 : max(0, pairCount - 1)
    }

    private var isDirect: Bool { colorCount >= TerminalSetup.directColorCount }

    /// How many more pairs can be made before the cache must start again.
    var room: Int { capacity - pairs.count }

    /// The colours of a style at this terminal's depth, through ``ColorMapping``.
    func colors(of style: Style) -> Colors {
        guard depth != .none else { return Colors(fg: -1, bg: -1) }
        var fg = number(for: style.fg)
        var bg = number(for: style.bg)
        if !hasDefaultColors {
            if fg < 0 { fg = Int32(COLOR_WHITE) }
            if bg < 0 { bg = Int32(COLOR_BLACK) }
        }
        return Colors(fg: fg, bg: bg)
    }

    /// Whether drawing these colours needs no new pair.
    func isCached(_ colors: Colors) -> Bool {
        isDefault(colors) || pairs[colors] != nil
    }

    /// The pair number for these colours, made on first use. When no pair is left it gives
    /// pair 0 (the terminal's own colours); callers check ``room`` first and ``reset()``.
    mutating func pair(for colors: Colors) -> Int32 {
        if isDefault(colors) { return 0 }
        if let pair = pairs[colors] { return pair }
        guard pairs.count < capacity, init_extended_pair(nextPair, colors.fg, colors.bg) == OK
        else { return 0 }
        let pair = nextPair
        pairs[colors] = pair
        nextPair += 1
        return pair
    }

    /// Forgets every pair; numbers are given out again from 1. Cells already on screen keep
    /// the old definitions until they are drawn again, so the caller repaints everything.
    mutating func reset() {
        pairs.removeAll(keepingCapacity: true)
        nextPair = 1
    }

    private func isDefault(_ colors: Colors) -> Bool {
        hasDefaultColors && colors.fg == -1 && colors.bg == -1
    }

    private func number(for color: Color) -> Int32 {
        guard let mapped = ColorMapping.nearest(color, depth: depth) else { return -1 }
        switch mapped {
        case .default:
            return -1
        case .ansi(let index):
            return number(forIndex: index % 16)
        case .indexed(let index):
            return number(forIndex: index)
        case .rgb(let r, let g, let b):
            guard isDirect else { return -1 }
            return packed(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
        }
    }

    private func number(forIndex index: UInt8) -> Int32 {
        if isDirect {
            // Direct-colour terminfo (xterm-direct) keeps 0 to 7 as the ANSI colours.
            return index < 8 ? Int32(index) : packed(XtermPalette.rgb(index: index))
        }
        if Int(index) < colorCount { return Int32(index) }
        // A bright ANSI colour on an 8-colour terminal: its dark half.
        if index >= 8, index < 16, Int(index) - 8 < colorCount { return Int32(index) - 8 }
        return -1
    }

    /// Packed RGB for a direct-colour terminal; values below 8 (near-black blues) would be
    /// read as ANSI colours, so they become 8, which looks the same.
    private func packed(_ rgb: UInt32) -> Int32 {
        Int32(max(rgb, 8))
    }
}
