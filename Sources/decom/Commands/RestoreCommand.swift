import ArgumentParser
import DecomCommandLine
import DecomCore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring archived devices back, each as its archive left it.",
        usage: """
            decom restore [<keys> ...] [--from-file <file>] [--dry-run]
            [--format table|json] [options]
            """,
        discussion: """
            Restores exactly the devices named, whoever archived them, in one
            RESTORE transaction: each gets back the client status and archive date
            it had before the archive that archived it, and its suspended sessions
            (decom undo brings back a whole archive instead). A device purged since
            is reported gone; one archived outside decom (imported or generated
            archived) has no earlier state and stays archived. Operators and admins
            may restore.

            Examples:
              decom restore 3 4              restore two archived devices
              decom list --archived 'archived:<7d' --format json \\
                | jq -r '.data[].id' | decom restore -
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "Device keys, or '-' to read them from standard input.") var keys: [String] = []
    @Option(name: .customLong("from-file"), help: "Read keys from a file.") var fromFile: String?
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun =
        false
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        let inputs = try KeyInputs.collect(arguments: keys, fromFile: fromFile)
        let store = try common.openStore(dryRun ? .read : .write)
        let service = DeletionService(store: store)
        let actor = try common.actor()
        let plan = try service.planRestore(inputs, actor: actor)
        if dryRun {
            let count = plan.allowed.count
            if format == .json {
                try Output.json(
                    DeletionDocument(transaction: nil, dryRun: true, result: plan.previewResults))
            } else {
                Output.write(
                    "Dry run: would restore \(count) device\(count == 1 ? "" : "s"). Nothing changed.\n"
                        + ResultPrinter.items(plan.previewResults, onlyProblems: false))
            }
            if plan.previewResults.contains(where: \.outcome.isFailure) { throw PartialFailure() }
            return
        }
        let record = try service.restore(plan, as: actor)
        try ResultPrinter.transaction(record, format: format)
        if record.items.contains(where: \.outcome.isFailure) { throw PartialFailure() }
    }
}
