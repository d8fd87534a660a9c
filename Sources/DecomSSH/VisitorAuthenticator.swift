import DecomCore
import Foundation
import NIOCore
import NIOSSH

/// Decides who may log in on one connection, and remembers who did.
///
/// Demo mode accepts every request, the "none" method included (a visitor needs nothing but
/// OpenSSH); the login name chooses the role in the visitor's own sandbox. Fleet mode accepts
/// only a public key listed in the authorized-keys file (swift-nio-ssh has checked the
/// signature before asking), and the key alone gives the user and role.
final class VisitorAuthenticator: NIOSSHServerUserAuthenticationDelegate {
    let mode: ServerMode
    /// Set on the connection's event loop when a request succeeds.
    private(set) var visitor: Visitor?
    /// Whether the connection has opened a session channel (set by the server).
    var sessionOpened = false

    /// The server's log and the connection's remote address, for refused keys.
    private let log: ServerLog?
    private let remote: String

    init(mode: ServerMode, log: ServerLog? = nil, remote: String = "") {
        self.mode = mode
        self.log = log
        self.remote = remote
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest,
        responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        let login = VisitorName.safe(request.username)
        switch mode {
        case .demo:
            visitor = Visitor(
                login: login, user: login, role: VisitorName.demoRole(forLogin: request.username))
            responsePromise.succeed(.success)
        case .fleet(_, let keys):
            guard case .publicKey(let offered) = request.request else {
                responsePromise.succeed(.failure)
                return
            }
            guard let match = keys.first(where: { $0.key == offered.publicKey }) else {
                // As sshd's "Failed publickey" line: which key, so that an admin can tell a
                // colleague's missing line from a stranger. Only the fingerprint is logged.
                log?.write(
                    "refused \(remote) user=\(login): key \(Self.fingerprint(offered.publicKey)) is not in the authorized keys"
                )
                responsePromise.succeed(.failure)
                return
            }
            visitor = Visitor(login: login, user: match.entry.user, role: match.entry.role)
            responsePromise.succeed(.success)
        }
    }

    /// `SHA256:...` of a public key, as `ssh-keygen -l` prints it.
    static func fingerprint(_ key: NIOSSHPublicKey) -> String {
        let line = String(openSSHPublicKey: key)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let blob = Data(base64Encoded: String(parts[1])) else {
            return "(unreadable key)"
        }
        return HostKey.fingerprint(ofBlob: blob)
    }
}
