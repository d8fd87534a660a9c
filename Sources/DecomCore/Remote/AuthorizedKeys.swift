/// The keys that may open the fleet console over SSH, each standing for one user and role.
///
/// The file reads like OpenSSH's `authorized_keys`: one key a line, `#` comments and blank
/// lines skipped, options before the key type. Two options are required and no other is
/// accepted (an option decom does not enforce, such as `from=`, must not look enforced):
///
///     decom-role="operator",decom-user="ops1" ssh-ed25519 AAAAC3Nza... ops laptop
///
/// The role and user come from here and nowhere else (issue 12): no login name, env request or
/// flag of the visitor raises them. The user must pass ``VisitorName/validated(_:)``.
public struct AuthorizedKeys: Sendable, Equatable {
    /// One key line.
    public struct Entry: Sendable, Equatable {
        /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, ...
        public var keyType: String
        /// The key in base64, as in the file.
        public var keyData: String
        public var role: Role
        public var user: String
        /// The line number in the file, from 1.
        public var line: Int
    }

    /// A line that cannot be used; the whole file is refused.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The key types the server can verify (swift-nio-ssh's).
    public static let keyTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    ]

    public var entries: [Entry]

    /// Parses the file's text; the first bad line is the error.
    public static func parse(_ text: String) throws(Problem) -> AuthorizedKeys {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let number = index + 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            entries.append(try parseLine(line, number: number))
        }
        return AuthorizedKeys(entries: entries)
    }

    static func parseLine(_ line: Substring, number: Int) throws(Problem) -> Entry {
        func problem(_ message: String) -> Problem { Problem(line: number, message: message) }
        var rest = line
        var options: [String: String] = [:]
        let first = rest.prefix { $0 != " " && $0 != "\t" }
        if !keyTypes.contains(String(first)) && !first.hasPrefix("ssh-")
            && !first.hasPrefix("ecdsa-") && !first.hasPrefix("sk-")
        {
            options = try parseOptions(&rest, number: number)
            rest = rest.trimmingWhitespace()
        }
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { throw problem("no key after the options") }
        let type = String(fields[0])
        guard keyTypes.contains(type) else {
            throw problem(
                "key type '\(SafeText.visible(type))' is not supported: use ssh-ed25519 or ecdsa-sha2-nistp256/384/521"
            )
        }
        let data = String(fields[1])
        guard
            !data.isEmpty,
            data.unicodeScalars.allSatisfy({ s in
                switch s {
                case "A"..."Z", "a"..."z", "0"..."9", "+", "/", "=": true
                default: false
                }
            })
        else { throw problem("the key is not base64") }
        guard let roleText = options["decom-role"] else {
            throw problem("no decom-role=\"viewer|operator|admin\" option")
        }
        guard let role = Role(rawValue: roleText) else {
            throw problem(
                "unknown role '\(SafeText.visible(roleText))': use viewer, operator or admin")
        }
        guard let userText = options["decom-user"] else {
            throw problem("no decom-user=\"NAME\" option")
        }
        guard let user = VisitorName.validated(userText) else {
            throw problem(
                "decom-user '\(SafeText.visible(userText))' is not 1 to 32 letters, digits, '.', '_' or '-'"
            )
        }
        return Entry(keyType: type, keyData: data, role: role, user: user, line: number)
    }

    /// Reads `name="value"` options separated by commas up to the first unquoted blank.
    static func parseOptions(_ rest: inout Substring, number: Int) throws(Problem) -> [String:
        String]
    {
        func problem(_ message: String) -> Problem { Problem(line: number, message: message) }
        var options: [String: String] = [:]
        while true {
            let name = rest.prefix { $0 != "=" && $0 != "," && $0 != " " && $0 != "\t" }
            rest = rest.dropFirst(name.count)
            guard name == "decom-role" || name == "decom-user" else {
                throw problem(
                    "unknown option '\(SafeText.visible(String(name)))': decom takes only decom-role and decom-user"
                )
            }
            guard rest.first == "=", rest.dropFirst().first == "\"" else {
                throw problem("option \(name) needs a quoted value: \(name)=\"...\"")
            }
            rest = rest.dropFirst(2)
            var value = ""
            var closed = false
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "\\", let next = rest.first {
                    value.append(next)
                    rest = rest.dropFirst()
                } else if c == "\"" {
                    closed = true
                    break
                } else {
                    value.append(c)
                }
            }
            guard closed else { throw problem("option \(name) has no closing quote") }
            guard options[String(name)] == nil else { throw problem("option \(name) given twice") }
            options[String(name)] = value
            guard rest.first == "," else { break }
            rest = rest.dropFirst()
        }
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else {
            throw problem("options must be followed by a blank and the key")
        }
        return options
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }
}
