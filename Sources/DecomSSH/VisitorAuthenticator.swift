import DecomCore
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

    init(mode: ServerMode) { self.mode = mode }

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
            guard case .publicKey(let offered) = request.request,
                let match = keys.first(where: { $0.key == offered.publicKey })
            else {
                responsePromise.succeed(.failure)
                return
            }
            visitor = Visitor(login: login, user: match.entry.user, role: match.entry.role)
            responsePromise.succeed(.success)
        }
    }
}
