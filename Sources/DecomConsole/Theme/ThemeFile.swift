import Foundation
import Yams

/// A problem in a theme file: file, line and what is wrong.
public typealias ThemeProblem = FileProblem

/// Every problem found in one file, for `throws` and `Result`.
public struct FileProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [FileProblem]

    public init(_ problems: [FileProblem]) { self.problems = problems }

    /// One problem a line, `FILE:LINE: problem`.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// One theme file as written, before inheritance: only the roles it names.
///
/// The format (see `Themes/README.md`): `name`, `description`, optional `inherits`, optional
/// `assumes: dark|light`, `palette` (named colours) and `styles`, one entry per role with
/// `fg`, `bg` and `attrs`. A role entry is complete as written: what it leaves out is the
/// terminal's own colour and no attributes. A role the file leaves out comes from the theme it
/// inherits.
public struct ThemeFile: Sendable, Hashable {
    /// Where the text came from, as problems name it.
    public var source: String
    public var name: String?
    public var description: String?
    /// The parent theme's name or path, and the line that names it.
    public var inherits: String?
    public var inheritsLine: Int
    public var assumes: ThemeAppearance?
    public var palette: [String: Color]
    public var styles: [StyleRole: Style]

    public init(
        source: String, name: String? = nil, description: String? = nil, inherits: String? = nil,
        inheritsLine: Int = 1, assumes: ThemeAppearance? = nil, palette: [String: Color] = [:],
        styles: [StyleRole: Style] = [:]
    ) {
        self.source = source
        self.name = name
        self.description = description
        self.inherits = inherits
        self.inheritsLine = inheritsLine
        self.assumes = assumes
        self.palette = palette
        self.styles = styles
    }

    static let topLevelKeys = ["name", "description", "inherits", "assumes", "palette", "styles"]
    static let styleKeys = ["fg", "bg", "attrs"]

    /// Parses a theme file's text. `source` names the file in problems. Returns the file or
    /// every problem found, each with its line.
    public static func parse(text: String, source: String) -> Result<ThemeFile, FileProblems> {
        switch YAMLInput.compose(text: text, source: source) {
        case .failure(let problems):
            return .failure(problems)
        case .success(nil):
            return .failure(
                FileProblems([FileProblem(source: source, line: 1, message: "the file is empty")]))
        case .success(let root?):
            var reader = Reader(source: source, text: text)
            let file = reader.read(root)
            return reader.problems.isEmpty
                ? .success(file) : .failure(FileProblems(reader.problems))
        }
    }

    /// The theme this file makes on top of `base` (its parent, resolved): every role the file
    /// names replaces the parent's.
    public func applied(to base: Theme, name fallbackName: String) -> Theme {
        var theme = base
        theme.name = name ?? fallbackName
        theme.appearance = assumes ?? base.appearance
        for (role, style) in styles { theme.styles[role] = style }
        return theme
    }

    private struct Reader {
        let source: String
        let lines: [Substring]
        var problems: [FileProblem] = []

        init(source: String, text: String) {
            self.source = source
            lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        }

        mutating func problem(_ node: Node, _ message: String) {
            problems.append(
                FileProblem(
                    source: source, line: YAMLInput.line(of: node),
                    column: YAMLInput.column(of: node), message: message))
        }

        mutating func read(_ root: Node) -> ThemeFile {
            var file = ThemeFile(source: source)
            guard case .mapping(let mapping) = root else {
                problem(root, "expected a mapping of theme keys, found \(YAMLInput.kind(of: root))")
                return file
            }
            var stylesNode: Node?
            for (keyNode, value) in mapping {
                guard let key = YAMLInput.scalarText(keyNode) else {
                    problem(keyNode, "expected a key, found \(YAMLInput.kind(of: keyNode))")
                    continue
                }
                switch key {
                case "name":
                    file.name = string(value, key: key)
                case "description":
                    file.description = string(value, key: key)
                case "inherits":
                    file.inherits = string(value, key: key)
                    file.inheritsLine = YAMLInput.line(of: value)
                case "assumes":
                    guard let word = string(value, key: key) else { break }
                    if let appearance = ThemeAppearance(rawValue: word) {
                        file.assumes = appearance
                    } else {
                        problem(value, "assumes must be dark or light, not '\(word)'")
                    }
                case "palette":
                    file.palette = palette(value)
                case "styles":
                    stylesNode = value
                default:
                    problem(
                        keyNode,
                        "unknown key '\(key)' (expected one of \(topLevelKeys.joined(separator: ", ")))"
                    )
                }
            }
            if let stylesNode { file.styles = styles(stylesNode, palette: file.palette) }
            return file
        }

        mutating func string(_ node: Node, key: String) -> String? {
            guard let text = YAMLInput.scalarText(node), !YAMLInput.isNull(node) else {
                problem(node, "\(key) must be a text value, found \(describe(node))")
                return nil
            }
            return text
        }

        func describe(_ node: Node) -> String {
            YAMLInput.isNull(node) ? "nothing" : YAMLInput.kind(of: node)
        }

        mutating func palette(_ node: Node) -> [String: Color] {
            if YAMLInput.isNull(node) { return [:] }
            guard case .mapping(let mapping) = node else {
                problem(
                    node, "palette must be a mapping of names to colours, found \(describe(node))")
                return [:]
            }
            var palette: [String: Color] = [:]
            for (keyNode, value) in mapping {
                guard let name = YAMLInput.scalarText(keyNode) else {
                    problem(keyNode, "expected a colour name, found \(YAMLInput.kind(of: keyNode))")
                    continue
                }
                let lowered = name.lowercased()
                guard !lowered.isEmpty,
                    lowered.allSatisfy({
                        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")
                    })
                else {
                    problem(keyNode, "palette name '\(name)' must be letters, digits, _ or -")
                    continue
                }
                if ColorName.parse(lowered) != nil {
                    problem(keyNode, "palette name '\(name)' is already a colour")
                    continue
                }
                if let color = color(value, palette: [:], what: "palette colour '\(name)'") {
                    palette[lowered] = color
                }
            }
            return palette
        }

        mutating func styles(_ node: Node, palette: [String: Color]) -> [StyleRole: Style] {
            if YAMLInput.isNull(node) { return [:] }
            guard case .mapping(let mapping) = node else {
                problem(node, "styles must be a mapping of roles, found \(describe(node))")
                return [:]
            }
            var styles: [StyleRole: Style] = [:]
            for (keyNode, value) in mapping {
                guard let key = YAMLInput.scalarText(keyNode) else {
                    problem(keyNode, "expected a role, found \(YAMLInput.kind(of: keyNode))")
                    continue
                }
                guard let role = StyleRole(rawValue: key) else {
                    problem(keyNode, "unknown role '\(key)'\(suggestion(for: key))")
                    continue
                }
                if let style = style(value, role: key, palette: palette) { styles[role] = style }
            }
            return styles
        }

        func suggestion(for key: String) -> String {
            let normalized = key.lowercased().replacingOccurrences(of: "-", with: "_")
                .replacingOccurrences(of: " ", with: "_")
            if let role = StyleRole(rawValue: normalized) {
                return " (did you mean \(role.rawValue)?)"
            }
            return " (see Themes/README.md for the roles)"
        }

        mutating func style(_ node: Node, role: String, palette: [String: Color]) -> Style? {
            if YAMLInput.isNull(node) { return Style() }
            guard case .mapping(let mapping) = node else {
                problem(
                    node, "\(role) must be a mapping with fg, bg and attrs, found \(describe(node))"
                )
                return nil
            }
            var style = Style()
            var valid = true
            for (keyNode, value) in mapping {
                let key = YAMLInput.scalarText(keyNode) ?? ""
                switch key {
                case "fg", "bg":
                    guard let color = color(value, palette: palette, what: "\(role) \(key)") else {
                        valid = false
                        continue
                    }
                    if key == "fg" { style.fg = color } else { style.bg = color }
                case "attrs":
                    guard let attrs = attributes(value, role: role) else {
                        valid = false
                        continue
                    }
                    style.attrs = attrs
                default:
                    problem(keyNode, "unknown key '\(key)' in \(role) (expected fg, bg or attrs)")
                    valid = false
                }
            }
            return valid ? style : nil
        }

        mutating func color(_ node: Node, palette: [String: Color], what: String) -> Color? {
            if YAMLInput.isNull(node) {
                let line = YAMLInput.line(of: node)
                let written = line <= lines.count ? lines[line - 1] : ""
                let hint =
                    written.contains("#")
                    ? "; a #rrggbb colour must be quoted (\"#rrggbb\"), or YAML reads it as a comment"
                    : ""
                problem(node, "\(what) has no colour\(hint)")
                return nil
            }
            guard let text = YAMLInput.scalarText(node) else {
                problem(node, "\(what) must be a colour, found \(YAMLInput.kind(of: node))")
                return nil
            }
            if let color = ColorName.parse(text) { return color }
            if let color = palette[text.lowercased()] { return color }
            problem(
                node,
                "unknown colour '\(text)' for \(what) (use default, an ANSI name, 0 to 255, \"#rrggbb\" or a palette name)"
            )
            return nil
        }

        mutating func attributes(_ node: Node, role: String) -> TextAttributes? {
            if YAMLInput.isNull(node) { return [] }
            let items: [Node]
            switch node {
            case .scalar: items = [node]
            case .sequence(let sequence): items = Array(sequence)
            default:
                problem(
                    node, "\(role) attrs must be an attribute or a list, found \(describe(node))")
                return nil
            }
            var attrs: TextAttributes = []
            var valid = true
            for item in items {
                guard let word = YAMLInput.scalarText(item),
                    let attribute = AttributeName.parse(word)
                else {
                    let written =
                        YAMLInput.scalarText(item).map { "'\($0)'" } ?? YAMLInput.kind(of: item)
                    problem(
                        item,
                        "unknown attribute \(written) in \(role) (use bold, dim, italic, underline, reverse)"
                    )
                    valid = false
                    continue
                }
                attrs.insert(attribute)
            }
            return valid ? attrs : nil
        }
    }
}
