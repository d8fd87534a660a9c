import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// Authority lives in the core (issue 13): the executing actor is the caller's, never the
/// plan's; API tokens are kept as hashes and checked by ``TokenAuthority``.
@Suite struct AuthorityTests {
    let store: SQLiteFleetStore
    let service: DeletionService

    init() throws {
        store = try makeStore((1...4).map { makeRecord($0) })
        service = DeletionService(store: store, clock: { testNow })
    }

    /// Everything a deletion writes, as counts.
    func written() throws -> [Int] {
        try ["transactions", "audit", "undo_entries", "tombstones"].map { try count(store, $0) }
            + [try store.read { try $0.deviceCount(scope: .archived) }]
    }

    // MARK: - The caller's actor

    @Test func aPlanExecutedByAnotherActorWritesNothing() throws {
        let mallory = Actor(user: "mallory", role: .viewer)
        // A plan value that claims an admin made it, executed by a viewer (a forged request).
        let forged = try service.plan(ids: [1, 2], mode: .purge, actor: admin)
        let before = try written()
        #expect(throws: AuthorityError.actorMismatch(plan: admin, caller: mallory)) {
            try service.execute(forged, as: mallory, bulk: true)
        }
        // The same user with another role is another actor too.
        let demoted = Actor(user: admin.user, role: .operator)
        #expect(throws: AuthorityError.self) {
            try service.execute(forged, as: demoted, bulk: true)
        }
        #expect(try written() == before)
        #expect(try store.read { try $0.device(id: 1) } != nil)
    }

    @Test func theRoleIsCheckedOnTheCallersActor() throws {
        let viewer = Actor(user: "victor", role: .viewer)
        let plan = try service.plan(ids: [3], mode: .archive, actor: viewer)
        let before = try written()
        let record = try service.execute(plan, as: viewer, bulk: false)
        #expect(record.id == 0)
        #expect(record.items.map(\.outcome) == [.insufficientScope])
        #expect(try written() == before)
    }

    // MARK: - API tokens

    final class Clock: @unchecked Sendable {
        var now = testNow
    }

    @Test func aCreatedTokenAuthenticatesAsItsUserAndRole() throws {
        let clock = Clock()
        let tokens = TokenAuthority(store: store, clock: { clock.now })
        let created = try tokens.create(user: "ci-bot", role: .operator, lifetime: nil, by: admin)
        #expect(created.token.hasPrefix("decom_"))
        #expect(created.token.count == 6 + 64)
        let other = try tokens.create(user: "ci-bot", role: .operator, lifetime: nil, by: admin)
        #expect(other.token != created.token, "each token is random")
        clock.now = testNow.addingTimeInterval(60)
        #expect(try tokens.authenticate(created.token) == Actor(user: "ci-bot", role: .operator))
        let row = try #require(try store.tokens().first { $0.id == created.record.id })
        #expect(row.lastUsedAt == clock.now)
        // The database holds the SHA-256 only.
        let stored = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens")
        }
        let dump = stored.map(\.description).joined()
        #expect(!dump.contains(String(created.token.dropFirst(6))))
        #expect(row.hash == TokenAuthority.hash(created.token) && row.hash.count == 32)
    }

    @Test func unknownExpiredAndRevokedTokensAreRefused() throws {
        let clock = Clock()
        let tokens = TokenAuthority(store: store, clock: { clock.now })
        let short = try tokens.create(user: "temp", role: .viewer, lifetime: 3600, by: admin)
        let revoked = try tokens.create(user: "gone", role: .admin, lifetime: nil, by: admin)
        #expect(throws: AuthorityError.unknownToken) { try tokens.authenticate("decom_00") }
        #expect(throws: AuthorityError.unknownToken) {
            // One digit changed.
            var text = Array(short.token)
            text[text.count - 1] = text.last == "0" ? "1" : "0"
            return try tokens.authenticate(String(text))
        }
        #expect(try tokens.authenticate(short.token).user == "temp")
        clock.now = testNow.addingTimeInterval(3600)
        #expect(throws: AuthorityError.expiredToken(id: short.record.id)) {
            try tokens.authenticate(short.token)
        }
        #expect(try tokens.authenticate(revoked.token).role == .admin)
        try tokens.revoke(id: revoked.record.id, by: admin)
        #expect(throws: AuthorityError.revokedToken(id: revoked.record.id)) {
            try tokens.authenticate(revoked.token)
        }
        #expect(throws: AuthorityError.noSuchToken(99)) { try tokens.revoke(id: 99, by: admin) }
        let states = try tokens.list(by: admin).map { $0.state(at: clock.now) }
        #expect(states == [.expired, .revoked])
    }

    @Test func onlyAnAdminManagesTokens() throws {
        let tokens = TokenAuthority(store: store, clock: { testNow })
        let made = try tokens.create(user: "x", role: .viewer, lifetime: nil, by: admin)
        for role in [Role.viewer, .operator] {
            let actor = Actor(user: "bob", role: role)
            #expect(throws: AuthorityError.tokenManagementDenied(role)) {
                try tokens.create(user: "y", role: .admin, lifetime: nil, by: actor)
            }
            #expect(throws: AuthorityError.tokenManagementDenied(role)) {
                try tokens.revoke(id: made.record.id, by: actor)
            }
            #expect(throws: AuthorityError.tokenManagementDenied(role)) {
                try tokens.list(by: actor)
            }
        }
        #expect(try store.tokens().count == 1)
        #expect(try store.tokens()[0].revokedAt == nil)
    }

    @Test func constantTimeEqualityComparesWholeHashes() {
        let a = TokenAuthority.hash("decom_a")
        var b = a
        #expect(ConstantTime.equal(a, b))
        b[31] ^= 1
        #expect(!ConstantTime.equal(a, b))
        b = a
        b[0] ^= 0x80
        #expect(!ConstantTime.equal(a, b))
        #expect(!ConstantTime.equal(a, Array(a.dropLast())))
        #expect(ConstantTime.equal([], []))
    }

    @Test func theTokenTableLeavesTheAuditChainIntact() throws {
        let tokens = TokenAuthority(store: store, clock: { testNow })
        _ = try service.execute(
            try service.plan(ids: [1], mode: .archive, actor: admin), as: admin, bulk: false)
        let made = try tokens.create(user: "x", role: .viewer, lifetime: nil, by: admin)
        _ = try tokens.authenticate(made.token)
        try tokens.revoke(id: made.record.id, by: admin)
        #expect(try store.verifyAuditChain().isIntact)
        #expect(try store.schemaVersion() == FleetSchema.version)
    }
}
