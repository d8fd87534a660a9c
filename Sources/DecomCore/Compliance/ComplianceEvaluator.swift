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
        switch check.requirement {
        case .enrolled: return p.status == .enrolled ? .pass : .fail
        case .flag(let field, let wanted): return Self.required(p.flag(field), toBe: wanted)
        case .recentCheckIn:
            guard let seen = p.lastSeenDate else { return .unknown }
            return seen >= checkInCutoff ? .pass : .fail
        }
    }

    // MARK: - As conditions

    /// The three verdicts, for ``condition(_:)``.
    public enum VerdictKind: Sendable, Hashable {
        case compliant, nonCompliant, unknown
    }

    /// The devices whose verdict is `kind`, as a condition a store can select with: the same
    /// rule as ``verdict(_:)`` (every check of ``ComplianceCheck/requirement`` passing is
    /// compliant, one failing is non-compliant, anything else unknown, no MDM row unknown).
    public func condition(_ kind: VerdictKind) -> QueryCondition {
        let compliant = QueryCondition.all(
            [.not(.missing(.mdmStatus))] + ComplianceCheck.allCases.map(passing))
        let nonCompliant = QueryCondition.any(failingConditions)
        switch kind {
        case .compliant: return compliant
        case .nonCompliant: return nonCompliant
        case .unknown: return .not(.any([compliant, nonCompliant]))
        }
    }

    /// One condition a check, true where the check fails (never without an MDM row), in
    /// ``ComplianceCheck`` order: how many hold is the number of failing checks.
    public var failingConditions: [QueryCondition] {
        ComplianceCheck.allCases.map(failing)
    }

    /// Where `check` passes: the counterpart of ``result(of:_:)``'s `.pass`.
    func passing(_ check: ComplianceCheck) -> QueryCondition {
        switch check.requirement {
        case .enrolled: .equals(.mdmStatus, MDMStatus.enrolled.rawValue)
        case .flag(let field, let wanted): .flag(field, wanted)
        case .recentCheckIn: .date(.mdmLastSeen, .greaterOrEqual, checkInCutoff)
        }
    }

    /// Where `check` fails: the counterpart of ``result(of:_:)``'s `.fail`.
    func failing(_ check: ComplianceCheck) -> QueryCondition {
        switch check.requirement {
        case .enrolled:
            .all([
                .not(.missing(.mdmStatus)),
                .not(.equals(.mdmStatus, MDMStatus.enrolled.rawValue)),
            ])
        case .flag(let field, let wanted): .flag(field, !wanted)
        case .recentCheckIn: .date(.mdmLastSeen, .less, checkInCutoff)
        }
    }

    /// The oldest check-in that is recent: seen at or after it passes.
    var checkInCutoff: Date { now.addingTimeInterval(-checkInWindow) }

    private static func required(_ flag: Bool?, toBe wanted: Bool) -> CheckResult {
        guard let flag else { return .unknown }
        return flag == wanted ? .pass : .fail
    }
}
