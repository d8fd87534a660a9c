import DecomCore
import Foundation
import Yams

/// decom's config file, `$XDG_CONFIG_HOME/decom/config.yaml` (default `~/.config`):
///
/// ```yaml
/// theme: solarized-dark   # a theme name or path
/// role: operator          # viewer, operator or admin
/// user: alice
/// db: ~/fleet.sqlite
/// cursor: arrow           # bar (default) or arrow, which redraws less over a slow link
/// columns: [id, name, serial, device_status]   # or "id,name,serial"; the table's default
/// mouse: false            # true (default): clicks and the wheel; false leaves the mouse to
///                         # the terminal's own text selection
/// ```
///
/// Every key is optional. Parsing is pure: text in, settings or problems out.
public struct ConfigFile: Sendable, Hashable {
    public var theme: String?
    public var role: Role?
    public var user: String?
    public var db: String?
    public var cursor: CursorStyle?
    /// The table's default columns (``DeviceColumn``), in order.
    public var columns: [DeviceColumn]?

    /// Whether the console reads the mouse; nil means on.
    public var mouse: Bool?

    public init(
        theme: String? = nil, role: Role? = nil, user: String? = nil, db: String? = nil,
        cursor: CursorStyle? = nil, columns: [DeviceColumn]? = nil,
        mouse: Bool? = nil
    ) {
        self.theme = theme
        self.role = role
        self.user = user
        self.db = db
        self.cursor = cursor
        self.columns = columns
        self.mouse = mouse
    }

    public static let keys = ["theme", "role", "user", "db", "cursor", "columns", "mouse"]

    /// Parses the config file's text; `source` names it in problems. An empty file is an
    /// empty config. Returns every problem found, each with its line.
    public static func parse(text: String, source: String) -> Result<ConfigFile, FileProblems> {
        let root: Node
        switch YAMLInput.compose(text: text, source: source) {
        case .failure(let problems): return .failure(problems)
        case .success(nil): return .success(ConfigFile())
        case .success(let node?): root = node
        }
        if YAMLInput.isNull(root) { return .success(ConfigFile()) }
        var problems: [FileProblem] = []
        func problem(_ node: Node, _ message: String) {
            problems.append(
                FileProblem(
                    source: source, line: YAMLInput.line(of: node),
                    column: YAMLInput.column(of: node),
                    message: message))
        }
        guard case .mapping(let mapping) = root else {
            problem(root, "expected a mapping of settings, found \(YAMLInput.kind(of: root))")
            return .failure(FileProblems(problems))
        }
        var config = ConfigFile()
        for (keyNode, value) in mapping {
            guard let key = YAMLInput.scalarText(keyNode) else {
                problem(keyNode, "expected a key, found \(YAMLInput.kind(of: keyNode))")
                continue
            }
            guard keys.contains(key) else {
                problem(
                    keyNode,
                    "unknown key '\(key)' (expected one of \(keys.joined(separator: ", ")))")
                continue
            }
            if key == "columns" {
                switch Self.columns(value) {
                case .success(let columns): config.columns = columns
                case .failure(let failure): problem(value, failure.message)
                }
                continue
            }
            guard let text = YAMLInput.scalarText(value), !YAMLInput.isNull(value) else {
                let found = YAMLInput.isNull(value) ? "nothing" : YAMLInput.kind(of: value)
                problem(value, "\(key) must be a text value, found \(found)")
                continue
            }
            switch key {
            case "theme": config.theme = text
            case "user": config.user = text
            case "db": config.db = text
            case "cursor":
                if let style = CursorStyle(rawValue: text) {
                    config.cursor = style
                } else {
                    problem(value, "cursor must be bar or arrow, not '\(text)'")
                }
            case "mouse":
                switch text {
                case "true": config.mouse = true
                case "false": config.mouse = false
                default: problem(value, "mouse must be true or false, not '\(text)'")
                }
            default:
                if let role = Role(rawValue: text) {
                    config.role = role
                } else {
                    let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
                    problem(value, "role must be one of \(roles), not '\(text)'")
                }
            }
        }
        return problems.isEmpty ? .success(config) : .failure(FileProblems(problems))
    }

    /// `columns:` as a YAML list of names or one comma-separated text.
    static func columns(_ node: Node) -> Result<[DeviceColumn], ColumnsProblem> {
        let names: [String]
        if case .sequence(let items) = node {
            var texts: [String] = []
            for item in items {
                guard let text = YAMLInput.scalarText(item), !YAMLInput.isNull(item) else {
                    return .failure(
                        ColumnsProblem("columns lists names, found \(YAMLInput.kind(of: item))"))
                }
                texts.append(text)
            }
            names = texts
        } else if let text = YAMLInput.scalarText(node), !YAMLInput.isNull(node) {
            names = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        } else {
            let found = YAMLInput.isNull(node) ? "nothing" : YAMLInput.kind(of: node)
            return .failure(
                ColumnsProblem("columns must be a list of column names, found \(found)"))
        }
        return DeviceColumn.parseList(names).mapError { error in
            let all = DeviceColumn.allCases.map(\.rawValue).joined(separator: ", ")
            return ColumnsProblem("columns: \(error) (columns are \(all))")
        }
    }

    struct ColumnsProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// The config with a leading `~/` of `db` and `theme` replaced by `$HOME` (a shell would
    /// expand it on a command line; in a file nobody does). Without a `HOME`, unchanged.
    public func expandingHome(environment: [String: String]) -> ConfigFile {
        guard let home = environment["HOME"], home.hasPrefix("/") else { return self }
        func expand(_ path: String?) -> String? {
            guard let path else { return nil }
            if path == "~" { return home }
            guard path.hasPrefix("~/") else { return path }
            return Self.trimmedSlash(home) + path.dropFirst()
        }
        var config = self
        config.db = expand(db)
        config.theme = expand(theme)
        return config
    }

    /// decom's config folder: `$XDG_CONFIG_HOME/decom`, or `$HOME/.config/decom` when
    /// `XDG_CONFIG_HOME` is unset, empty or relative (as the XDG spec asks). Nil without either.
    public static func configDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return trimmedSlash(xdg) + "/decom"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return trimmedSlash(home) + "/.config/decom"
        }
        return nil
    }

    /// Where the config file is: `<config folder>/config.yaml`.
    public static func defaultPath(environment: [String: String]) -> String? {
        configDirectory(environment: environment).map { $0 + "/config.yaml" }
    }

    /// Reads and parses the config file at `path`; a missing file is an empty config.
    public static func load(path: String) -> Result<ConfigFile, FileProblems> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(ConfigFile()) }
        switch ThemeCatalog.readText(path: path) {
        case .success(let text):
            return parse(text: text, source: path)
        case .failure(.invalid(let problems)):
            return .failure(problems)
        case .failure(let error):
            return .failure(FileProblems([FileProblem(source: path, line: 1, message: "\(error)")]))
        }
    }

    private static func trimmedSlash(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path == "/" ? "" : String(path)
    }
}
