import Foundation

/// The MDM enrollment row of seed 001's `mdm`: all 17 keys.
///
/// Posture flags are tri-state (`nil` is unknown). Dates travel as ISO 8601 strings.
public struct MDMEnrollment: Sendable, Hashable, Codable {
    public var id: Int64
    public var status: MDMStatus
    public var localName: String?
    public var isLocked: Bool?
    public var lockDate: Date?
    public var firewallEnabled: Bool?
    public var osUpdatesEnabled: Bool?
    public var isEncrypted: Bool?
    public var screenlockEnabled: Bool?
    public var isCompromised: Bool?
    public var osUpdatesAvailable: Bool?
    public var diskEncryptionProfileInstalled: Bool?
    public var enrollmentDate: Date?
    public var unenrollmentDate: Date?
    public var downloadDate: Date?
    public var lastSeenDate: Date?
    public var lastSyncDate: Date?

    public init(
        id: Int64, status: MDMStatus, localName: String? = nil, isLocked: Bool? = nil,
        lockDate: Date? = nil, firewallEnabled: Bool? = nil, osUpdatesEnabled: Bool? = nil,
        isEncrypted: Bool? = nil, screenlockEnabled: Bool? = nil, isCompromised: Bool? = nil,
        osUpdatesAvailable: Bool? = nil, diskEncryptionProfileInstalled: Bool? = nil,
        enrollmentDate: Date? = nil, unenrollmentDate: Date? = nil, downloadDate: Date? = nil,
        lastSeenDate: Date? = nil, lastSyncDate: Date? = nil
    ) {
        self.id = id
        self.status = status
        self.localName = localName
        self.isLocked = isLocked
        self.lockDate = lockDate
        self.firewallEnabled = firewallEnabled
        self.osUpdatesEnabled = osUpdatesEnabled
        self.isEncrypted = isEncrypted
        self.screenlockEnabled = screenlockEnabled
        self.isCompromised = isCompromised
        self.osUpdatesAvailable = osUpdatesAvailable
        self.diskEncryptionProfileInstalled = diskEncryptionProfileInstalled
        self.enrollmentDate = enrollmentDate
        self.unenrollmentDate = unenrollmentDate
        self.downloadDate = downloadDate
        self.lastSeenDate = lastSeenDate
        self.lastSyncDate = lastSyncDate
    }

    /// The part of the enrollment that compliance is computed from.
    public var posture: MDMPosture {
        MDMPosture(
            status: status, isEncrypted: isEncrypted, firewallEnabled: firewallEnabled,
            screenlockEnabled: screenlockEnabled, osUpdatesEnabled: osUpdatesEnabled,
            osUpdatesAvailable: osUpdatesAvailable, isCompromised: isCompromised,
            lastSeenDate: lastSeenDate)
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, status
        case localName = "local_name"
        case isLocked = "is_locked"
        case lockDate = "lock_date"
        case firewallEnabled = "firewall_enabled"
        case osUpdatesEnabled = "os_updates_enabled"
        case isEncrypted = "is_encrypted"
        case screenlockEnabled = "screenlock_enabled"
        case isCompromised = "is_compromised"
        case osUpdatesAvailable = "os_updates_available"
        case diskEncryptionProfileInstalled = "disk_encryption_profile_installed"
        case enrollmentDate = "enrollment_date"
        case unenrollmentDate = "unenrollment_date"
        case downloadDate = "download_date"
        case lastSeenDate = "last_seen_date"
        case lastSyncDate = "last_sync_date"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        status = try c.decode(MDMStatus.self, forKey: .status)
        localName = try c.decodeIfPresent(String.self, forKey: .localName)
        isLocked = try c.decodeIfPresent(Bool.self, forKey: .isLocked)
        lockDate = try c.decodeIfPresent(Date.self, forKey: .lockDate)
        firewallEnabled = try c.decodeIfPresent(Bool.self, forKey: .firewallEnabled)
        osUpdatesEnabled = try c.decodeIfPresent(Bool.self, forKey: .osUpdatesEnabled)
        isEncrypted = try c.decodeIfPresent(Bool.self, forKey: .isEncrypted)
        screenlockEnabled = try c.decodeIfPresent(Bool.self, forKey: .screenlockEnabled)
        isCompromised = try c.decodeIfPresent(Bool.self, forKey: .isCompromised)
        osUpdatesAvailable = try c.decodeIfPresent(Bool.self, forKey: .osUpdatesAvailable)
        diskEncryptionProfileInstalled = try c.decodeIfPresent(
            Bool.self, forKey: .diskEncryptionProfileInstalled)
        enrollmentDate = try c.decodeIfPresent(Date.self, forKey: .enrollmentDate)
        unenrollmentDate = try c.decodeIfPresent(Date.self, forKey: .unenrollmentDate)
        downloadDate = try c.decodeIfPresent(Date.self, forKey: .downloadDate)
        lastSeenDate = try c.decodeIfPresent(Date.self, forKey: .lastSeenDate)
        lastSyncDate = try c.decodeIfPresent(Date.self, forKey: .lastSyncDate)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(localName, forKey: .localName)
        try c.encode(isLocked, forKey: .isLocked)
        try c.encode(lockDate, forKey: .lockDate)
        try c.encode(firewallEnabled, forKey: .firewallEnabled)
        try c.encode(osUpdatesEnabled, forKey: .osUpdatesEnabled)
        try c.encode(isEncrypted, forKey: .isEncrypted)
        try c.encode(screenlockEnabled, forKey: .screenlockEnabled)
        try c.encode(isCompromised, forKey: .isCompromised)
        try c.encode(osUpdatesAvailable, forKey: .osUpdatesAvailable)
        try c.encode(diskEncryptionProfileInstalled, forKey: .diskEncryptionProfileInstalled)
        try c.encode(enrollmentDate, forKey: .enrollmentDate)
        try c.encode(unenrollmentDate, forKey: .unenrollmentDate)
        try c.encode(downloadDate, forKey: .downloadDate)
        try c.encode(lastSeenDate, forKey: .lastSeenDate)
        try c.encode(lastSyncDate, forKey: .lastSyncDate)
    }
}
