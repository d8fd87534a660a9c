import DecomCore
import Foundation
import HTTPTypes
import Hummingbird

/// Seed 002 (Ubidots): `POST /compat/ubidots/api/v2.0/devices/_/bulk/delete/`, the path as
/// the seed's, under decom's prefix.
///
/// The seed says "Deleting Devices CANNOT be undone", so this is a purge (admin only, as every
/// purge). Its rules, in the order they are checked:
///
/// 1. The token is in `X-Auth-Token`, or in `?token=` (redacted in the request log); none is
///    401 `401001` with the seed's text, one that is unknown, expired or revoked is 401
///    `401002` with the core's reason.
/// 2. A role that may not purge is 403 `403001`, with the core's reason.
/// 3. `X-Bulk-Operation: True` (any case) is required, whatever the number of keys; without
///    it, 400 with the seed's `detail` alone. It is the core's bulk confirmation
///    (``DeletionPolicy/bulkRefusal(mode:count:)``): given, the purge of many devices may go.
/// 4. The body is JSON (`Content-Type: application/json`, else 415 `415001`): one array of
///    device keys, each an id (`"42"`), a label (`"~second-device"`), `{"id": …}`, or any of
///    decom's key forms. Anything else is 400 `400001` "Validation Error." with a `detail`
///    object that names what was wrong: `non_field_errors` for the body, the element's index
///    for a key. Nothing is planned then.
/// 5. The answer is `{"task": {"id": "17"}}` at once (and `Location:
///    /api/v1/transactions/17`): the task is the native transaction, which runs on the
///    deletion queue; its items say, key by key, what was purged, not found or forbidden.
///
/// The seed's curl example sends the same request with `-X DELETE`; both methods are served.
/// Other errors keep the seed's shape, `{"code", "message", "detail"}`, with Django REST
/// framework's messages (Ubidots' API is built on it): 404001, 413001, 429001 (with
/// `Retry-After`), 500001, 503001.
public enum UbidotsRoutes {
    static let bulkHeader = HTTPField.Name("X-Bulk-Operation")
    static let tokenHeader = HTTPField.Name("X-Auth-Token")

    /// The seed's text for a request without `X-Bulk-Operation: True`.
    public static let bulkHeaderDetail =
        "Header `X-BULK-OPERATION` should be provided for bulk operation."

    public static func add(
        to router: Router<APIContext>, server: ServerContext, rate: RateLimiter,
        log: @escaping @Sendable (String) -> Void
    ) {
        let sources: [CredentialSource] =
            [tokenHeader.map(CredentialSource.header), .query("token")].compactMap { $0 }
        let api = router.group("/compat/ubidots/api/v2.0")
            .add(middleware: UbidotsErrors(log: log))
            .authenticated(
                server, sources: sources, rate: rate,
                unauthorized: { UbidotsError(failure: $0).answer },
                limited: { UbidotsError.throttled(retryAfter: $0).answer })
        api.post("devices/_/bulk/delete") { request, context in
            try await bulkDelete(request, context, server)
        }
        api.delete("devices/_/bulk/delete") { request, context in
            try await bulkDelete(request, context, server)
        }
    }

    static func bulkDelete(_ request: Request, _ context: APIContext, _ server: ServerContext)
        async throws -> Response
    {
        guard let actor = context.identity?.actor else {
            throw UbidotsError(failure: .missing)
        }
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: .purge) {
            throw UbidotsError.forbidden(refusal)
        }
        guard let flag = bulkHeader.flatMap({ request.headers[$0] }),
            flag.trimmingCharacters(in: .whitespaces).lowercased() == "true"
        else {
            return JSONResponse.make(.badRequest, ["detail": bulkHeaderDetail])
        }
        let mediaType = request.headers[.contentType].map(Self.mediaType) ?? ""
        guard mediaType == "application/json" else {
            throw UbidotsError.unsupportedMediaType(
                request.headers[.contentType].map(SafeText.visible))
        }
        let bytes = try await RequestBody.bytes(request, limits: server.limits)
        let keys = try Self.keys(try RequestBody.parse(bytes, limits: server.limits), server.limits)
        let record = try await server.delete(
            keys, mode: .purge, actor: actor, bulk: true, async: true)
        guard record.id > 0 else {
            throw UbidotsError(
                .internalServerError, code: 500_001, message: "A server error occurred.",
                detail: .string("the deletion was not recorded"))
        }
        var answer = JSONResponse.make(.ok, ["task": ["id": String(record.id)]])
        answer.headers[.location] = "/api/v1/transactions/\(record.id)"
        return answer
    }

    /// `application/json` from `Application/JSON; charset=utf-8`.
    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// At most this many keys are named in a validation error's `detail`.
    static let listedProblems = 20

    /// The body's keys: a non-empty array of at most `limits.keysPerRequest` keys, every one
    /// of which parses (``KeyList/element(_:)``).
    ///
    /// - Throws: ``UbidotsError`` 400001 naming the body or each bad key by its index.
    static func keys(_ body: JSONValue, _ limits: ServerLimits) throws -> [KeyInput] {
        guard case .array(let elements) = body else {
            throw UbidotsError.validation(
                "non_field_errors",
                "Expected a list of items but got type \"\(body.typeName)\": the body is an array of device keys (\"42\", \"~label\", {\"id\": 42})."
            )
        }
        if elements.isEmpty {
            throw UbidotsError.validation(
                "non_field_errors", "This list may not be empty: name at least one device.")
        }
        if elements.count > limits.keysPerRequest {
            throw UbidotsError.validation(
                "non_field_errors",
                "The list has \(elements.count) keys; at most \(limits.keysPerRequest) are accepted in one request."
            )
        }
        let keys = elements.map(KeyList.element)
        var problems: [String: JSONValue] = [:]
        var bad = 0
        for (index, key) in keys.enumerated() {
            guard case .failure(let error) = key.parsed else { continue }
            bad += 1
            if bad <= listedProblems {
                let shown = key.raw.count > 80 ? String(key.raw.prefix(80)) + "…" : key.raw
                problems[String(index)] = .array([
                    .string(SafeText.visible("\(shown): \(error.message)"))
                ])
            }
        }
        guard bad == 0 else {
            if bad > listedProblems {
                problems["non_field_errors"] = .array([
                    .string("\(bad) keys are invalid; the first \(listedProblems) are listed.")
                ])
            }
            throw UbidotsError(
                .badRequest, code: 400_001, message: "Validation Error.",
                detail: .object(problems))
        }
        return keys
    }
}

/// An error answer in seed 002's shape: `{"code": 400001, "message": "Validation Error.",
/// "detail": …}`. The code is the HTTP status followed by `001`; the message is Django REST
/// framework's for that status; the detail says what decom found wrong.
public struct UbidotsError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: Int
    public var message: String
    public var detail: JSONValue
    public var retryAfter: Int?

    public init(
        _ status: HTTPResponse.Status, code: Int, message: String, detail: JSONValue,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// 401: 401001 with the seed's text when no token came, 401002 with the core's reason
    /// for a token that is unknown, expired or revoked.
    init(failure: AuthFailure) {
        switch failure {
        case .missing:
            self.init(
                .unauthorized, code: 401_001,
                message: "Authentication credentials were not provided.",
                detail: .string("Authentication credentials were not provided."))
        case .refused(let error):
            self.init(
                .unauthorized, code: 401_002, message: "Incorrect authentication credentials.",
                detail: .string(error.description))
        }
    }

    static func forbidden(_ reason: String) -> UbidotsError {
        UbidotsError(
            .forbidden, code: 403_001,
            message: "You do not have permission to perform this action.",
            detail: .string(reason))
    }

    static func throttled(retryAfter: Int) -> UbidotsError {
        UbidotsError(
            .tooManyRequests, code: 429_001, message: "Request was throttled.",
            detail: .string("Request was throttled. Expected available in \(retryAfter) seconds."),
            retryAfter: retryAfter)
    }

    static func unsupportedMediaType(_ given: String?) -> UbidotsError {
        UbidotsError(
            .unsupportedMediaType, code: 415_001, message: "Unsupported media type.",
            detail: .string(
                "Unsupported media type \"\(given ?? "none")\" in request: send Content-Type: application/json."
            ))
    }

    /// 400001 with one message under `field`.
    static func validation(_ field: String, _ message: String) -> UbidotsError {
        UbidotsError(
            .badRequest, code: 400_001, message: "Validation Error.",
            detail: .object([field: .array([.string(message)])]))
    }

    /// The answer for any error a route threw: the core's and the server's
    /// (``APIError/from(_:)``) in this shape; a 400's field becomes the detail's key.
    static func from(_ error: any Error) -> UbidotsError {
        if let e = error as? UbidotsError { return e }
        let api = APIError.from(error)
        let status = api.status
        if status == .badRequest {
            let field = api.field.map { $0 == "body" ? "non_field_errors" : $0 }
            return validation(field ?? "non_field_errors", api.message)
        }
        let message: String =
            switch status.code {
            case 401: "Incorrect authentication credentials."
            case 403: "You do not have permission to perform this action."
            case 404: "Not found."
            case 409: "Conflict."
            case 413: "Request entity too large."
            case 503: "Service temporarily unavailable, try again later."
            default: "A server error occurred."
            }
        return UbidotsError(
            status, code: status.code * 1000 + 1, message: message, detail: .string(api.message),
            retryAfter: api.retryAfter)
    }

    struct Body: Encodable {
        var code: Int
        var message: String
        var detail: JSONValue
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        answer
    }

    public var answer: Response {
        var response = JSONResponse.make(
            status, Body(code: code, message: message, detail: detail))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Turns what a seed 002 route threw into its answer in seed 002's shape; an error the server
/// does not know is written to the log.
struct UbidotsErrors: RouterMiddleware {
    typealias Context = APIContext
    let log: @Sendable (String) -> Void

    func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let refusal as AuthRefusal {
            return refusal.answer
        } catch {
            let answer = UbidotsError.from(error)
            if answer.status == .internalServerError, !(error is UbidotsError) {
                log(
                    "internal error on \(request.method.rawValue) \(RequestLog.redacted(request.uri.description)): \(SafeText.visible(String(describing: error)))"
                )
            }
            return answer.answer
        }
    }
}
