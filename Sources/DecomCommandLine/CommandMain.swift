import ArgumentParser
import DecomCore
import DecomStore
import Foundation

/// How `decom` and `decom-server` end: one rule per exit code (README, "Exit codes").
package enum CommandMain {
    /// This release, as `decom --version` and `decom-server --version` print it.
    package static let version = "0.6.0"

    /// Parses the arguments as `root`'s, runs the command and exits: 0 done; 1 some items
    /// were not done, each reported (``PartialFailure``); 2 the command was wrong or could not
    /// run and nothing changed: a usage error (swift-argument-parser's own code is 64), a
    /// ``CLIError``, or any other error, a database error after opening included; 130 Ctrl-C
    /// while waiting for another writer. Every open store is closed first, its WAL folded
    /// into the main file.
    ///
    /// `commonOptions`: the options every command takes (`--db`, `--role`, `--user`), which a
    /// usage error's hint may move after the command's name (``misplacedOptionsHint(_:commonOptions:arguments:)``).
    package static func run(_ root: any ParsableCommand.Type, commonOptions: Set<String> = [])
        -> Never
    {
        do {
            var command = try root.parseAsRoot()
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
            let code = root.exitCode(for: error)
            if code == .success {
                print(Output.safeMessage(root.fullMessage(for: error)))
                exit(0)
            }
            // Errors of our own (a database error, say) have the failure code here: they are
            // told as "decom: ...", like a ``CLIError``; the parser's own are told its way.
            let message =
                code == .failure
                ? "decom: " + Output.safeMessage(String(describing: error))
                : Output.safeMessage(root.fullMessage(for: error))
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            if code != .failure,
                let hint = misplacedOptionsHint(root, commonOptions: commonOptions)
            {
                Output.error(hint)
            }
            exit(2)
        }
        exit(0)
    }

    /// `decom --db fleet.sqlite list`: options before the command are read as the default
    /// command's (the console's), and the command's name as an argument it does not take.
    /// The hint names the order that works: only when every option before the command is one
    /// of `commonOptions`, which every command takes (`decom --theme x list` would be moved to
    /// an order that fails as well); nil otherwise.
    package static func misplacedOptionsHint(
        _ root: any ParsableCommand.Type, commonOptions: Set<String>,
        arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) -> String? {
        guard let first = arguments.first, first.hasPrefix("-") else { return nil }
        let names = Set(root.configuration.subcommands.compactMap { $0.configuration.commandName })
        guard let index = arguments.firstIndex(where: names.contains) else { return nil }
        let leading = arguments[..<index].filter { $0.hasPrefix("-") }
        let optionName = { (argument: String) in String(argument.prefix { $0 != "=" }) }
        guard leading.allSatisfy({ commonOptions.contains(optionName($0)) }) else { return nil }
        let name = root.configuration.commandName ?? "decom"
        let reordered = arguments[index...] + arguments[..<index]
        return "options go after the command: \(name) " + reordered.joined(separator: " ")
    }

    /// Closes every store, then exits with `code`.
    package static func exit(_ code: Int32) -> Never {
        OpenStores.closeAll()
        Foundation.exit(code)
    }
}
