import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail.",
        subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no audit row or transaction was changed, removed or added by hand.",
        discussion: """
            Every audit row and every transaction carries a SHA-256 hash chained to the one
            before it. This walks both chains and names the first row of each that breaks.
            Exit codes: 0 intact; 1 the chain is broken (the rows are named); 2 the command
            was wrong (no database there). The heads it prints, kept elsewhere, also catch
            a history rewritten with every hash after the change recomputed.
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        let store = try common.openStore(.read)
        let report = try store.verifyAuditChain()
        let heads =
            "audit head \(report.auditHead ?? "none"), transaction head \(report.transactionHead ?? "none")"
        let counted =
            "\(report.auditRows) audit row\(report.auditRows == 1 ? "" : "s"), "
            + "\(report.transactions) transaction\(report.transactions == 1 ? "" : "s")"
        if report.isIntact {
            Output.write("Audit intact: \(counted).\n\(heads)\n")
            return
        }
        var text = "Audit BROKEN (\(counted)):\n"
        for broken in report.breaks { text += "  \(SafeText.visible(broken.description))\n" }
        Output.write(text + heads + "\n")
        throw PartialFailure()
    }
}
