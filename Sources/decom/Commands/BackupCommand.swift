import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomStore
import Foundation

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the fleet database to a file, safely while consoles and writers run.",
        usage: "decom backup <file> [--force] [options]",
        discussion: """
            The copy is one consistent SQLite file (SQLite's VACUUM INTO), the fleet as one
            commit left it. To restore it, stop every decom on the database, then copy the
            file over the database (or point --db at it).
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The file to write.") var file: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func run() throws {
        let store = try common.openStore(.read)
        do {
            try store.backup(to: file, replacing: force)
        } catch let error as StoreError {
            throw CLIError(SafeText.visible(error.description))
        }
        Output.write(
            "Backed up \(SafeText.visible(store.path)) to \(SafeText.visible(file)).\n")
    }
}
