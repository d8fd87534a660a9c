import ArgumentParser
import DecomCommandLine
import DecomCore

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo the last archive, or the archive transaction ID.",
        usage: "decom undo [<id>] [--format table|json] [options]",
        discussion: """
            Only archives (soft deletes) can be undone: each device comes back exactly as
            it was, with its sessions. A purge or an unenroll cannot be undone; when the
            last action was one, undo refuses and names the newest archive that can still
            be undone.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The archive transaction to undo (see decom history).") var id: Int64?
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        let store = try common.openStore(.write)
        let record: TransactionRecord
        do {
            record = try DeletionService(store: store).undo(id, actor: try common.actor())
        } catch let error as UndoError {
            // Refused as a whole, as `history 99` is: the command could not run (exit 2).
            throw CLIError(error.description + "; nothing changed")
        }
        try ResultPrinter.transaction(record, format: format)
        if record.items.contains(where: \.outcome.isFailure) { throw PartialFailure() }
    }
}
