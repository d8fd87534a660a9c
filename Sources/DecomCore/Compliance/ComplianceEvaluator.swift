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
        guard posture != nil else { return .unknown(unknown: Self.subsets[Self.subsets.count - 1]) }
        var failing = 0
        var unknown = 0
        for (bit, check) in Self.checks.enumerated() {
            switch result(of: check, posture) {
            case .fail: failing |= 1 << bit
            case .unknown: unknown |= 1 << bit
            case .pass: break
            }
        }
        if failing != 0 { return .nonCompliant(failing: Self.subsets[failing]) }
        if unknown != 0 { return .unknown(unknown: Self.subsets[unknown]) }
        return .compliant
    }

    private static let checks = ComplianceCheck.allCases

    /// Every set of checks as an array in the checks' order, indexed by its bit mask. Verdicts
    /// share these arrays: a million devices hold a few dozen arrays between them, not a
    /// million.
    private static let subsets: [[ComplianceCheck]] = (0..<(1 << checks.count)).map { mask in
        checks.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
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
