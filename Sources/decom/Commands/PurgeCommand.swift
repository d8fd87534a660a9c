import ArgumentParser
import DecomCommandLine
import DecomCore
import Foundation

struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Purge devices that were archived before a given age (admin only).",
        usage: """
            decom purge --archived-before <age> [--dry-run] [--yes] [--bulk]
            [--format table|json] [options]
            """,
        discussion: """
            Archived devices are kept 30 days by default; this removes the older ones for
            good. The age is at least 1d. Purging more than one device needs --bulk, as for
            decom delete --hard. Every device is checked again when the purge executes: one
            restored or archived again since the plan is reported as changed and kept.
            Example: decom purge --archived-before 30d --bulk --yes
            """)

    @OptionGroup var common: CommonOptions
    @Option(
        name: .customLong("archived-before"), parsing: .unconditional,
        help: "An age: 30d, 2w, 12h, 90m.")
    var archivedBefore: String = "30d"
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun =
        false
    @Flag(help: "Do not ask (needed without a terminal).") var yes = false
    @Flag(help: "Allow a purge of more than one device.") var bulk = false
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        let age: TimeInterval
        do {
            age = try DurationParser.parse(archivedBefore)
        } catch {
            throw CLIError("--archived-before: \(SafeText.visible("\(error)"))")
        }
        if age < DeletionService.minimumRetention {
            throw CLIError(DeletionError.retentionTooShort(age).description)
        }
        let store = try common.openStore(dryRun ? .read : .write)
        let service = DeletionService(store: store)
        let actor = try common.actor()
        let plan = try service.planPurgeOfArchived(olderThan: age, actor: actor)
        if plan.items.isEmpty {
            if format == .json {
                try Output.json(
                    DeletionDocument(transaction: nil, dryRun: dryRun, result: []))
            } else {
                Output.write(
                    "No device was archived before \(archivedBefore) ago; nothing to purge.\n")
            }
            return
        }
        if dryRun {
            try ResultPrinter.plan(plan, format: format, bulk: bulk)
            return
        }
        if !bulk, let refusal = DeletionPolicy.bulkRefusal(mode: .purge, count: plan.allowed.count)
        {
            throw CLIError(refusal + "; nothing changed")
        }
        try Confirmation.require(plan, yes: yes)
        let record = try service.execute(plan, as: actor, bulk: bulk)
        try ResultPrinter.transaction(record, format: format)
        if record.items.contains(where: \.outcome.isFailure) { throw PartialFailure() }
    }
}
