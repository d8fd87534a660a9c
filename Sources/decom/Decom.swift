import ArgumentParser
import DecomCore
import Foundation

/// The `decom` command: the console by default, and the scriptable CLI over the same core.
@main
struct Decom: ParsableCommand {
    /// This release, as `decom --version` prints it.
    static let version = "0.6.0"

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
        version: Decom.version,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, SeedCommand.self,
            ListCommand.self, ShowCommand.self, DeleteCommand.self, UndoCommand.self,
            RestoreCommand.self,
            HistoryCommand.self, PurgeCommand.self, ImportCommand.self, ExportCommand.self,
            BackupCommand.self, AuditCommand.self, ThemesCommand.self, ServeSSHCommand.self,
            TokenCommand.self, ServeHTTPCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// Parses and runs, and exits by one rule per code (README, "Exit codes"): 0 done; 1 some
    /// items were not done, each reported (``PartialFailure``); 2 the command was wrong or
    /// could not run and nothing changed: a usage error (swift-argument-parser's own code is
    /// 64), a ``CLIError``, or any other error, a database error after opening included.
    /// Every open store is closed first, its WAL folded into the main file.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            Output.error(error.message)
            exit(2)
        } catch let error as DeletionError {
            Output.error(error.description + "; nothing changed")
            exit(2)
        } catch is PartialFailure {
            exit(1)
        } catch let error as StoreBusy {
            // Nothing changed: 130 (128 + SIGINT, as shells say) when Ctrl-C cancelled a wait
            // for the write lock, else 2 (a database error).
            Output.error("\(error)")
            exit(CLIWaiting.wasInterrupted ? 130 : 2)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(Output.safeMessage(fullMessage(for: error)))
                exit(0)
            }
            // Errors of our own (a database error, say) have the failure code here: they are
            // told as "decom: ...", like a ``CLIError``; the parser's own are told its way.
            let message =
                code == .failure
                ? "decom: " + Output.safeMessage(String(describing: error))
                : Output.safeMessage(fullMessage(for: error))
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            exit(2)
        }
        exit(0)
    }

    /// Closes every store, then exits with `code`.
    static func exit(_ code: Int32) -> Never {
        OpenStores.closeAll()
        Foundation.exit(code)
    }
}
