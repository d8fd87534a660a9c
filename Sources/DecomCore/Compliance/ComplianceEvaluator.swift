import Foundation

/// Computes compliance from the MDM posture at a given moment.
///
/// The check-in window is 30 days unless configured otherwise.
public struct ComplianceEvaluator: Sendable {
    public var now: Date
    public var checkInWindow: TimeInterval

    public static let defaultCheckInWindow: TimeInterval = 30 * 86_400

    public init(now: Date = Date(), checkInWindow: TimeInterval = defaultCheckInWindow) {
        self.now = now
        self.checkInWindow = checkInWindow
    }

    /// Each check with its result; every check is `unknown` without an MDM row.
    public func results(_ posture: MDMPosture?) -> [(ComplianceCheck, CheckResult)] {
        ComplianceCheck.allCases.map { ($0, result(of: $0, posture)) }
    }

    public func verdict(_ posture: MDMPosture?) -> ComplianceVerdict {
        guard posture != nil else { return .unknown(unknown: ComplianceCheck.allCases) }
        var failing: [ComplianceCheck] = []
        var unknown: [ComplianceCheck] = []
        for (check, result) in results(posture) {
            switch result {
            case .fail: failing.append(check)
            case .unknown: unknown.append(check)
            case .pass: break
            }
        }
        if !failing.isEmpty { return .nonCompliant(failing: failing) }
        if !unknown.isEmpty { return .unknown(unknown: unknown) }
        return .compliant
    }

    public func verdict(_ device: Device) -> ComplianceVerdict { verdict(device.mdm?.posture) }

    public func result(of check: ComplianceCheck, _ posture: MDMPosture?) -> CheckResult {
        guard let p = posture else { return .unknown }
        switch check {
        case .enrolled: return p.status == .enrolled ? .pass : .fail
        case .diskEncryption: return Self.required(p.isEncrypted, toBe: true)
        case .firewall: return Self.required(p.firewallEnabled, toBe: true)
        case .screenLock: return Self.required(p.screenlockEnabled, toBe: true)
        case .osUpdatesEnabled: return Self.required(p.osUpdatesEnabled, toBe: true)
        case .noPendingUpdate: return Self.required(p.osUpdatesAvailable, toBe: false)
        case .notCompromised: return Self.required(p.isCompromised, toBe: false)
        case .recentCheckIn:
            guard let seen = p.lastSeenDate else { return .unknown }
            return now.timeIntervalSince(seen) <= checkInWindow ? .pass : .fail
        }
    }

    private static func required(_ flag: Bool?, toBe wanted: Bool) -> CheckResult {
        guard let flag else { return .unknown }
        return flag == wanted ? .pass : .fail
    }
}
