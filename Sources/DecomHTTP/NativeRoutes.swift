import DecomCore
import Foundation
import Hummingbird

/// The native API under `/api/v1` (issue 13), bearer tokens only; its OpenAPI 3 document is
/// `GET /api/v1/openapi.json`. Answers are decom's documents (``Documents``): the same JSON as
/// `decom show`, `decom list`, `decom delete` and `decom history` with `--format json`.
public enum NativeRoutes {
    public static func add(
        to router: Router<APIContext>, server: ServerContext, rate: RateLimiter,
        log: @escaping @Sendable (String) -> Void
    ) {
        router.get("/api/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        let api = router.group("/api/v1")
            .add(middleware: NativeErrors(log: log))
            .authenticated(
                server, sources: [.bearer], rate: rate,
                unauthorized: { failure in
                    var answer = APIError.unauthorized(failure.message).answer
                    answer.headers[.wwwAuthenticate] = "Bearer"
                    return answer
                },
                limited: { wait in
                    APIError(
                        .tooManyRequests, code: "rate_limited",
                        message: rate.message(retryAfter: wait)
                    ).answer
                })
        api.get("devices") { request, context in
            try await listDevices(request, context, server)
        }
        api.get("devices/{key}") { _, context in
            try await showDevice(context, server)
        }
        api.post("deletions") { request, context in
            try await delete(request, context, server)
        }
        api.get("transactions") { request, context in
            try await listTransactions(request, context, server)
        }
        api.get("transactions/{id}") { _, context in
            try await showTransaction(context, server)
        }
        api.post("transactions/{id}/undo") { _, context in
            try await undo(context, server)
        }
        api.delete("transactions/{id}") { _, context in
            try await cancel(context, server)
        }
    }

    static func actor(_ context: APIContext) throws -> Actor {
        guard let identity = context.identity else {
            throw APIError.unauthorized("no API token")
        }
        return identity.actor
    }

    static func listDevices(_ request: Request, _ context: APIContext, _ server: ServerContext)
        async throws -> Response
    {
        _ = try actor(context)
        let parameters = request.uri.queryParameters
        let listing = try DeviceListing.parse { parameters.get($0) }
        let cursor = parameters.get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let store = server.store
        let now = server.clock()
        let document = try await server.core {
            let (page, next, total) = try store.read {
                try listing.page(from: $0, evaluator: ComplianceEvaluator(now: now), cursor: cursor)
            }
            return DeviceListDocument(
                data: page.map(SummaryDocument.init), nextCursor: next, total: total)
        }
        return JSONResponse.make(.ok, document)
    }

    static func showDevice(_ context: APIContext, _ server: ServerContext) async throws -> Response
    {
        _ = try actor(context)
        let raw = try context.parameters.require("key")
        let text = raw.removingPercentEncoding ?? raw
        let key: DeviceKey
        switch DeviceKey.parse(text) {
        case .success(let k): key = k
        case .failure(let error):
            throw APIError.badRequest(
                "invalid key '\(SafeText.visible(text))': \(error.message)", field: "key")
        }
        let store = server.store
        let now = server.clock()
        let document = try await server.core { () -> DeviceEnvelope? in
            try store.read { reader in
                let matches = try reader.resolve([key])[key] ?? []
                if matches.count > 1 {
                    throw APIError(
                        .conflict, code: "ambiguous",
                        message:
                            "\(key.kindName) \(SafeText.visible(key.valueText)) names \(matches.count) devices (\(matches.map { "#\($0)" }.joined(separator: ", "))); name one by its id"
                    )
                }
                guard let id = matches.first, let device = try reader.device(id: id) else {
                    return nil
                }
                return DeviceEnvelope(
                    data: DeviceDocument(
                        device: device, compliance: ComplianceEvaluator(now: now).verdict(device),
                        sessions: try reader.sessions(deviceId: id),
                        externalID: try reader.externalID(deviceId: id),
                        vendorCompliance: try reader.vendorCompliance(deviceId: id)?.state))
            }
        }
        guard let document else {
            throw APIError.notFound(
                "no device has \(key.kindName) \(SafeText.visible(key.valueText))")
        }
        return JSONResponse.make(.ok, document)
    }

    static func delete(_ request: Request, _ context: APIContext, _ server: ServerContext)
        async throws -> Response
    {
        let actor = try actor(context)
        let body = try await RequestBody.json(request, limits: server.limits)
        let ask = try DeletionRequest.parse(body, limits: server.limits)
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: ask.mode) {
            throw APIError.forbidden(refusal)
        }
        if ask.async && !ask.dryRun {
            let record = try await server.delete(
                ask.keys, mode: ask.mode, actor: actor, bulk: ask.bulk, async: true)
            guard record.status == .pending, record.id > 0 else {
                return JSONResponse.make(.ok, DeletionDocument(executed: record))
            }
            var answer = JSONResponse.make(.accepted, DeletionDocument(executed: record))
            answer.headers[.location] = "/api/v1/transactions/\(record.id)"
            return answer
        }
        let service = server.deletions
        let document = try await server.core {
            let plan = try service.plan(ask.keys, mode: ask.mode, actor: actor)
            if ask.dryRun { return DeletionDocument(dryRun: plan) }
            let record = try service.execute(plan, as: actor, bulk: ask.bulk)
            return DeletionDocument(executed: record)
        }
        return JSONResponse.make(.ok, document)
    }

    static func listTransactions(
        _ request: Request, _ context: APIContext, _ server: ServerContext
    ) async throws -> Response {
        _ = try actor(context)
        var requested = 50
        if let raw = request.uri.queryParameters.get("limit") {
            guard let n = Int(raw), (1...1_000).contains(n) else {
                throw APIError.badRequest(
                    "\"limit\" must be a whole number from 1 to 1000, not '\(SafeText.visible(raw))'",
                    field: "limit")
            }
            requested = n
        }
        var before: Int64?
        if let raw = request.uri.queryParameters.get("before") {
            guard let id = Int64(raw), id > 0 else {
                throw APIError.badRequest(
                    "\"before\" is a transaction id, a positive whole number, not '\(SafeText.visible(raw))'",
                    field: "before")
            }
            before = id
        }
        let store = server.store
        let limit = requested
        let first = before
        let headers = try await server.core {
            try store.read { try $0.transactionHeaders(limit: limit + 1, before: first) }
        }
        return JSONResponse.make(.ok, TransactionPageDocument(headers, limit: limit))
    }

    static func transactionID(_ context: APIContext) throws -> Int64 {
        let raw = try context.parameters.require("id")
        guard let id = Int64(raw), id > 0 else {
            throw APIError.badRequest(
                "a transaction id is a positive whole number, not '\(SafeText.visible(raw))'",
                field: "id")
        }
        return id
    }

    static func showTransaction(_ context: APIContext, _ server: ServerContext) async throws
        -> Response
    {
        _ = try actor(context)
        let id = try transactionID(context)
        let store = server.store
        guard let record = try await server.core({ try store.read { try $0.transaction(id: id) } })
        else { throw APIError.notFound("no transaction \(id)") }
        return JSONResponse.make(.ok, TransactionEntry(record: record))
    }

    /// `DELETE /transactions/{id}`: cancels a PENDING transaction (CANCELED, nothing of it
    /// applied); 409 once it runs or has run, 403 for a viewer or another operator's
    /// (``DeletionPolicy/cancelRefusal(owner:actor:)``).
    static func cancel(_ context: APIContext, _ server: ServerContext) async throws -> Response {
        let actor = try actor(context)
        let id = try transactionID(context)
        guard let queue = server.queue else {
            throw APIError(
                .conflict, code: "conflict",
                message: "this server runs no queue: transaction \(id) is not pending here")
        }
        let record = try await server.core { try queue.cancel(id, as: actor) }
        return JSONResponse.make(.ok, TransactionEntry(record: record))
    }

    static func undo(_ context: APIContext, _ server: ServerContext) async throws -> Response {
        let actor = try actor(context)
        let id = try transactionID(context)
        let service = server.deletions
        let record = try await server.core { try service.undo(id, actor: actor) }
        return JSONResponse.make(.ok, DeletionDocument(executed: record))
    }
}
