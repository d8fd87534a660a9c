import Crypto
import Foundation
import Glibc
import NIOSSH

/// The server's ed25519 host key, kept in a file in OpenSSH's private key format.
///
/// Created once and kept across restarts, so visitors' `known_hosts` stay valid (issue 12).
/// The file is written with mode 0600 in a folder of mode 0700, and a key file that the
/// group or others may read is refused, as sshd refuses one. The format is OpenSSH's
/// (`openssh-key-v1`, unencrypted), so `ssh-keygen -l -f FILE` shows the same fingerprint
/// and an admin may bring a key made by `ssh-keygen -t ed25519 -N ''`.
public struct HostKey: Sendable {
    /// The key as swift-nio-ssh takes it.
    public let sshKey: NIOSSHPrivateKey
    /// The 32 bytes of the public key.
    let publicKey: Data
    /// The 32 bytes of the private key's seed, as the key file keeps them.
    let seed: Data

    /// The `ssh-ed25519 AAAA...` line for `known_hosts`.
    public var publicLine: String { "ssh-ed25519 " + publicBlob.base64EncodedString() }

    /// `SHA256:...` as `ssh-keygen -l` and `ssh` print it: the unpadded base64 of the SHA-256
    /// of the public key blob.
    public var fingerprint: String { Self.fingerprint(ofBlob: publicBlob) }

    /// `SHA256:...` of a public key blob in SSH wire format, any key type.
    static func fingerprint(ofBlob blob: Data) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The public key in SSH wire format: string "ssh-ed25519", string key.
    var publicBlob: Data {
        var blob = SSHWire()
        blob.append(string: Data("ssh-ed25519".utf8))
        blob.append(string: publicKey)
        return blob.data
    }

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        sshKey = NIOSSHPrivateKey(ed25519Key: privateKey)
        publicKey = privateKey.publicKey.rawRepresentation
        seed = privateKey.rawRepresentation
    }

    /// A problem with the key file; the server does not start.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where the key lives by default: `$XDG_STATE_HOME/decom/ssh_host_ed25519_key`
    /// (`~/.local/state/decom/...`).
    public static func defaultPath(environment: [String: String]) -> String {
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return state + "/decom/ssh_host_ed25519_key"
    }

    /// Reads the key at `path`, or creates it there when no file exists. Returns the key and
    /// whether it was created.
    public static func loadOrCreate(path: String) throws(Problem) -> (key: HostKey, created: Bool) {
        var info = stat()
        if lstat(path, &info) == 0 {
            return (try load(path: path, info: info), false)
        }
        guard errno == ENOENT else {
            throw Problem(
                description: "cannot read host key \(path): \(String(cString: strerror(errno)))")
        }
        let key = HostKey(privateKey: Curve25519.Signing.PrivateKey())
        try write(key, to: path)
        return (key, true)
    }

    static func load(path: String, info: stat) throws(Problem) -> HostKey {
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Problem(description: "host key \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Problem(
                description: "host key \(path) may be read by group or others (mode 0"
                    + String(mode, radix: 8) + "): run chmod 600 on it, or give another --host-key")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "cannot read host key \(path)")
        }
        do {
            return HostKey(privateKey: try OpenSSHKeyFile.decode(text))
        } catch {
            throw Problem(description: "host key \(path): \(error.description)")
        }
    }

    static func write(_ key: HostKey, to path: String) throws(Problem) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw Problem(description: "cannot create \(folder): \(error.localizedDescription)")
        }
        let text = OpenSSHKeyFile.encode(
            seed: key.seed, publicKey: key.publicKey, comment: "decom serve-ssh host key")
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Problem(
                description: "cannot create host key \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw Problem(description: "cannot write host key \(path)")
        }
    }
}
