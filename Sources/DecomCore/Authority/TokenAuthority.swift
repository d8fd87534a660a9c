import Crypto
import Foundation

/// API tokens: who may make them, what they look like, and who a presented token acts as
/// (issue 13, "API tokens").
///
/// A token is `decom_` and 64 hex digits (32 random bytes). It is shown once, when made; the
/// database keeps only its SHA-256 with the user and role it acts as, so a copy of the
/// database gives no one a usable token. A presented token's hash is compared with every
/// row's in constant time (``ConstantTime``), all rows compared whatever matched. Only an
/// admin (the local role) creates, lists or revokes tokens. A token is never logged nor
/// put in an error message: refusals name the token's id, not its text.
public struct TokenAuthority: Sendable {
    public let store: any TokenStore
    public let clock: @Sendable () -> Date

    /// What every token starts with, so that a leaked one is recognised by secret scanners.
    public static let prefix = "decom_"
    /// Random bytes in a token.
    public static let secretBytes = 32

    public init(store: any TokenStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// A made token: its text, shown once, and its row.
    public struct Created: Sendable {
        public var token: String
        public var record: APIToken
    }

    /// Makes a token acting as `user` with `role`, valid for `lifetime` seconds (nil: until
    /// revoked). Only an admin may.
    ///
    /// - Throws: ``AuthorityError/tokenManagementDenied(_:)``,
    ///   ``AuthorityError/invalidTokenUser``; the store's errors.
    public func create(user: String, role: Role, lifetime: TimeInterval?, by actor: Actor)
        throws -> Created
    {
        try requireAdmin(actor)
        guard !user.isEmpty, !user.unicodeScalars.contains(where: SafeText.needsEscape) else {
            throw AuthorityError.invalidTokenUser
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<Self.secretBytes).map { _ in
            UInt8.random(in: .min ... .max, using: &generator)
        }
        let token = Self.prefix + secret.map { String(format: "%02x", $0) }.joined()
        let now = clock()
        let expires = lifetime.map { now.addingTimeInterval($0) }
        let hash = Self.hash(token)
        let id = try store.addToken(hash: hash, user: user, role: role, at: now, expires: expires)
        return Created(
            token: token,
            record: APIToken(
                id: id, user: user, role: role, hash: hash, createdAt: now, expiresAt: expires,
                lastUsedAt: nil, revokedAt: nil))
    }

    /// Every token's row (never a token's text: only its hash is kept). Only an admin may.
    public func list(by actor: Actor) throws -> [APIToken] {
        try requireAdmin(actor)
        return try store.tokens()
    }

    /// Revokes a token: it is refused from now on. Only an admin may; revoking a revoked
    /// token changes nothing.
    public func revoke(id: Int64, by actor: Actor) throws {
        try requireAdmin(actor)
        guard try store.revokeToken(id: id, at: clock()) else {
            throw AuthorityError.noSuchToken(id)
        }
    }

    /// The actor a presented token acts as, and its last use recorded; or the refusal
    /// (unknown, expired, revoked).
    public func authenticate(_ presented: String) throws -> Actor {
        let token = try authenticateToken(presented)
        return Actor(user: token.user, role: token.role)
    }

    /// The row of a presented token (the server keys its rate limits and log lines by the
    /// row's id, never by the token's text), its last use recorded; or the refusal.
    ///
    /// - Throws: ``AuthorityError/unknownToken``, ``AuthorityError/expiredToken(id:)``,
    ///   ``AuthorityError/revokedToken(id:)``; the store's errors.
    public func authenticateToken(_ presented: String) throws -> APIToken {
        let hash = Self.hash(presented)
        var found: APIToken?
        for row in try store.tokens() where ConstantTime.equal(row.hash, hash) {
            found = row
        }
        guard let token = found else { throw AuthorityError.unknownToken }
        let now = clock()
        switch token.state(at: now) {
        case .revoked: throw AuthorityError.revokedToken(id: token.id)
        case .expired: throw AuthorityError.expiredToken(id: token.id)
        case .active: break
        }
        try store.markTokenUsed(id: token.id, at: now)
        return token
    }

    /// The SHA-256 of a token's text, as the database keeps it.
    public static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    private func requireAdmin(_ actor: Actor) throws {
        guard actor.role == .admin else {
            throw AuthorityError.tokenManagementDenied(actor.role)
        }
    }
}
