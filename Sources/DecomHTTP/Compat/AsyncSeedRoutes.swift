import Hummingbird

/// The endpoints of the two seeds whose deletions may run asynchronously: seed 002 (Ubidots,
/// always: it answers a task id at once) and seed 003 (MobileFirst, with `?async=true`). Each
/// group has its own rate limiter of the server's default allowance.
public enum AsyncSeedRoutes {
    public static func add(
        to router: Router<APIContext>, server: ServerContext, perMinute: Int,
        log: @escaping @Sendable (String) -> Void
    ) {
        UbidotsRoutes.add(
            to: router, server: server, rate: RateLimiter(perMinute: perMinute), log: log)
        MobileFirstRoutes.add(
            to: router, server: server, rate: RateLimiter(perMinute: perMinute), log: log)
    }
}
