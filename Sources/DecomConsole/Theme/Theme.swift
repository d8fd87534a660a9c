/// A resolved theme: a style for every role.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [StyleRole: Style]

    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: StyleRole) -> Style { styles[role] ?? .plain }

    /// The same theme with colours dropped, for NO_COLOR and terminals without colour:
    /// attributes alone carry the meaning.
    public var attributesOnly: Theme {
        Theme(name: name, styles: styles.mapValues { Style(attrs: $0.attrs) })
    }
}
