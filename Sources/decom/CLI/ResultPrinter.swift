import DecomCommandLine
import DecomConsole
import DecomCore
import Foundation

/// Prints plans and transaction results, as text or as the documented JSON.
enum ResultPrinter {
    /// A dry run's plan. `bulk`: whether the command was given `--bulk`; without it, a plan
    /// that purges more than one device says that the purge itself will need it.
    static func plan(_ plan: DeletionPlan, format: ReportFormat, bulk: Bool) throws {
        if format == .json {
            try Output.json(DeletionDocument(dryRun: plan))
            return
        }
        let allowed = plan.allowed.count
        var text = "Dry run: would \(plan.mode.verb) \(allowed) device\(allowed == 1 ? "" : "s")"
        if plan.mode != .unenroll && plan.sessionsAffected > 0 {
            text +=
                " (\(plan.sessionsAffected) session\(plan.sessionsAffected == 1 ? "" : "s") \(plan.mode == .archive ? "suspended" : "revoked"))"
        }
        if plan.mode == .purge && plan.enrollmentsAffected > 0 {
            text +=
                ", removing \(plan.enrollmentsAffected) MDM enrollment\(plan.enrollmentsAffected == 1 ? "" : "s")"
        }
        text += ". Nothing changed.\n"
        if !bulk && DeletionPolicy.bulkRefusal(mode: plan.mode, count: allowed) != nil {
            text += "The purge itself needs --bulk: it takes \(allowed) devices at once.\n"
        }
        Output.write(text + items(plan.previewResults, onlyProblems: false))
    }

    static func transaction(_ record: TransactionRecord, format: ReportFormat) throws {
        if format == .json {
            try Output.json(DeletionDocument(executed: record))
            return
        }
        Output.write(summary(record) + "\n" + items(record.items, onlyProblems: true))
    }

    /// One line: "Archived 3 devices · 1 not_found (transaction 12). Undo: decom undo".
    static func summary(_ record: TransactionRecord) -> String {
        let applied = record.appliedCount
        let verb: String
        switch record.type {
        case .archive: verb = "Archived"
        case .purge: verb = "Purged"
        case .unenroll: verb = "Unenrolled"
        case .archiveUnenroll: verb = "Archived and unenrolled"
        case .restore: verb = "Restored"
        case .import: verb = "Imported"
        case .seed: verb = "Seeded"
        }
        var parts = [
            applied == 0
                ? "Nothing \(verb.lowercased())"
                : "\(verb) \(applied) device\(applied == 1 ? "" : "s")"
        ]
        for (outcome, count) in record.outcomeCounts where !outcome.isApplied {
            parts.append("\(count) \(outcome.rawValue)")
        }
        var line = parts.joined(separator: " · ")
        if record.id != 0 {
            line +=
                " (transaction \(record.id)\(record.status == .failure ? ", \(record.status.rawValue)" : ""))"
        }
        if record.type == .archive && applied > 0 { line += ". Undo with: decom undo \(record.id)" }
        if record.type == .purge && applied > 0 { line += ". This cannot be undone" }
        return line + "."
    }

    static func items(_ items: [ItemResult], onlyProblems: Bool) -> String {
        let shown = onlyProblems ? items.filter { !$0.outcome.isApplied } : items
        guard !shown.isEmpty else { return "" }
        var t = TextTable([
            .init(title: "KEY", maxWidth: 30), .init(title: "ID", maxWidth: 10, rightAligned: true),
            .init(title: "NAME", maxWidth: 28), .init(title: "OUTCOME", maxWidth: 18),
            .init(title: "REASON", maxWidth: 80),
        ])
        for i in shown {
            t.append([
                SafeText.revealing(i.key), i.deviceId.map(String.init) ?? "",
                SafeText.revealing(i.deviceName ?? ""), i.outcome.rawValue,
                i.reason ?? "",
            ])
        }
        return t.render()
    }
}
