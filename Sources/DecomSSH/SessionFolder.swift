import Foundation

/// The private folder of one SSH session: the console's HOME, XDG folders and TMPDIR, and so
/// its demo database. Removed when the session ends, whatever ends it.
///
/// Named `decom-ssh-<server pid>-<random>`, so that a server that was killed outright
/// (SIGKILL leaves no chance to clean up) has its folders removed by the next server that
/// starts with the same base folder.
struct SessionFolder: Sendable {
    static let prefix = "decom-ssh-"
    static let subfolders = ["home", "config", "data", "state", "cache", "tmp"]

    let path: String
    let id: String

    func sub(_ name: String) -> String { path + "/" + name }

    /// A new folder; a spare one (a demo fleet made ahead of its visitor) is named
    /// `decom-ssh-<pid>-spare-<random>` until a session takes it.
    static func create(base: String, spare: Bool = false) throws -> SessionFolder {
        let id = String(UInt64.random(in: .min ... .max), radix: 16)
        let path = base + "/" + prefix + String(getpid()) + "-" + (spare ? "spare-" : "") + id
        for name in subfolders {
            try FileManager.default.createDirectory(
                atPath: path + "/" + name, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        return SessionFolder(path: path, id: id)
    }

    /// The same folder under a session's name (`decom-ssh-<pid>-<id>`).
    func renamedForSession(base: String) throws -> SessionFolder {
        let path = base + "/" + Self.prefix + String(getpid()) + "-" + id
        try FileManager.default.moveItem(atPath: self.path, toPath: path)
        return SessionFolder(path: path, id: id)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Removes the folders left by servers that are no longer running.
    static func removeAbandoned(base: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: base + "/" + name)
            }
        }
    }
}
