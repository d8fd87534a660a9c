import Foundation

/// The compact row that lists, filters and sorts work on: what the table shows and the query
/// language can ask, without the full characteristics and enrollment.
public struct DeviceSummary: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String?
    public var serialNumber: String?
    public var type: String?
    public var category: String?
    public var osPlatform: String?
    public var clientStatus: ClientStatus
    public var mdmStatus: MDMStatus?
    public var deviceStatus: DeviceStatus
    public var label: String?
    public var hwid: String?
    /// The MAC addresses joined by `;`: one string rather than an array of strings, which
    /// at a million devices is a few hundred thousand fewer allocations (see `make bench`).
    public var macList: String
    public var lastSeen: Date?
    public var rented: Bool
    public var compliance: ComplianceVerdict
    /// The MDM enrollment date (`mdm.enrollment_date`), nil without one.
    public var enrolledAt: Date?
    /// When the device was archived, nil while it is not.
    public var archivedAt: Date?
    /// Where the device came from (seed 001's `source`; `fleet`, `intune` or `jamf` for an
    /// MDM's export) and its id there (issue 14), for `source:` and `external_id:`.
    public var source: String? = nil
    public var externalID: String? = nil

    public init(
        id: Int64, name: String?, serialNumber: String?, type: String?, category: String?,
        osPlatform: String?, clientStatus: ClientStatus, mdmStatus: MDMStatus?,
        deviceStatus: DeviceStatus, label: String?, hwid: String?, macAddresses: [String],
        lastSeen: Date?, rented: Bool, compliance: ComplianceVerdict, enrolledAt: Date? = nil,
        archivedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.serialNumber = serialNumber
        self.type = type
        self.category = category
        self.osPlatform = osPlatform
        self.clientStatus = clientStatus
        self.mdmStatus = mdmStatus
        self.deviceStatus = deviceStatus
        self.label = label
        self.hwid = hwid
        self.macList = macAddresses.joined(separator: ";")
        self.lastSeen = lastSeen
        self.rented = rented
        self.compliance = compliance
        self.enrolledAt = enrolledAt
        self.archivedAt = archivedAt
    }

    public init(_ device: Device, compliance: ComplianceVerdict) {
        self.init(
            id: device.id, name: device.name, serialNumber: device.serialNumber,
            type: device.type, category: device.category,
            osPlatform: device.characteristics.osPlatform, clientStatus: device.clientStatus,
            mdmStatus: device.mdm?.status, deviceStatus: device.deviceStatus,
            label: device.label, hwid: device.hwid, macAddresses: device.macAddresses,
            lastSeen: device.lastSeen, rented: device.rent != nil, compliance: compliance,
            enrolledAt: device.mdm?.enrollmentDate, archivedAt: device.archivedAt)
        source = device.source
    }

    public var isArchived: Bool { clientStatus == .archived }

    /// The MAC addresses, in their order.
    public var macAddresses: [String] {
        macList.isEmpty ? [] : macList.split(separator: ";").map(String.init)
    }
}

/// Which devices a list holds: the default lists leave archived devices out.
public enum ListScope: String, CaseIterable, Sendable, Hashable {
    case active, archived, all

    public func includes(_ status: ClientStatus) -> Bool {
        switch self {
        case .active: status != .archived
        case .archived: status == .archived
        case .all: true
        }
    }
}
