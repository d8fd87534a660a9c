import DecomCore
import Foundation
import Hummingbird

/// An error answer of the native API: `{"error": {"status", "code", "message", "field"?}}`
/// with the HTTP status it names. Seeds' routes answer in their own shapes (see
/// ``CompatResponses``); this is the native one.
///
/// | status | when |
/// | --- | --- |
/// | 400 | bad input: `field` names what was wrong |
/// | 401 | no token, or an unknown, expired or revoked one |
/// | 403 | the token's role may not do this (the core's reason) |
/// | 404 | no such device, transaction or route |
/// | 409 | the transaction is in a state that does not allow it (undo of an undone one, cancel of one no longer PENDING) |
/// | 413 | body larger than the server's limit |
/// | 429 | rate limit: `Retry-After` says when to try again |
/// | 503 | the database is busy past the server's patience |
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var retryAfter: Int?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: "bad_request", message: message, field: field)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message)
    }

    struct Body: Encodable {
        var error: Detail
        struct Detail: Encodable {
            var status: Int
            var code: String
            var message: String
            var field: String?
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        answer
    }

    /// The response: the error document with its status, and `Retry-After` when set.
    public var answer: Response {
        var response = JSONResponse.make(
            status,
            Body(
                error: .init(
                    status: Int(status.code), code: code, message: message, field: field)))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// The native answer for an error the core or the store threw. Errors the server does not
    /// know become a 500 whose text says nothing of the inside; the log line has it.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as AuthorityError:
            switch e {
            case .unknownToken, .expiredToken, .revokedToken:
                return .unauthorized(e.description)
            case .noSuchToken: return .notFound(e.description)
            case .invalidTokenUser: return .badRequest(e.description, field: "user")
            case .actorMismatch, .tokenManagementDenied: return .forbidden(e.description)
            }
        case let e as DeletionError:
            switch e {
            case .bulkRequired(let text):
                // The core names the CLI's flag; the API's form is the body's field.
                return .badRequest(
                    text.replacingOccurrences(of: "(--bulk)", with: "(\"bulk\": true)"),
                    field: "bulk")
            case .retentionTooShort: return .badRequest(e.description, field: "archived_before")
            }
        case let e as UndoError:
            switch e {
            case .insufficientScope, .nothingOfYours: return .forbidden(e.description)
            case .noSuchTransaction, .nothingToUndo: return .notFound(e.description)
            case .notUndoable, .alreadyUndone, .notSuccessful:
                return APIError(.conflict, code: "conflict", message: e.description)
            }
        case let e as DeletionQueueError:
            switch e {
            case .noSuchTransaction: return .notFound(e.description)
            case .cancelDenied: return .forbidden(e.description)
            case .notCancelable, .notRunnable:
                return APIError(.conflict, code: "conflict", message: e.description)
            case .stopped:
                return APIError(
                    .serviceUnavailable, code: "stopping", message: e.description, retryAfter: 5)
            }
        case let e as StoreBusy:
            return APIError(
                .serviceUnavailable, code: "busy", message: e.description, retryAfter: 1)
        default:
            return APIError(
                .internalServerError, code: "internal",
                message: "internal error; see the server log")
        }
    }
}

/// JSON answers: decom's documents (``Documents``), escaped as the CLI's are.
public enum JSONResponse {
    /// `value` as a JSON response with `status`.
    public static func make(
        _ status: HTTPResponse.Status, _ value: some Encodable, pretty: Bool = false
    ) -> Response {
        let text: String
        do {
            text = try Documents.text(value, pretty: pretty)
        } catch {
            return Response(
                status: .internalServerError,
                headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"error":{"status":500,"code":"internal","message":"encoding failed"}}"#
                    )))
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

/// Turns what a native route threw into its answer (``APIError/from(_:)``); an error the
/// server does not know is written to the log, since its answer says nothing of it.
public struct NativeErrors: RouterMiddleware {
    public typealias Context = APIContext
    let log: @Sendable (String) -> Void

    public init(log: @escaping @Sendable (String) -> Void) { self.log = log }

    public func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where !(error is APIError) {
            throw error
        } catch {
            let answer = APIError.from(error)
            if answer.status == .internalServerError {
                log(
                    "internal error on \(request.method.rawValue) \(RequestLog.redacted(request.uri.path)): \(SafeText.visible(String(describing: error)))"
                )
            }
            return answer.answer
        }
    }
}
