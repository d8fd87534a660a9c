import ArgumentParser
import DecomCommandLine
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
            2 the command was wrong or could not run (nothing changed); 128+N the console
            ended by signal N; 130 Ctrl-C while waiting for another writer (nothing
            changed).
            """,
        version: CommandMain.version,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, SeedCommand.self,
            ListCommand.self, ShowCommand.self, DeleteCommand.self, UndoCommand.self,
            RestoreCommand.self,
            HistoryCommand.self, PurgeCommand.self, ImportCommand.self, ExportCommand.self,
            BackupCommand.self, AuditCommand.self, ThemesCommand.self, ServeSSHLauncher.self,
            TokenCommand.self, ServeHTTPLauncher.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// Parses and runs, and exits by one rule per code (``CommandMain/run(_:)``).
    static func main() { CommandMain.run(Decom.self, commonOptions: ["--db", "--role", "--user"]) }
}
