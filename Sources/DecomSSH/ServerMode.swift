import DecomCore
import NIOSSH

/// What a session's console runs on: a fresh demo fleet of its own, or the shared fleet
/// database with the key's user and role.
public enum ServerMode: Sendable {
    /// Every session gets a new generated fleet of `devices` devices in its own temporary
    /// database; any visitor may log in (SSH auth method "none").
    case demo(devices: Int)
    /// Every session opens `database`; only the keys of the authorized-keys file log in.
    case fleet(database: String, keys: [AuthorizedKey])

    /// One line of the authorized-keys file with its key decoded.
    public struct AuthorizedKey: Sendable {
        public var key: NIOSSHPublicKey
        public var entry: AuthorizedKeys.Entry
    }

    /// A key line whose key swift-nio-ssh cannot read.
    public struct BadKey: Error, CustomStringConvertible {
        public var description: String
    }

    /// Fleet mode with the keys of a parsed authorized-keys file.
    public static func fleet(database: String, authorizedKeys: AuthorizedKeys) throws(BadKey)
        -> ServerMode
    {
        var keys: [AuthorizedKey] = []
        for entry in authorizedKeys.entries {
            guard
                let key = try? NIOSSHPublicKey(
                    openSSHPublicKey: entry.keyType + " " + entry.keyData)
            else {
                throw BadKey(
                    description: "line \(entry.line): the \(entry.keyType) key cannot be read")
            }
            keys.append(AuthorizedKey(key: key, entry: entry))
        }
        return .fleet(database: database, keys: keys)
    }

    var name: String {
        switch self {
        case .demo: "demo"
        case .fleet: "fleet"
        }
    }
}

/// Who a connection logged in as: the safe login name, and the user and role its console
/// runs with.
struct Visitor: Sendable {
    var login: String
    var user: String
    var role: Role
}
