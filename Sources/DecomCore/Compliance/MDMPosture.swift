import Foundation

/// What compliance is computed from: the enrollment status and the posture flags the MDM
/// agent reports. `nil` flags are unknown.
public struct MDMPosture: Sendable, Hashable {
    public var status: MDMStatus
    public var isEncrypted: Bool?
    public var firewallEnabled: Bool?
    public var screenlockEnabled: Bool?
    public var osUpdatesEnabled: Bool?
    public var osUpdatesAvailable: Bool?
    public var isCompromised: Bool?
    public var lastSeenDate: Date?

    public init(
        status: MDMStatus, isEncrypted: Bool?, firewallEnabled: Bool?, screenlockEnabled: Bool?,
        osUpdatesEnabled: Bool?, osUpdatesAvailable: Bool?, isCompromised: Bool?,
        lastSeenDate: Date?
    ) {
        self.status = status
        self.isEncrypted = isEncrypted
        self.firewallEnabled = firewallEnabled
        self.screenlockEnabled = screenlockEnabled
        self.osUpdatesEnabled = osUpdatesEnabled
        self.osUpdatesAvailable = osUpdatesAvailable
        self.isCompromised = isCompromised
        self.lastSeenDate = lastSeenDate
    }

    /// The posture flag a ``DeviceField`` names (nil for a field that is no posture flag).
    public func flag(_ field: DeviceField) -> Bool? {
        switch field {
        case .isEncrypted: isEncrypted
        case .firewallEnabled: firewallEnabled
        case .screenlockEnabled: screenlockEnabled
        case .osUpdatesEnabled: osUpdatesEnabled
        case .osUpdatesAvailable: osUpdatesAvailable
        case .isCompromised: isCompromised
        default: nil
        }
    }
}
