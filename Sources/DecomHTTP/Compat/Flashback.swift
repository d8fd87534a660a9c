import DecomCore
import Foundation
import Hummingbird

/// Seed 000 (Flashback), `DELETE /compat/flashback/devices/{id}` with a bearer token: "Remove
/// Device: permanently remove a device and all its associated data. This will also revoke all
/// active sessions for the device." That is the core's purge: the device, its enrollment,
/// MACs, events and sessions go (the sessions with it), a tombstone and the audit entry stay.
///
/// `{id}` is the seed's "device identifier" string: any key form of decom (`42`, `~label`,
/// `mac:…`, `hwid:…`, `serial:…`, percent-encoded as a path needs). Answers, in the seed's
/// shape `{"success": bool, "message"|"error": text}`:
///
/// | status | body | when |
/// | --- | --- | --- |
/// | 200 | `{"success": true, "message": "Device removed successfully"}` | purged |
/// | 401 | `{"success": false, "error": <why>}` | no token, or an unknown, expired or revoked one |
/// | 403 | `{"success": false, "error": <the core's reason>}` | a role that may not purge (admin only), or a device whose state forbids it |
/// | 404 | `{"success": false, "error": "Device not found"}` | no device has that identifier (or it is not one) |
/// | 409 | `{"success": false, "error": <why>}` | a serial or HWID that names several devices; a device changed while it was being purged |
/// | 429 | `{"success": false, "error": <when>}` with `Retry-After` | over the server's per-token rate |
/// | 500 | `{"success": false, "error": "Failed to remove device"}` | the purge's transaction rolled back (nothing changed) |
/// | 503 | `{"success": false, "error": "Failed to remove device: the database is busy…"}` with `Retry-After` | the database stayed locked past the server's patience |
///
/// The seed documents 200, 404 and 500; 401, 403, 409, 429 and 503 are decom's, in the seed's
/// shape. One device is never a bulk purge, so no bulk confirmation is asked.
public enum FlashbackRoutes {
    public static let prefix = "/compat/flashback"

    public static func add(
        to router: Router<APIContext>, server: ServerContext, rate: RateLimiter,
        log: @escaping @Sendable (String) -> Void
    ) {
        router.group(RouterPath(prefix))
            .authenticated(
                server, sources: [.bearer], rate: rate,
                unauthorized: { failure in
                    var answer = answer(.unauthorized, error: failure.message)
                    answer.headers[.wwwAuthenticate] = "Bearer"
                    return answer
                },
                limited: { answer(.tooManyRequests, error: rate.message(retryAfter: $0)) }
            )
            .delete("devices/{id}") { _, context in
                await removeDevice(context, server, log: log)
            }
    }

    /// The seed's body: `{"success": false, "error": text}`, or with `message` on success.
    struct Body: Encodable {
        var success: Bool
        var message: String?
        var error: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(success, forKey: .success)
            try c.encodeIfPresent(message, forKey: .message)
            try c.encodeIfPresent(error, forKey: .error)
        }

        enum CodingKeys: String, CodingKey { case success, message, error }
    }

    static func answer(_ status: HTTPResponse.Status, error: String) -> Response {
        JSONResponse.make(status, Body(success: false, error: error))
    }

    static let notFound = "Device not found"
    static let failed = "Failed to remove device"

    static func removeDevice(
        _ context: APIContext, _ server: ServerContext, log: @escaping @Sendable (String) -> Void
    ) async -> Response {
        guard let actor = context.identity?.actor else {
            return answer(.unauthorized, error: AuthFailure.missing.message)
        }
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: .purge) {
            return answer(.forbidden, error: refusal)
        }
        let raw = context.parameters.get("id") ?? ""
        let key = KeyInput(raw.removingPercentEncoding ?? raw)
        if case .failure = key.parsed { return answer(.notFound, error: notFound) }
        let service = server.deletions
        let record: TransactionRecord
        do {
            record = try await server.core {
                let plan = try service.plan([key], mode: .purge, actor: actor)
                return try service.execute(plan, as: actor, bulk: false)
            }
        } catch let busy as StoreBusy {
            var response = answer(.serviceUnavailable, error: "\(failed): \(busy.description)")
            response.headers[.retryAfter] = "1"
            return response
        } catch {
            log("internal error on DELETE \(prefix)/devices/…: \(SafeText.visible("\(error)"))")
            return answer(.internalServerError, error: failed)
        }
        guard let item = record.items.first else {
            return answer(.internalServerError, error: failed)
        }
        switch item.outcome {
        case .purged:
            return JSONResponse.make(
                .ok, Body(success: true, message: "Device removed successfully"))
        case .notFound, .invalidKey:
            return answer(.notFound, error: notFound)
        case .insufficientScope, .forbidden:
            return answer(.forbidden, error: item.reason ?? "forbidden")
        default:
            return answer(.conflict, error: item.reason ?? item.outcome.rawValue)
        }
    }
}
