import Foundation

/// Why a theme could not be loaded.
public enum ThemeLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No theme file of that name in any folder searched.
    case notFound(name: String, searched: [String])
    /// The file exists (or was named) but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file, or a theme it inherits, has problems; each names its file and line.
    case invalid(FileProblems)

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            let folders = searched.isEmpty ? "no theme folders" : searched.joined(separator: ", ")
            return "no theme named '\(name)' (searched \(folders))"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalid(let problems):
            return problems.description
        }
    }

    /// The first line of ``description``, for a one-line flash message.
    public var summary: String {
        switch self {
        case .invalid(let problems) where problems.problems.count > 1:
            let first = problems.problems.first?.description ?? ""
            return "\(first) (and \(problems.problems.count - 1) more)"
        default:
            return description.split(separator: "\n").first.map(String.init) ?? description
        }
    }
}

/// Where themes are found, and loading them with inheritance resolved.
///
/// Names are looked up in the search folders in order (by default the user's
/// `$XDG_CONFIG_HOME/decom/themes/`, then the shipped `Themes/`); the first `NAME.yaml` (or
/// `NAME.yml`) wins. Anything with a `/` or ending in `.yaml`/`.yml` is a path.
public struct ThemeCatalog: Sendable, Hashable {
    /// Where a folder of themes comes from.
    public enum Origin: String, Sendable, Hashable {
        /// The user's config folder.
        case user
        /// Shipped with the installed binary.
        case installed
        /// Shipped in the source tree the binary was built from.
        case sourceTree = "source tree"
        /// A folder given some other way (tests, callers).
        case custom
        /// A file named by path.
        case path
    }

    public struct Folder: Sendable, Hashable {
        public var path: String
        public var origin: Origin

        public init(path: String, origin: Origin) {
            self.path = path
            self.origin = origin
        }
    }

    /// One theme file found.
    public struct Entry: Sendable, Hashable {
        /// What `--theme` takes: the file name without `.yaml`.
        public var name: String
        public var path: String
        public var origin: Origin
        /// True when a folder earlier in the search order has a theme of the same name.
        public var isShadowed: Bool
    }

    public var searchPaths: [Folder]

    public init(searchPaths: [Folder]) {
        self.searchPaths = searchPaths
    }

    /// The most parents a theme may have, a guard against very long chains.
    public static let maximumInheritanceDepth = 16

    // MARK: Standard folders

    /// The catalog decom uses: the user's folder, then the shipped themes.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = currentExecutablePath()
    ) -> ThemeCatalog {
        ThemeCatalog(
            searchPaths: standardSearchPaths(
                environment: environment, executablePath: executablePath))
    }

    /// `$XDG_CONFIG_HOME/decom/themes` (default `~/.config`), then, of those that exist,
    /// `<bindir>/../share/decom/Themes`, `<bindir>/Themes`, the `Themes/` of the source tree
    /// above the binary, and the `Themes/` of the source tree this file was compiled from.
    public static func standardSearchPaths(
        environment: [String: String], executablePath: String?, sourceFile: String = #filePath
    ) -> [Folder] {
        var folders: [Folder] = []
        if let config = ConfigFile.configDirectory(environment: environment) {
            folders.append(Folder(path: config + "/themes", origin: .user))
        }
        var shipped: [Folder] = []
        if let executablePath {
            let binDir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
                .deletingLastPathComponent()
            let share = binDir.appendingPathComponent("../share/decom/Themes").standardizedFileURL
            shipped.append(Folder(path: share.path, origin: .installed))
            shipped.append(
                Folder(path: binDir.appendingPathComponent("Themes").path, origin: .installed))
            if let root = sourceRoot(above: binDir) {
                shipped.append(Folder(path: root + "/Themes", origin: .sourceTree))
            }
        }
        if let root = sourceRoot(
            above: URL(fileURLWithPath: sourceFile).deletingLastPathComponent())
        {
            shipped.append(Folder(path: root + "/Themes", origin: .sourceTree))
        }
        var seen = Set(folders.map { canonical($0.path) })
        for folder in shipped where isDirectory(folder.path) {
            if seen.insert(canonical(folder.path)).inserted { folders.append(folder) }
        }
        return folders
    }

    /// The first folder at or above `start` that holds `Package.swift` and `Themes/`.
    static func sourceRoot(above start: URL) -> String? {
        var folder = start.standardizedFileURL
        for _ in 0..<64 {
            let path = folder.path
            if FileManager.default.fileExists(atPath: path + "/Package.swift"),
                isDirectory(path + "/Themes")
            {
                return path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
        return nil
    }

    /// The running binary's path (`/proc/self/exe` where there is one).
    public static func currentExecutablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }

    // MARK: Listing

    /// Every theme file found, in search order; a name found again later is shadowed.
    public func entries() -> [Entry] {
        var result: [Entry] = []
        var names = Set<String>()
        for folder in searchPaths {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
            else {
                continue
            }
            for file in files.sorted() {
                guard let name = Self.themeName(fileName: file) else { continue }
                let path = folder.path + "/" + file
                guard !Self.isDirectory(path) else { continue }
                let isShadowed = !names.insert(name).inserted
                result.append(
                    Entry(name: name, path: path, origin: folder.origin, isShadowed: isShadowed))
            }
        }
        return result
    }

    /// The theme file a name stands for, searching the folders from `startIndex` on.
    public func locate(name: String) -> Entry? {
        locate(name: name, from: 0)
    }

    private func locate(name: String, from startIndex: Int) -> Entry? {
        guard startIndex < searchPaths.count else { return nil }
        for folder in searchPaths[startIndex...] {
            for ext in ["yaml", "yml"] {
                let path = "\(folder.path)/\(name).\(ext)"
                if FileManager.default.fileExists(atPath: path), !Self.isDirectory(path) {
                    return Entry(name: name, path: path, origin: folder.origin, isShadowed: false)
                }
            }
        }
        return nil
    }

    static func themeName(fileName: String) -> String? {
        for ext in [".yaml", ".yml"] where fileName.hasSuffix(ext) && fileName.count > ext.count {
            return String(fileName.dropLast(ext.count))
        }
        return nil
    }

    /// True when `--theme` means a file rather than a name.
    public static func isPath(_ nameOrPath: String) -> Bool {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
    }

    // MARK: Loading

    /// Loads a theme by name or path, with every role resolved through inheritance and the
    /// built-in default.
    public func load(nameOrPath: String) -> Result<Theme, ThemeLoadError> {
        let entry: Entry
        if Self.isPath(nameOrPath) {
            let name = Self.themeName(fileName: URL(fileURLWithPath: nameOrPath).lastPathComponent)
            entry = Entry(
                name: name ?? nameOrPath, path: nameOrPath, origin: .path, isShadowed: false)
        } else if nameOrPath.isEmpty {
            return .failure(.notFound(name: nameOrPath, searched: searchPaths.map(\.path)))
        } else if let found = locate(name: nameOrPath) {
            entry = found
        } else {
            return .failure(.notFound(name: nameOrPath, searched: searchPaths.map(\.path)))
        }
        return resolve(entry, chain: [])
    }

    /// Loads a theme, or, when it cannot be loaded, `default` (the user's, else the built-in
    /// one) and the error to show.
    public func loadOrDefault(nameOrPath: String) -> (theme: Theme, error: ThemeLoadError?) {
        switch load(nameOrPath: nameOrPath) {
        case .success(let theme):
            return (theme, nil)
        case .failure(let error):
            if nameOrPath != "default", case .success(let theme) = load(nameOrPath: "default") {
                return (theme, error)
            }
            return (Theme.builtinDefault, error)
        }
    }

    /// Reads a theme file's text, refusing huge files before reading them.
    public static func readText(path: String) -> Result<String, ThemeLoadError> {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > YAMLInput.maximumBytes {
            return .failure(
                .invalid(
                    FileProblems([
                        FileProblem(
                            source: path, line: 1,
                            message: "file is \(size) bytes; the limit is \(YAMLInput.maximumBytes)"
                        )
                    ])))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file"
            return .failure(.unreadable(path: path, reason: reason))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(
                .invalid(
                    FileProblems([FileProblem(source: path, line: 1, message: "not UTF-8 text")])))
        }
        return .success(text)
    }

    private func resolve(_ entry: Entry, chain: [String]) -> Result<Theme, ThemeLoadError> {
        let text: String
        switch Self.readText(path: entry.path) {
        case .success(let read): text = read
        case .failure(let error): return .failure(error)
        }
        if Self.isShippedDefault(text) { return .success(Theme.builtinDefault) }
        let file: ThemeFile
        switch ThemeFile.parse(text: text, source: entry.path) {
        case .success(let parsed): file = parsed
        case .failure(let problems): return .failure(.invalid(problems))
        }
        let chain = chain + [Self.canonical(entry.path)]
        guard let parentName = file.inherits else {
            return .success(file.applied(to: Theme.builtinDefault, name: entry.name))
        }
        func problem(_ message: String) -> Result<Theme, ThemeLoadError> {
            .failure(
                .invalid(
                    FileProblems([
                        FileProblem(source: entry.path, line: file.inheritsLine, message: message)
                    ])))
        }
        guard let parent = parentEntry(named: parentName, child: entry) else {
            return problem("inherits unknown theme '\(parentName)'")
        }
        if let index = chain.firstIndex(of: Self.canonical(parent.path)) {
            let names = (chain[index...] + [Self.canonical(parent.path)]).map {
                Self.themeName(fileName: URL(fileURLWithPath: $0).lastPathComponent) ?? $0
            }
            return problem("inheritance cycle: \(names.joined(separator: " → "))")
        }
        if chain.count > Self.maximumInheritanceDepth {
            return problem("more than \(Self.maximumInheritanceDepth) themes inherit in a row")
        }
        return resolve(parent, chain: chain).map { file.applied(to: $0, name: entry.name) }
    }

    /// The bytes of the shipped `Themes/default.yaml`: their count and FNV-1a 64 digest.
    static let shippedDefault = (count: 1803, digest: 0x6005_6db7_bf55_f4cb as UInt64)

    /// Whether a theme file is the shipped `default.yaml` byte for byte. Such a file resolves
    /// to ``Theme/builtinDefault`` (it names itself `default` and inherits nothing; a test holds
    /// the two together), so it is not parsed again: a first parse costs a millisecond of the
    /// console's first frame, most of it the Swift runtime's first look at the YAML parser's
    /// types (issue 16). Any other file, an edited copy included, is parsed.
    static func isShippedDefault(_ text: String) -> Bool {
        guard text.utf8.count == shippedDefault.count else { return false }
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return digest == shippedDefault.digest
    }

    /// The parent a theme names: a path relative to the theme's folder, or a name. A theme
    /// that inherits its own name (a user's `default.yaml` with `inherits: default`) gets the
    /// one of that name further down the search order.
    private func parentEntry(named parentName: String, child: Entry) -> Entry? {
        if Self.isPath(parentName) {
            let base = URL(fileURLWithPath: child.path).deletingLastPathComponent()
            let path =
                parentName.hasPrefix("/")
                ? parentName : base.appendingPathComponent(parentName).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let name = Self.themeName(fileName: URL(fileURLWithPath: path).lastPathComponent)
            return Entry(name: name ?? parentName, path: path, origin: .path, isShadowed: false)
        }
        if parentName == child.name {
            let childFolder = Self.canonical(
                URL(fileURLWithPath: child.path).deletingLastPathComponent().path)
            if let index = searchPaths.firstIndex(where: { Self.canonical($0.path) == childFolder })
            {
                return locate(name: parentName, from: index + 1)
            }
        }
        return locate(name: parentName)
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

/// Which theme to use: `--theme` beats `DECOM_THEME`, which beats the config file's `theme`,
/// which beats `default`. Empty values count as not set.
public enum ThemeSelection {
    public enum Source: String, Sendable, Hashable {
        case flag = "--theme"
        case environment = "DECOM_THEME"
        case config = "config file"
        case fallback = "default"
    }

    public static func choose(
        flag: String?, environment: [String: String], config: ConfigFile?
    ) -> (nameOrPath: String, source: Source) {
        if let flag, !flag.isEmpty { return (flag, .flag) }
        if let value = environment["DECOM_THEME"], !value.isEmpty { return (value, .environment) }
        if let value = config?.theme, !value.isEmpty { return (value, .config) }
        return ("default", .fallback)
    }
}
