import Foundation

/// Re-import as a sync (issue 14): what an MDM export does to a device decom already knows.
///
/// Admins export weekly, so importing the same source again must neither double devices nor
/// lose what decom decided about them. The rule:
///
/// - A record is the device already known under the same source and external id; failing
///   that, the device with the same serial (case-insensitive) that came from no source or
///   from the same one (its external id is then replaced: Intune gives a re-enrolled device a
///   new id). A record that matches no device is added.
/// - The known device takes the value of every field the export fills (``merged(_:with:)``)
///   when the record has one; a field the record leaves empty keeps decom's value, so a
///   column missing from this week's CSV erases nothing.
/// - decom's own fields are never an MDM's: `client_status`, `archived_at`, `label`,
///   `comment`, `rent`, `tracking_number`, `category`, `device_status`, sessions and events
///   stay as they are. An archived device therefore stays archived (an import does not bring
///   it back into service), and its archive stays undoable: the undo buffer holds only the
///   `client_status` and `archived_at` before the archive, which an update never touches, so
///   an undo after a re-import restores those two and keeps the newer MDM fields.
/// - An update writes an `UPDATE` audit row (the whole state before it, like every change)
///   and an `updated` item whose reason lists each changed field, in the import's one
///   transaction; a known device whose fields are all the same is only counted (`unchanged`).
/// - An import never deletes: `--report-missing` lists the devices of the source that the
///   file lacks (``Missing``).
public enum ImportSync {
    /// One field an update changed, with its values before and after as text.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var field: String
        public var before: String?
        public var after: String?

        public init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }

        public var description: String {
            "\(field): \(before.map { "'\($0)'" } ?? "none") -> \(after.map { "'\($0)'" } ?? "none")"
        }
    }

    /// A known device as the import leaves it, and what changed.
    public struct Update: Sendable, Hashable {
        public var device: Device
        public var changes: [Change]

        public init(device: Device, changes: [Change]) {
            self.device = device
            self.changes = changes
        }

        /// The `updated` item's reason: the changes, `; `-separated.
        public var reason: String { changes.map(\.description).joined(separator: "; ") }
    }

    /// A device of the source that the file did not name (`--report-missing`).
    public struct Missing: Sendable, Hashable {
        public var deviceId: Int64
        public var name: String?
        public var externalID: String
        public var isArchived: Bool

        public init(deviceId: Int64, name: String?, externalID: String, isArchived: Bool) {
            self.deviceId = deviceId
            self.name = name
            self.externalID = externalID
            self.isArchived = isArchived
        }
    }

    /// `known` with every MDM-filled field that `file` has a value for (the README's
    /// mapping tables: name, serial, HWID, MACs, type, source, last seen, OS platform,
    /// processor, RAM, and the enrollment's status, lock, encryption, compromise, firewall
    /// and dates). The known enrollment keeps its id.
    public static func merged(_ known: Device, with file: Device) -> Device {
        var d = known
        func take<T>(_ path: WritableKeyPath<Device, T?>) {
            if let value = file[keyPath: path] { d[keyPath: path] = value }
        }
        take(\.name)
        take(\.serialNumber)
        take(\.hwid)
        take(\.type)
        take(\.source)
        take(\.lastSeen)
        take(\.characteristics.osPlatform)
        take(\.characteristics.processor)
        take(\.characteristics.ram)
        if !file.macAddresses.isEmpty,
            file.macAddresses.map(normalized) != known.macAddresses.map(normalized)
        {
            d.macAddresses = file.macAddresses
        }
        if let incoming = file.mdm {
            if var m = known.mdm {
                func takeMDM<T>(_ path: WritableKeyPath<MDMEnrollment, T?>) {
                    if let value = incoming[keyPath: path] { m[keyPath: path] = value }
                }
                m.status = incoming.status
                takeMDM(\.isLocked)
                takeMDM(\.isEncrypted)
                takeMDM(\.isCompromised)
                takeMDM(\.firewallEnabled)
                takeMDM(\.enrollmentDate)
                takeMDM(\.lastSeenDate)
                takeMDM(\.lastSyncDate)
                d.mdm = m
            } else {
                d.mdm = incoming
            }
        }
        return d
    }

    /// The fields of an MDM's that differ between `old` and `new`, in the mapping's order.
    public static func changes(from old: Device, to new: Device) -> [Change] {
        var changes: [Change] = []
        for (field, text) in fields {
            let before = text(old)
            let after = text(new)
            if before != after {
                changes.append(Change(field: field, before: before, after: after))
            }
        }
        return changes
    }

    private static func normalized(_ mac: String) -> String {
        DeviceKey.normalizeMAC(mac) ?? mac
    }

    private static func date(_ date: Date?) -> String? {
        date.map {
            $0.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        }
    }

    private static func flag(_ flag: Bool?) -> String? {
        flag.map { $0 ? "true" : "false" }
    }

    /// Each MDM-filled field's name (the device's JSON keys) and its value as text.
    private static let fields: [(String, @Sendable (Device) -> String?)] = [
        ("name", { $0.name }),
        ("serial_number", { $0.serialNumber }),
        ("hwid", { $0.hwid }),
        (
            "mac_addresses",
            {
                $0.macAddresses.isEmpty
                    ? nil : $0.macAddresses.map(normalized).joined(separator: ";")
            }
        ),
        ("type", { $0.type }),
        ("source", { $0.source }),
        ("last_seen", { date($0.lastSeen) }),
        ("characteristics.os_platform", { $0.characteristics.osPlatform }),
        ("characteristics.processor", { $0.characteristics.processor }),
        ("characteristics.ram", { $0.characteristics.ram }),
        ("mdm.status", { $0.mdm?.status.rawValue }),
        ("mdm.is_locked", { flag($0.mdm?.isLocked) }),
        ("mdm.is_encrypted", { flag($0.mdm?.isEncrypted) }),
        ("mdm.is_compromised", { flag($0.mdm?.isCompromised) }),
        ("mdm.firewall_enabled", { flag($0.mdm?.firewallEnabled) }),
        ("mdm.enrollment_date", { date($0.mdm?.enrollmentDate) }),
        ("mdm.last_seen_date", { date($0.mdm?.lastSeenDate) }),
        ("mdm.last_sync_date", { date($0.mdm?.lastSyncDate) }),
    ]
}
