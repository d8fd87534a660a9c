import DecomCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Where a route group takes its token from. The native API takes a bearer token only; seeds
/// put theirs where their documents say (seed 002: `X-Auth-Token` or `?token=`; seed 004:
/// `?access_token=`).
public enum CredentialSource: Sendable, Hashable {
    case bearer
    case header(HTTPField.Name)
    case query(String)
}

/// Why a request was not authenticated.
public enum AuthFailure: Sendable, Equatable {
    /// No token where this route takes one.
    case missing
    /// A token that is unknown, expired or revoked (the core's error).
    case refused(AuthorityError)

    public var message: String {
        switch self {
        case .missing: "no API token: create one with 'decom token create'"
        case .refused(let error): error.description
        }
    }
}

/// A refusal in the shape its route group answers with.
struct AuthRefusal: HTTPResponseError {
    var status: HTTPResponse.Status { answer.status }
    let answer: Response
    /// Why: for a group whose answer depends on the request too (seed 003's format).
    var failure: AuthFailure? = nil

    func response(from request: Request, context: some RequestContext) throws -> Response {
        answer
    }
}

/// Establishes who a request acts as, from its API token alone (``TokenAuthority``): the
/// request's body and parameters never say it. A request with no token, or a token that is
/// unknown, expired or revoked, is answered by `refuse` (401 in every seed's shape) and goes
/// no further.
public struct TokenAuthentication: AuthenticatorMiddleware {
    public typealias Context = APIContext
    public typealias Identity = APIIdentity

    let authority: TokenAuthority
    let blocking: Blocking
    let sources: [CredentialSource]
    let refuse: @Sendable (AuthFailure) -> Response

    public init(
        authority: TokenAuthority, blocking: Blocking, sources: [CredentialSource],
        refuse: @escaping @Sendable (AuthFailure) -> Response
    ) {
        self.authority = authority
        self.blocking = blocking
        self.sources = sources
        self.refuse = refuse
    }

    public func authenticate(request: Request, context: APIContext) async throws -> APIIdentity? {
        guard let presented = Self.credential(in: request, sources: sources) else {
            throw AuthRefusal(answer: refuse(.missing), failure: .missing)
        }
        let authority = self.authority
        do {
            let token = try await blocking.run { try authority.authenticateToken(presented) }
            return APIIdentity(actor: Actor(user: token.user, role: token.role), tokenID: token.id)
        } catch let error as AuthorityError {
            throw AuthRefusal(answer: refuse(.refused(error)), failure: .refused(error))
        }
    }

    /// The first token found in `sources`, in their order.
    static func credential(in request: Request, sources: [CredentialSource]) -> String? {
        for source in sources {
            switch source {
            case .bearer:
                if let bearer = request.headers.bearer, !bearer.token.isEmpty {
                    return bearer.token
                }
            case .header(let name):
                if let value = request.headers[name], !value.isEmpty { return value }
            case .query(let name):
                if let value = request.uri.queryParameters.get(name), !value.isEmpty {
                    return value
                }
            }
        }
        return nil
    }
}

extension RouterGroup where Context == APIContext {
    /// The group's requests authenticated (a token from `sources`, refused by `unauthorized`)
    /// and then counted against the token's allowance in `rate` (refused by `limited`, with
    /// the seconds to wait): the two middlewares every route group puts first, each answering
    /// in its group's own shape.
    public func authenticated(
        _ server: ServerContext, sources: [CredentialSource], rate: RateLimiter,
        unauthorized: @escaping @Sendable (AuthFailure) -> Response,
        limited: @escaping @Sendable (Int) -> Response
    ) -> RouterGroup<APIContext> {
        add(
            middleware: TokenAuthentication(
                authority: server.tokens, blocking: server.blocking, sources: sources,
                refuse: unauthorized)
        )
        .add(middleware: RateLimit(rate, refuse: limited))
    }
}
