import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Requests per token in a sliding minute (issue 13, "Limits"; seed 004 documents 10
/// requests per minute on its routes). Each route group has its own limiter, so a token's
/// use of one seed's routes does not spend another's allowance.
public final class RateLimiter: Sendable {
    /// Requests allowed per token in any 60 seconds; 0 means no limit.
    public let perMinute: Int
    let clock: @Sendable () -> Date
    private let recent = NIOLockedValueBox([Int64: [Date]]())

    public init(perMinute: Int, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.perMinute = perMinute
        self.clock = clock
    }

    /// Counts one request of `token`; nil when it may go on, else the whole seconds until the
    /// oldest request of the window leaves it (the `Retry-After` value, at least 1).
    public func admit(token: Int64) -> Int? {
        guard perMinute > 0 else { return nil }
        let now = clock()
        return recent.withLockedValue { table in
            var times = table[token, default: []].filter { now.timeIntervalSince($0) < 60 }
            if times.count >= perMinute, let oldest = times.first {
                table[token] = times
                return max(1, Int((60 - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            times.append(now)
            table[token] = times
            return nil
        }
    }
}

/// Refuses a request over its token's allowance with `refuse(retryAfter)` (429, with
/// `Retry-After`). Runs after ``TokenAuthentication``.
public struct RateLimit: RouterMiddleware {
    public typealias Context = APIContext
    let limiter: RateLimiter
    let refuse: @Sendable (Int) -> Response

    public init(_ limiter: RateLimiter, refuse: @escaping @Sendable (Int) -> Response) {
        self.limiter = limiter
        self.refuse = refuse
    }

    public func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        if let identity = context.identity, let wait = limiter.admit(token: identity.tokenID) {
            var answer = refuse(wait)
            answer.headers[.retryAfter] = String(wait)
            return answer
        }
        return try await next(request, context)
    }
}

extension RateLimiter {
    /// What every route group says when it refuses a request over the allowance.
    public func message(retryAfter wait: Int) -> String {
        "more than \(perMinute) requests in a minute; try again in \(wait) s"
    }
}
