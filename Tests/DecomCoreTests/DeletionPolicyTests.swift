import Testing

@testable import DecomCore

struct DeletionPolicyTests {
    static func facts(
        status: ClientStatus = .available, rented: Bool = false, mdm: MDMStatus? = .enrolled
    ) -> DeviceFacts {
        DeviceFacts(
            id: 7, name: "LT-PAR-00007", serialNumber: "C02XK1ZZJGH5", clientStatus: status,
            rented: rented, mdmStatus: mdm, activeSessions: 2)
    }

    @Test(arguments: DeletionMode.allCases)
    func wipePendingIsForbiddenInEveryMode(_ mode: DeletionMode) throws {
        let refusal = try #require(
            DeletionPolicy.refusal(for: Self.facts(mdm: .deviceWipePending), mode: mode))
        #expect(refusal.outcome == .forbidden)
        #expect(refusal.reason.contains("wipe is pending"))
    }

    @Test(arguments: DeletionMode.allCases)
    func enrollmentInProgressIsForbiddenInEveryMode(_ mode: DeletionMode) throws {
        let refusal = try #require(
            DeletionPolicy.refusal(for: Self.facts(mdm: .enrollmentInProgress), mode: mode))
        #expect(refusal.outcome == .forbidden)
        #expect(refusal.reason.contains("enrollment is in progress"))
    }

    @Test(arguments: DeletionMode.allCases, [ClientStatus.shipped, .delivered, .inService])
    func rentedDeviceOutAtTheCustomerIsForbidden(_ mode: DeletionMode, _ status: ClientStatus)
        throws
    {
        let refusal = try #require(
            DeletionPolicy.refusal(for: Self.facts(status: status, rented: true), mode: mode))
        #expect(refusal.outcome == .forbidden)
        #expect(refusal.reason.contains("rented device is \(status.rawValue)"))
    }

    @Test(arguments: [ClientStatus.shipped, .delivered, .inService])
    func sameStatusWithoutRentIsAllowed(_ status: ClientStatus) {
        for mode in DeletionMode.allCases {
            #expect(DeletionPolicy.refusal(for: Self.facts(status: status), mode: mode) == nil)
        }
    }

    @Test(arguments: [ClientStatus.available, .inMaintenance, .outOfService, .inPreparation])
    func rentedDeviceBackInStockIsAllowed(_ status: ClientStatus) {
        for mode in DeletionMode.allCases {
            let facts = Self.facts(status: status, rented: true)
            #expect(DeletionPolicy.refusal(for: facts, mode: mode) == nil)
        }
    }

    @Test func archivingAnArchivedDeviceChangesNothing() throws {
        let facts = Self.facts(status: .archived)
        let refusal = try #require(DeletionPolicy.refusal(for: facts, mode: .archive))
        #expect(refusal.outcome == .alreadyArchived)
        #expect(DeletionPolicy.refusal(for: facts, mode: .purge) == nil)
        #expect(DeletionPolicy.refusal(for: facts, mode: .unenroll) == nil)
    }

    @Test func unenrollNeedsAnAgentToRemove() {
        let none = DeletionPolicy.refusal(for: Self.facts(mdm: nil), mode: .unenroll)
        #expect(none?.outcome == .notEnrolled)
        let gone = DeletionPolicy.refusal(for: Self.facts(mdm: .unenrolled), mode: .unenroll)
        #expect(gone?.outcome == .notEnrolled)
        #expect(DeletionPolicy.refusal(for: Self.facts(mdm: nil), mode: .purge) == nil)
    }

    @Test func forbiddenWinsOverAlreadyArchived() {
        let facts = Self.facts(status: .archived, mdm: .deviceWipePending)
        #expect(DeletionPolicy.refusal(for: facts, mode: .archive)?.outcome == .forbidden)
    }

    @Test func viewerMayNotChangeAnything() {
        for mode in DeletionMode.allCases {
            let reason = DeletionPolicy.scopeRefusal(role: .viewer, mode: mode)
            #expect(reason?.contains("role viewer may not \(mode.verb)") == true)
        }
    }

    @Test func operatorMayArchiveAndUnenrollButNotPurge() {
        #expect(DeletionPolicy.scopeRefusal(role: .operator, mode: .archive) == nil)
        #expect(DeletionPolicy.scopeRefusal(role: .operator, mode: .unenroll) == nil)
        #expect(
            DeletionPolicy.scopeRefusal(role: .operator, mode: .purge)
                == "role operator may not purge; it needs admin")
        #expect(Role.operator.may(.restore))
    }

    @Test func adminMayDoEverything() {
        for mode in DeletionMode.allCases {
            #expect(DeletionPolicy.scopeRefusal(role: .admin, mode: mode) == nil)
        }
        #expect(Role.default == .admin)
    }

    @Test func onlyTheModesThatArchiveAreUndoable() {
        #expect(DeletionMode.allCases.filter(\.isUndoable) == [.archive, .archiveAndUnenroll])
        #expect(TransactionType.allCases.filter(\.isUndoable) == [.archive, .archiveUnenroll])
    }

    @Test func archiveAndUnenrollAppliesWhicheverHalfIsLeft() {
        let mode = DeletionMode.archiveAndUnenroll
        #expect(DeletionPolicy.scopeRefusal(role: .operator, mode: mode) == nil)
        #expect(DeletionPolicy.refusal(for: Self.facts(), mode: mode) == nil)
        #expect(mode.applied(to: Self.facts()).outcome == .archivedUnenrolled)
        let archived = Self.facts(status: .archived)
        #expect(DeletionPolicy.refusal(for: archived, mode: mode) == nil)
        #expect(mode.applied(to: archived).outcome == .unenrolled)
        #expect(mode.applied(to: Self.facts(mdm: nil)).outcome == .archived)
        #expect(mode.applied(to: Self.facts(mdm: .unenrolled)).outcome == .archived)
        for mdm: MDMStatus? in [nil, .unenrolled] {
            let nothing = DeletionPolicy.refusal(
                for: Self.facts(status: .archived, mdm: mdm), mode: mode)
            #expect(nothing?.outcome == .alreadyArchived)
        }
    }

    @Test func aQueuedTransactionIsCanceledByItsUserOrAnAdminNeverAViewer() {
        let oscar = Actor(user: "oscar", role: .operator)
        #expect(DeletionPolicy.cancelRefusal(owner: "oscar", actor: oscar) == nil)
        #expect(DeletionPolicy.cancelRefusal(owner: "olga", actor: oscar)?.contains("olga") == true)
        #expect(
            DeletionPolicy.cancelRefusal(owner: "olga", actor: Actor(user: "al", role: .admin))
                == nil)
        let viewer = Actor(user: "oscar", role: .viewer)
        #expect(
            DeletionPolicy.cancelRefusal(owner: "oscar", actor: viewer)?.contains("viewer") == true)
    }
}
