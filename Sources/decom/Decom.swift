import ArgumentParser
import DecomCore
import Foundation

/// The `decom` command: the console by default, and the scriptable CLI over the same core.
@main
struct Decom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decom",
        abstract: "Browse a device fleet and take devices out of it safely.",
        discussion: """
            Run without a command to open the console on the fleet database.
            Exit codes: 0 everything asked was done; 1 some items were not (each reported);
            2 the command itself was wrong (nothing changed).
            """,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, SeedCommand.self, ListCommand.self,
            ShowCommand.self, DeleteCommand.self, UndoCommand.self, HistoryCommand.self,
            PurgeCommand.self, ImportCommand.self, ExportCommand.self, ThemesCommand.self,
            ServeSSHCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// Parses and runs, mapping every usage error to exit code 2 (swift-argument-parser's own
    /// is 64) with the message on standard error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data(("decom: " + error.message + "\n").utf8))
            Foundation.exit(2)
        } catch let error as DeletionError {
            FileHandle.standardError.write(
                Data(("decom: " + error.description + "; nothing changed\n").utf8))
            Foundation.exit(2)
        } catch is PartialFailure {
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            let mapped = code == .validationFailure ? 2 : code.rawValue
            Foundation.exit(mapped)
        }
    }
}
