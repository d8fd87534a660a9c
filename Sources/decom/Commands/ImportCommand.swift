import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import devices from decom's JSON or CSV, or from a Fleet, Intune or Jamf export.",
        usage: """
            decom import <file> [--from <format>] [--client-status <status>]
            [--allow-purged] [--report-missing] [options]
            """,
        discussion: """
            --from fleet|intune|intune-csv|jamf reads an MDM's export (see the README's
            mapping tables); without --from the format is recognised from the file and
            named.
            JSON: an array of devices in the shape of 'decom show --format json' (its
            "data"), with optional "sessions". CSV: a header row with the same keys, nested
            ones dotted (characteristics.ram, mdm.status), lists joined with ';'.
            Every record is checked first; with any problem nothing is imported and each
            problem is named with its record and field.
            Re-importing an MDM's export is a sync: a device already known (same source and
            id there, else same serial) is updated in place with an audit entry of what
            changed; its client_status and archive are decom's and stay. A record of a
            purged device (its serial, MAC, HWID or id there) is refused unless
            --allow-purged. Nothing is ever deleted: --report-missing lists the source's
            devices the file lacks.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(
        help:
            "The file to import ('-' for standard input); several pages of one MDM's JSON export may be given as several files."
    )
    var files: [String]

    /// The first file, as messages name it.
    var file: String { files.first ?? "-" }
    @Option(
        help: "The file's format: decom, fleet, intune, intune-csv or jamf (default: recognised).")
    var from: String?
    @Option(help: "The client_status of devices from an MDM export (no MDM has one).")
    var clientStatus: String = ClientStatus.inService.rawValue
    @Flag(help: "Import records of purged devices (a tombstone names them) anyway.")
    var allowPurged = false
    @Flag(help: "List the devices of the export's source that the file does not name.")
    var reportMissing = false

    func run() throws {
        let actor = try common.actor()
        var format: ImportFormat?
        if let from {
            guard let chosen = ImportFormat(rawValue: from) else {
                let known = ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(
                    "unknown import format '\(SafeText.visible(from))': use one of \(known)")
            }
            format = chosen
        }
        guard let status = ClientStatus(rawValue: clientStatus) else {
            let known = ClientStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(
                "unknown client status '\(SafeText.visible(clientStatus))': use one of \(known)")
        }
        if files.isEmpty {
            throw ValidationError("name the file to import ('-' for standard input)")
        }
        // The file's name (without its folder), or "standard input"; several: the first's and
        // how many more.
        var source = file == "-" ? "standard input" : URL(fileURLWithPath: file).lastPathComponent
        if files.count > 1 { source += " and \(files.count - 1) more" }
        if let refusal = DeviceIntake(source: .file(source), actor: actor).refusal {
            throw CLIError(refusal.description)
        }
        var data = Data()
        for (index, name) in files.enumerated() {
            let read: Data
            if name == "-" {
                guard files.count == 1 else {
                    throw ValidationError("'-' (standard input) is the only file or none")
                }
                read = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: name) else {
                    throw CLIError("cannot read \(SafeText.visible(name))")
                }
                read = contents
            }
            if files.count > 1 {
                // Several files are the pages of one MDM's JSON export, read one after another
                // as concatenated pages are (decom's own files and CSV are one file each).
                let found = format ?? ImportFormat.detect([UInt8](read))
                guard let found, [.fleet, .intune, .jamf].contains(found) else {
                    throw CLIError(
                        "\(SafeText.visible(name)) is not a page of a Fleet, Intune or Jamf JSON export: several files are one export's pages; import other files one at a time"
                    )
                }
                if format == nil, index > 0,
                    let first = ImportFormat.detect([UInt8](data)), first != found
                {
                    throw CLIError(
                        "\(SafeText.visible(name)) is \(found.title), the files before it \(first.title): several files are one export's pages"
                    )
                }
                data.append(contentsOf: read)
                data.append(0x0A)
            } else {
                data = read
            }
        }
        if format == nil, data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) != nil,
            let found = ImportFormat.detect([UInt8](data)), found != .decom
        {
            format = found
            Output.write("Recognised \(found.title) (--from \(found.rawValue)).\n")
        }
        if reportMissing, format == nil || format == .decom {
            throw ValidationError(
                "--report-missing lists the devices an MDM's export lacks: use it with --from fleet, intune, intune-csv or jamf"
            )
        }
        let store = try common.openStore(.fill)
        let bar = ImportProgress.shows(
            fileBytes: data.count, isTerminal: isatty(STDERR_FILENO) == 1)
        // The bar's line is cleared before anything else is written.
        var drawn = false
        func clearBar() {
            if drawn { FileHandle.standardError.write(Data(ImportProgress.clear.utf8)) }
            drawn = false
        }
        do {
            let result: DeviceIntake.Result
            do {
                defer { clearBar() }
                result = try FleetImport.runRecorded(
                    data, into: store, source: source, actor: actor, format: format,
                    clientStatus: status, allowPurged: allowPurged, reportMissing: reportMissing,
                    progress: bar
                        ? { checked, total in
                            drawn = true
                            FileHandle.standardError.write(
                                Data(ImportProgress.frame(done: checked, total: total).utf8))
                        } : nil)
            }
            let count = result.count + result.updated
            let n = NumberText.grouped
            Output.write(
                "Imported \(n(count)) device\(count == 1 ? "" : "s") into \(store.path) (transaction \(result.transaction)): "
                    + "\(n(result.count)) added, \(n(result.updated)) updated, \(n(result.unchanged)) unchanged, 0 refused.\n"
            )
            if reportMissing {
                Output.write(
                    "\(n(result.missing.count)) device\(result.missing.count == 1 ? "" : "s") of the source missing from the file (not deleted):\n"
                )
                for m in result.missing {
                    Output.write(
                        "  #\(m.deviceId)  \(SafeText.visible(m.name ?? "(no name)"))  id \(SafeText.visible(m.externalID))\(m.isArchived ? "  (archived)" : "")\n"
                    )
                }
            }
        } catch let failure as FleetImport.Failure {
            let lines = failure.lines(escape: SafeText.visible, limit: 20)
            throw CLIError(
                "\(SafeText.visible(file)): " + lines.joined(separator: "\n")
                    + "\n0 added, 0 updated, 0 unchanged, \(NumberText.grouped(failure.refused)) refused."
            )
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every device (archived ones included) as JSON or CSV.",
        usage: "decom export [<query> ...] [--format json|csv] [-o <file>] [options]",
        discussion: """
            A query (the language of decom list) exports only the devices it selects,
            archived ones included: decom export 'compliant:no os:windows'.
            JSON imports back into an empty database unchanged, sessions and events
            included.
            CSV is one row a device with every field of the device, its characteristics and
            its MDM enrollment; it leaves out the device's sessions and events, so a CSV
            imported back has none.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "A query: only the devices it selects (several words are joined).")
    var query: [String] = []
    @Option(help: "json or csv.") var format: String = "json"
    @Option(name: .shortAndLong, help: "Write to a file instead of standard output.") var output:
        String?

    func run() throws {
        guard let chosen = FleetExport.Format(rawValue: format) else {
            throw CLIError("unknown export format '\(SafeText.visible(format))': use json or csv")
        }
        let text = query.joined(separator: " ")
        let evaluator = ComplianceEvaluator()
        let parsed: DeviceQuery
        do {
            parsed = try DeviceQuery.parse(text, now: evaluator.now)
        } catch {
            throw CLIError("bad query at character \(error.position + 1): \(error.message)")
        }
        let store = try common.openStore(.read)
        // Only the devices the query selects are read (the database selects them); no query
        // is every device.
        let ids =
            parsed.isEmpty
            ? nil
            : try store.read {
                try $0.selectedIDs(
                    DeviceSelection(query: parsed, scope: .all), evaluator: evaluator)
            }
        let data = try FleetExport.export(from: store, format: chosen, ids: ids).data
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: data) else {
                throw CLIError("cannot write \(SafeText.visible(output))")
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
