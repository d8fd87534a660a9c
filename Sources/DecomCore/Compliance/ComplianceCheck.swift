/// One compliance check, computed from the MDM posture.
public enum ComplianceCheck: String, CaseIterable, Sendable, Hashable, Codable {
    /// `mdm.status` is ENROLLED.
    case enrolled
    /// `mdm.is_encrypted` is true.
    case diskEncryption = "disk_encryption"
    /// `mdm.firewall_enabled` is true.
    case firewall
    /// `mdm.screenlock_enabled` is true.
    case screenLock = "screen_lock"
    /// `mdm.os_updates_enabled` is true.
    case osUpdatesEnabled = "os_updates_enabled"
    /// `mdm.os_updates_available` is false.
    case noPendingUpdate = "no_pending_update"
    /// `mdm.is_compromised` is false.
    case notCompromised = "not_compromised"
    /// `mdm.last_seen_date` is within the policy's check-in window.
    case recentCheckIn = "recent_check_in"

    /// What the check asks of the MDM posture: the one definition that
    /// ``ComplianceEvaluator/result(of:_:)`` applies in memory and
    /// ``ComplianceEvaluator/condition(_:)`` hands to a store.
    public var requirement: ComplianceRequirement {
        switch self {
        case .enrolled: .enrolled
        case .diskEncryption: .flag(.isEncrypted, true)
        case .firewall: .flag(.firewallEnabled, true)
        case .screenLock: .flag(.screenlockEnabled, true)
        case .osUpdatesEnabled: .flag(.osUpdatesEnabled, true)
        case .noPendingUpdate: .flag(.osUpdatesAvailable, false)
        case .notCompromised: .flag(.isCompromised, false)
        case .recentCheckIn: .recentCheckIn
        }
    }

    /// Words for a person.
    public var title: String {
        switch self {
        case .enrolled: "enrolled in MDM"
        case .diskEncryption: "disk encrypted"
        case .firewall: "firewall on"
        case .screenLock: "screen lock on"
        case .osUpdatesEnabled: "OS updates enabled"
        case .noPendingUpdate: "no OS update pending"
        case .notCompromised: "not compromised"
        case .recentCheckIn: "checked in recently"
        }
    }
}

/// The result of one check: a `nil` posture flag gives `unknown`, never `fail`.
public enum CheckResult: String, Sendable, Hashable, Codable {
    case pass, fail, unknown
}

/// What one compliance check requires of the MDM posture.
public enum ComplianceRequirement: Sendable, Hashable {
    /// `mdm.status` is ENROLLED.
    case enrolled
    /// A posture flag holds this value; an unknown flag is an unknown result.
    case flag(DeviceField, Bool)
    /// `mdm.last_seen_date` is within the evaluator's check-in window.
    case recentCheckIn
}
