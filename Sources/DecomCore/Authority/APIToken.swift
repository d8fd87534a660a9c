import Foundation

/// One API token as the database keeps it: never the token itself, only its SHA-256, with
/// whose it is, the role it acts with and its dates (issue 13, "API tokens").
public struct APIToken: Sendable, Hashable {
    public var id: Int64
    /// Who acts with the token, as recorded in history and audit.
    public var user: String
    public var role: Role
    /// The SHA-256 of the token's text (32 bytes).
    public var hash: [UInt8]
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: Int64, user: String, role: Role, hash: [UInt8], createdAt: Date, expiresAt: Date?,
        lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.user = user
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether a token may be used.
    public enum State: String, Sendable, Hashable {
        case active, expired, revoked
    }

    /// The token's state at `now`: revoked wins over expired; a token expires at its expiry.
    public func state(at now: Date) -> State {
        if revokedAt != nil { return .revoked }
        if let expiresAt, now >= expiresAt { return .expired }
        return .active
    }
}

/// Where the API tokens' rows live. Implemented by DecomStore over SQLite; it only stores and
/// reads rows, the rules are ``TokenAuthority``'s.
public protocol TokenStore: Sendable {
    /// Adds a token's row and returns its id.
    func addToken(hash: [UInt8], user: String, role: Role, at: Date, expires: Date?) throws
        -> Int64
    /// Every token's row, by id.
    func tokens() throws -> [APIToken]
    /// Sets a token's `revoked_at` unless it is already set; false when no token has the id.
    func revokeToken(id: Int64, at: Date) throws -> Bool
    /// Sets a token's `last_used_at`.
    func markTokenUsed(id: Int64, at: Date) throws
}
