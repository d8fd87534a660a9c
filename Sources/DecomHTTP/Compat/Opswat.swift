import DecomCore
import Foundation
import Hummingbird

/// Seed 004 (OPSWAT MetaDefender), `POST /compat/opswat/o/api/v2/devices/delete?access_token=…`:
/// delete the devices that report the MAC addresses (`MAC_list`) or the HWIDs (`HWID_list`) of
/// the body, `{"MAC_list": [...], "opt": 0}`, answered `{"result": [...]}` with one code per
/// list entry, in the list's order.
///
/// The token is taken from the `access_token` query parameter only, as the seed says (a bearer
/// header is not read here); the request log writes it `[redacted]`. Each token may send 10
/// requests per minute to these routes (the seed's "Requests per rate limit: 10/min"), counted
/// apart from every other route group; the 11th is answered 429 with `Retry-After`.
///
/// `opt` (default 1, as the seed's):
///
/// | opt | the seed | decom's mode | role |
/// | --- | --- | --- | --- |
/// | 0 | only uninstall the agent, keep the data | unenroll | operator |
/// | 1 | remove the record and uninstall the agent | purge | admin |
/// | 2 | archive the record and uninstall the agent | archive and unenroll, one transaction | operator |
///
/// The result codes (the seed's sentence "Result[i] value means that…" is cut off; its
/// example answers `[0, 1]` for two MACs, and it names two reasons for failure, which are
/// codes 1 and 2):
///
/// | code | meaning |
/// | --- | --- |
/// | 0 | done: the device reporting entry i was unenrolled, removed, or archived and unenrolled (opt 2 on a device already archived, or without an agent, does the half that is left) |
/// | 1 | not found: no device reports this MAC address or HWID |
/// | 2 | invalid: not a MAC address (``DeviceKey/macForms``), or not a usable HWID |
/// | 3 | forbidden: the device's state forbids it (MDM wipe pending or enrollment in progress, rented device shipped, delivered or in service) |
/// | 4 | ambiguous: several devices report this MAC address or HWID; none was touched |
/// | 5 | nothing to do: the device already is as asked (opt 0: no agent to uninstall; opt 2: archived already, with no agent) |
/// | 6 | changed: the device changed while the request ran and was left alone; ask again |
/// | 7 | not done for another reason |
///
/// An entry naming a device that an earlier entry of the list already named gets that entry's
/// code. Errors are `{"error": text}` (with `"field"` for bad input): 400 for a body that is
/// not a JSON object, both lists or neither, an empty list, a list entry that is not a
/// string, an `opt` other than 0, 1 or 2, or a field the seed does not have; 401 without a
/// valid token; 403 for a role that may not (the core's reason); 413 for a body over the
/// server's limit; 429; 500 when the transaction rolled back (nothing changed); 503 when the
/// database stayed busy.
///
/// The bulk rule: a purge of more than one device needs an explicit bulk statement
/// (``DeletionPolicy/bulkRefusal(mode:count:)``). This endpoint is the seed's batch delete,
/// and its request names every device, one MAC address or HWID each, in a list the client
/// wrote out (no filter or selection can widen it): that list is the explicit statement, as
/// seed 002's `X-Bulk-Operation: True` is, so the core is called with `bulk: true`.
public enum OpswatRoutes {
    public static let prefix = "/compat/opswat"
    /// The seed's rate limit: requests per token per minute.
    public static let requestsPerMinute = 10

    /// Adds the routes, with a rate limiter of their own at the seed's 10 requests a minute.
    public static func add(
        to router: Router<APIContext>, server: ServerContext,
        log: @escaping @Sendable (String) -> Void
    ) {
        let rate = RateLimiter(perMinute: requestsPerMinute)
        router.group(RouterPath(prefix))
            .authenticated(
                server, sources: [.query("access_token")], rate: rate,
                unauthorized: { failure in
                    switch failure {
                    case .missing:
                        return answer(
                            .unauthorized,
                            "Unauthorized: no access_token in the URL (?access_token=…)")
                    case .refused(let error):
                        return answer(
                            .unauthorized,
                            "Unauthorized. Your access_token is invalid or expired: \(error.description)"
                        )
                    }
                },
                limited: { wait in
                    answer(
                        .tooManyRequests,
                        "rate limit: \(requestsPerMinute) requests per minute per access_token; try again in \(wait) s"
                    )
                }
            )
            .post("o/api/v2/devices/delete") { request, context in
                await deleteDevices(request, context, server, log: log)
            }
    }

    struct ErrorBody: Encodable {
        var error: String
        var field: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(error, forKey: .error)
            try c.encodeIfPresent(field, forKey: .field)
        }

        enum CodingKeys: String, CodingKey { case error, field }
    }

    struct ResultBody: Encodable {
        var result: [Int]
    }

    static func answer(_ status: HTTPResponse.Status, _ error: String, field: String? = nil)
        -> Response
    {
        JSONResponse.make(status, ErrorBody(error: error, field: field))
    }

    static func deleteDevices(
        _ request: Request, _ context: APIContext, _ server: ServerContext,
        log: @escaping @Sendable (String) -> Void
    ) async -> Response {
        guard let actor = context.identity?.actor else {
            return answer(.unauthorized, AuthFailure.missing.message)
        }
        let ask: OpswatDeletion
        do {
            let body = try await RequestBody.json(request, limits: server.limits)
            ask = try OpswatDeletion.parse(body, limits: server.limits)
        } catch let error as APIError {
            return answer(error.status, error.message, field: error.field)
        } catch {
            return answer(.badRequest, "the body could not be read", field: "body")
        }
        let mode = ask.mode
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: mode) {
            return answer(.forbidden, refusal)
        }
        let service = server.deletions
        let keys = ask.keys
        let record: TransactionRecord
        do {
            record = try await server.core {
                let plan = try service.plan(keys, mode: mode, actor: actor)
                return try service.execute(plan, as: actor, bulk: true)
            }
        } catch let busy as StoreBusy {
            var response = answer(.serviceUnavailable, busy.description)
            response.headers[.retryAfter] = "1"
            return response
        } catch {
            log(
                "internal error on POST \(prefix)/o/api/v2/devices/delete: \(SafeText.visible("\(error)"))"
            )
            return answer(
                .internalServerError,
                "the deletion failed and nothing changed; see the server log")
        }
        return JSONResponse.make(.ok, ResultBody(result: codes(record.items)))
    }

    /// The seed's result code of each item, in order (the table above).
    static func codes(_ items: [ItemResult]) -> [Int] {
        var first: [Int64: Int] = [:]
        return items.map { item in
            let code = code(item.outcome)
            guard let id = item.deviceId else { return code }
            if item.outcome == .duplicate, let earlier = first[id] { return earlier }
            if first[id] == nil { first[id] = code }
            return code
        }
    }

    static func code(_ outcome: ItemOutcome) -> Int {
        if outcome.isApplied { return 0 }
        switch outcome {
        case .duplicate: return 0
        case .notFound, .gone: return 1
        case .invalidKey: return 2
        case .forbidden: return 3
        case .ambiguous: return 4
        case .notEnrolled, .alreadyArchived: return 5
        case .changed: return 6
        default: return 7
        }
    }
}

/// The body of seed 004's delete, checked field by field: `MAC_list` or `HWID_list` (one of
/// them, a non-empty array of strings) and `opt` (0, 1 or 2; 1 when absent, as the seed's
/// default). Any other field is refused by name: who acts comes from the token.
struct OpswatDeletion: Sendable {
    var keys: [KeyInput]
    /// The list's name, `MAC_list` or `HWID_list`.
    var list: String
    var opt: Int

    static let fields: Set<String> = ["MAC_list", "HWID_list", "opt"]

    /// The core's mode of `opt`.
    var mode: DeletionMode {
        switch opt {
        case 0: .unenroll
        case 1: .purge
        default: .archiveAndUnenroll
        }
    }

    /// - Throws: ``APIError`` 400 naming the field.
    static func parse(_ body: JSONValue, limits: ServerLimits) throws -> OpswatDeletion {
        guard case .object(let object) = body else {
            throw APIError.badRequest(
                "the body must be a JSON object: {\"MAC_list\": [...], \"opt\": 0}", field: "body")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw APIError.badRequest(
                "unknown field '\(SafeText.visible(unknown))': the fields are MAC_list or HWID_list, and opt; who acts comes from the access_token",
                field: unknown)
        }
        let macs = object["MAC_list"].flatMap { $0 == .null ? nil : $0 }
        let hwids = object["HWID_list"].flatMap { $0 == .null ? nil : $0 }
        let list: String
        let value: JSONValue
        switch (macs, hwids) {
        case (let m?, nil): (list, value) = ("MAC_list", m)
        case (nil, let h?): (list, value) = ("HWID_list", h)
        case (.some, .some):
            throw APIError.badRequest(
                "give MAC_list or HWID_list, not both", field: "HWID_list")
        case (nil, nil):
            throw APIError.badRequest(
                "MAC_list or HWID_list is required: the devices to delete", field: "MAC_list")
        }
        guard case .array(let entries) = value else {
            throw APIError.badRequest(
                "\(list) must be an array of strings, not a \(value.typeName)", field: list)
        }
        if entries.isEmpty {
            throw APIError.badRequest("\(list) is empty: name at least one device", field: list)
        }
        if entries.count > limits.keysPerRequest {
            throw APIError.badRequest(
                "\(list) has \(entries.count) entries; at most \(limits.keysPerRequest) are accepted in one request",
                field: list)
        }
        var keys: [KeyInput] = []
        keys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard case .string(let text) = entry else {
                throw APIError.badRequest(
                    "\(list)[\(index)] must be a string, not a \(entry.typeName)", field: list)
            }
            keys.append(list == "MAC_list" ? mac(text) : hwid(text))
        }
        var opt = 1
        switch object["opt"] {
        case nil, .null?: break
        case .integer(let n)? where (0...2).contains(n): opt = Int(n)
        case let other?:
            throw APIError.badRequest(
                "opt must be 0 (uninstall the agent), 1 (remove the record) or 2 (archive the record), not \(SafeText.visible(other.compactText))",
                field: "opt")
        }
        return OpswatDeletion(keys: keys, list: list, opt: opt)
    }

    static func mac(_ text: String) -> KeyInput {
        KeyInput(raw: text, parsed: DeviceKey.parseMAC(text))
    }

    static func hwid(_ text: String) -> KeyInput {
        if let problem = DeviceKey.identifierProblem(text) {
            return KeyInput(raw: text, parsed: .failure(KeyError("HWID '\(text)' \(problem)")))
        }
        return KeyInput(raw: text, parsed: .success(.hwid(text)))
    }
}
