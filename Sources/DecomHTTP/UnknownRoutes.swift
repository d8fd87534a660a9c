import DecomCore
import Hummingbird

/// Answers a request that no route takes: 405 with `Allow` when the path is a route's (native
/// or a seed's) with another method, else 404, both in the native error shape (Hummingbird's
/// own answer is an empty 404 for both).
public struct UnknownRoutes: RouterMiddleware {
    public typealias Context = APIContext

    /// The routes' paths, as segments (`*` for a parameter), with their methods.
    static let native: [([String], [String])] = [
        (["api", "v1", "openapi.json"], ["GET"]),
        (["api", "v1", "devices"], ["GET"]),
        (["api", "v1", "devices", "*"], ["GET"]),
        (["api", "v1", "deletions"], ["POST"]),
        (["api", "v1", "transactions"], ["GET"]),
        (["api", "v1", "transactions", "*"], ["GET", "DELETE"]),
        (["api", "v1", "transactions", "*", "undo"], ["POST"]),
        (["compat", "flashback", "devices", "*"], ["DELETE"]),
        (["compat", "fleet-platform", "devices", "*"], ["DELETE"]),
        (
            ["compat", "ubidots", "api", "v2.0", "devices", "_", "bulk", "delete"],
            ["POST", "DELETE"]
        ),
        (
            ["compat", "mobilefirst", "management-apis", "2.0", "runtimes", "*", "devices", "*"],
            ["DELETE"]
        ),
        (["compat", "opswat", "o", "api", "v2", "devices", "delete"], ["POST"]),
    ]

    public init() {}

    public func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let segments = request.uri.path.split(separator: "/").map(String.init)
            for (template, methods) in Self.native
            where template.count == segments.count
                && zip(template, segments).allSatisfy({ $0 == "*" || $0 == $1 })
            {
                var answer = APIError(
                    .methodNotAllowed, code: "method_not_allowed",
                    message:
                        "\(request.method.rawValue) is not allowed here; use \(methods.joined(separator: " or "))"
                ).answer
                answer.headers[.allow] = methods.joined(separator: ", ")
                return answer
            }
            return APIError.notFound(
                "no route \(request.method.rawValue) \(SafeText.visible(request.uri.path))"
            ).answer
        }
    }
}
