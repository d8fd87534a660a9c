/// Whether a theme is made for a dark or a light terminal. It says what `default` is taken to
/// be when contrast is computed: white on black for dark, black on white for light.
public enum ThemeAppearance: String, Sendable, Hashable, CaseIterable {
    case dark, light
}

/// A resolved theme: a style for every role.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [StyleRole: Style]
    /// What the theme assumes the terminal's own colours are (the `assumes:` key).
    public var appearance: ThemeAppearance

    public init(name: String, styles: [StyleRole: Style], appearance: ThemeAppearance = .dark) {
        self.name = name
        self.styles = styles
        self.appearance = appearance
    }

    public func style(_ role: StyleRole) -> Style { styles[role] ?? .plain }

    /// The same theme with colours dropped, for NO_COLOR and terminals without colour:
    /// attributes alone carry the meaning. Where a theme told the row states (cursor, marked,
    /// cursor on marked, archived) or the verdicts (non-compliant, unknown) apart by colour
    /// alone, each gets attributes of its own so they stay distinguishable.
    public var attributesOnly: Theme { attributesOnly(supported: .every) }

    /// ``attributesOnly`` for a terminal that shows only the `supported` attributes (vt100 has
    /// no dim or italic): the others are dropped first, and roles that then look alike get
    /// attributes the terminal has.
    public func attributesOnly(supported: TextAttributes) -> Theme {
        var result = Theme(
            name: name, styles: styles.mapValues { Style(attrs: $0.attrs.intersection(supported)) },
            appearance: appearance)
        for group in Self.distinctGroups {
            var taken: [TextAttributes] = []
            for role in group {
                var attrs = result.style(role).attrs
                if taken.contains(attrs) {
                    let fallback = Self.fallbackAttributes[role] ?? []
                    let candidates = ([fallback] + Self.attributeCombinations).filter {
                        supported.isSuperset(of: $0)
                    }
                    attrs = candidates.first { !taken.contains($0) } ?? attrs
                    result.styles[role] = Style(attrs: attrs)
                }
                taken.append(attrs)
            }
        }
        return result
    }

    /// Roles that must differ from each other without colour, each list with `row` first.
    public static let distinctGroups: [[StyleRole]] = [
        [.row, .cursorRow, .markedRow, .cursorMarkedRow, .archivedRow],
        [.row, .nonCompliant, .unknown],
    ]

    static let fallbackAttributes: [StyleRole: TextAttributes] = [
        .cursorRow: .reverse, .markedRow: .bold, .cursorMarkedRow: [.bold, .reverse],
        .archivedRow: .dim, .nonCompliant: [.bold, .reverse], .unknown: .underline,
    ]

    /// Every set of attributes, fewest first, for when a fallback is taken as well.
    static let attributeCombinations: [TextAttributes] = (0..<32).map {
        TextAttributes(rawValue: UInt8($0))
    }.sorted {
        ($0.rawValue.nonzeroBitCount, $0.rawValue) < ($1.rawValue.nonzeroBitCount, $1.rawValue)
    }
}

extension TextAttributes {
    /// Every attribute a theme can name.
    public static let every: TextAttributes = [.bold, .dim, .italic, .underline, .reverse]
}
