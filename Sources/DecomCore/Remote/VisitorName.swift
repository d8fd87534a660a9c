/// The name an SSH visitor logged in with, once it is safe to use.
///
/// The login name is untrusted text (issue 12): only `[A-Za-z0-9._-]{1,32}` reaches a child's
/// argv, a log line or a screen. Any other name is replaced by ``VisitorName/replacement``, so
/// escape sequences, spaces, option-like text and very long names go nowhere.
public enum VisitorName {
    /// What stands for a login name that is not safe to show.
    public static let replacement = "visitor"

    /// The name itself when every character is a letter, digit, `.`, `_` or `-` and it has 1 to
    /// 32 of them, and does not start with `-` (so it cannot pass for an option); else `nil`.
    public static func validated(_ name: String) -> String? {
        let scalars = name.unicodeScalars
        guard (1...32).contains(scalars.count), scalars.first != "-" else { return nil }
        for s in scalars {
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": continue
            default: return nil
            }
        }
        return name
    }

    /// The name when it is valid, else ``replacement``.
    public static func safe(_ name: String) -> String { validated(name) ?? replacement }

    /// The role a demo visitor gets from the login name: `viewer`, `operator` or `admin` (any
    /// case) name that role; any other name is an admin of their own sandbox. Only demo mode
    /// uses this: in fleet mode the role comes from the visitor's key.
    public static func demoRole(forLogin name: String) -> Role {
        Role(rawValue: name.lowercased()) ?? .admin
    }
}
