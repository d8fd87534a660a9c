import Foundation
import Testing

@testable import DecomCore

struct ComplianceEvaluatorTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    let evaluator = ComplianceEvaluator(now: Self.now)

    /// A posture that passes every check.
    static func healthy() -> MDMPosture {
        MDMPosture(
            status: .enrolled, isEncrypted: true, firewallEnabled: true, screenlockEnabled: true,
            osUpdatesEnabled: true, osUpdatesAvailable: false, isCompromised: false,
            lastSeenDate: now.addingTimeInterval(-3_600))
    }

    /// The posture with one check's flag set to a value (nil for unknown).
    static func with(_ check: ComplianceCheck, _ flag: Bool?) -> MDMPosture {
        var p = healthy()
        switch check {
        case .enrolled: p.status = flag == false ? .unenrolled : .enrolled
        case .diskEncryption: p.isEncrypted = flag
        case .firewall: p.firewallEnabled = flag
        case .screenLock: p.screenlockEnabled = flag
        case .osUpdatesEnabled: p.osUpdatesEnabled = flag
        case .noPendingUpdate: p.osUpdatesAvailable = flag.map { !$0 }
        case .notCompromised: p.isCompromised = flag.map { !$0 }
        case .recentCheckIn:
            p.lastSeenDate = flag.map { $0 ? now : now.addingTimeInterval(-40 * 86_400) }
        }
        return p
    }

    @Test func healthyPostureIsCompliant() {
        #expect(evaluator.verdict(Self.healthy()) == .compliant)
        #expect(evaluator.results(Self.healthy()).allSatisfy { $0.1 == .pass })
    }

    @Test(arguments: ComplianceCheck.allCases)
    func eachCheckFailsAlone(_ check: ComplianceCheck) {
        let posture = Self.with(check, false)
        #expect(evaluator.result(of: check, posture) == .fail)
        #expect(evaluator.verdict(posture) == .nonCompliant(failing: [check]))
    }

    @Test(arguments: ComplianceCheck.allCases.filter { $0 != .enrolled })
    func eachCheckWithAnUnknownFlagIsUnknownNeverFail(_ check: ComplianceCheck) {
        let posture = Self.with(check, nil)
        #expect(evaluator.result(of: check, posture) == .unknown)
        #expect(evaluator.verdict(posture) == .unknown(unknown: [check]))
    }

    @Test(arguments: MDMStatus.allCases.filter { $0 != .enrolled })
    func everyStatusButEnrolledFailsEnrollment(_ status: MDMStatus) {
        var posture = Self.healthy()
        posture.status = status
        #expect(evaluator.verdict(posture) == .nonCompliant(failing: [.enrolled]))
    }

    @Test func nonCompliantWinsOverUnknown() {
        var posture = Self.healthy()
        posture.isEncrypted = false
        posture.firewallEnabled = nil
        posture.isCompromised = true
        #expect(
            evaluator.verdict(posture)
                == .nonCompliant(failing: [.diskEncryption, .notCompromised]))
    }

    @Test func unknownWinsOverCompliant() {
        var posture = Self.healthy()
        posture.screenlockEnabled = nil
        posture.lastSeenDate = nil
        #expect(evaluator.verdict(posture) == .unknown(unknown: [.screenLock, .recentCheckIn]))
    }

    @Test func noMDMRowIsUnknownOnEveryCheck() {
        #expect(
            evaluator.verdict(nil as MDMPosture?) == .unknown(unknown: ComplianceCheck.allCases))
        #expect(evaluator.results(nil).allSatisfy { $0.1 == .unknown })
        #expect(evaluator.verdict(Device(id: 1)).name == "unknown")
    }

    @Test func deviceVerdictReadsItsEnrollment() {
        let device = Device(
            id: 1,
            mdm: MDMEnrollment(
                id: 1, status: .enrolled, firewallEnabled: true, osUpdatesEnabled: true,
                isEncrypted: false, screenlockEnabled: true, isCompromised: false,
                osUpdatesAvailable: false, lastSeenDate: Self.now))
        #expect(evaluator.verdict(device) == .nonCompliant(failing: [.diskEncryption]))
    }

    @Test func checkInWindowIsThirtyDaysInclusive() {
        var posture = Self.healthy()
        posture.lastSeenDate = Self.now.addingTimeInterval(-30 * 86_400)
        #expect(evaluator.result(of: .recentCheckIn, posture) == .pass)
        posture.lastSeenDate = Self.now.addingTimeInterval(-30 * 86_400 - 1)
        #expect(evaluator.result(of: .recentCheckIn, posture) == .fail)
        #expect(ComplianceEvaluator.defaultCheckInWindow == 30 * 86_400)
    }

    @Test func configuredWindowReplacesThirtyDays() {
        let weekly = ComplianceEvaluator(now: Self.now, checkInWindow: 7 * 86_400)
        var posture = Self.healthy()
        posture.lastSeenDate = Self.now.addingTimeInterval(-10 * 86_400)
        #expect(weekly.verdict(posture) == .nonCompliant(failing: [.recentCheckIn]))
        #expect(evaluator.verdict(posture) == .compliant)
    }

    @Test func severityOrdersCompliantUnknownThenWorseFailures() {
        let one = ComplianceVerdict.nonCompliant(failing: [.firewall])
        let two = ComplianceVerdict.nonCompliant(failing: [.firewall, .screenLock])
        let unknown = ComplianceVerdict.unknown(unknown: [.firewall])
        #expect(ComplianceVerdict.compliant.severity < unknown.severity)
        #expect(unknown.severity < one.severity)
        #expect(one.severity < two.severity)
        #expect(two.name == "non_compliant")
        #expect(two.failing == [.firewall, .screenLock])
        #expect(unknown.failing.isEmpty)
    }
}
