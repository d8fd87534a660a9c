import Foundation

/// A login session on a device. Seed 000 revokes a device's active sessions when it is
/// removed; an archive suspends them (and its undo resumes exactly those).
public struct Session: Sendable, Hashable, Codable {
    public var tokenId: String
    public var user: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// The archive transaction that suspended this session, if any.
    public var suspendedBy: Int64?

    public init(
        tokenId: String, user: String, createdAt: Date, lastUsedAt: Date? = nil,
        suspendedBy: Int64? = nil
    ) {
        self.tokenId = tokenId
        self.user = user
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.suspendedBy = suspendedBy
    }

    public var isActive: Bool { suspendedBy == nil }

    public enum CodingKeys: String, CodingKey {
        case tokenId = "token_id"
        case user
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case suspendedBy = "suspended_by"
    }
}

/// One line of a device's own history (check-ins, status changes), removed with the device
/// when it is purged.
public struct DeviceEvent: Sendable, Hashable, Codable {
    public var at: Date
    public var kind: String
    public var detail: String?

    public init(at: Date, kind: String, detail: String? = nil) {
        self.at = at
        self.kind = kind
        self.detail = detail
    }
}

/// A device with everything that hangs off it: what an import writes and a generator makes.
public struct DeviceRecord: Sendable, Hashable {
    public var device: Device
    public var sessions: [Session]
    public var events: [DeviceEvent]

    public init(device: Device, sessions: [Session] = [], events: [DeviceEvent] = []) {
        self.device = device
        self.sessions = sessions
        self.events = events
    }
}
