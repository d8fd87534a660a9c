/// How many columns a terminal gives each kind of emoji sequence, which terminals disagree on.
///
/// A terminal that follows Unicode's emoji rules (UTS #51: kitty, WezTerm, foot) draws every
/// emoji sequence as one wide glyph, 2 columns; one that adds up `wcwidth` per code point
/// (xterm, VTE) gives `👍🏽` 4 and `👩‍💻` 4; tmux 3.3 joins ZWJ sequences (2) but not skin
/// tones (4) and gives `❤️` 1. The terminal adapter measures each kind once when it opens
/// (``EmojiWidths/Kind/sample``) and `render` draws with the answer, so the columns after a
/// sequence line up with what the terminal really did.
public struct EmojiWidths: Sendable, Hashable {
    /// The kinds of emoji sequence, after UTS #51's definitions.
    public enum Kind: CaseIterable, Sendable, Hashable {
        /// Joined by U+200D: `👩‍💻`.
        case zwj
        /// A skin-tone modifier U+1F3FB–U+1F3FF after a base: `👍🏽`.
        case modifier
        /// Two regional indicators: `🇫🇷`.
        case flag
        /// A digit, `#` or `*`, U+FE0F and U+20E3: `1️⃣`.
        case keycap
        /// A tag sequence: `🏴󠁧󠁢󠁳󠁣󠁴󠁿`.
        case tag
        /// A text-default character with U+FE0F asking for emoji presentation: `❤️`.
        case presentation

        /// The sequence the terminal adapter measures for this kind.
        public var sample: String {
            switch self {
            case .zwj: "\u{1F469}\u{200D}\u{1F4BB}"
            case .modifier: "\u{1F44D}\u{1F3FD}"
            case .flag: "\u{1F1EB}\u{1F1F7}"
            case .keycap: "1\u{FE0F}\u{20E3}"
            case .tag: "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"
            case .presentation: "\u{2764}\u{FE0F}"
            }
        }
    }

    /// How a terminal sizes the sequences of one kind.
    public enum Mode: Sendable, Hashable {
        /// The sum of its code points' widths (``DisplayWidth/of(_:)-(Unicode.Scalar)``).
        case perCodePoint
        /// The same number of columns for every sequence of the kind.
        case columns(Int)
    }

    /// The mode of each kind; a kind not listed is `columns(2)`.
    public var modes: [Kind: Mode]

    public init(modes: [Kind: Mode] = [:]) { self.modes = modes }

    /// Unicode's rule: every emoji sequence is one glyph 2 columns wide.
    public static let unicode = EmojiWidths()
    /// Code point by code point, as xterm does.
    public static let perCodePoint = EmojiWidths(
        modes: Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, Mode.perCodePoint) }))

    /// The modes that explain the widths a terminal gave each kind's sample: when it is the
    /// sum of the sample's code points, the terminal adds up code points.
    public init(measured: [Kind: Int]) {
        var modes: [Kind: Mode] = [:]
        for (kind, width) in measured where width > 0 {
            modes[kind] =
                width == Self.perCodePointWidth(kind.sample) ? .perCodePoint : .columns(width)
        }
        self.init(modes: modes)
    }

    static func perCodePointWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
    }

    /// The columns of a sequence of a kind.
    func width(of character: Character, kind: Kind) -> Int {
        switch modes[kind] ?? .columns(2) {
        case .perCodePoint: Self.perCodePointWidth(String(character))
        case .columns(let n): n
        }
    }

    /// The kind of emoji sequence a grapheme is, or nil for anything else.
    static func kind(of character: Character) -> Kind? {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, scalars.count > 1 else { return nil }
        let v = first.value
        if (0x1F1E6...0x1F1FF).contains(v) { return .flag }
        if scalars.contains(where: { $0.value == 0x20E3 }) { return .keycap }
        guard first.properties.isEmoji else { return nil }
        if scalars.contains(where: { $0.value == 0x200D }) { return .zwj }
        if scalars.contains(where: { (0xE0020...0xE007F).contains($0.value) }) { return .tag }
        if scalars.contains(where: { (0x1F3FB...0x1F3FF).contains($0.value) }) { return .modifier }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return .presentation }
        return nil
    }
}
