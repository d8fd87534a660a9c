import DecomCore
import Hummingbird
import HummingbirdAuth

/// Who a request acts as, established from its token by ``TokenAuthentication``; never from
/// anything else the request says.
public struct APIIdentity: Sendable, Hashable {
    public var actor: Actor
    /// The token's row id: rate limits and log lines name it, never the token's text.
    public var tokenID: Int64
}

/// The request context of every route: Hummingbird's core storage plus the identity.
public struct APIContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: APIIdentity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// Bodies are read by ``RequestBody`` with the server's own limit; this is Hummingbird's
    /// ceiling for anything that collects a body without one.
    public var maxUploadSize: Int { ServerLimits.defaultBodyBytes }
}
