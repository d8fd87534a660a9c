import DecomCore
import Foundation
import Hummingbird

/// Seed 001 (a fleet platform), `DELETE /compat/fleet-platform/devices/{device_id}` with a
/// bearer token: "Soft-delete a device", answered with the deleted device's snapshot. That is
/// the core's archive (client_status ARCHIVED, sessions suspended, undoable with
/// `decom undo` or `POST /api/v1/transactions/{id}/undo`).
///
/// | status | body | when |
/// | --- | --- | --- |
/// | 200 | `{"data": <device>}`: seed 001's `GetDeviceResponse`, the device as it is after the archive (``DeviceDocument``, the document `decom show --format json` prints) | archived, or already archived (DELETE is idempotent; nothing changed) |
/// | 401 | `{"error": "UNAUTHORIZED", "message": <why>}` | no token, or an unknown, expired or revoked one |
/// | 403 | `{"error": "INSUFFICIENT_SCOPE", "message": <the core's reason>}` | a viewer token: archiving needs operator |
/// | 403 | `{"error": "DEVICE_MUTATION_FORBIDDEN", "message": <the core's reason>}` | the policy forbids this device (a wipe pending, an enrollment in progress, a rented device shipped, delivered or in service) |
/// | 404 | `{"error": "DEVICE_NOT_FOUND", "message": <what was looked for>}` | no such device; also a `device_id` that does not match the seed's pattern `^[1-9]\d*$` (it names no device; the seed documents no 400) |
/// | 409 | `{"error": "DEVICE_CHANGED", "message": <what changed>}` | the device changed between the plan and the archive; nothing was done |
/// | 429 | `{"error": "RATE_LIMITED", "message": <when>}` with `Retry-After` | over the server's per-token rate |
/// | 500 | `{"error": "INTERNAL_ERROR", "message": …}` | the archive's transaction rolled back (nothing changed) |
/// | 503 | `{"error": "DATABASE_BUSY", "message": …}` with `Retry-After` | the database stayed locked past the server's patience |
///
/// The seed's `error` values are the first five rows; the others are decom's, in the seed's
/// shape. The seed's scopes map onto roles: a token's role is its scope, a viewer's reads
/// only (INSUFFICIENT_SCOPE here), an operator's and an admin's may soft-delete.
public enum FleetPlatformRoutes {
    public static let prefix = "/compat/fleet-platform"

    public static func add(
        to router: Router<APIContext>, server: ServerContext, rate: RateLimiter,
        log: @escaping @Sendable (String) -> Void
    ) {
        router.group(RouterPath(prefix))
            .authenticated(
                server, sources: [.bearer], rate: rate,
                unauthorized: { failure in
                    var answer = answer(.unauthorized, "UNAUTHORIZED", failure.message)
                    answer.headers[.wwwAuthenticate] = "Bearer"
                    return answer
                },
                limited: {
                    answer(.tooManyRequests, "RATE_LIMITED", rate.message(retryAfter: $0))
                }
            )
            .delete("devices/{device_id}") { _, context in
                await softDelete(context, server, log: log)
            }
    }

    /// The seed's error body, `{"error": CODE}`, with decom's reason beside it.
    struct ErrorBody: Encodable {
        var error: String
        var message: String
    }

    static func answer(_ status: HTTPResponse.Status, _ code: String, _ message: String)
        -> Response
    {
        JSONResponse.make(status, ErrorBody(error: code, message: message))
    }

    /// What the archive came to: the device after it, or why not.
    enum Outcome: Sendable {
        case snapshot(DeviceEnvelope)
        case refused(ItemResult)
    }

    static func softDelete(
        _ context: APIContext, _ server: ServerContext, log: @escaping @Sendable (String) -> Void
    ) async -> Response {
        guard let actor = context.identity?.actor else {
            return answer(.unauthorized, "UNAUTHORIZED", AuthFailure.missing.message)
        }
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: .archive) {
            return answer(.forbidden, "INSUFFICIENT_SCOPE", refusal)
        }
        let raw = context.parameters.get("device_id") ?? ""
        let text = raw.removingPercentEncoding ?? raw
        guard case .success(let key) = DeviceKey.parseID(text), case .id(let id) = key else {
            return answer(
                .notFound, "DEVICE_NOT_FOUND",
                "device_id '\(SafeText.visible(text))' does not match ^[1-9]\\d*$: it names no device"
            )
        }
        let service = server.deletions
        let store = server.store
        let now = server.clock()
        let outcome: Outcome
        do {
            outcome = try await server.core { () -> Outcome in
                let plan = try service.plan([KeyInput(key)], mode: .archive, actor: actor)
                let record = try service.execute(plan, as: actor, bulk: false)
                guard let item = record.items.first else {
                    return .refused(ItemResult(key: text, deviceId: id, outcome: .failed))
                }
                guard item.outcome == .archived || item.outcome == .alreadyArchived else {
                    return .refused(item)
                }
                let snapshot = try store.read { reader -> DeviceEnvelope? in
                    guard let device = try reader.device(id: id) else { return nil }
                    return DeviceEnvelope(
                        data: DeviceDocument(
                            device: device,
                            compliance: ComplianceEvaluator(now: now).verdict(device),
                            sessions: try reader.sessions(deviceId: id),
                            externalID: try reader.externalID(deviceId: id),
                            vendorCompliance: try reader.vendorCompliance(deviceId: id)?.state))
                }
                guard let snapshot else {
                    return .refused(
                        ItemResult(
                            key: text, deviceId: id, outcome: .notFound,
                            reason: "the device was purged right after it was archived"))
                }
                return .snapshot(snapshot)
            }
        } catch let busy as StoreBusy {
            var response = answer(.serviceUnavailable, "DATABASE_BUSY", busy.description)
            response.headers[.retryAfter] = "1"
            return response
        } catch {
            log("internal error on DELETE \(prefix)/devices/\(id): \(SafeText.visible("\(error)"))")
            return answer(
                .internalServerError, "INTERNAL_ERROR",
                "the soft delete failed and nothing changed; see the server log")
        }
        switch outcome {
        case .snapshot(let envelope):
            return JSONResponse.make(.ok, envelope)
        case .refused(let item):
            let reason = item.reason ?? item.outcome.rawValue
            switch item.outcome {
            case .notFound: return answer(.notFound, "DEVICE_NOT_FOUND", reason)
            case .insufficientScope: return answer(.forbidden, "INSUFFICIENT_SCOPE", reason)
            case .forbidden: return answer(.forbidden, "DEVICE_MUTATION_FORBIDDEN", reason)
            case .failed:
                return answer(
                    .internalServerError, "INTERNAL_ERROR",
                    "the soft delete failed and nothing changed")
            default: return answer(.conflict, "DEVICE_CHANGED", reason)
            }
        }
    }
}
