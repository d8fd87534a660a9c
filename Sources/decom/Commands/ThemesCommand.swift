import ArgumentParser
import DecomCommandLine
import DecomConsole
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `decom themes`: list the themes found, preview one, check one.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List, preview and check colour themes.",
        discussion: """
            Themes are YAML files, searched in $XDG_CONFIG_HOME/decom/themes/ (default \
            ~/.config/decom/themes/), then in the Themes/ folder shipped with decom. \
            See Themes/README.md for the format.
            """,
        subcommands: [List.self, Show.self, Check.self],
        defaultSubcommand: List.self)

    /// `decom themes` / `decom themes list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the themes found and where each comes from.")

        func run() throws {
            let catalog = ThemeCatalog.standard()
            let entries = catalog.entries()
            if entries.isEmpty {
                print("no themes found; searched:")
                for folder in catalog.searchPaths {
                    print("  \(folder.path) (\(folder.origin.rawValue))")
                }
                print("decom still runs with its built-in default theme")
                return
            }
            let nameWidth = entries.map(\.name.count).max() ?? 0
            for entry in entries {
                let name = entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                var line = "\(name)  \(entry.origin.rawValue): \(entry.path)"
                if entry.isShadowed {
                    line += "  (hidden by an earlier \(entry.name))"
                } else {
                    line += "  " + Self.summary(of: entry)
                }
                print(line)
            }
        }

        /// The theme's description, or a pointer to `check` when it has problems.
        static func summary(of entry: ThemeCatalog.Entry) -> String {
            guard case .success(let text) = ThemeCatalog.readText(path: entry.path) else {
                return "(cannot be read)"
            }
            switch ThemeFile.parse(text: text, source: entry.path) {
            case .success(let file): return file.description.map { "— \($0)" } ?? ""
            case .failure: return "(has problems: decom themes check \(entry.path))"
            }
        }
    }

    /// `decom themes show NAME`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Preview every role of a theme in its colours.",
            discussion: """
                Colours are drawn with escape sequences when standard output is a terminal \
                and NO_COLOR is not set; otherwise each role's colours and attributes are \
                written out in words.
                """)

        @Argument(help: "A theme name or the path of a theme file.")
        var theme: String

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let catalog = ThemeCatalog.standard(environment: environment)
            let theme: Theme
            switch catalog.load(nameOrPath: self.theme) {
            case .success(let loaded): theme = loaded
            case .failure(let error):
                FileHandle.standardError.write(Data((Output.safeMessage("\(error)") + "\n").utf8))
                throw ExitCode(2)
            }
            let depth = Self.depth(environment: environment, isTerminal: isatty(STDOUT_FILENO) == 1)
            print("\(theme.name) (assumes a \(theme.appearance.rawValue) terminal)")
            let width = StyleRole.allCases.map(\.rawValue.count).max() ?? 0
            for role in StyleRole.allCases {
                let style = theme.style(role)
                let name = role.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let words = Self.words(style)
                let ratio = Contrast.ratio(of: style, appearance: theme.appearance)
                let contrast = String(format: "%.1f:1", ratio)
                if let depth {
                    let sample = Self.sgr(style, depth: depth) + " Sample text 123 " + "\u{1b}[0m"
                    print("\(name)  \(sample)  \(words)  contrast \(contrast)")
                } else {
                    print("\(name)  \(words)  contrast \(contrast)")
                }
            }
        }

        /// The colour depth to preview in, or nil for plain text.
        static func depth(environment: [String: String], isTerminal: Bool) -> ColorDepth? {
            guard isTerminal, environment["NO_COLOR"] == nil else { return nil }
            let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
            if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
            if environment["TERM"]?.contains("256") == true { return .colors256 }
            return .colors16
        }

        static func words(_ style: Style) -> String {
            "fg \(ColorName.text(style.fg)), bg \(ColorName.text(style.bg)), "
                + "attrs \(AttributeName.words(style.attrs))"
        }

        /// The escape sequence that sets `style`, its colours mapped to `depth`.
        static func sgr(_ style: Style, depth: ColorDepth) -> String {
            var codes = ["0"]
            let attributeCodes: [(TextAttributes, String)] = [
                (.bold, "1"), (.dim, "2"), (.italic, "3"), (.underline, "4"), (.reverse, "7"),
            ]
            for (attribute, code) in attributeCodes where style.attrs.contains(attribute) {
                codes.append(code)
            }
            if let fg = ColorMapping.nearest(style.fg, depth: depth) {
                codes.append(colorCode(fg, foreground: true))
            }
            if let bg = ColorMapping.nearest(style.bg, depth: depth) {
                codes.append(colorCode(bg, foreground: false))
            }
            return "\u{1b}[" + codes.joined(separator: ";") + "m"
        }

        static func colorCode(_ color: Color, foreground: Bool) -> String {
            let base = foreground ? 30 : 40
            switch color {
            case .default: return "\(base + 9)"
            case .ansi(let index) where index < 8: return "\(base + Int(index))"
            case .ansi(let index): return "\(base + 60 + Int(index & 7))"
            case .indexed(let index): return "\(base + 8);5;\(index)"
            case .rgb(let r, let g, let b): return "\(base + 8);2;\(r);\(g);\(b)"
            }
        }
    }

    /// `decom themes check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a theme file; print every problem and exit 2 when there is one.")

        @Argument(help: "The theme file to check.")
        var file: String

        func run() throws {
            let path = ThemeCatalog.isPath(file) ? file : "./" + file
            let problems: [String]
            switch ThemeCatalog.readText(path: path) {
            case .failure(let error):
                problems = ["\(error)"]
            case .success(let text):
                switch ThemeFile.parse(text: text, source: file) {
                case .failure(let found):
                    problems = found.problems.map(\.description)
                case .success:
                    // Parses on its own: resolve what it inherits too.
                    switch ThemeCatalog.standard().load(nameOrPath: path) {
                    case .success: problems = []
                    case .failure(.invalid(let found)): problems = found.problems.map(\.description)
                    case .failure(let error): problems = ["\(error)"]
                    }
                }
            }
            if problems.isEmpty {
                print("ok")
                return
            }
            for problem in problems { print(problem) }
            throw ExitCode(2)
        }
    }
}
