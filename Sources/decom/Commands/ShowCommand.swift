import ArgumentParser
import DecomCore
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything about one device.",
        discussion: """
            KEY is an id (42), ~label, mac:00:0c:29:cd:c7:b2, hwid:… or serial:….
            The JSON is {"data": {...}} with seed 001's field names, plus label,
            mac_addresses, hwid, device_status, last_seen, archived_at, compliance, sessions.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The device's key.") var key: String
    @Option(help: "table or json.") var format: OutputFormat = .table

    func run() throws {
        if format == .csv { throw CLIError("show prints table or json") }
        let parsed: DeviceKey
        switch DeviceKey.parse(key) {
        case .success(let k): parsed = k
        case .failure(let e): throw CLIError("invalid key '\(SafeText.visible(key))': \(e.message)")
        }
        let store = try common.openStore()
        let evaluator = ComplianceEvaluator()
        let found: (Device, [Session], [TransactionRecord])? = try store.read { reader in
            guard let id = try reader.resolve([parsed])[parsed],
                let device = try reader.device(id: id)
            else { return nil }
            return (
                device, try reader.sessions(deviceId: id),
                try reader.transactions(deviceId: id, limit: 5)
            )
        }
        guard let (device, sessions, history) = found else {
            Output.error(
                "not_found: no device has \(parsed.kindName) \(SafeText.visible(parsed.valueText))")
            throw PartialFailure()
        }
        switch format {
        case .json:
            try Output.json(
                ShowDocument(
                    data: DeviceDocument(
                        device: device, compliance: evaluator.verdict(device), sessions: sessions)))
        default:
            Output.write(
                DeviceText.describe(
                    device, sessions: sessions, history: history, evaluator: evaluator))
        }
    }
}

struct ShowDocument: Encodable {
    var data: DeviceDocument
}

/// A device as `show` prints it: the seed's fields and ours, plus compliance and sessions.
struct DeviceDocument: Encodable {
    var device: Device
    var compliance: ComplianceVerdict
    var sessions: [Session]

    enum CodingKeys: String, CodingKey { case compliance, sessions }

    func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(compliance, forKey: .compliance)
        try c.encode(sessions, forKey: .sessions)
    }
}

/// The human-readable description of a device.
enum DeviceText {
    static func describe(
        _ d: Device, sessions: [Session], history: [TransactionRecord],
        evaluator: ComplianceEvaluator
    ) -> String {
        var lines: [(String, String)] = []
        func add(_ label: String, _ value: String?) { lines.append((label, value ?? "—")) }
        func flag(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "unknown" }
        func date(_ d: Date?) -> String { d.map { Output.iso($0) } ?? "—" }
        var out = ""
        func section(_ title: String) {
            flush()
            out += "\n" + title + "\n"
        }
        func flush() {
            let width = lines.map { $0.0.count }.max() ?? 0
            for (label, value) in lines {
                out +=
                    "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + SafeText.visible(value) + "\n"
            }
            lines = []
        }
        out += "Device \(d.id): \(SafeText.visible(d.name ?? "(no name)"))\n"
        section("Identifiers")
        add("id", String(d.id))
        add("label", d.label.map { "~" + $0 })
        add("serial", d.serialNumber)
        add("MAC addresses", d.macAddresses.isEmpty ? nil : d.macAddresses.joined(separator: ", "))
        add("HWID", d.hwid)
        section("Status")
        add("client status", d.clientStatus.rawValue)
        add("device status", d.deviceStatus.rawValue)
        add("archived at", d.archivedAt.map { Output.iso($0) })
        add(
            "last seen",
            d.lastSeen.map { "\(Output.iso($0)) (\(Output.age($0, now: evaluator.now)) ago)" })
        add("type", d.type)
        add("category", d.category)
        add("source", d.source)
        add("rent", d.rent)
        add("tracking number", d.trackingNumber)
        add("comment", d.comment)
        section("Characteristics")
        let c = d.characteristics
        add("os platform", c.osPlatform)
        add("processor", c.processor)
        add("ram", c.ram)
        add("storage", c.storage)
        add("graphic", c.graphic)
        add("screen size", c.screenSize)
        add("resolution", c.resolution)
        add("model year", c.modelYear)
        add("connectivity", c.connectivity)
        add("connection type", c.connectionType?.joined(separator: ", "))
        add("keyboard layout", c.keyboardLayout?.rawValue)
        add("compliance tags", c.compliance?.joined(separator: ", "))
        add("color", c.color)
        add("seats number", c.seatsNumber)
        add("assembly", c.assembly)
        add("has microphone", flag(c.hasMicrophone))
        add("has webcam", flag(c.hasWebcam))
        add("noise cancellation", flag(c.noiseCancellation))
        add("has screen", flag(c.hasScreen))
        add("has stool", flag(c.hasStool))
        add("has video package", flag(c.hasVideoPackage))
        add("has premium tablet", flag(c.hasPremiumTablet))
        section("MDM enrollment")
        if let m = d.mdm {
            add("mdm id", String(m.id))
            add("status", m.status.rawValue)
            add("local name", m.localName)
            add("encrypted", flag(m.isEncrypted))
            add("disk encryption profile", flag(m.diskEncryptionProfileInstalled))
            add("firewall", flag(m.firewallEnabled))
            add("screen lock", flag(m.screenlockEnabled))
            add("OS updates enabled", flag(m.osUpdatesEnabled))
            add("OS updates available", flag(m.osUpdatesAvailable))
            add("compromised", flag(m.isCompromised))
            add("locked", flag(m.isLocked))
            add("lock date", date(m.lockDate))
            add("enrolled", date(m.enrollmentDate))
            add("unenrolled", date(m.unenrollmentDate))
            add("downloaded", date(m.downloadDate))
            add("last seen", date(m.lastSeenDate))
            add("last sync", date(m.lastSyncDate))
        } else {
            add("status", "not enrolled (no MDM row)")
        }
        section("Compliance: \(evaluator.verdict(d).name)")
        for (check, result) in evaluator.results(d.mdm?.posture) {
            add(check.title, result.rawValue)
        }
        section("Sessions (\(sessions.filter(\.isActive).count) active)")
        for s in sessions {
            add(
                s.tokenId,
                "\(s.user), since \(Output.iso(s.createdAt))\(s.isActive ? "" : ", suspended")")
        }
        section("Last transactions")
        for t in history {
            let outcome = t.items.first { $0.deviceId == d.id }?.outcome.rawValue ?? ""
            add(
                "#\(t.id)",
                "\(t.type.rawValue) \(t.status.rawValue) by \(t.user) at \(Output.iso(t.createdAt)) \(outcome)"
            )
        }
        flush()
        return out
    }
}
