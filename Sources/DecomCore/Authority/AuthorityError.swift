/// Why the core refused who is acting, before anything was read or written on their behalf.
///
/// The rule (issue 13, "Authority first"): a front end establishes who is acting (the local
/// user and role, an SSH key's entry, an API token) and passes that actor to the core; the
/// core never takes the actor from a request or a plan value, which a client could forge.
public enum AuthorityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A plan made by (or for) another actor than the one executing it.
    case actorMismatch(plan: Actor, caller: Actor)
    /// Only an admin manages API tokens.
    case tokenManagementDenied(Role)
    /// A presented API token that no row holds.
    case unknownToken
    /// A presented API token past its expiry.
    case expiredToken(id: Int64)
    /// A presented API token that was revoked.
    case revokedToken(id: Int64)
    /// `decom token revoke ID` of an id that no token has.
    case noSuchToken(Int64)
    /// A token's user that is empty or holds control characters.
    case invalidTokenUser

    public var description: String {
        switch self {
        case .actorMismatch(let plan, let caller):
            return
                "the plan was made for \(SafeText.visible(plan.user)) (\(plan.role.rawValue)), not for \(SafeText.visible(caller.user)) (\(caller.role.rawValue)) who is acting; nothing changed"
        case .tokenManagementDenied(let role):
            return "role \(role.rawValue) may not manage API tokens; it needs admin"
        case .unknownToken:
            return "unknown API token"
        case .expiredToken(let id):
            return "API token \(id) has expired"
        case .revokedToken(let id):
            return "API token \(id) was revoked"
        case .noSuchToken(let id):
            return "no API token \(id)"
        case .invalidTokenUser:
            return "a token's user must be a non-empty name without control characters"
        }
    }
}
