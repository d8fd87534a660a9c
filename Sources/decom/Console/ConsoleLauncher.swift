import ArgumentParser
import CursesTerminal
import DecomCommandLine
import DecomConsole
import DecomCore
import Foundation

/// Opens the terminal with the chosen theme and runs the console on a store.
enum ConsoleLauncher {
    /// Returns the signal that ended the console (the caller exits 128 + its number), nil
    /// when the admin quit.
    static func run(
        store: any FleetStore, actor: Actor, databaseName: String, themeFlag: String?,
        common: CommonOptions, lockWait: LockWait, confined: Bool = false
    ) throws -> TerminalInterruption? {
        // The first page is read while the theme loads and the terminal opens.
        let start = ConsoleStart(
            store: store, actor: actor, databaseName: databaseName, lockWait: lockWait,
            confined: confined)
        defer { start.finish() }
        let environment = common.environment
        let catalog = ThemeCatalog.standard(environment: environment)
        let config = try common.config()
        let choice = ThemeSelection.choose(
            flag: themeFlag, environment: environment, config: config)
        let (theme, themeError) = catalog.loadOrDefault(nameOrPath: choice.nameOrPath)
        let screen: CursesScreen
        do {
            screen = try CursesScreen.open(environment: environment, mouse: config.mouse ?? true)
        } catch {
            throw CLIError(
                "the console needs a terminal (\(error)); for scripts use decom list, show and delete"
            )
        }
        defer { screen.shutdown() }
        let colourless = screen.capabilities.colorDepth == .none
        let attributes = screen.supportedAttributes
        func fitted(_ theme: Theme) -> Theme {
            colourless ? theme.attributesOnly(supported: attributes) : theme
        }
        let names = catalog.entries().filter { !$0.isShadowed }.map(\.name)
        // An SSH session's console keeps its history for the session only: the server's
        // state folder is shared by every visitor.
        let historyDirectory =
            confined ? nil : PromptHistoryFile.directory(environment: environment)
        return try runConsole(
            start: start, screen: screen, theme: fitted(theme), themeNames: names,
            cursorStyle: config.cursor ?? .bar, columns: config.columns,
            startupWarning: themeError.map {
                "Theme \(choice.nameOrPath) not loaded, using default: \($0.summary)"
            },
            historyDirectory: historyDirectory, confined: confined,
            themeLoader: { name in
                if confined && ThemeCatalog.isPath(name) {
                    return .failure(ConfinedPathRefused())
                }
                return catalog.load(nameOrPath: name).map(fitted).mapError {
                    OneLineThemeError(error: $0) as any Error
                }
            })
    }
}

extension ConsoleLauncher {
    static let confinedHelp: ArgumentHelp =
        "Refuse console commands that name a file on this machine, such as :theme PATH and :export FILE (decom serve-ssh gives it to every session)."
}

/// `:theme PATH` in a confined console (an SSH session): a visitor gets a console, never
/// the server's files (issue 12). Theme names still work.
struct ConfinedPathRefused: Error, CustomStringConvertible {
    var description: String { "files on the server are refused in this session; give a theme name" }
}

/// A theme that `:theme` could not load, described on one line for the flash: the first
/// problem and how many more (``ThemeLoadError/summary``), never a newline.
struct OneLineThemeError: Error, CustomStringConvertible {
    var error: ThemeLoadError
    var description: String { error.summary }
}
