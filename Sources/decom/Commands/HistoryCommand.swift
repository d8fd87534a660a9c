import ArgumentParser
import DecomCommandLine
import DecomConsole
import DecomCore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List transactions, newest first, or one transaction's items.",
        usage: "decom history [<id>] [--limit <n>] [--format table|json] [options]")

    @OptionGroup var common: CommonOptions
    @Argument(help: "A transaction to show item by item.") var id: Int64?
    @Option(parsing: .unconditional, help: "How many transactions to list.") var limit: Int = 50
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        if limit < 1 { throw CLIError("--limit must be at least 1") }
        let store = try common.openStore(.read)
        if let id {
            guard let record = try store.read({ try $0.transaction(id: id) }) else {
                throw CLIError("no transaction \(id)")
            }
            if format == .json {
                try Output.json(TransactionEntry(record: record))
            } else {
                Output.write(
                    header(record) + "\n" + ResultPrinter.items(record.items, onlyProblems: false))
            }
            return
        }
        let records = try store.read { try $0.transactions(limit: limit) }
        let me = try common.actor().user
        if format == .json {
            try Output.json(TransactionListDocument(records))
            return
        }
        var t = TextTable([
            .init(title: "ID", maxWidth: 8, rightAligned: true), .init(title: "TYPE", maxWidth: 16),
            .init(title: "STATUS", maxWidth: 10), .init(title: "USER", maxWidth: 22),
            .init(title: "ROLE", maxWidth: 8), .init(title: "CREATED", maxWidth: 20),
            .init(title: "ITEMS", maxWidth: 40), .init(title: "UNDO", maxWidth: 24),
        ])
        for r in records {
            var counts = r.outcomeCounts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
            if let source = r.source { counts += " from \(source)" }
            var undo = ""
            if let by = r.undoneBy { undo = "undone by \(by)" }
            if let of = r.undoes { undo = "undoes \(of)" }
            if r.type == .archive && r.undoneBy == nil && r.status == .success && r.appliedCount > 0
            {
                undo = "undoable"
            }
            t.append([
                String(r.id), r.type.rawValue, r.status.rawValue,
                r.user == me ? "\(r.user) (you)" : r.user,
                r.role.rawValue,
                Output.iso(r.createdAt), counts, undo,
            ])
        }
        Output.write(records.isEmpty ? "No transactions yet.\n" : t.render())
    }

    func header(_ r: TransactionRecord) -> String {
        var text =
            "Transaction \(r.id): \(r.type.rawValue) \(r.status.rawValue) by \(SafeText.visible(r.user)) (\(r.role.rawValue)) at \(Output.iso(r.createdAt))"
        if let e = r.error { text += "\n  error: \(SafeText.visible(e))" }
        if let source = r.source { text += "\n  from: \(SafeText.visible(source))" }
        if let by = r.undoneBy { text += "\n  undone by transaction \(by)" }
        if let of = r.undoes { text += "\n  undoes transaction \(of)" }
        return text + "\n"
    }
}
