import Foundation

/// One device of the fleet: every field of seed 001's `GetDeviceResponse.data`, plus the
/// identifiers the other seeds delete by (`label` from seed 002, `mac_addresses` and `hwid`
/// from seed 004), the `device_status` of seed 003, when it was last seen, and when it was
/// archived.
///
/// Encoding writes every key of the seed's schema, `null` included. Decoding requires the keys
/// that may not be null (`id`, `client_status`; `mdm.id` and `mdm.status` when `mdm` is given)
/// and reads an absent nullable key as `null`: an import file written by hand need not spell
/// out twenty unknown characteristics of a phone.
public struct Device: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var name: String?
    public var serialNumber: String?
    public var rent: String?
    public var trackingNumber: String?
    public var clientStatus: ClientStatus
    public var type: String?
    public var category: String?
    public var source: String?
    public var comment: String?
    public var characteristics: Characteristics
    public var mdm: MDMEnrollment?

    /// Seed 002 addresses a device by `~label`.
    public var label: String?
    /// Normalized to lower case with colons (`00:0c:29:cd:c7:b2`); seed 004 deletes by them.
    public var macAddresses: [String]
    /// Hardware id; seed 004 deletes by it.
    public var hwid: String?
    public var deviceStatus: DeviceStatus
    public var lastSeen: Date?
    /// Set by an archive, cleared by its undo.
    public var archivedAt: Date?

    public init(
        id: Int64, name: String? = nil, serialNumber: String? = nil, rent: String? = nil,
        trackingNumber: String? = nil, clientStatus: ClientStatus = .available,
        type: String? = nil, category: String? = nil, source: String? = nil,
        comment: String? = nil, characteristics: Characteristics = Characteristics(),
        mdm: MDMEnrollment? = nil, label: String? = nil, macAddresses: [String] = [],
        hwid: String? = nil, deviceStatus: DeviceStatus = .active, lastSeen: Date? = nil,
        archivedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.serialNumber = serialNumber
        self.rent = rent
        self.trackingNumber = trackingNumber
        self.clientStatus = clientStatus
        self.type = type
        self.category = category
        self.source = source
        self.comment = comment
        self.characteristics = characteristics
        self.mdm = mdm
        self.label = label
        self.macAddresses = macAddresses
        self.hwid = hwid
        self.deviceStatus = deviceStatus
        self.lastSeen = lastSeen
        self.archivedAt = archivedAt
    }

    public var isArchived: Bool { clientStatus == .archived }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name
        case serialNumber = "serial_number"
        case rent
        case trackingNumber = "tracking_number"
        case clientStatus = "client_status"
        case type, category, source, comment, characteristics, mdm
        case label
        case macAddresses = "mac_addresses"
        case hwid
        case deviceStatus = "device_status"
        case lastSeen = "last_seen"
        case archivedAt = "archived_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        serialNumber = try c.decodeIfPresent(String.self, forKey: .serialNumber)
        rent = try c.decodeIfPresent(String.self, forKey: .rent)
        trackingNumber = try c.decodeIfPresent(String.self, forKey: .trackingNumber)
        clientStatus = try c.decode(ClientStatus.self, forKey: .clientStatus)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        category = try c.decodeIfPresent(String.self, forKey: .category)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
        characteristics =
            try c.decodeIfPresent(Characteristics.self, forKey: .characteristics)
            ?? Characteristics()
        mdm = try c.decodeIfPresent(MDMEnrollment.self, forKey: .mdm)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        macAddresses = try c.decodeIfPresent([String].self, forKey: .macAddresses) ?? []
        hwid = try c.decodeIfPresent(String.self, forKey: .hwid)
        deviceStatus = try c.decodeIfPresent(DeviceStatus.self, forKey: .deviceStatus) ?? .active
        lastSeen = try c.decodeIfPresent(Date.self, forKey: .lastSeen)
        archivedAt = try c.decodeIfPresent(Date.self, forKey: .archivedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(serialNumber, forKey: .serialNumber)
        try c.encode(rent, forKey: .rent)
        try c.encode(trackingNumber, forKey: .trackingNumber)
        try c.encode(clientStatus, forKey: .clientStatus)
        try c.encode(type, forKey: .type)
        try c.encode(category, forKey: .category)
        try c.encode(source, forKey: .source)
        try c.encode(comment, forKey: .comment)
        try c.encode(characteristics, forKey: .characteristics)
        try c.encode(mdm, forKey: .mdm)
        try c.encode(label, forKey: .label)
        try c.encode(macAddresses, forKey: .macAddresses)
        try c.encode(hwid, forKey: .hwid)
        try c.encode(deviceStatus, forKey: .deviceStatus)
        try c.encode(lastSeen, forKey: .lastSeen)
        try c.encode(archivedAt, forKey: .archivedAt)
    }
}
