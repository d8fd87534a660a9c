import ArgumentParser
import DecomCommandLine
import DecomCore
import Foundation

/// How `delete` takes the devices out.
enum DeleteMode: String, EnumerableFlag {
    case soft, hard, unenroll, archiveUnenroll

    var mode: DeletionMode {
        switch self {
        case .soft: .archive
        case .hard: .purge
        case .unenroll: .unenroll
        case .archiveUnenroll: .archiveAndUnenroll
        }
    }

    static func help(for value: DeleteMode) -> ArgumentHelp? {
        switch value {
        case .soft: "Archive (default): undoable with 'decom undo'."
        case .hard:
            "Purge: remove the devices and all their data; a tombstone is kept. Irreversible."
        case .unenroll: "Remove the MDM agent and keep the record. Irreversible."
        case .archiveUnenroll:
            "Archive and remove the MDM agent in one transaction (seed 004's opt 2); undo restores the record, the agent stays unenrolled."
        }
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Archive, purge or unenroll devices.",
        usage: """
            decom delete [<keys> ...] [--from-file <file>]
            [--soft | --hard | --unenroll | --archive-unenroll]
            [--dry-run] [--yes] [--bulk] [--format table|json] [options]
            """,
        discussion: """
            KEY: 42, ~label, mac:00:0c:29:cd:c7:b2, hwid:12ds44f5gacd52234,
            serial:C02XK1ZZJGH5. '-' reads keys from standard input: one a line, or one
            JSON array in the bulk format ["42", "~front-desk", {"id": 7}].

            Examples:
              decom delete 3 4 5                       archive three devices
              decom delete --dry-run --hard ~kiosk-7   show what a purge would do
              decom delete --hard --bulk --yes 6 7     purge two devices
              decom list compliant:no --format json | jq -r '.data[].id' | decom delete -
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "Device keys, or '-' to read them from standard input.") var keys: [String] = []
    @Flag var mode: DeleteMode = .soft
    @Option(name: .customLong("from-file"), help: "Read keys from a file.") var fromFile: String?
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun =
        false
    @Flag(help: "Do not ask: needed for purge and unenroll without a terminal.") var yes = false
    @Flag(help: "Allow a purge of more than one device.") var bulk = false
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        let inputs = try KeyInputs.collect(arguments: keys, fromFile: fromFile)
        // Said before the database is opened; the core checks it again on the plan.
        // A dry run changes nothing: it may preview a bulk purge without the confirmation.
        if !bulk, !dryRun,
            let refusal = DeletionPolicy.bulkRefusal(mode: mode.mode, count: inputs.count)
        {
            throw CLIError(refusal)
        }
        let store = try common.openStore(dryRun ? .read : .write)
        let service = DeletionService(store: store)
        let actor = try common.actor()
        let plan = try service.plan(inputs, mode: mode.mode, actor: actor)
        if dryRun {
            try ResultPrinter.plan(plan, format: format, bulk: bulk)
            if plan.previewResults.contains(where: \.outcome.isFailure) {
                throw PartialFailure()
            }
            return
        }
        try Confirmation.require(plan, yes: yes)
        let record = try service.execute(plan, as: actor, bulk: bulk)
        try ResultPrinter.transaction(record, format: format)
        if record.items.contains(where: \.outcome.isFailure) { throw PartialFailure() }
    }
}

/// Collects keys from arguments, `-` (standard input) and `--from-file`.
enum KeyInputs {
    static func collect(arguments: [String], fromFile: String?) throws -> [KeyInput] {
        var inputs: [KeyInput] = []
        for argument in arguments {
            if argument == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                inputs += try parseList(data, source: "standard input")
            } else {
                inputs.append(KeyInput(argument))
            }
        }
        if let fromFile {
            guard let data = FileManager.default.contents(atPath: fromFile) else {
                throw CLIError("cannot read key file \(SafeText.visible(fromFile))")
            }
            inputs += try parseList(data, source: fromFile)
        }
        if inputs.isEmpty { throw CLIError("no device keys given (arguments, '-' or --from-file)") }
        return inputs
    }

    static func parseList(_ data: Data, source: String) throws -> [KeyInput] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(SafeText.visible(source)) is not valid UTF-8 text")
        }
        do {
            return try KeyList.parse(text)
        } catch {
            throw CLIError("\(SafeText.visible(source)): \(SafeText.visible(error.message))")
        }
    }
}
