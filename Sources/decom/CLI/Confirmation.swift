import DecomCommandLine
import DecomCore

/// The guard in front of irreversible changes on the command line: the admin types the
/// number of devices on a terminal; without a terminal `--yes` is required.
enum Confirmation {
    /// Returns normally when the plan may run; throws `CLIError` (exit 2) when it needs
    /// `--yes`, and `PartialFailure` (exit 1) when the admin declined.
    static func require(_ plan: DeletionPlan, yes: Bool) throws {
        let count = plan.allowed.count
        guard plan.mode != .archive, count > 0, !yes else { return }
        guard Output.stdinIsTerminal else {
            throw CLIError(
                "refusing to \(plan.mode.verb) \(count) device\(count == 1 ? "" : "s") without --yes: standard input is not a terminal, so nobody can confirm"
            )
        }
        var warning = "About to \(plan.mode.verb) \(count) device\(count == 1 ? "" : "s")"
        let names = plan.allowed.prefix(5).map { item in
            "\(item.device?.id ?? 0) \(SafeText.revealing(item.device?.name ?? "(no name)"))"
        }
        warning += ":\n  " + names.joined(separator: "\n  ")
        if count > names.count { warning += "\n  and \(count - names.count) more" }
        if plan.mode == .purge {
            warning +=
                "\nTheir sessions (\(plan.sessionsAffected)), MDM enrollments (\(plan.enrollmentsAffected)), characteristics and history are removed."
        } else {
            warning += "\nThe MDM agent is removed from \(count) device\(count == 1 ? "" : "s")."
        }
        if !plan.rejected.isEmpty {
            warning +=
                "\n\(plan.rejected.count) item\(plan.rejected.count == 1 ? " is" : "s are") not part of it (see the result)."
        }
        warning +=
            "\nThis cannot be undone.\nType \(count) to \(plan.mode.verb), anything else to cancel: "
        let answer = Output.ask(warning)?.trimmingCharacters(in: .whitespaces)
        guard answer == String(count) else {
            Output.error("cancelled; nothing changed")
            throw PartialFailure()
        }
    }
}
