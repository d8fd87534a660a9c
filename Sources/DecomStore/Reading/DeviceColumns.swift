import DecomCore
import Foundation
import GRDB

/// The columns of a device's three tables, in the order the reads select them and the
/// inserts bind them. Characteristics and MDM columns are named exactly as seed 001's keys.
enum DeviceColumns {
    static let device = [
        "id", "name", "serial_number", "rent", "tracking_number", "client_status", "type",
        "category", "source", "comment", "label", "hwid", "device_status", "last_seen",
        "archived_at",
    ]
    static let characteristics = Characteristics.CodingKeys.allCases.map(\.rawValue)
    static let mdm = MDMEnrollment.CodingKeys.allCases.map(\.rawValue)
    /// Characteristics columns that hold a JSON list of strings.
    static let listColumns: Set<String> = ["compliance", "connection_type"]
    /// Columns that hold a tri-state boolean as 0, 1 or NULL.
    static let booleanColumns: Set<String> = [
        "has_microphone", "has_webcam", "noise_cancellation", "has_stool", "has_video_package",
        "has_screen", "has_premium_tablet", "is_locked", "firewall_enabled",
        "os_updates_enabled", "is_encrypted", "screenlock_enabled", "is_compromised",
        "os_updates_available", "disk_encryption_profile_installed",
    ]

    /// `SELECT` list and joins that read whole devices: `d.*`, then `c.*`, then `m.*`.
    static let selectWhole = """
        SELECT \(device.map { "d." + $0 }.joined(separator: ", ")),
               \(characteristics.map { "c." + $0 }.joined(separator: ", ")),
               \(mdm.map { "m." + $0 }.joined(separator: ", "))
        FROM devices d
        LEFT JOIN characteristics c ON c.device_id = d.id
        LEFT JOIN mdm_enrollments m ON m.device_id = d.id
        """

    /// The device of a row selected with ``selectWhole``, without its MAC addresses.
    static func device(_ row: Row) throws -> Device {
        var i = 0
        func next<V: DatabaseValueConvertible>(_: V.Type = V.self) -> V? {
            defer { i += 1 }
            return row[i]
        }
        func nextDate() throws -> Date? { try StoreValue.date(next(String.self)) }
        func nextList() throws -> [String]? { try StoreValue.list(next(String.self)) }
        guard let id: Int64 = next() else { throw StoreError.corruptData("a device without id") }
        var device = Device(id: id)
        device.name = next()
        device.serialNumber = next()
        device.rent = next()
        device.trackingNumber = next()
        device.clientStatus = try StoreValue.enumValue(next(String.self), ClientStatus.self)
        device.type = next()
        device.category = next()
        device.source = next()
        device.comment = next()
        device.label = next()
        device.hwid = next()
        device.deviceStatus = try StoreValue.enumValue(next(String.self), DeviceStatus.self)
        device.lastSeen = try nextDate()
        device.archivedAt = try nextDate()
        var c = Characteristics()
        c.screenSize = next()
        c.graphic = next()
        c.processor = next()
        c.ram = next()
        c.storage = next()
        c.modelYear = next()
        c.connectivity = next()
        c.keyboardLayout = try next(String.self).map {
            try StoreValue.enumValue($0, KeyboardLayout.self)
        }
        c.resolution = next()
        c.hasMicrophone = next()
        c.hasWebcam = next()
        c.noiseCancellation = next()
        c.compliance = try nextList()
        c.connectionType = try nextList()
        c.hasStool = next()
        c.hasVideoPackage = next()
        c.hasScreen = next()
        c.hasPremiumTablet = next()
        c.color = next()
        c.seatsNumber = next()
        c.assembly = next()
        c.osPlatform = next()
        device.characteristics = c
        let mdmID: Int64? = next()
        let mdmStatus: String? = next()
        if let mdmID {
            var m = MDMEnrollment(
                id: mdmID, status: try StoreValue.enumValue(mdmStatus, MDMStatus.self))
            m.localName = next()
            m.isLocked = next()
            m.lockDate = try nextDate()
            m.firewallEnabled = next()
            m.osUpdatesEnabled = next()
            m.isEncrypted = next()
            m.screenlockEnabled = next()
            m.isCompromised = next()
            m.osUpdatesAvailable = next()
            m.diskEncryptionProfileInstalled = next()
            m.enrollmentDate = try nextDate()
            m.unenrollmentDate = try nextDate()
            m.downloadDate = try nextDate()
            m.lastSeenDate = try nextDate()
            m.lastSyncDate = try nextDate()
            device.mdm = m
        }
        return device
    }

    /// The values of a device's row in `devices`, in ``device`` order.
    static func deviceValues(_ d: Device) -> [(any DatabaseValueConvertible)?] {
        [
            d.id, d.name, d.serialNumber, d.rent, d.trackingNumber, d.clientStatus.rawValue,
            d.type, d.category, d.source, d.comment, d.label, d.hwid, d.deviceStatus.rawValue,
            d.lastSeen.map(StoreDate.text), d.archivedAt.map(StoreDate.text),
        ]
    }

    /// The values of a device's row in `characteristics`, device id first.
    static func characteristicsValues(_ id: Int64, _ c: Characteristics) -> [(
        any DatabaseValueConvertible
    )?] {
        [
            id, c.screenSize, c.graphic, c.processor, c.ram, c.storage, c.modelYear,
            c.connectivity, c.keyboardLayout?.rawValue, c.resolution, c.hasMicrophone,
            c.hasWebcam, c.noiseCancellation, c.compliance.map(StoreValue.listText),
            c.connectionType.map(StoreValue.listText), c.hasStool, c.hasVideoPackage,
            c.hasScreen, c.hasPremiumTablet, c.color, c.seatsNumber, c.assembly, c.osPlatform,
        ]
    }

    /// The values of a device's row in `mdm_enrollments`, in ``mdm`` order, then the device id.
    static func mdmValues(_ id: Int64, _ m: MDMEnrollment) -> [(any DatabaseValueConvertible)?] {
        [
            m.id, m.status.rawValue, m.localName, m.isLocked, m.lockDate.map(StoreDate.text),
            m.firewallEnabled, m.osUpdatesEnabled, m.isEncrypted, m.screenlockEnabled,
            m.isCompromised, m.osUpdatesAvailable, m.diskEncryptionProfileInstalled,
            m.enrollmentDate.map(StoreDate.text), m.unenrollmentDate.map(StoreDate.text),
            m.downloadDate.map(StoreDate.text), m.lastSeenDate.map(StoreDate.text),
            m.lastSyncDate.map(StoreDate.text), id,
        ]
    }
}

/// Conversions between stored text and the core's values.
enum StoreValue {
    static func date(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        guard let date = StoreDate.date(text) else {
            throw StoreError.corruptData("'\(text)' is not an ISO 8601 date")
        }
        return date
    }

    static func enumValue<E: RawRepresentable>(_ text: String?, _: E.Type) throws -> E
    where E.RawValue == String {
        guard let text, let value = E(rawValue: text) else {
            throw StoreError.corruptData("'\(text ?? "NULL")' is not a \(E.self)")
        }
        return value
    }

    static func list(_ text: String?) throws -> [String]? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptData("'\(text)' is not a JSON list of strings")
        }
    }

    /// A JSON array of strings, as lists are stored and as string keys are bound. Written by
    /// hand: an import stores two lists per device, and an encoder per list is slow.
    static func listText(_ list: [String]) -> String {
        var out = "["
        for (index, item) in list.enumerated() {
            if index > 0 { out.append(",") }
            appendJSON(item, to: &out)
        }
        out.append("]")
        return out
    }

    /// Appends a string as a JSON string (quoted, with `"`, `\` and control characters
    /// escaped), or `null`.
    static func appendJSON(_ text: String?, to out: inout String) {
        guard let text else {
            out.append("null")
            return
        }
        out.append("\"")
        // Most texts need no escape: appended whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20: out.append(SafeText.jsonEscape(scalar))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    /// A JSON array of integers, as ids are bound.
    static func idsText(_ ids: [Int64]) -> String {
        "[" + ids.map { String($0) }.joined(separator: ",") + "]"
    }
}
