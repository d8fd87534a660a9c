import ArgumentParser
import DecomCommandLine
import DecomConsole
import DecomCore
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List devices that match a query.",
        usage: """
            decom list [<query> ...] [--archived | --all] [--sort <column>] [--desc]
            [--format table|json|csv] [options]
            """,
        discussion: """
            Free words match name, serial, label, MAC and HWID (case-insensitive
            substrings). field:value terms: status, mdm, os, type, category, compliant
            (yes/no/unknown), device_status, label, id, name, serial, mac, hwid, rented
            (yes/no). Terms combine with AND; a '-' before a term negates it; quote values
            with spaces. Commas give a field several values, any of which matches:
            status:available,in_service.

            Dates: seen (last seen), enrolled (MDM enrollment), archived. After > or <
            (or >=, <=), an age counted back from now (m, h, d, w: 90d) or a UTC day
            (2024-01-01):
              seen:>90d    last seen more than 90 days ago
              seen:<7d     seen within the last 7 days
              enrolled:<2024-01-01   enrolled before that day began
              enrolled:2024-01-01    enrolled on that day
              archived:none          no such date (never archived)
            A device without the date matches no comparison: -seen:<90d also finds the
            devices never seen. id takes > < >= <= too: id:>=1000.

            Examples:
              decom list 'seen:>90d compliant:no'
              decom list 'status:in_service -os:windows' --format json
              decom list --archived 'archived:>30d' --sort last_seen
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The query (several words are joined with spaces).")
    var query: [String] = []

    @Flag(help: "Only archived devices.") var archived = false
    @Flag(help: "Active and archived devices.") var all = false

    @Option(help: "table, json or csv.") var format: OutputFormat = .table
    @Option(help: "Sort column: \(SortColumn.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sort: String = "id"
    @Flag(help: "Sort in descending order.") var desc = false

    func run() throws {
        if archived && all { throw CLIError("--archived and --all cannot be used together") }
        let text = query.joined(separator: " ")
        let evaluator = ComplianceEvaluator()
        let parsed: DeviceQuery
        do {
            parsed = try DeviceQuery.parse(text, now: evaluator.now)
        } catch {
            throw CLIError("bad query at character \(error.position + 1): \(error.message)")
        }
        guard let column = SortColumn(name: sort) else {
            throw CLIError(
                "unknown sort column '\(SafeText.visible(sort))': use \(SortColumn.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let scope: ListScope = all ? .all : archived ? .archived : .active
        let store = try common.openStore(.read)
        var selection = DeviceSelection(
            query: parsed, scope: scope, sort: DeviceSort(column: column, ascending: !desc))
        selection.macAddresses = format == .json
        let shown = try store.read { try $0.summaries(selection, evaluator: evaluator) }
        var out = Output.stream()
        switch format {
        case .json:
            DeviceListDocument.stream(shown, into: &out)
            out.write("\n")
        case .csv: csv(shown, into: &out)
        case .table: table(shown, evaluator: evaluator, into: &out)
        }
        out.flush()
    }

    func table(_ rows: [DeviceSummary], evaluator: ComplianceEvaluator, into out: inout ByteStream)
    {
        var t = TextTable([
            .init(title: "ID", maxWidth: 10, rightAligned: true),
            .init(title: "NAME", maxWidth: 28),
            .init(title: "SERIAL", maxWidth: 16), .init(title: "TYPE", maxWidth: 10),
            .init(title: "OS", maxWidth: 12), .init(title: "STATUS", maxWidth: 18),
            .init(title: "MDM", maxWidth: 22), .init(title: "COMPLIANCE", maxWidth: 16),
            .init(title: "SEEN", maxWidth: 6),
        ])
        for r in rows {
            t.append([
                String(r.id), r.name ?? "", r.serialNumber ?? "", r.type ?? "", r.osPlatform ?? "",
                r.clientStatus.rawValue, r.mdmStatus?.rawValue ?? "none",
                ComplianceText.short(r.compliance), Output.age(r.lastSeen, now: evaluator.now),
            ])
        }
        t.write(into: &out)
        out.write("\(rows.count) device\(rows.count == 1 ? "" : "s")\n")
    }

    func csv(_ rows: [DeviceSummary], into out: inout ByteStream) {
        out.write(
            "id,name,serial_number,type,os_platform,client_status,mdm_status,device_status,compliance,failing,last_seen\n"
        )
        for r in rows {
            let fields = [
                String(r.id), r.name ?? "", r.serialNumber ?? "", r.type ?? "", r.osPlatform ?? "",
                r.clientStatus.rawValue, r.mdmStatus?.rawValue ?? "", r.deviceStatus.rawValue,
                r.compliance.name, r.compliance.failing.map(\.rawValue).joined(separator: ";"),
                r.lastSeen.map(ISODate.text) ?? "",
            ]
            out.write(CSVText.row(fields.map { $0.isEmpty ? nil : $0 }))
        }
    }
}

/// Compliance in a few characters for tables.
enum ComplianceText {
    static func short(_ verdict: ComplianceVerdict) -> String {
        switch verdict {
        case .compliant: "compliant"
        case .nonCompliant(let failing): "FAIL (\(failing.count))"
        case .unknown: "unknown"
        }
    }
}
