import ArgumentParser
import DecomCommandLine
import DecomConsole
import DecomCore
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything about one device.",
        usage: "decom show <key> [--format table|json] [options]",
        discussion: """
            KEY is an id (42), ~label, mac:00:0c:29:cd:c7:b2, hwid:…, serial:… or ext:…
            (the device's id in the MDM it was imported from; ext:intune:… in one source
            only). The JSON is {"data": {...}} with seed 001's field names, plus label,
            mac_addresses, hwid, device_status, last_seen, archived_at, compliance,
            sessions.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The device's key.") var key: String
    @Option(help: "table or json.") var format: ReportFormat = .table

    func run() throws {
        let parsed: DeviceKey
        switch DeviceKey.parse(key) {
        case .success(let k): parsed = k
        case .failure(let e): throw CLIError("invalid key '\(SafeText.visible(key))': \(e.message)")
        }
        let store = try common.openStore(.read)
        let evaluator = ComplianceEvaluator()
        var purged: Tombstone?
        let found: (Device, [Session], [TransactionRecord], String?, VendorCompliance?)? =
            try store.read {
                reader in
                let matches = try reader.resolve([parsed])[parsed] ?? []
                if matches.isEmpty, case .id(let id) = parsed {
                    purged = try reader.tombstone(deviceId: id)
                }
                if matches.count > 1 {
                    throw CLIError(
                        "\(parsed.kindName) \(SafeText.visible(parsed.valueText)) is ambiguous: it names devices \(matches.map { "#\($0)" }.joined(separator: ", ")); name one by its id"
                    )
                }
                guard let id = matches.first, let device = try reader.device(id: id) else {
                    return nil
                }
                return (
                    device, try reader.sessions(deviceId: id),
                    try reader.transactions(deviceId: id, limit: 5),
                    try reader.externalID(deviceId: id),
                    try reader.vendorCompliance(deviceId: id)
                )
            }
        guard let (device, sessions, history, externalID, vendorCompliance) = found else {
            var message =
                "not_found: no device has \(parsed.kindName) \(SafeText.visible(parsed.valueText))"
            if let purged {
                message +=
                    "; \(SafeText.visible(purged.name ?? "it")) was purged at \(Output.iso(purged.purgedAt)) by \(SafeText.visible(purged.purgedBy)) (transaction \(purged.transaction); decom history \(purged.transaction))"
            }
            Output.error(message)
            throw PartialFailure()
        }
        switch format {
        case .json:
            try Output.json(
                DeviceEnvelope(
                    data: DeviceDocument(
                        device: device, compliance: evaluator.verdict(device), sessions: sessions,
                        externalID: externalID, vendorCompliance: vendorCompliance?.state)))
        case .table:
            Output.write(
                DeviceText.describe(
                    device, sessions: sessions, history: history, evaluator: evaluator,
                    externalID: externalID, vendorCompliance: vendorCompliance))
        }
    }
}

/// The human-readable description of a device: the sections the console's details pane
/// shows, as aligned text, every value made safe for the terminal.
enum DeviceText {
    static func describe(
        _ d: Device, sessions: [Session], history: [TransactionRecord],
        evaluator: ComplianceEvaluator, externalID: String? = nil,
        vendorCompliance: VendorCompliance? = nil
    ) -> String {
        var out = "Device \(d.id): \(SafeText.visible(d.name ?? "(no name)"))\n"
        let sections = DeviceDescription.sections(
            d, sessions: sessions, transactions: history, evaluator: evaluator,
            externalID: externalID, vendorCompliance: vendorCompliance)
        for section in sections {
            out += "\n" + SafeText.visible(section.title) + "\n"
            if section.lines.isEmpty { out += "  none\n" }
            let width = section.lines.map { DisplayWidth.of($0.label) }.max() ?? 0
            for line in section.lines {
                let pad = String(repeating: " ", count: max(0, width - DisplayWidth.of(line.label)))
                out +=
                    "  " + SafeText.visible(line.label) + pad + "  "
                    + SafeText.visible(value(line.value, now: evaluator.now)) + "\n"
            }
        }
        return out
    }

    static func value(_ value: DeviceDescription.Value, now: Date) -> String {
        switch value {
        case .text(let text): return text ?? "—"
        case .flag(let flag): return flag.map { $0 ? "yes" : "no" } ?? "unknown"
        case .date(let date):
            guard let date else { return "—" }
            return "\(Output.iso(date)) (\(Output.age(date, now: now)) ago)"
        case .check(let result): return result.rawValue
        case .session(let s):
            return
                "\(s.isActive ? "active" : "suspended") since \(Output.iso(s.createdAt)), token \(s.tokenId)"
        case .transaction(let record, let outcome):
            return
                "\(record.type.rawValue) \(outcome?.rawValue ?? record.status.rawValue) by \(record.user) at \(Output.iso(record.createdAt))"
                + (record.source.map { " from \($0)" } ?? "")
        }
    }
}
