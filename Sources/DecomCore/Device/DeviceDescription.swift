import Foundation

/// Everything about one device, as labelled lines in sections: what `decom show` prints and
/// the console's details pane shows, so both say the same thing in the same order. Values
/// stay typed; each front end formats dates and flags its own way and makes device text safe.
public enum DeviceDescription {
    public enum Value: Sendable, Hashable {
        /// Text from the device or its records; nil when not set.
        case text(String?)
        /// A tri-state flag: nil is unknown.
        case flag(Bool?)
        case date(Date?)
        case check(CheckResult)
        case session(Session)
        /// A transaction that touched the device, with this device's outcome in it.
        case transaction(TransactionRecord, outcome: ItemOutcome?)
    }

    public struct Line: Sendable, Hashable {
        public var label: String
        public var value: Value

        public init(_ label: String, _ value: Value) {
            self.label = label
            self.value = value
        }
    }

    public struct Section: Sendable, Hashable {
        public var title: String
        public var lines: [Line]
    }

    ///
    /// `externalID` is the device's id in the MDM it was imported from (issue 14): shown
    /// after `source` when there is one. `vendorCompliance` is the MDM's own verdict: shown
    /// in the compliance section's title beside decom's when they disagree
    /// (``VendorCompliance/disagrees(with:)``), and as a line of its own always.
    public static func sections(
        _ d: Device, sessions: [Session], transactions: [TransactionRecord],
        evaluator: ComplianceEvaluator, externalID: String? = nil,
        vendorCompliance: VendorCompliance? = nil
    ) -> [Section] {
        var status: [Line] = [
            Line("client status", .text(d.clientStatus.rawValue)),
            Line("device status", .text(d.deviceStatus.rawValue)),
            Line("type", .text(d.type)), Line("category", .text(d.category)),
            Line("source", .text(d.source)),
        ]
        if let externalID { status.append(Line("external id", .text(externalID))) }
        status += [
            Line("rent", .text(d.rent)),
            Line("tracking", .text(d.trackingNumber)), Line("last seen", .date(d.lastSeen)),
        ]
        if d.archivedAt != nil { status.append(Line("archived at", .date(d.archivedAt))) }
        status.append(Line("comment", .text(d.comment)))
        var checks = evaluator.results(d.mdm?.posture).map { Line($0.0.title, .check($0.1)) }
        let verdict = evaluator.verdict(d)
        var complianceTitle = "Compliance: \(verdict.name)"
        if let vendorCompliance {
            checks.append(Line("\(vendorCompliance.source) says", .text(vendorCompliance.state)))
            if vendorCompliance.disagrees(with: verdict) {
                complianceTitle =
                    "Compliance: \(verdict.name) (decom) | \(vendorCompliance.state) (\(vendorCompliance.source))"
            }
        }
        let active = sessions.filter(\.isActive).count
        return [
            Section(
                title: "Identifiers",
                lines: [
                    Line("id", .text(String(d.id))), Line("name", .text(d.name)),
                    Line("label", .text(d.label.map { "~" + $0 })),
                    Line("serial", .text(d.serialNumber)),
                    Line(
                        "MAC",
                        .text(d.macAddresses.isEmpty ? nil : d.macAddresses.joined(separator: ", "))
                    ),
                    Line("HWID", .text(d.hwid)),
                ]),
            Section(title: "Status", lines: status),
            Section(title: complianceTitle, lines: checks),
            Section(title: "MDM", lines: mdmLines(d.mdm)),
            Section(title: "Characteristics", lines: characteristicLines(d.characteristics)),
            Section(
                title: "Sessions: \(active) active, \(sessions.count - active) suspended",
                lines: sessions.map { Line($0.user, .session($0)) }),
            Section(
                title: "Last transactions",
                lines: transactions.map { record in
                    Line(
                        "#\(record.id)",
                        .transaction(
                            record, outcome: record.items.first { $0.deviceId == d.id }?.outcome))
                }),
        ]
    }

    static func mdmLines(_ m: MDMEnrollment?) -> [Line] {
        guard let m else { return [Line("status", .text("not enrolled (no MDM row)"))] }
        return [
            Line("id", .text(String(m.id))), Line("status", .text(m.status.rawValue)),
            Line("local name", .text(m.localName)), Line("encrypted", .flag(m.isEncrypted)),
            Line("FDE profile", .flag(m.diskEncryptionProfileInstalled)),
            Line("firewall", .flag(m.firewallEnabled)),
            Line("screen lock", .flag(m.screenlockEnabled)),
            Line("OS updates on", .flag(m.osUpdatesEnabled)),
            Line("update pending", .flag(m.osUpdatesAvailable)),
            Line("compromised", .flag(m.isCompromised)), Line("locked", .flag(m.isLocked)),
            Line("lock date", .date(m.lockDate)), Line("enrolled", .date(m.enrollmentDate)),
            Line("unenrolled", .date(m.unenrollmentDate)),
            Line("downloaded", .date(m.downloadDate)), Line("last seen", .date(m.lastSeenDate)),
            Line("last sync", .date(m.lastSyncDate)),
        ]
    }

    static func characteristicLines(_ c: Characteristics) -> [Line] {
        [
            Line("OS platform", .text(c.osPlatform)), Line("processor", .text(c.processor)),
            Line("RAM", .text(c.ram)), Line("storage", .text(c.storage)),
            Line("graphics", .text(c.graphic)), Line("screen size", .text(c.screenSize)),
            Line("resolution", .text(c.resolution)), Line("model year", .text(c.modelYear)),
            Line("connectivity", .text(c.connectivity)),
            Line("connection", .text(c.connectionType?.joined(separator: ", "))),
            Line("keyboard", .text(c.keyboardLayout?.rawValue)),
            Line("certifications", .text(c.compliance?.joined(separator: ", "))),
            Line("colour", .text(c.color)), Line("seats", .text(c.seatsNumber)),
            Line("assembly", .text(c.assembly)), Line("microphone", .flag(c.hasMicrophone)),
            Line("webcam", .flag(c.hasWebcam)),
            Line("noise cancelling", .flag(c.noiseCancellation)),
            Line("screen", .flag(c.hasScreen)), Line("stool", .flag(c.hasStool)),
            Line("video package", .flag(c.hasVideoPackage)),
            Line("premium tablet", .flag(c.hasPremiumTablet)),
        ]
    }
}
