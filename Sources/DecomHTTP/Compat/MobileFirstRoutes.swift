import DecomCore
import Foundation
import Hummingbird

/// Seed 003 (IBM MobileFirst): `DELETE
/// /compat/mobilefirst/management-apis/2.0/runtimes/{runtime}/devices/{id}?async=true|false`,
/// the path as the seed's, under decom's prefix; a bearer token.
///
/// The seed's delete "deletes all metadata of a specific device": a purge, so only decom's
/// admin may (seed 003's roles map onto decom's in the README: mfpadmin is admin, mfpdeployer
/// and mfpoperator are operator, whose purge the core refuses with 403). The answer is the
/// seed's result object (``MobileFirstResult``), JSON or, for a client that prefers it, XML:
///
/// | status | when |
/// | --- | --- |
/// | 200 | the transaction: SUCCESS (`async=false`, the default), PENDING (`async=true`, then on the queue), or FAILURE with `ok: false` and its errors (the device's state forbids it, it changed meanwhile) |
/// | 400 | `async` is neither `true` nor `false` |
/// | 401 | no token, or one unknown, expired or revoked |
/// | 403 | the token's role may not purge (the core's reason) |
/// | 404 | no device answers to `{id}` (any decom key: `42`, `~label`, `serial:…`), or a runtime name that cannot be one |
/// | 409 | `{id}` names several devices (a shared serial or HWID) |
/// | 429, 500, 503 | rate limit (`Retry-After`), an internal error, the database busy |
///
/// decom serves one fleet: every runtime name (letters, digits, `.`, `_`, `-`) names it and
/// comes back as `project.name`. `locale` is accepted; messages are in English. A refusal
/// records nothing and its transaction has no `id`.
public enum MobileFirstRoutes {
    public static func add(
        to router: Router<APIContext>, server: ServerContext, rate: RateLimiter,
        log: @escaping @Sendable (String) -> Void
    ) {
        let api = router.group("/compat/mobilefirst/management-apis/2.0/runtimes")
            .add(middleware: MobileFirstErrors(log: log, clock: server.clock))
            .authenticated(
                server, sources: [.bearer], rate: rate,
                unauthorized: { MobileFirstFailure(.unauthorized, $0.message).plainAnswer },
                limited: {
                    MobileFirstFailure(.tooManyRequests, rate.message(retryAfter: $0)).plainAnswer
                })
        api.delete("{runtime}/devices/{id}") { request, context in
            try await removeDevice(request, context, server)
        }
    }

    static func removeDevice(_ request: Request, _ context: APIContext, _ server: ServerContext)
        async throws -> Response
    {
        guard let actor = context.identity?.actor else {
            throw MobileFirstFailure(.unauthorized, AuthFailure.missing.message)
        }
        do {
            return try await removeDevice(request, context, server, actor: actor)
        } catch var failure as MobileFirstFailure {
            failure.userName = actor.user
            throw failure
        } catch {
            let api = APIError.from(error)
            var failure = MobileFirstFailure(api.status, api.message)
            failure.userName = actor.user
            failure.retryAfter = api.retryAfter
            failure.underlying = String(describing: error)
            throw failure
        }
    }

    static func removeDevice(
        _ request: Request, _ context: APIContext, _ server: ServerContext, actor: Actor
    ) async throws -> Response {
        let runtime = try runtimeName(context)
        let deviceID = try deviceText(context)
        let async = try asyncFlag(request)
        let format = MobileFirstFormat.negotiate(request.headers[.accept])
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: .purge) {
            throw MobileFirstFailure(.forbidden, refusal)
        }
        let key: DeviceKey
        switch DeviceKey.parse(deviceID) {
        case .success(let k): key = k
        case .failure(let error):
            throw MobileFirstFailure(
                .notFound, "no device '\(SafeText.visible(deviceID))': \(error.message)")
        }
        let store = server.store
        let (id, deviceStatus) = try await server.core {
            try store.read { reader -> (Int64, DeviceStatus) in
                let matches: [Int64] =
                    if case .id(let n) = key { [n] } else { try reader.resolve([key])[key] ?? [] }
                if matches.count > 1 {
                    throw MobileFirstFailure(
                        .conflict,
                        "\(key.kindName) \(SafeText.visible(key.valueText)) names \(matches.count) devices (\(matches.map { "#\($0)" }.joined(separator: ", "))); name one by its id"
                    )
                }
                guard let id = matches.first, let device = try reader.device(id: id) else {
                    throw MobileFirstFailure(
                        .notFound,
                        "no device has \(key.kindName) \(SafeText.visible(key.valueText))")
                }
                return (id, device.deviceStatus)
            }
        }
        let record = try await server.delete(
            [KeyInput(raw: deviceID, parsed: .success(.id(id)))], mode: .purge, actor: actor,
            bulk: false, async: async)
        let result = MobileFirstResult(
            record: record, deviceID: deviceID, deviceStatus: deviceStatus, project: runtime)
        let gone = record.status == .failure && record.items.contains { $0.outcome == .notFound }
        return result.response(gone ? .notFound : .ok, format: format)
    }

    /// `{runtime}`: a name of letters, digits, `.`, `_` and `-`, at most 64, starting with a
    /// letter or digit (a web application's context root without its slash).
    static func runtimeName(_ context: APIContext) throws -> String {
        let raw = try context.parameters.require("runtime")
        let name = raw.removingPercentEncoding ?? raw
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII
                && (("a"..."z").contains($0) || ("A"..."Z").contains($0)
                    || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-")
        }
        guard allowed, (1...64).contains(name.count), name.first != ".", name.first != "-"
        else {
            throw MobileFirstFailure(
                .notFound,
                "no runtime '\(SafeText.visible(name))': a runtime name is letters, digits, '.', '_' and '-'"
            )
        }
        return name
    }

    /// `{id}`, percent-decoded.
    static func deviceText(_ context: APIContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    /// `?async=`: `true` or `false` (any case); absent is false (the seed's default).
    static func asyncFlag(_ request: Request) throws -> Bool {
        guard let raw = request.uri.queryParameters.get("async") else { return false }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw MobileFirstFailure(
                .badRequest,
                "async must be true or false, not '\(SafeText.visible(raw))'")
        }
    }
}

/// A seed 003 request refused before anything was recorded: its status and reason.
struct MobileFirstFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var reason: String
    /// Who asked, once the token said it (``MobileFirstErrors`` runs before the token is read).
    var userName: String?
    var retryAfter: Int?
    /// The error the server did not know, in words, for the log.
    var underlying: String?

    init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// The answer without the request's parameters (a rate limit or a token refusal outside
    /// ``MobileFirstErrors``, which writes them in).
    var plainAnswer: Response {
        MobileFirstResult.refusal(
            reason, userName: nil, deviceID: "", project: "", at: Date()
        ).response(status, format: .json)
    }
}

/// Answers what a seed 003 route threw, or a rate limit, with the seed's result object
/// (``MobileFirstResult/refusal(_:userName:deviceID:deviceStatus:project:at:)``) in the
/// format the client asked for, naming the runtime and device of the path.
struct MobileFirstErrors: RouterMiddleware {
    typealias Context = APIContext
    let log: @Sendable (String) -> Void
    let clock: @Sendable () -> Date

    func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        let failure: MobileFirstFailure
        var retryAfter: String?
        do {
            let response = try await next(request, context)
            guard response.status == .tooManyRequests else { return response }
            retryAfter = response.headers[.retryAfter]
            failure = MobileFirstFailure(
                .tooManyRequests,
                "too many requests with this token; try again in \(retryAfter ?? "a few") s")
        } catch let refusal as AuthRefusal {
            failure = MobileFirstFailure(
                .unauthorized, refusal.failure?.message ?? "the API token was refused")
        } catch let known as MobileFirstFailure {
            failure = known
        } catch {
            let api = APIError.from(error)
            var unknown = MobileFirstFailure(api.status, api.message)
            unknown.retryAfter = api.retryAfter
            unknown.underlying = String(describing: error)
            failure = unknown
        }
        if failure.status == .internalServerError, let error = failure.underlying {
            log(
                "internal error on \(request.method.rawValue) \(RequestLog.redacted(request.uri.description)): \(SafeText.visible(error))"
            )
        }
        if let wait = failure.retryAfter { retryAfter = String(wait) }
        let runtime = context.parameters.get("runtime").map { $0.removingPercentEncoding ?? $0 }
        let device = context.parameters.get("id").map { $0.removingPercentEncoding ?? $0 }
        let result = MobileFirstResult.refusal(
            failure.reason, userName: failure.userName,
            deviceID: device ?? "", project: runtime ?? "", at: clock())
        var answer = result.response(
            failure.status, format: MobileFirstFormat.negotiate(request.headers[.accept]))
        if let retryAfter { answer.headers[.retryAfter] = retryAfter }
        if failure.status == .unauthorized { answer.headers[.wwwAuthenticate] = "Bearer" }
        return answer
    }
}
