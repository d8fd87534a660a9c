import DecomCore
import Foundation
import GRDB

/// Writes the whole fleet as JSON or CSV, in the shapes ``FleetImport`` reads, so that an
/// export imported into an empty database gives the same devices back.
///
/// JSON carries each device's sessions and events too; CSV carries the devices only (one row
/// each). Neither carries a raw control character of the devices' text, so either can go to a
/// terminal: JSON escapes them (``SafeText/escapingJSON(_:)``), CSV writes them as
/// ``CSVText`` says, and both read back exactly.
public enum FleetExport {
    public enum Format: String, CaseIterable, Sendable {
        case json, csv
    }

    public static func data(from store: SQLiteFleetStore, format: Format) throws -> Data {
        try export(from: store, format: format, ids: nil).data
    }

    /// The devices with the given ids (every device when nil) in the same documents, and how
    /// many devices they hold (ids no longer in the database are left out): the console's
    /// `:export` of its marks or its filtered view.
    public static func export(
        from store: SQLiteFleetStore, format: Format, ids: [Int64]?
    ) throws -> (data: Data, count: Int) {
        try store.database.read { db in
            let reader = SQLiteFleetReader(db: db)
            let devices = try reader.devices(ids: ids)
            var externalIDs: [Int64: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT device_id, external_id FROM device_sources")
            {
                externalIDs[row[0]] = row[1]
            }
            switch format {
            case .json:
                let sessions = try reader.sessions(ids: ids)
                let events = try reader.events(ids: ids)
                let exported = devices.map {
                    ExportedDevice(
                        device: $0, sessions: sessions[$0.id] ?? [], events: events[$0.id] ?? [],
                        externalID: externalIDs[$0.id])
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .custom { date, encoder in
                    var c = encoder.singleValueContainer()
                    try c.encode(StoreDate.text(date))
                }
                let json = String(decoding: try encoder.encode(exported), as: UTF8.self)
                return (Data(SafeText.escapingJSON(json).utf8), devices.count)
            case .csv:
                var text = FleetColumns.all.joined(separator: ",") + "\n"
                for device in devices {
                    text +=
                        (row(device) + [externalIDs[device.id]]).map(CSVTable.field)
                        .joined(separator: ",") + "\n"
                }
                return (Data(text.utf8), devices.count)
            }
        }
    }

    /// A device's cells in ``FleetColumns/all`` order, but its external id.
    static func row(_ d: Device) -> [String?] {
        let c = d.characteristics
        let m = d.mdm
        func b(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
        func t(_ value: Date?) -> String? { value.map(StoreDate.text) }
        func l(_ value: [String]?) -> String? { value.map(FleetColumns.joinList) }
        let characteristics: [String?] = [
            c.screenSize, c.graphic, c.processor, c.ram, c.storage, c.modelYear, c.connectivity,
            c.keyboardLayout?.rawValue, c.resolution, b(c.hasMicrophone), b(c.hasWebcam),
            b(c.noiseCancellation), l(c.compliance), l(c.connectionType), b(c.hasStool),
            b(c.hasVideoPackage), b(c.hasScreen), b(c.hasPremiumTablet), c.color, c.seatsNumber,
            c.assembly, c.osPlatform,
        ]
        let mdm: [String?] = [
            m.map { String($0.id) }, m?.status.rawValue, m?.localName, b(m?.isLocked),
            t(m?.lockDate), b(m?.firewallEnabled), b(m?.osUpdatesEnabled), b(m?.isEncrypted),
            b(m?.screenlockEnabled), b(m?.isCompromised), b(m?.osUpdatesAvailable),
            b(m?.diskEncryptionProfileInstalled), t(m?.enrollmentDate),
            t(m?.unenrollmentDate), t(m?.downloadDate), t(m?.lastSeenDate), t(m?.lastSyncDate),
        ]
        let head: [String?] = [
            String(d.id), d.name, d.serialNumber, d.rent, d.trackingNumber,
            d.clientStatus.rawValue, d.type, d.category, d.source, d.comment,
        ]
        let tail: [String?] = [
            d.label, l(d.macAddresses), d.hwid, d.deviceStatus.rawValue, t(d.lastSeen),
            t(d.archivedAt),
        ]
        return head + characteristics + mdm + tail
    }
}

/// A device with what hangs off it, encoded as the device's own JSON object plus `sessions`
/// and `events`.
private struct ExportedDevice: Encodable {
    var device: Device
    var sessions: [Session]
    var events: [DeviceEvent]
    /// The device's id in the MDM its `source` names; written only when there is one.
    var externalID: String?

    enum CodingKeys: String, CodingKey {
        case sessions, events
        case externalID = "external_id"
    }

    func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessions, forKey: .sessions)
        try c.encode(events, forKey: .events)
        try c.encodeIfPresent(externalID, forKey: .externalID)
    }
}
